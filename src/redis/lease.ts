import type { AccessToken } from "../token/token-shape.js";
import type { LeaseResult, TokenLease } from "../store/token-store.js";
import type { RedisConnection } from "./connection.js";
import { REDIS_STORE_LIMITS } from "./options.js";

/** Deletes the lease only if it is still ours (its value is our id). */
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
/**
 * Takes the lease when it is free, or when the key left there cannot be a live holder's lease:
 * one without an expiry (a crashed older version, a manual SET), one that claims a longer lease
 * than any holder may have (ARGV[3], `maxLeaseMs`), or one that expires later than its holder's
 * lease lasts (a live holder renews it to its `leaseMs`, never more): such a key is taken over at
 * once, so it cannot make a refresh wait. A lease's value is `<id>:<leaseMs>`, so a holder
 * configured with a longer `leaseMs` than this client keeps its lease; a value that does not say
 * (a manual SET) is held to this client's `leaseMs`.
 */
const ACQUIRE = `if redis.call("set", KEYS[1], ARGV[1], "NX", "PX", ARGV[2]) then return 1 end
local ttl = redis.call("pttl", KEYS[1])
local held = tonumber(string.match(redis.call("get", KEYS[1]) or "", ":(%d+)$") or ARGV[2])
if ttl == -1 or ttl > held or held > tonumber(ARGV[3]) then
  redis.call("set", KEYS[1], ARGV[1], "PX", ARGV[2])
  return 1
end
return 0`;
/** Extends the lease only if it is still ours. */
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

export interface LeaseContext {
  readonly connection: RedisConnection;
  readonly leaseKey: string;
  readonly leaseMs: number;
  readonly waitMs: number;
  readonly pollMs: number;
  /** Reads and decrypts the shared token (undefined when absent or undecryptable). */
  read(): Promise<AccessToken | undefined>;
  /** Leases held now: closing the store releases them. */
  readonly held: Set<TokenLease>;
}

/**
 * The cross-process single-flight: `SET lease <random id> NX PX leaseMs` (in ACQUIRE) decides who fetches.
 * Whoever gets it first looks at the token once more (a holder may have stored it and released
 * just before); the others poll for the token, or for the lease to come free (its holder failed,
 * or died and the lease expired), until `waitMs` has passed.
 */
export async function takeLease(context: LeaseContext, accept: (token: AccessToken) => boolean): Promise<LeaseResult> {
  const { connection, leaseKey, leaseMs, waitMs, pollMs } = context;
  const deadline = performance.now() + waitMs;
  for (;;) {
    const id = `${crypto.randomUUID()}:${Math.ceil(leaseMs)}`;
    let taken: boolean;
    try {
      taken = Number(await connection.call(["EVAL", ACQUIRE, "1", leaseKey, id, String(Math.ceil(leaseMs)), String(REDIS_STORE_LIMITS.maxLeaseMs)], leaseKey)) === 1;
    } catch (error) {
      // The SET may have reached Redis all the same: don't leave a lease nobody will release.
      void release(connection, leaseKey, id).catch(() => undefined);
      throw error;
    }
    let token: AccessToken | undefined;
    try {
      token = await context.read();
    } catch (error) {
      if (taken) void release(connection, leaseKey, id).catch(() => undefined);
      throw error;
    }
    if (token && accept(token)) {
      if (taken) void release(connection, leaseKey, id).catch(() => undefined);
      return { status: "shared", token };
    }
    if (taken) return { status: "acquired", lease: holdLease(context, id) };
    const left = deadline - performance.now();
    if (left <= 0) return { status: "timeout" };
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, pollMs * (0.5 + Math.random()))));
  }
}

/** A held lease, renewed every third of its lifetime until released (or the store closes). */
function holdLease(context: LeaseContext, id: string): TokenLease {
  const { connection, leaseKey, leaseMs, held } = context;
  const renew = setInterval(() => {
    connection.call(["EVAL", RENEW, "1", leaseKey, id, String(Math.ceil(leaseMs))], leaseKey).catch(() => undefined);
  }, Math.max(1, leaseMs / 3));
  renew.unref?.();
  const lease: TokenLease = Object.freeze({
    async release() {
      clearInterval(renew);
      if (held.delete(lease)) await release(connection, leaseKey, id);
    },
  });
  held.add(lease);
  return lease;
}

async function release(connection: RedisConnection, leaseKey: string, id: string): Promise<void> {
  await connection.call(["EVAL", RELEASE, "1", leaseKey, id], leaseKey);
}
