import { CellsAuthError } from "../errors.js";
import { duration, readOptions } from "../util/checks.js";
import type { RedisTokenStoreError } from "./errors.js";
import { checkClient, type ClientTarget } from "./clients.js";

/**
 * The part of a node-redis client (`createClient()` of the `redis` package, v6) the store uses:
 * one Redis server.
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

/**
 * The part of a node-redis cluster client (`createCluster()` of the `redis` package, v6) the
 * store uses. Each command goes to the master of its key's slot (never a replica, whatever
 * `useReplicas` says), and the store's keys for one client id share a slot (a hash tag).
 */
export interface RedisClusterLike {
  /** `connect()` was called and `close()`/`destroy()` were not. */
  readonly isOpen: boolean;
  /** Connected to the cluster and ready for commands. */
  readonly isReady: boolean;
  /** Sends `args` to the node that serves `firstKey`'s slot (a replica only when `isReadonly`, which the store never sets). */
  sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: string[]): Promise<unknown>;
  /** Marks a cluster client (with `getSlotRandomNode`). */
  nodeClient(node: never): Promise<unknown>;
  /** Marks a cluster client (with `nodeClient`). */
  getSlotRandomNode(slot: number): unknown;
}

/**
 * The part of a node-redis Sentinel client (`createSentinel()` of the `redis` package, v6) the
 * store uses. Every command goes to the master the sentinels name (never a replica).
 */
export interface RedisSentinelLike {
  /** `connect()` was called and `close()`/`destroy()` were not. */
  readonly isOpen: boolean;
  /** Connected to the master and ready for commands. */
  readonly isReady: boolean;
  /** Sends `args` to the master (to a replica only when `isReadonly`, which the store never sets). */
  sendCommand(isReadonly: boolean | undefined, args: string[]): Promise<unknown>;
  /** Marks a Sentinel client (with `acquire`). */
  getMasterNode(): unknown;
  /** Marks a Sentinel client (with `getMasterNode`). */
  acquire(): Promise<unknown>;
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
   * A node-redis client you created and connected (`await client.connect()`): `createClient()`
   * for one server, `createCluster()` for a Redis Cluster, `createSentinel()` for a master
   * watched by Sentinel. You keep owning it (its `error` listener, `close()`). While it is not
   * ready, store calls fail at once; a call it leaves pending (a master that died, until a
   * replica takes over) fails after `commandTimeoutMs`. The store sends its commands raw, with
   * the default reply types: the client's own `keyPrefix` and `typeMapping` do not apply to them
   * (use the store's `keyPrefix`).
   */
  | {
      /** The connected client: a plain one, a cluster client or a Sentinel client. */
      readonly client: RedisClientLike | RedisClusterLike | RedisSentinelLike;
    };

/** Options of `createRedisTokenStore`; every one is optional. */
export interface RedisTokenStoreOptions {
  /** Longest wait for any one Redis call, the first connection included; longer counts as a failure and the token client fetches on its own. @default 500 */
  commandTimeoutMs?: number;
  /**
   * Lifetime of the fetch lease. Its holder renews it while it fetches, so this bounds how long a
   * holder that died blocks the others. At most 60 000 (a minute): a lease key in Redis that
   * claims a longer lease, or expires later than its claim, is no live holder's and is taken over
   * at once. @default 5000
   */
  leaseMs?: number;
  /** Longest time a client waits for the token another process is fetching before it fetches itself. @default 10000 */
  waitMs?: number;
  /** How often a waiting client looks for the shared token, or a free lease (with jitter). @default 50 */
  pollMs?: number;
  /**
   * Put before every key. The keys of one token client are `<keyPrefix>{aspose-cells-cloud-auth:v1:<hash of
   * base URL and client id>}`, and the same with `:issued` and `:lease` after it: the `{…}` hash tag
   * keeps them in one slot of a cluster. @default ""
   */
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

/** Limits of the Redis store's options. */
export const REDIS_STORE_LIMITS = Object.freeze({
  /** The longest `leaseMs`; a lease in Redis that claims more, or lives longer, is taken over at once. */
  maxLeaseMs: 60_000,
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
  if (leaseMs > REDIS_STORE_LIMITS.maxLeaseMs) {
    throw new CellsAuthError("invalid_config", `leaseMs must be milliseconds from 10 to ${REDIS_STORE_LIMITS.maxLeaseMs} (got ${leaseMs}).`);
  }
  return Object.freeze({
    commandTimeoutMs: duration(o.commandTimeoutMs, "commandTimeoutMs", REDIS_STORE_DEFAULTS.commandTimeoutMs, 1),
    leaseMs,
    waitMs: duration(o.waitMs, "waitMs", REDIS_STORE_DEFAULTS.waitMs, 0),
    pollMs: duration(o.pollMs, "pollMs", REDIS_STORE_DEFAULTS.pollMs, 1),
    keyPrefix: (o.keyPrefix as string | undefined) ?? REDIS_STORE_DEFAULTS.keyPrefix,
    onError: o.onError as ResolvedRedisTokenStoreOptions["onError"],
  });
}

/** The first argument of `createRedisTokenStore`, checked: a URL, or a client of a kind the store can use. */
export type CheckedTarget = { readonly url: string } | ClientTarget;

/** Checks the first argument of `createRedisTokenStore`. */
export function checkTarget(target: unknown): CheckedTarget {
  if (typeof target !== "object" || target === null) {
    throw new CellsAuthError("invalid_config", "createRedisTokenStore takes { url } or { client } (one of them).");
  }
  const t = readOptions(target, ["url", "client"], "createRedisTokenStore target");
  if ((t.url === undefined) === (t.client === undefined)) {
    throw new CellsAuthError("invalid_config", "createRedisTokenStore takes { url } or { client } (one of them).");
  }
  if (t.url !== undefined) {
    if (typeof t.url !== "string" || !/^(rediss?|unix):\/\//i.test(t.url)) {
      throw new CellsAuthError("invalid_config", "url must be a redis://, rediss:// or unix:// URL.");
    }
    return { url: t.url };
  }
  return checkClient(t.client);
}
