import type { AccessToken } from "./access-token.js";

/**
 * Where a token client keeps its token between calls. Async so a shared store (Redis, a KV)
 * can replace the in-memory one without changing the client. Keys never contain a secret.
 * A store that fails never fails token acquisition: the client reports a `store_error` event
 * and fetches on its own.
 */
export interface TokenStore {
  /** The token under `key`, or undefined. An expired token may be returned; the client checks. */
  get(key: string): Promise<AccessToken | undefined>;
  /** Keeps `token` under `key` for `ttlMs` milliseconds. */
  set(key: string, token: AccessToken, ttlMs: number): Promise<void>;
  /** Forgets `key`. */
  delete(key: string): Promise<void>;
}

/** A `TokenStore` in this process's memory: the default, one per client. */
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
