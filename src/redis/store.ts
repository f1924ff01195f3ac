import type { AccessToken } from "../token/token-shape.js";
import { CellsAuthError } from "../errors.js";
import type { TokenLease, TokenStore, TokenStoreBinding } from "../store/token-store.js";
import { createTokenCipher, type TokenCipher } from "./cipher.js";
import { connect, type RedisConnection } from "./connection.js";
import { takeLease } from "./lease.js";
import { readToken, removeToken, tokenKeys, writeToken, type SharedTokenContext } from "./shared-token.js";
import { checkTarget, resolveRedisTokenStoreOptions, type RedisTarget, type RedisTokenStoreOptions, type ResolvedRedisTokenStoreOptions } from "./options.js";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** A `TokenStore` in Redis, shared by processes; see `createRedisTokenStore`. */
export interface RedisTokenStore extends TokenStore {
  /** Whether Redis is connected now. While it is not, token clients fetch on their own. */
  readonly isReady: boolean;
  /**
   * Lets pending writes finish (a token just fetched is stored, its lease released), releases the
   * leases still held, then closes the Redis client if the store created it (from a URL).
   */
  close(): Promise<void>;
}

/**
 * A token store in Redis, for fleets: processes that share it share one token, and one token
 * request per refresh (a lease, `SET NX PX`, decides who fetches; the others wait for what it
 * stores, within `waitMs`). Tokens are stored encrypted (AES-256-GCM, key derived from the client
 * secret by the token client, which never hands the secret itself over). Redis being down or slow
 * never fails token acquisition: every call has a deadline, and the client fetches on its own.
 *
 * Redis is one server (a URL, or a `createClient()` client), a Redis Cluster (a `createCluster()`
 * client) or a master watched by Sentinel (a `createSentinel()` client); anything else it could
 * not share through is refused with `invalid_config`. No decision compares one host's clock with
 * another's: leases live by Redis TTLs, and a stored token's life is counted on Redis's clock.
 *
 * Use it through `createTokenClient({ store })`: the store encrypts with the key each client gives
 * it, so its own `get`/`set`/`delete` refuse to work unbound.
 *
 * @example
 * const store = createRedisTokenStore({ url: "redis://127.0.0.1:6379" });
 * const tokens = createTokenClient({ store });
 * // ... at shutdown: await store.close();
 *
 * @example
 * const cluster = createCluster({ rootNodes: [{ url: "redis://10.0.0.1:7000" }] });
 * cluster.on("error", (error) => console.error(error.message));
 * await cluster.connect();
 * const tokens = createTokenClient({ store: createRedisTokenStore({ client: cluster }) });
 */
export function createRedisTokenStore(target: RedisTarget, options?: RedisTokenStoreOptions): RedisTokenStore {
  const checked = checkTarget(target);
  const resolved = resolveRedisTokenStoreOptions(options);
  const platform = (globalThis as { crypto?: Partial<Crypto> }).crypto;
  if (typeof platform?.subtle?.encrypt !== "function" || typeof platform.randomUUID !== "function") {
    // Without it every call would fail into a store_error, and the store would never share.
    throw new CellsAuthError(
      "invalid_config",
      "createRedisTokenStore needs WebCrypto (globalThis.crypto.subtle and randomUUID) to encrypt tokens at rest, and this runtime has none (Node 18 lacks it by default): use Node 20 or later.",
    );
  }
  let connection: RedisConnection;
  try {
    connection = connect(checked, resolved);
  } catch {
    // node-redis's message may quote the URL, and a URL may hold a password: don't pass it on.
    throw new CellsAuthError("invalid_config", "url is not a Redis URL node-redis accepts (redis://host:port).");
  }
  const held = new Set<TokenLease>();
  const writes = new Set<Promise<unknown>>();
  const unbound = () => Promise.reject(new CellsAuthError("invalid_config", "This store encrypts with a key from the client secret: use it through createTokenClient({ store })."));
  const summary = () => ({ keyPrefix: resolved.keyPrefix, leaseMs: resolved.leaseMs, waitMs: resolved.waitMs, isReady: connection.isReady });

  return Object.freeze({
    get: unbound,
    set: unbound,
    delete: unbound,
    bind: (binding: TokenStoreBinding) =>
      bindView({ connection, options: resolved, cipher: createTokenCipher(() => binding.encryptionKey()), now: readerClock(binding), held, writes }),
    get isReady() {
      return connection.isReady;
    },
    async close() {
      // A holder stores its token, then releases its lease, after its callers got the token:
      // give those background steps the time to be sent, so no one waits on a lease nobody holds.
      for (let round = 0; round < 3; round++) {
        await Promise.allSettled([...writes]);
        await connection.drain();
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      await Promise.allSettled([...held].map((lease) => lease.release()));
      await connection.close();
    },
    toJSON: summary,
    [INSPECT]: () => `RedisTokenStore ${JSON.stringify(summary())}`,
  });
}

/** The bound client's wall clock (`TokenStoreBinding.now`), or this host's. */
function readerClock(binding: TokenStoreBinding): () => number {
  const { now } = binding;
  return typeof now === "function" ? now : Date.now;
}

interface ViewContext {
  readonly connection: RedisConnection;
  readonly options: ResolvedRedisTokenStoreOptions;
  readonly cipher: TokenCipher;
  /** The bound client's wall clock: tokens read are handed back with an `expiresAt` on it. */
  readonly now: () => number;
  /** Leases held now. */
  readonly held: Set<TokenLease>;
  /** Writes under way, which `close()` lets finish. */
  readonly writes: Set<Promise<unknown>>;
}

/** The store as one token client uses it: tokens sealed with that client's cipher. */
function bindView({ connection, options, cipher, now, held, writes }: ViewContext): TokenStore {
  const shared = (key: string): SharedTokenContext => ({ connection, cipher, storageKey: key, keys: tokenKeys(options.keyPrefix, key), now });
  const tracked = <T>(write: Promise<T>): Promise<T> => {
    writes.add(write);
    const forget = () => writes.delete(write);
    write.then(forget, forget);
    return write;
  };
  return Object.freeze({
    get: (key: string) => readToken(shared(key)),
    async set(key: string, token: AccessToken, ttlMs: number) {
      await tracked(writeToken(shared(key), token, ttlMs));
    },
    async delete(key: string) {
      await tracked(removeToken(shared(key)));
    },
    // A waiter polls until waitMs, and its last look may take two commands more.
    leaseWaitMs: options.waitMs + 2 * options.commandTimeoutMs,
    lease(key: string, accept: (token: AccessToken) => boolean) {
      const context = shared(key);
      return takeLease(
        { connection, leaseKey: context.keys.lease, leaseMs: options.leaseMs, waitMs: options.waitMs, pollMs: options.pollMs, read: () => readToken(context), held },
        accept,
      );
    },
    toJSON: () => ({ keyPrefix: options.keyPrefix }),
    [INSPECT]: () => `RedisTokenStore (bound) ${JSON.stringify({ keyPrefix: options.keyPrefix })}`,
  });
}
