import { CellsAuthError, coolingDown, toCellsAuthError } from "../errors.js";
import { fingerprint } from "../util/fingerprint.js";
import { abortedError, follow, waitFor } from "../util/signals.js";
import type { Acquisition, CacheSettings } from "./acquisition.js";
import { createBackoff } from "./backoff.js";
import { resolveGetTokenOptions } from "./cache-options.js";
import { adopts, coolingDownMs, holdsRejected, mayRefresh, type CacheState, type Flight, type FlightMode, type Held } from "./cache-rules.js";
import { emit } from "./events.js";
import { refreshDue, serves } from "./lifetime.js";
import type { AccessToken } from "./token-shape.js";

/** Options of one `getToken()` call. */
export interface GetTokenOptions {
  /** Fetch a new token even when the cached one is valid; concurrent forced calls share one request. @default false */
  forceRefresh?: boolean | undefined;
  /**
   * The token returned stays valid at least this long. Capped at what a fresh token can give
   * (its usable lifetime minus the refresh window), so that a large value costs at most one token
   * request per refresh window, never one per call. @default 0
   */
  minTtlMs?: number | undefined;
  /** Rejects this call only, with code `aborted`; a shared request goes on for the other callers. */
  signal?: AbortSignal | undefined;
}

/** A cached, shared source of access tokens: from `createTokenClient` (one client id) or `createTokenSource`. */
export interface TokenClient {
  /** A valid token (frozen, shared): cached, refreshed in the background before expiry, one request for all concurrent callers. */
  getToken(options?: GetTokenOptions): Promise<AccessToken>;
  /** `"Bearer <token>"` for the `Authorization` header. */
  getAuthorizationHeader(options?: GetTokenOptions): Promise<string>;
  /**
   * Drops the cached token if it is still `accessToken` (after the API rejected it with 401), so
   * the next call fetches a new one: at most once per backoff period while new tokens keep being
   * rejected (a token rejected within that period is kept, and the 401 is the caller's).
   */
  invalidate(accessToken: string): Promise<void>;
  /** The API base URL this client gets tokens for, without a trailing slash. */
  readonly baseUrl: string;
}

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * The token cache behind `createTokenClient` and `createTokenSource`: single flight, background
 * refresh with jitter, never an expired token, `minTtlMs`, `invalidate` with its hold, a bounded
 * cool-down after failures, abort per caller, events. `acquisition` is how its flights get tokens;
 * `name` and `summary` are what `util.inspect` and `JSON.stringify` show of it. `failure` turns
 * anything thrown into the `CellsAuthError` a caller gets (a client holding a secret scrubs the
 * causes it did not write).
 */
export function createTokenCache(
  settings: CacheSettings,
  acquisition: Acquisition,
  name: string,
  summary: Readonly<Record<string, string>>,
  failure: (error: unknown) => CellsAuthError = toCellsAuthError,
): TokenClient {
  const { onEvent, monotonicNow: monotonic } = settings;
  const cooldown = createBackoff(settings.retry);
  const rejections = createBackoff(settings.retry);
  const state: CacheState = { current: undefined, flight: undefined, revoked: undefined, cooldown, lastFailure: undefined, rejections };
  let flights = 0;

  /** A flight takes off at `now`: one acquisition, joined by every caller until it lands or fails. */
  function startFlight(mode: FlightMode, now: number): Flight {
    const id = ++flights;
    if (onEvent) {
      const held = state.current;
      emit(onEvent, { type: "token_flight_started", flight: id, mode, baseUrl: settings.baseUrl, ...(held && { timeLeftMs: Math.max(0, held.endsAt - now) }) });
    }
    const landed = acquisition.acquire(state, { mode, startedAt: now }).then(
      (arrived) => flightLanded(flight, arrived),
      (error: unknown) => Promise.reject(flightFailed(flight, error)),
    );
    // The one promise every plain caller gets: it rejects with a CellsAuthError only.
    const token = landed.then((arrived) => arrived.token);
    token.catch(() => undefined); // a soft flight may have no caller to hear its failure
    const flight: Flight = { id, mode, startedAt: now, landed, token };
    state.flight = flight;
    return flight;
  }

  /** A flight lands: its token becomes the cached one when the rules adopt it; a token this cache requested ends any cool-down. */
  function flightLanded(flight: Flight, arrived: Held): Held {
    if (state.flight === flight) state.flight = undefined;
    if (adopts(state, arrived)) state.current = { ...arrived, resolved: Promise.resolve(arrived.token) };
    if (arrived.fresh) {
      cooldown.reset();
      state.lastFailure = undefined;
    }
    if (onEvent) {
      const source = arrived.fresh ? "request" : "store";
      emit(onEvent, { type: "token_flight_landed", flight: flight.id, mode: flight.mode, source, fingerprint: fingerprint(arrived.token.accessToken), durationMs: airborneMs(flight) });
    }
    return arrived;
  }

  /**
   * A flight fails: no token request before a backoff (growing with failures in a row, equal
   * jitter) or the server's Retry-After, whichever is longer, but never longer than
   * `retry.maxDelayMs`: a failing or rate-limited endpoint gets one request per backoff, not one
   * per caller, and one response cannot lock the client out for long. Its callers, and those that
   * come meanwhile, get its error.
   */
  function flightFailed(flight: Flight, error: unknown): CellsAuthError {
    if (state.flight === flight) state.flight = undefined;
    const failed = failure(error);
    state.lastFailure = failed;
    let retryInMs = 0;
    try {
      retryInMs = cooldown.fail(monotonic(), failed.retryAfterMs);
    } catch {
      // A monotonic clock that throws: the next caller hears it from getToken().
    }
    if (onEvent) {
      const { code, status, attempts } = failed;
      emit(onEvent, { type: "token_flight_failed", flight: flight.id, mode: flight.mode, code, status, attempts, durationMs: airborneMs(flight) });
    }
    if (flight.mode === "soft") emit(onEvent, { type: "refresh_failed", code: failed.code, status: failed.status, retryInMs });
    return failed;
  }

  /** How long `flight` has been in the air, for the event that ends it (0 when the monotonic clock throws: the next caller hears that). */
  function airborneMs(flight: Flight): number {
    try {
      return monotonic() - flight.startedAt;
    } catch {
      return 0;
    }
  }

  /** Not async: a warm call returns the cached token's resolved promise, the cheapest answer there is. */
  function getToken(options?: GetTokenOptions): Promise<AccessToken> {
    try {
      const warm = state.current;
      if (options === undefined && warm !== undefined) {
        // Every API call's path, the rules `isUsable` and `refreshDue` written out: one clock reading.
        const now = monotonic();
        if (now < warm.usableUntil) {
          if (now >= warm.refreshAt && mayRefresh(state, now)) startFlight("soft", now);
          return warm.resolved;
        }
      }
      const { forceRefresh, minTtlMs, signal } = resolveGetTokenOptions(options);
      if (signal?.aborted) throw abortedError();
      const now = monotonic();
      const cached = state.current;
      if (!forceRefresh && cached !== undefined && serves(cached, minTtlMs, now)) {
        if (refreshDue(cached, now) && mayRefresh(state, now)) startFlight("soft", now);
        return cached.resolved;
      }
      const waitMs = coolingDownMs(state, now);
      if (waitMs > 0) throw coolingDown(state.lastFailure!, waitMs);
      // A plain caller takes whatever the current flight brings: every flight's token is usable
      // right now (it is fresh, or the store's was checked), so one shared promise serves them all.
      if (!forceRefresh && minTtlMs === 0 && !signal) return (state.flight ?? startFlight("cold", now)).token;
      return fetchToken(forceRefresh, minTtlMs, signal, now);
    } catch (error) {
      return Promise.reject(failure(error));
    }
  }

  /** The cold path of `getToken()` for a call with a signal, `forceRefresh` or `minTtlMs`. */
  async function fetchToken(forceRefresh: boolean, minTtlMs: number, signal: AbortSignal | undefined, now: number): Promise<AccessToken> {
    try {
      const shared = !forceRefresh && minTtlMs === 0 ? (state.flight ?? startFlight("cold", now)).token : obtain(forceRefresh, minTtlMs, now);
      const followed = follow(signal);
      try {
        return await waitFor(shared, followed.signal);
      } finally {
        followed.release();
      }
    } catch (error) {
      throw failure(error);
    }
  }

  /** Waits for a flight, taking off another when what it brings does not serve `minTtlMs`. */
  async function obtain(forceRefresh: boolean, minTtlMs: number, now: number): Promise<AccessToken> {
    let force = forceRefresh;
    for (let at = now; ; at = monotonic()) {
      const joined = state.flight && (!force || state.flight.mode === "force") ? state.flight : startFlight(force ? "force" : "cold", at);
      const arrived = await joined.landed;
      if (arrived.fresh || serves(arrived, minTtlMs, monotonic())) return arrived.token;
      force = true; // a stored token that does not last long enough: the next flight requests one (and it is fresh)
    }
  }

  async function invalidate(accessToken: string): Promise<void> {
    if (typeof accessToken !== "string") {
      throw new CellsAuthError("invalid_config", "invalidate() takes the rejected access token string.");
    }
    const cached = state.current;
    if (cached?.token.accessToken !== accessToken) return;
    const now = monotonic();
    // A token rejected soon after the last one was dropped is not an expired token (the API
    // rejects every token, or this client id): keep it until the hold ends, one refresh per backoff.
    if (holdsRejected(state, now)) return;
    if (now - cached.arrivedAt > settings.retry.maxDelayMs) rejections.reset();
    rejections.fail(now);
    state.current = undefined;
    state.revoked = accessToken;
    emit(onEvent, { type: "token_invalidated", fingerprint: fingerprint(accessToken) });
    await acquisition.forget?.(accessToken);
  }

  return Object.freeze({
    getToken,
    async getAuthorizationHeader(options?: GetTokenOptions) {
      return `Bearer ${(await getToken(options)).accessToken}`;
    },
    invalidate: (accessToken: string) => invalidate(accessToken).catch((error: unknown) => Promise.reject(failure(error))),
    baseUrl: settings.baseUrl,
    toJSON: () => ({ ...summary }),
    [INSPECT]: () => `${name} ${JSON.stringify(summary)}`,
  });
}
