import type { AccessToken } from "../token/token-shape.js";

/**
 * Where a token client keeps its token between calls. Async so a shared store (Redis, a KV)
 * can replace the in-memory one without changing the client. Keys never contain a secret.
 * A store that fails never fails token acquisition: the client reports a `store_error` event
 * and fetches on its own.
 *
 * Two optional methods let a shared store do more: `bind` (encrypt tokens at rest with a key
 * only the client's credentials give) and `lease` (one token request for every process that
 * shares the store).
 */
export interface TokenStore {
  /**
   * The token under `key`, or undefined. An expired token may be returned; the client checks.
   *
   * The client reads a token's `expiresAt` once, when the token arrives, to learn how much of its
   * life is left (never more than its lifetime), and from then on counts that life on its monotonic
   * clock. So a store shared by hosts should hand `expiresAt` back on the reader's clock, not the
   * writer's: for example this host's `Date.now()` plus the key's remaining TTL. A host whose clock
   * is ahead or behind then neither serves an expired token nor drops a valid one.
   */
  get(key: string): Promise<AccessToken | undefined>;
  /** Keeps `token` under `key` for `ttlMs` milliseconds: what is left of its life when it is stored. */
  set(key: string, token: AccessToken, ttlMs: number): Promise<void>;
  /** Forgets `key`. */
  delete(key: string): Promise<void>;
  /**
   * Optional. Called once by each token client given this store, when it is created; the client
   * then uses the returned store only. The binding gives a key derived from that client's secret,
   * so a shared store can keep tokens encrypted without ever seeing the secret.
   */
  bind?(binding: TokenStoreBinding): TokenStore;
  /**
   * Optional: cross-process single-flight. Called when the client is about to request a token.
   * Resolves `acquired` when this client is to fetch for everyone (it then calls `set`, then
   * `lease.release()`); `shared` with a token that another holder stored meanwhile and that
   * `accept` takes; `timeout` when the store's bounded wait ran out (the client then fetches on
   * its own). A lease expires by itself, so a holder that dies blocks the others only briefly.
   * Rejecting means the store is unavailable: the client fetches on its own.
   */
  lease?(key: string, accept: (token: AccessToken) => boolean): Promise<LeaseResult>;
  /**
   * Optional, with `lease`: the longest `lease()` may wait for another holder, in milliseconds. The
   * client gives a lease that long plus its `timeoutMs` before it gives up on the store (a
   * `store_error` event) and fetches on its own. @default 0 (a lease gets `timeoutMs`)
   */
  readonly leaseWaitMs?: number;
}

/** What `TokenStore.lease` resolves to. */
export type LeaseResult =
  | {
      /** This client fetches the token for everyone. */
      readonly status: "acquired";
      /** Release it once the token is stored (or the request failed). */
      readonly lease: TokenLease;
    }
  | {
      /** Another holder stored a token meanwhile. */
      readonly status: "shared";
      /** That token, accepted by `accept`. */
      readonly token: AccessToken;
    }
  | {
      /** The wait ran out: this client fetches on its own. */
      readonly status: "timeout";
    };

/** A client's right to request the token for every process sharing a store. */
export interface TokenLease {
  /** Gives the lease up if it is still this holder's (after the token is stored, or the request failed). */
  release(): Promise<void>;
}

/** What a token client hands to `TokenStore.bind`. */
export interface TokenStoreBinding {
  /**
   * The AES-256-GCM key for this client's tokens (`CryptoKey`, not extractable), derived on first
   * call with HKDF-SHA-256 from the client secret, the storage key as HKDF info: a store can encrypt
   * at rest without ever reading the secret. Needs WebCrypto; rejects where there is none.
   */
  encryptionKey(): Promise<CryptoKey>;
  /**
   * The client's wall clock (its `now` option). A shared store hands tokens back with an
   * `expiresAt` on this clock, worked out from what it knows on its own clock (a TTL, an issue
   * time on the server's clock), never from another host's `expiresAt`.
   */
  readonly now: () => number;
}

/**
 * A `TokenStore` in this process's memory, for token clients of one process to share a token (a
 * client given no store keeps its token itself). `now` is the clock of its TTLs.
 */
export function createMemoryTokenStore(now: () => number = Date.now): TokenStore {
  const entries = new Map<string, { token: AccessToken; until: number }>();
  return {
    async get(key) {
      const entry = entries.get(key);
      if (entry && now() < entry.until) return entry.token;
      entries.delete(key);
      return undefined;
    },
    async set(key, token, ttlMs) {
      entries.set(key, { token, until: now() + ttlMs });
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}
