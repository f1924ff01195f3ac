import { CellsAuthError } from "../errors.js";
import { duration, readOptions } from "../options.js";
import type { RedisTokenStoreError } from "./errors.js";

/**
 * The part of a node-redis client (`createClient()` of the `redis` package, v6) the store uses.
 * Any connected node-redis client fits; a cluster client does not.
 */
export interface RedisClientLike {
  /** `connect()` was called and `close()`/`destroy()` were not. */
  readonly isOpen: boolean;
  /** Connected and ready for commands. */
  readonly isReady: boolean;
  /** Sends one command (`["SET", key, value, ...]`) and resolves with Redis's answer. */
  sendCommand(args: readonly string[]): Promise<unknown>;
  /** Listens for the next `ready`, `error` or `end` of the connection. */
  once(event: "ready" | "error" | "end", listener: (...args: unknown[]) => void): unknown;
  /** Stops listening. */
  off(event: "ready" | "error" | "end", listener: (...args: unknown[]) => void): unknown;
}

/** Where the store's Redis is. */
export type RedisTarget =
  /**
   * A Redis URL (`redis://[[user]:password@]host[:port][/db]`, `rediss://` for TLS). The store
   * creates its own client: commands fail at once while it is disconnected (`disableOfflineQueue`),
   * and it reconnects by itself (every 50 ms, doubling, at most 1 s apart). `close()` closes it.
   */
  | {
      /** The Redis URL; it may hold a password, and is never put in an error. */
      readonly url: string;
    }
  /**
   * A node-redis client you created and connected (`await client.connect()`); you keep owning it
   * (its `error` listener, `close()`). While it is not ready, store calls fail at once.
   */
  | {
      /** The connected client. */
      readonly client: RedisClientLike;
    };

/** Options of `createRedisTokenStore`; every one is optional. */
export interface RedisTokenStoreOptions {
  /** Longest wait for any one Redis call, the first connection included; longer counts as a failure and the token client fetches on its own. @default 500 */
  commandTimeoutMs?: number;
  /** Lifetime of the fetch lease. Its holder renews it while it fetches, so this bounds how long a holder that died blocks the others. @default 5000 */
  leaseMs?: number;
  /** Longest time a client waits for the token another process is fetching before it fetches itself. @default 10000 */
  waitMs?: number;
  /** How often a waiting client looks for the shared token, or a free lease (with jitter). @default 50 */
  pollMs?: number;
  /** Put before every key. (The token client's key is namespaced already: `aspose-cells-cloud-auth:v1:<hash of base URL and client id>`.) @default "" */
  keyPrefix?: string;
  /**
   * Told about Redis failures: connection errors of a client the store created, and calls that
   * failed or timed out. None of them fails token acquisition. Exceptions it throws are ignored.
   * @default undefined (ignored: the token client still reports `store_error` events)
   */
  onError?: (error: RedisTokenStoreError) => void;
}

export interface ResolvedRedisTokenStoreOptions {
  readonly commandTimeoutMs: number;
  readonly leaseMs: number;
  readonly waitMs: number;
  readonly pollMs: number;
  readonly keyPrefix: string;
  readonly onError: ((error: RedisTokenStoreError) => void) | undefined;
}

/** Every default of the Redis store, in one place. */
export const REDIS_STORE_DEFAULTS = Object.freeze({
  commandTimeoutMs: 500,
  leaseMs: 5_000,
  waitMs: 10_000,
  pollMs: 50,
  keyPrefix: "",
  /** Reconnect delays of a client the store creates: 50 ms, doubling, at most this. */
  maxReconnectDelayMs: 1_000,
} as const);

/** Applies the defaults and checks every value; throws a `CellsAuthError` (`invalid_config`). */
export function resolveRedisTokenStoreOptions(options: RedisTokenStoreOptions | undefined): ResolvedRedisTokenStoreOptions {
  const o = readOptions(options, ["commandTimeoutMs", "leaseMs", "waitMs", "pollMs", "keyPrefix", "onError"], "createRedisTokenStore options");
  if (o.keyPrefix !== undefined && typeof o.keyPrefix !== "string") {
    throw new CellsAuthError("invalid_config", `keyPrefix must be a string (got ${typeof o.keyPrefix}).`);
  }
  if (o.onError !== undefined && typeof o.onError !== "function") {
    throw new CellsAuthError("invalid_config", `onError must be a function (got ${typeof o.onError}).`);
  }
  const leaseMs = duration(o.leaseMs, "leaseMs", REDIS_STORE_DEFAULTS.leaseMs, 10);
  return Object.freeze({
    commandTimeoutMs: duration(o.commandTimeoutMs, "commandTimeoutMs", REDIS_STORE_DEFAULTS.commandTimeoutMs, 1),
    leaseMs,
    waitMs: duration(o.waitMs, "waitMs", REDIS_STORE_DEFAULTS.waitMs, 0),
    pollMs: duration(o.pollMs, "pollMs", REDIS_STORE_DEFAULTS.pollMs, 1),
    keyPrefix: (o.keyPrefix as string | undefined) ?? REDIS_STORE_DEFAULTS.keyPrefix,
    onError: o.onError as ResolvedRedisTokenStoreOptions["onError"],
  });
}

/** Checks the first argument of `createRedisTokenStore`. */
export function checkTarget(target: unknown): RedisTarget {
  if (typeof target !== "object" || target === null) {
    throw new CellsAuthError("invalid_config", "createRedisTokenStore takes { url } or { client } (one of them).");
  }
  const t = readOptions(target, ["url", "client"], "createRedisTokenStore target");
  if ((t.url === undefined) === (t.client === undefined)) {
    throw new CellsAuthError("invalid_config", "createRedisTokenStore takes { url } or { client } (one of them).");
  }
  if (t.url !== undefined && (typeof t.url !== "string" || !/^(rediss?|unix):\/\//i.test(t.url))) {
    throw new CellsAuthError("invalid_config", "url must be a redis://, rediss:// or unix:// URL.");
  }
  if (t.client !== undefined && !isClientLike(t.client)) {
    throw new CellsAuthError("invalid_config", "client must be a node-redis client (createClient() of the redis package).");
  }
  return (t.url !== undefined ? { url: t.url } : { client: t.client }) as RedisTarget;
}

function isClientLike(value: unknown): value is RedisClientLike {
  const c = value as Partial<RedisClientLike> | null;
  try {
    return typeof c === "object" && c !== null && typeof c.sendCommand === "function" && typeof c.once === "function" &&
      typeof c.off === "function" && typeof c.isReady === "boolean";
  } catch {
    return false;
  }
}

