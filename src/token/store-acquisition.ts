import { DEFAULTS } from "../defaults.js";
import { withDeadline } from "../util/signals.js";
import { request, type Acquisition, type CacheSettings, type Origin } from "./acquisition.js";
import { held, takesShared, takesStored, type CacheState, type FlightPlan, type Held } from "./cache-rules.js";
import { emit, errorMessage } from "./events.js";
import { lifeLeft } from "./lifetime.js";
import { readAccessToken } from "./token-shape.js";
import type { TokenLease, TokenStore } from "../store/token-store.js";

/**
 * The acquisition of a cache with a store (bound to it; its token is under `key`): a token from
 * the store when one there will do; else one request (with a store that has `lease`, once for
 * every process sharing it: the lease holder requests and stores, the others take what it stored),
 * then stored for what is left of its life. Every store call has the time limit `timeoutMs`; a
 * store that fails never fails a flight (a `store_error` event, and the cache requests on its own).
 */
export function storeAcquisition(settings: CacheSettings, store: TokenStore, key: string, origin: Origin): Acquisition {
  const { onEvent, timeoutMs, now: wallClock, monotonicNow: monotonic } = settings;

  /** A store call with the time limit; never rejects: a failure is a `store_error` event and undefined. */
  function storeCall<T>(operation: "get" | "set" | "delete", call: () => Promise<T>): Promise<T | undefined> {
    return withDeadline(call, timeoutMs, `store.${operation}`).catch((error: unknown) => {
      emit(onEvent, { type: "store_error", operation, message: errorMessage(error) });
      return undefined;
    });
  }

  async function release(lease: TokenLease | undefined): Promise<void> {
    try {
      await lease?.release();
    } catch (error) {
      emit(onEvent, { type: "store_error", operation: "release", message: errorMessage(error) });
    }
  }

  /**
   * A token read from the store, with its instants: undefined when malformed, or when it claims
   * more life than its lifetime beyond what host clocks may differ. The only reading of the wall
   * clock: what its `expiresAt` leaves of its life now (never more than its lifetime). A token the
   * cache holds already keeps the instants it got on arrival.
   */
  function fromStore(state: CacheState, value: unknown): Held | undefined {
    const token = readAccessToken(value);
    if (token === undefined) return undefined;
    const current = state.current;
    if (current?.token.accessToken === token.accessToken) return current;
    const wallNow = wallClock();
    const lifetimeMs = token.expiresIn * 1000;
    if (token.expiresAt - wallNow > lifetimeMs + DEFAULTS.maxHostClockSkewMs) return undefined;
    return held(token, monotonic(), lifeLeft(token.expiresAt, wallNow, lifetimeMs), false, settings);
  }

  /** This process's request; the token is stored in the background, then the lease, if held, released. */
  async function requestAndStore(lease: TokenLease | undefined): Promise<Held> {
    let arrived: Held;
    try {
      arrived = await request(settings, origin);
    } catch (error) {
      void release(lease); // the others take over now rather than when the lease expires
      throw error;
    }
    void storeCall("set", async () => {
      const ttlMs = arrived.endsAt - monotonic();
      if (ttlMs > 0) await store.set(key, arrived.token, ttlMs);
    }).then(() => release(lease));
    return arrived;
  }

  async function acquire(state: CacheState, flight: FlightPlan): Promise<Held> {
    if (flight.mode !== "force") {
      const stored = fromStore(state, await storeCall("get", () => store.get(key)));
      if (stored && takesStored(state, stored, flight.mode, monotonic())) return stored;
    }
    if (!store.lease) return requestAndStore(undefined);
    const take = (value: unknown) => {
      const shared = fromStore(state, value);
      return shared !== undefined && takesShared(state, shared, flight, monotonic()) ? shared : undefined;
    };
    const leasing = Promise.resolve().then(() => store.lease!(key, (token) => take(token) !== undefined));
    let outcome: Outcome;
    try {
      outcome = readOutcome(await withDeadline(() => leasing, (store.leaseWaitMs ?? 0) + timeoutMs, "store.lease"));
    } catch (error) {
      // A lease granted after the deadline is given back at once: nobody will request under it.
      leasing.then((late) => release(readOutcome(late).lease)).catch(() => undefined);
      emit(onEvent, { type: "store_error", operation: "lease", message: errorMessage(error) });
      return requestAndStore(undefined);
    }
    const shared = outcome.status === "shared" ? take(outcome.token) : undefined;
    if (shared) {
      emit(onEvent, { type: "store_lease", outcome: "shared" });
      return shared;
    }
    if (outcome.status !== "shared") emit(onEvent, { type: "store_lease", outcome: outcome.lease ? "acquired" : "timeout" });
    return requestAndStore(outcome.lease);
  }

  return {
    acquire,
    async forget(accessToken) {
      // Nothing there, or that token: the store forgets it. A different token there was put by
      // another client sharing the store, and stays.
      const stored = readAccessToken(await storeCall("get", () => store.get(key)));
      if (stored === undefined || stored.accessToken === accessToken) await storeCall("delete", () => store.delete(key));
    },
  };
}

interface Outcome {
  readonly status: unknown;
  /** The lease, when it was acquired. */
  readonly lease?: TokenLease | undefined;
  readonly token?: unknown;
}

/** What a store's `lease()` resolved to, read once (a store is outside code): an `acquired` without a lease object is no lease. */
function readOutcome(result: unknown): Outcome {
  const { status, lease, token } = (typeof result === "object" && result !== null ? result : {}) as Record<string, unknown>;
  const acquired = status === "acquired" && typeof lease === "object" && lease !== null;
  return { status, token, lease: acquired ? (lease as TokenLease) : undefined };
}
