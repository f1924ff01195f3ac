import { DEFAULTS } from "../defaults.js";
import { CellsAuthError, coolingDown, isCellsAuthError, toCellsAuthError } from "../errors.js";
import { readAccessToken, type AccessToken } from "./access-token.js";
import { refreshRetryDelay } from "./backoff.js";
import { emit, errorMessage } from "./events.js";
import { fingerprint } from "../util/fingerprint.js";
import { abortSignal, duration, optional, readOptions, resolveTokenClientOptions, type ResolvedTokenClientOptions, type TokenClientOptions } from "../options.js";
import { requestToken } from "./post-access-token.js";
import { fetchOnce } from "../store/shared-fetch.js";
import { abortedError, follow, waitFor, withDeadline } from "../util/signals.js";
import { encryptionKey } from "../store/encryption-key.js";
import { createMemoryTokenStore, type TokenStore } from "../store/token-store.js";

/** Options of one `getToken()` or `getAuthorizationHeader()` call; every one is optional. */
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

/** A cached, shared source of access tokens for one client id. */
export interface TokenClient {
  /** A valid token: cached, refreshed in the background before expiry, one request for all concurrent callers. */
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

interface Cached {
  readonly token: AccessToken;
  /** Not served from this instant on (expiry minus skew). */
  readonly usableUntil: number;
  /** A background refresh starts from this instant on (expiry minus refresh window and jitter). */
  readonly refreshAt: number;
  /**
   * The largest `minTtlMs` this token honours: what is left of its usable life when this client
   * took it fresh (or, for a stored token, when it was issued), minus the refresh window (at least
   * a second). So a token taken fresh serves any `minTtlMs` for a refresh window at least.
   */
  readonly minTtlCapMs: number;
  /** When this client took it, on the monotonic clock. */
  readonly takenAt: number;
}

/** The cached token, and a promise already resolved with it: what a warm `getToken()` returns, allocating nothing. */
interface Current extends Cached {
  readonly resolved: Promise<AccessToken>;
}

/** Why a token request is made: no usable token (cold), a background refresh (soft), or `forceRefresh` (force). */
type FlightMode = "cold" | "soft" | "force";

interface Flight {
  readonly mode: FlightMode;
  readonly promise: Promise<{ token: AccessToken; fresh: boolean }>;
  /** The flight's token, one promise shared by every plain caller (marked handled: a soft flight may have none). */
  readonly token: Promise<AccessToken>;
}

/**
 * A wait before the next attempt of something that failed: `count` failures in a row, and from
 * when until when (monotonic clock) no new attempt is made.
 */
interface Backoff {
  count: number;
  from: number;
  until: number;
}

/** What is left of a wait at `now`; none if the clock went back past its start (a broken clock must not lock the client out). */
function waitLeft(state: Backoff, now: number): number {
  return now < state.from ? 0 : Math.max(0, state.until - now);
}

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * Creates a token client. Options are checked now: a missing credential, a malformed or an
 * insecure URL throws a `CellsAuthError` at once.
 */
export function createTokenClient(options?: TokenClientOptions): TokenClient {
  const config = resolveTokenClientOptions(options);
  const storeKey = `aspose-cells-cloud-auth:v1:${fingerprint(`${config.baseUrl}\n${config.clientId}`)}`;
  const store = bindStore(config, storeKey);
  const monotonic = config.monotonicNow;
  const wallClock = config.now;

  let current: Current | undefined;
  let flight: Flight | undefined;
  let revoked: string | undefined;
  /** After a failed flight: no new token request before `cooldown.until`; callers get `lastFailure`. */
  const cooldown: Backoff = { count: 0, from: 0, until: Number.NEGATIVE_INFINITY };
  let lastFailure: CellsAuthError | undefined;
  /** After a token was dropped for a 401: a newer token rejected before `rejections.until` is kept. */
  const rejections: Backoff = { count: 0, from: 0, until: Number.NEGATIVE_INFINITY };

  /** Starts a wait after one more failure in a row, at most `retry.maxDelayMs` long (a server's longer Retry-After included). */
  function backOff(state: Backoff, serverAskedMs = 0): number {
    state.count += 1;
    const waitMs = Math.min(config.retry.maxDelayMs, Math.max(refreshRetryDelay(state.count, config.retry), serverAskedMs));
    state.from = monotonic();
    state.until = state.from + waitMs;
    return waitMs;
  }

  /** `token` with its instants; `fresh` when this client just obtained it (its life is counted from now, not from issue). */
  function describe(token: AccessToken, fresh = false): Cached {
    const lifetimeMs = token.expiresIn * 1000;
    const skew = Math.min(config.expirySkewMs, lifetimeMs / 10);
    const window = Math.min(config.refreshWindowMs, lifetimeMs / 2);
    const jitter = window * DEFAULTS.refreshJitterRatio * Math.random();
    const usableUntil = token.expiresAt - skew;
    const since = fresh ? config.now() : token.expiresAt - lifetimeMs;
    return {
      token,
      usableUntil,
      refreshAt: token.expiresAt - window - jitter,
      minTtlCapMs: Math.max(0, usableUntil - since - Math.max(window, 1_000)),
      takenAt: monotonic(),
    };
  }

  /** Does `cached` stay usable `minTtlMs` from `now` (with `minTtlMs` capped by what its lifetime can give)? */
  function serves(cached: Cached, minTtlMs: number, now: number): boolean {
    return now < cached.usableUntil - Math.min(minTtlMs, cached.minTtlCapMs);
  }

  /**
   * Makes `token` the cached one: always when this client just obtained it (even if the server
   * now grants shorter lifetimes), and a token read from the store only when it expires later.
   */
  function adopt(token: AccessToken, fresh: boolean): void {
    if (fresh || !current || token.expiresAt >= current.token.expiresAt) current = { ...describe(token, fresh), resolved: Promise.resolve(token) };
  }

  /** A store call with the attempt time limit; never rejects: a failure is a `store_error` event and undefined. */
  function storeCall<T>(operation: "get" | "set" | "delete", call: () => Promise<T>): Promise<T | undefined> {
    return withDeadline(call, config.timeoutMs, `store.${operation}`).catch((error: unknown) => {
      emit(config.onEvent, { type: "store_error", operation, message: errorMessage(error) });
      return undefined;
    });
  }

  async function readStore(): Promise<AccessToken | undefined> {
    const stored = readAccessToken(await storeCall("get", () => store.get(storeKey)));
    return stored && stored.accessToken !== revoked ? stored : undefined;
  }

  /** Never rejects: a failure is a `store_error` event. */
  async function writeStore(token: AccessToken): Promise<void> {
    await storeCall("set", async () => {
      const ttlMs = token.expiresAt - config.now();
      if (ttlMs > 0) await store.set(storeKey, token, ttlMs);
    });
  }

  /** Is a token from the store worth taking instead of fetching one? */
  function acceptStored(stored: AccessToken, mode: FlightMode): boolean {
    const candidate = describe(stored);
    const now = config.now();
    if (now >= candidate.usableUntil) return false;
    // It cannot have more life left than its whole lifetime (beyond clock differences between hosts).
    if (stored.expiresAt - now > stored.expiresIn * 1000 + DEFAULTS.maxHostClockSkewMs) return false;
    if (mode === "soft") return stored.expiresAt > (current?.token.expiresAt ?? 0) && now < candidate.refreshAt;
    return true;
  }

  /** Is a token that another process stored while this flight waited worth taking? A forced flight takes only one requested after it began. */
  function acceptShared(token: AccessToken, mode: FlightMode, flightStartedAt: number): boolean {
    if (token.accessToken === revoked || !acceptStored(token, mode)) return false;
    return mode !== "force" || token.expiresAt - token.expiresIn * 1000 >= flightStartedAt - 1;
  }

  function startFlight(mode: FlightMode): Flight {
    const promise = (async () => {
      if (mode !== "force") {
        const stored = await readStore();
        if (stored && acceptStored(stored, mode)) {
          adopt(stored, false);
          return { token: stored, fresh: false };
        }
      }
      const startedAt = config.now();
      const token = await fetchOnce({
        store,
        key: storeKey,
        onEvent: config.onEvent,
        deadlineMs: (store.leaseWaitMs ?? 0) + config.timeoutMs,
        accept: (shared) => acceptShared(shared, mode, startedAt),
        request: () => requestToken(config, undefined),
        save: writeStore,
      });
      adopt(token, true);
      endCooldown();
      return { token, fresh: true };
    })();
    // The one promise every plain caller gets: it rejects with a CellsAuthError only.
    const token = promise.then((result) => result.token, (error: unknown) => Promise.reject(toCellsAuthError(error)));
    const started: Flight = { mode, promise, token };
    flight = started;
    // Registered before any caller's handler, so a caller arriving after the failure sees it.
    promise.then(
      () => {
        if (flight === started) flight = undefined;
      },
      (error: unknown) => {
        if (flight === started) flight = undefined;
        const retryInMs = startCooldown(error);
        const { code, status } = lastFailure!;
        if (mode === "soft") emit(config.onEvent, { type: "refresh_failed", code, status, retryInMs });
      },
    );
    started.token.catch(() => undefined); // a soft flight may have no caller to hear its failure
    return started;
  }

  /**
   * After a failed flight, no token request before a backoff (growing with failures in a row,
   * equal jitter) or the server's Retry-After, whichever is longer, but never longer than
   * `retry.maxDelayMs`: a failing or rate-limited token endpoint gets one request per backoff,
   * not one per caller, and one response cannot lock the client out for long.
   */
  function startCooldown(error: unknown): number {
    lastFailure = toCellsAuthError(error);
    try {
      return backOff(cooldown, lastFailure.retryAfterMs);
    } catch {
      // A monotonic clock that throws: the next caller hears it from getToken().
      return 0;
    }
  }

  function endCooldown(): void {
    cooldown.count = 0;
    cooldown.until = Number.NEGATIVE_INFINITY;
    lastFailure = undefined;
  }

  /** The slow path: wait for a shared flight, fetching when what it brings is not good enough. */
  async function obtain(forceRefresh: boolean, minTtlMs: number): Promise<AccessToken> {
    let force = forceRefresh;
    for (;;) {
      const joined = flight && (!force || flight.mode === "force") ? flight : startFlight(force ? "force" : "cold");
      const { token, fresh } = await joined.promise;
      if (fresh || serves(describe(token), minTtlMs, config.now())) return token;
      force = true; // a stored token that does not last long enough: the next flight fetches (and is fresh)
    }
  }

  /** Not async: a warm call returns the cached token's resolved promise, the cheapest answer there is. */
  function getToken(options?: GetTokenOptions): Promise<AccessToken> {
    try {
      const warm = current;
      if (options === undefined && warm) {
        // The hot path, written out: a plain call on a token that is still usable.
        const now = wallClock();
        if (now < warm.usableUntil) {
          if (now >= warm.refreshAt) refreshSoon();
          return warm.resolved;
        }
      }
      const { forceRefresh, minTtlMs, signal } = checkGetTokenOptions(options);
      if (signal?.aborted) throw abortedError();
      const cached = current;
      if (!forceRefresh && cached) {
        const now = config.now();
        if (serves(cached, minTtlMs, now)) {
          if (now >= cached.refreshAt) refreshSoon();
          return cached.resolved;
        }
      }
      if (!flight && lastFailure) {
        const waitMs = waitLeft(cooldown, monotonic());
        if (waitMs > 0) throw coolingDown(lastFailure, waitMs);
      }
      // A plain caller takes whatever the current flight brings: every flight's token is usable
      // right now (it is fresh, or the store's was checked), so one shared promise serves them all.
      if (!forceRefresh && minTtlMs === 0 && !signal) return (flight ?? startFlight("cold")).token;
      return fetchToken(forceRefresh, minTtlMs, signal);
    } catch (error) {
      return Promise.reject(toCellsAuthError(error));
    }
  }

  /** Inside the refresh window: a background refresh, unless one is under way or failures wait. */
  function refreshSoon(): void {
    if (!flight && waitLeft(cooldown, monotonic()) === 0) startFlight("soft");
  }

  /** The cold path of `getToken()` for a call with a signal, `forceRefresh` or `minTtlMs`. */
  async function fetchToken(forceRefresh: boolean, minTtlMs: number, signal: AbortSignal | undefined): Promise<AccessToken> {
    try {
      const shared = !forceRefresh && minTtlMs === 0 ? (flight ?? startFlight("cold")).token : obtain(forceRefresh, minTtlMs);
      const followed = follow(signal);
      try {
        return await waitFor(shared, followed.signal);
      } finally {
        followed.release();
      }
    } catch (error) {
      throw toCellsAuthError(error);
    }
  }

  async function invalidate(accessToken: string): Promise<void> {
    if (typeof accessToken !== "string") {
      throw new CellsAuthError("invalid_config", "invalidate() takes the rejected access token string.");
    }
    const cached = current;
    if (cached?.token.accessToken !== accessToken) return;
    const now = monotonic();
    // A token rejected soon after the last one was dropped is not an expired token (the API
    // rejects every token, or this client id): keep it until the hold ends, one refresh per backoff.
    if (waitLeft(rejections, now) > 0) return;
    if (now - cached.takenAt > config.retry.maxDelayMs) rejections.count = 0;
    backOff(rejections);
    current = undefined;
    revoked = accessToken;
    emit(config.onEvent, { type: "token_invalidated", fingerprint: fingerprint(accessToken) });
    // readStore() hides the revoked token: undefined means the store holds nothing, or that token.
    // A different token there was put by another client sharing the store, and stays.
    if ((await readStore()) === undefined) await storeCall("delete", () => store.delete(storeKey));
  }

  const summary = () => ({ baseUrl: config.baseUrl, clientId: config.clientId });
  return Object.freeze({
    getToken,
    async getAuthorizationHeader(options?: GetTokenOptions) {
      return `Bearer ${(await getToken(options)).accessToken}`;
    },
    invalidate: (accessToken: string) => invalidate(accessToken).catch((error: unknown) => Promise.reject(toCellsAuthError(error))),
    baseUrl: config.baseUrl,
    toJSON: summary,
    [INSPECT]: () => `TokenClient ${JSON.stringify(summary())}`,
  });
}

const PLAIN_CALL = Object.freeze({ forceRefresh: false, minTtlMs: 0, signal: undefined });

/**
 * The options of one `getToken()` call. Called for every API request of an authenticated client
 * (each passes its signal), so the common shapes are checked without allocating: a platform
 * `AbortSignal` is taken as it is, only an option that is given is checked.
 */
function checkGetTokenOptions(options: unknown): { forceRefresh: boolean; minTtlMs: number; signal: AbortSignal | undefined } {
  if (options === undefined || options === null) return PLAIN_CALL;
  const { forceRefresh, minTtlMs, signal } = readOptions(options, GET_TOKEN_KEYS, "getToken() options");
  return {
    forceRefresh: forceRefresh === undefined ? false : optional<boolean>(forceRefresh, "boolean", "forceRefresh")!,
    minTtlMs: minTtlMs === undefined ? 0 : duration(minTtlMs, "minTtlMs", 0, 0),
    signal: signal === undefined || (typeof AbortSignal === "function" && signal instanceof AbortSignal) ? (signal as AbortSignal | undefined) : abortSignal(signal),
  };
}

const GET_TOKEN_KEYS = ["forceRefresh", "minTtlMs", "signal"] as const;

/**
 * The store this client uses: the given one, bound to this client (a key derived from its secret,
 * for encryption at rest) when the store asks for it, or a new in-memory store. Its methods are
 * read once, here: a store is outside code, and a getter that throws later must not reach callers.
 */
function bindStore(config: ResolvedTokenClientOptions, storeKey: string): TokenStore {
  const store: unknown = config.store;
  if (store === undefined) return createMemoryTokenStore(config.now);
  const methods = (value: unknown) => (typeof value === "object" && value !== null ? value : {}) as Partial<TokenStore>;
  let view: unknown = store;
  try {
    const { bind } = methods(store);
    if (typeof bind === "function") view = bind.call(store, { encryptionKey: encryptionKey(config.clientSecret, storeKey) });
  } catch (error) {
    throw new CellsAuthError("invalid_config", `store.bind() failed: ${errorMessage(error)}`);
  }
  try {
    const { get, set, delete: remove, lease, leaseWaitMs } = methods(view);
    if (typeof get === "function" && typeof set === "function" && typeof remove === "function" && (lease === undefined || typeof lease === "function")) {
      return Object.freeze({
        get: get.bind(view),
        set: set.bind(view),
        delete: remove.bind(view),
        ...(lease ? { lease: lease.bind(view), leaseWaitMs: duration(leaseWaitMs, "store.leaseWaitMs", 0, 0) } : {}),
      });
    }
  } catch (error) {
    if (isCellsAuthError(error)) throw error;
  }
  throw new CellsAuthError("invalid_config", "store (and what its bind() returns) must have get, set and delete methods, and lease, if any, a method.");
}
