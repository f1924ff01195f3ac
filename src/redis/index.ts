/**
 * `aspose-cells-cloud-auth/redis`: a shared token store in Redis, for fleets of processes
 * (Node only; needs the `redis` package, node-redis v6): one Redis server, a Redis Cluster or a
 * master watched by Sentinel.
 * @module
 */
export { createRedisTokenStore } from "./store.js";
export type { RedisTokenStore } from "./store.js";
export { RedisTokenStoreError, isRedisTokenStoreError } from "./errors.js";
export type { RedisTokenStoreErrorCode } from "./errors.js";
export type { RedisClientLike, RedisClusterLike, RedisSentinelLike, RedisTarget, RedisTokenStoreOptions } from "./options.js";
