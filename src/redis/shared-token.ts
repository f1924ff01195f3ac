import { readAccessToken, type AccessToken } from "../token/token-shape.js";
import type { TokenCipher } from "./cipher.js";
import type { RedisConnection } from "./connection.js";

/**
 * The Redis keys of one token client id. The hash tag (`{…}`) puts them in one slot, so on a
 * cluster they live on one master and a script may use them together.
 */
export interface TokenKeys {
  /** The sealed token. */
  readonly token: string;
  /** The issue time of the newest token written (or just past one deleted): an older one put back is refused. */
  readonly issued: string;
  /** The fetch lease. */
  readonly lease: string;
}

/** The keys of the token client whose key is `storageKey`, behind the store's `keyPrefix`. */
export function tokenKeys(keyPrefix: string, storageKey: string): TokenKeys {
  const base = `${keyPrefix}{${storageKey}}`;
  return { token: base, issued: `${base}:issued`, lease: `${base}:lease` };
}

/** Redis's clock, on the node that holds the key. */
const TIME = `return redis.call("time")`;
/** The sealed token, the newest issue time, and Redis's clock. */
const READ = `local now = redis.call("time")
return {redis.call("get", KEYS[1]) or "", redis.call("get", KEYS[2]) or "", now[1], now[2]}`;
/**
 * Stores a token issued at ARGV[2] (Redis's clock) for what is left of its lifetime ARGV[3],
 * unless a newer one is there already (a slower writer must not put an older token back). An
 * issue time in the future is no real one: it does not hold a write back.
 */
const WRITE = `local now = redis.call("time")
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local issued = tonumber(ARGV[2])
local newest = tonumber(redis.call("get", KEYS[2]) or "")
if newest and newest > issued and newest <= nowMs then return 0 end
local ttl = issued + tonumber(ARGV[3]) - nowMs
if ttl <= 0 then return 0 end
redis.call("set", KEYS[1], ARGV[1], "PX", ttl)
redis.call("set", KEYS[2], ARGV[2], "PX", ttl)
return 1`;
/** Deletes the token, and marks everything issued up to it as replaced while it would have lived. */
const REMOVE = `local sealed = redis.call("get", KEYS[1])
local issued = sealed and tonumber(string.match(sealed, "^(%d+)%."))
local ttl = redis.call("pttl", KEYS[1])
redis.call("del", KEYS[1])
if issued and ttl > 0 then redis.call("set", KEYS[2], string.format("%d", issued + 1), "PX", ttl) end
return 1`;

/** What reading and writing one token client's shared token needs. */
export interface SharedTokenContext {
  readonly connection: RedisConnection;
  /** Seals with the key the token client gave the store. */
  readonly cipher: TokenCipher;
  /** The token client's key: the AES-GCM additional data. */
  readonly storageKey: string;
  readonly keys: TokenKeys;
  /** The reading token client's wall clock: a token's `expiresAt` is handed back on it. */
  readonly now: () => number;
}

/**
 * The shared token, if one is there that opens with this client's key and still has life left.
 * Its lifetime is counted on Redis's clock from its issue time, which the sealed value is bound
 * to, and handed back as an `expiresAt` on the reader's clock: no host's clock is compared with
 * another's, and a value put back without an expiry is still not served past its lifetime. A
 * token older than the newest one written (put back after it was replaced) is not served either.
 */
export async function readToken({ connection, cipher, storageKey, keys, now }: SharedTokenContext): Promise<AccessToken | undefined> {
  const [sealed, newest, seconds, micros] = asArray(await connection.call(["EVAL", READ, "2", keys.token, keys.issued], keys.token));
  if (typeof sealed !== "string" || sealed === "") return undefined;
  const opened = await cipher.open(sealed, storageKey);
  if (!opened) return undefined;
  const redisNow = epochMs(seconds, micros);
  const newestIssue = newest === "" ? Number.NaN : Number(newest);
  if (newestIssue > opened.issuedAt && newestIssue <= redisNow) return undefined;
  const lifetimeMs = opened.token.expiresIn * 1000;
  const leftMs = Math.min(lifetimeMs, opened.issuedAt + lifetimeMs - redisNow);
  if (!(leftMs > 0)) return undefined;
  return readAccessToken({ ...opened.token, expiresAt: now() + leftMs });
}

/**
 * Stores `token`, which has `ttlMs` of life left when this is called. Its issue time on Redis's
 * clock is Redis's `TIME` minus its age, its age counted on this process's monotonic clock (so
 * it reads at most one round trip older than it is, never younger).
 */
export async function writeToken({ connection, cipher, storageKey, keys }: SharedTokenContext, token: AccessToken, ttlMs: number): Promise<void> {
  const calledAt = performance.now();
  const [seconds, micros] = asArray(await connection.call(["EVAL", TIME, "1", keys.token], keys.token));
  const lifetimeMs = token.expiresIn * 1000;
  const leftMs = ttlMs - (performance.now() - calledAt);
  const issuedAt = Math.floor(epochMs(seconds, micros) + leftMs - lifetimeMs);
  if (!(leftMs > 0) || !(issuedAt > 0)) return;
  const sealed = await cipher.seal(token, storageKey, issuedAt);
  await connection.call(["EVAL", WRITE, "2", keys.token, keys.issued, sealed, String(issuedAt), String(lifetimeMs)], keys.token);
}

/** Deletes the shared token (after `invalidate()`): the same token put back is then refused while it would have lived. */
export async function removeToken({ connection, keys }: SharedTokenContext): Promise<void> {
  await connection.call(["EVAL", REMOVE, "2", keys.token, keys.issued], keys.token);
}

function asArray(reply: unknown): unknown[] {
  return Array.isArray(reply) ? reply : [];
}

/** `TIME`'s seconds and microseconds as epoch ms (NaN if they are not numbers). */
function epochMs(seconds: unknown, micros: unknown): number {
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}
