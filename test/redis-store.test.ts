// The Redis token store against a real redis-server (test/_redis.ts) and the emulator. Each
// token client gets its own store, so its own Redis connection: in Redis's eyes, its own process.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { inspect, promisify } from "node:util";
import { createClient, createClientPool, createCluster, createSentinel, RESP_TYPES } from "redis";
import { createMemoryTokenStore, createTokenClient, isCellsAuthError, type TokenClient, type TokenEvent, type TokenStore, type TokenStoreBinding } from "../src/index.js";
import { REDIS_STORE_LIMITS } from "../src/redis/options.js";
import { createRedisTokenStore, isRedisTokenStoreError, type RedisTokenStore, type RedisTokenStoreError, type RedisTokenStoreOptions } from "../src/redis/index.js";
import { encryptionKey } from "../src/store/encryption-key.js";
import { Secret } from "../src/util/secret.js";
import { DEFAULT_CLIENT_ID, startTokenServer, type TokenServer } from "../src/testing/index.js";
import { startRedis, type RedisServer } from "./_redis.js";
import { canary, leakedSpellings } from "./_secret-spellings.js";

const SECRET = canary("Redis");

function expectNoSecret(text: string, where: string): void {
  expect(leakedSpellings(text, [SECRET]), `${where} holds the secret`).to.deep.equal([]);
}

/** Everything a user could print of a value: inspect, JSON, message, stack, cause chain. */
function printable(value: unknown): string {
  const parts = [inspect(value, { depth: Infinity, showHidden: true }), JSON.stringify(value) ?? ""];
  for (let current: unknown = value, depth = 0; current && depth < 10; depth++) {
    const { message, stack, cause } = current as { message?: unknown; stack?: unknown; cause?: unknown };
    parts.push(String(message), String(stack));
    current = cause;
  }
  return parts.join("\n");
}

async function until(predicate: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("createRedisTokenStore (real redis-server)", function () {
  this.timeout(20_000);
  let redis: RedisServer;
  let emulator: TokenServer;
  let raw: ReturnType<typeof createClient>;
  let stores: RedisTokenStore[];
  let events: TokenEvent[];
  let storeErrors: RedisTokenStoreError[];

  const store = (options: RedisTokenStoreOptions = {}) => {
    const created = createRedisTokenStore({ url: redis.url }, { commandTimeoutMs: 300, onError: (error) => storeErrors.push(error), ...options });
    stores.push(created);
    return created;
  };
  const client = (tokenStore: RedisTokenStore, clientSecret = SECRET): TokenClient =>
    createTokenClient({
      clientId: DEFAULT_CLIENT_ID,
      clientSecret,
      baseUrl: emulator.baseUrl,
      store: tokenStore,
      retry: { maxRetries: 0 },
      onEvent: (event) => events.push(event),
    });
  const requests = () => emulator.stats.tokenRequests;
  const leaseOutcomes = () => events.flatMap((event) => (event.type === "store_lease" ? [event.outcome] : []));
  /** Waits for the token that a holder stores (and its lease release) after its callers got it; resolves with its Redis key. */
  const storedToken = async (prefix = "") => {
    const deadline = performance.now() + 5_000;
    for (;;) {
      const keys = await raw.keys(`${prefix}{aspose-cells-cloud-auth:v1:*`);
      const token = keys.find((key) => key.endsWith("}"));
      if (token && !keys.some((key) => key.endsWith(":lease"))) return token;
      if (performance.now() > deadline) throw new Error("the token was not stored within 5 s");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const ready = (...all: RedisTokenStore[]) => until(() => all.every((s) => s.isReady), 5_000, "the stores to connect");

  before(async () => {
    redis = await startRedis();
    emulator = await startTokenServer({ clientSecret: SECRET });
    raw = createClient({ url: redis.url });
    raw.on("error", () => undefined);
    await raw.connect();
  });
  after(async () => {
    raw?.destroy();
    await emulator?.close();
    await redis?.close();
  });
  beforeEach(async () => {
    stores = [];
    events = [];
    storeErrors = [];
    if (!raw.isReady) await until(() => raw.isReady, 5_000, "the raw client");
    await raw.flushAll();
  });
  afterEach(async () => {
    await Promise.all((stores ?? []).map((s) => s.close()));
  });

  it("gives clients on separate connections one token from one request", async () => {
    const [a, b] = [store(), store()];
    await ready(a, b);
    emulator.inject({ kind: "delay", ms: 200 });
    const before = requests();
    const [x, y] = [client(a), client(b)];
    const all = await Promise.all([...Array.from({ length: 100 }, () => x.getToken()), ...Array.from({ length: 100 }, () => y.getToken())]);
    expect(requests() - before).to.equal(1);
    expect(new Set(all.map((token) => token.accessToken)).size).to.equal(1);
    const leases = events.flatMap((event) => (event.type === "store_lease" ? [event.outcome] : []));
    expect(leases.sort()).to.deep.equal(["acquired", "shared"]);
  });

  it("a holder that is slow but alive keeps its lease (renewed), so the others still wait for its token", async () => {
    const [a, b] = [store({ leaseMs: 150 }), store({ leaseMs: 150 })];
    await ready(a, b);
    emulator.inject({ kind: "delay", ms: 700 }); // several lease lifetimes
    const before = requests();
    const [x, y] = await Promise.all([client(a).getToken(), client(b).getToken()]);
    expect(requests() - before).to.equal(1);
    expect(x.accessToken).to.equal(y.accessToken);
  });

  it("a wait that runs out (waitMs) ends with the waiter fetching on its own", async () => {
    const [a, b] = [store({ waitMs: 150 }), store({ waitMs: 150 })];
    await ready(a, b);
    emulator.inject({ kind: "delay", ms: 6_000 });
    const before = requests();
    const slow = client(a).getToken();
    await until(() => events.some((event) => event.type === "store_lease" && event.outcome === "acquired"), 5_000, "a to hold the lease");
    const started = performance.now();
    const fast = await client(b).getToken();
    // Waiting for a's token would take the 6 s delay: b gave up after waitMs (150 ms) and fetched.
    expect(performance.now() - started, "ms").to.be.below(4_000);
    expect((await slow).accessToken).not.to.equal(fast.accessToken);
    expect(requests() - before).to.equal(2);
    expect(events.some((event) => event.type === "store_lease" && event.outcome === "timeout")).to.equal(true);
  });

  it("waiters wait for a holder that needs a retry, past one attempt's timeoutMs: the store's declared wait bounds the lease", async () => {
    const fleet = [store(), store(), store(), store()];
    await ready(...fleet);
    emulator.inject({ kind: "hang" }); // the holder's first attempt times out after 1 s, its retry gets the token
    const before = requests();
    const clients = fleet.map((s) => createTokenClient({ clientId: DEFAULT_CLIENT_ID, clientSecret: SECRET, baseUrl: emulator.baseUrl, store: s, timeoutMs: 1_000, retry: { maxRetries: 1, baseDelayMs: 10 }, onEvent: (event) => events.push(event) }));
    const tokens = await Promise.all(clients.map((c) => c.getToken()));
    expect(requests() - before).to.equal(2);
    expect(new Set(tokens.map((token) => token.accessToken)).size).to.equal(1);
    expect(events.filter((event) => event.type === "store_error")).to.deep.equal([]);
  });

  it("a holder configured with a longer leaseMs keeps its lease: a waiter with a shorter one does not cut it", async () => {
    const [long, short] = [store({ leaseMs: 30_000 }), store({ leaseMs: 1_000 })];
    await ready(long, short);
    emulator.inject({ kind: "delay", ms: 3_000 }); // longer than the short lease
    const before = requests();
    const holder = client(long).getToken();
    await until(() => leaseOutcomes().includes("acquired"), 5_000, "the long lease to be held");
    const [a, b] = await Promise.all([holder, client(short).getToken()]);
    expect(requests() - before).to.equal(1);
    expect(b.accessToken).to.equal(a.accessToken);
  });

  describe("a lease key that no live holder can have", () => {
    /** The lease key of this emulator's client id, found from the token key one getToken() writes. */
    async function leaseKey(): Promise<string> {
      const probe = store();
      await ready(probe);
      await client(probe).getToken();
      await probe.close();
      const tokenKey = await storedToken();
      await raw.flushAll();
      events.length = 0;
      return `${tokenKey}:lease`;
    }

    it("without an expiry (a crash of an older version, a manual SET): taken over at once, not waited for", async () => {
      const key = await leaseKey();
      await raw.set(key, "left-by-a-crash");
      const waiter = store({ waitMs: 60_000 });
      await ready(waiter);
      const before = requests();
      const started = performance.now();
      const token = await client(waiter).getToken();
      expect(performance.now() - started, "ms (a wait would take waitMs, 60 s)").to.be.below(10_000);
      expect(requests() - before).to.equal(1);
      expect(events.filter((event) => event.type === "store_lease").map((event) => event.type === "store_lease" && event.outcome)).to.deep.equal(["acquired"]);
      await waiter.close();
      expect(await raw.exists(key), "the lease is released after use").to.equal(0);
      expect(token.accessToken).to.be.a("string");
    });

    /** Takes a token with `key` holding `value` for `ttlMs`: how long it took, and the lease outcomes. */
    async function behind(key: string, value: string, ttlMs: number, options: RedisTokenStoreOptions) {
      await raw.set(key, value, { PX: ttlMs });
      const waiter = store(options);
      await ready(waiter);
      const started = performance.now();
      await client(waiter).getToken();
      const outcomes = events.flatMap((event) => (event.type === "store_lease" ? [event.outcome] : []));
      return { ms: performance.now() - started, outcomes };
    }

    it("expiring later than its holder's lease lasts (leaseMs, which a live holder renews it to): taken over at once", async () => {
      const { ms, outcomes } = await behind(await leaseKey(), "held-for-an-hour", 3_600_000, { leaseMs: 300, waitMs: 12_000 });
      expect(ms, "ms (a wait would take waitMs, 12 s)").to.be.below(5_000);
      expect(outcomes).to.deep.equal(["acquired"]);
    });

    it(`claiming a longer lease than any holder may have (a day, over maxLeaseMs ${REDIS_STORE_LIMITS.maxLeaseMs}): taken over at once, as a free lease would be`, async () => {
      const { ms, outcomes } = await behind(await leaseKey(), `someone:${86_400_000}`, 86_400_000, { waitMs: 12_000 });
      expect(ms, "ms (a wait would take waitMs, 12 s)").to.be.below(5_000);
      expect(outcomes).to.deep.equal(["acquired"]);
    });

    it("claiming just over maxLeaseMs, with a TTL under it: taken over at once; claiming maxLeaseMs: waited for, as a live holder's", async () => {
      const key = await leaseKey();
      const over = await behind(key, `someone:${REDIS_STORE_LIMITS.maxLeaseMs + 1}`, 30_000, { waitMs: 12_000 });
      expect(over.outcomes).to.deep.equal(["acquired"]);
      await storedToken(); // written after the callers got it: not to be found by the next client
      await raw.flushAll();
      events.length = 0;
      const at = await behind(key, `someone:${REDIS_STORE_LIMITS.maxLeaseMs}`, 30_000, { waitMs: 200 });
      expect(at.outcomes, "it waited (waitMs, 200 ms), then fetched on its own").to.deep.equal(["timeout"]);
    });
  });

  describe("a sealed token", () => {
    /** A view of `store` as the emulator's client id, bound to `secret`, reading with `now`. */
    const view = (redisKey: string, now = Date.now, secret = SECRET) =>
      store().bind!({ encryptionKey: encryptionKey(new Secret(secret), redisKey.slice(1, -1)), now });
    const until$ = async (predicate: () => Promise<boolean>, what: string) => {
      const deadline = performance.now() + 10_000;
      while (!(await predicate())) {
        if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    it("put back under its key after it was replaced by a newer one, or deleted by invalidate(): refused by every reader", async () => {
      const x = client(store());
      const first = await x.getToken();
      const key = await storedToken();
      const firstSealed = (await raw.get(key)) as string;
      const second = await x.getToken({ forceRefresh: true });
      await until$(async () => (await raw.get(key)) !== firstSealed, "the newer token to be stored");
      expect((await view(key).get(key.slice(1, -1)))?.accessToken).to.equal(second.accessToken);

      await raw.set(key, firstSealed); // put back, without an expiry
      expect(await view(key).get(key.slice(1, -1)), "a reader that never saw the newer one").to.equal(undefined);
      let before = requests();
      const fresh = client(store());
      const third = await fresh.getToken();
      expect(third.accessToken).not.to.equal(first.accessToken);
      expect(requests() - before, "the new process fetched rather than take the old token").to.equal(1);

      await storedToken(); // its holder stored it, then released its lease
      const thirdSealed = (await raw.get(key)) as string;
      await fresh.invalidate(third.accessToken); // the API rejected it: dropped from the store
      expect(await raw.exists(key)).to.equal(0);
      await raw.set(key, thirdSealed);
      expect(await view(key).get(key.slice(1, -1)), "the deleted token, put back").to.equal(undefined);
      before = requests();
      expect((await client(store()).getToken()).accessToken).not.to.equal(third.accessToken);
      expect(requests() - before).to.equal(1);
    });

    it("issued before the one stored (a slower writer's) does not replace it", async () => {
      const key = "{aspose-cells-cloud-auth:v1:0123456789abcd}";
      const bound = view(key);
      const token = (accessToken: string) => ({ accessToken, tokenType: "Bearer" as const, expiresIn: 3600, expiresAt: Date.now() + 3_600_000 });
      await bound.set(key.slice(1, -1), token("newer"), 3_500_000); // 100 s old
      await bound.set(key.slice(1, -1), token("older"), 3_000_000); // 600 s old: issued before it
      expect((await bound.get(key.slice(1, -1)))?.accessToken).to.equal("newer");
      await bound.set(key.slice(1, -1), token("newest"), 3_599_000);
      expect((await bound.get(key.slice(1, -1)))?.accessToken).to.equal("newest");
    });

    it("whose lifetime is over is never served, even put back without an expiry", async () => {
      emulator.setTokenLifetime(1);
      try {
        const first = await client(store()).getToken();
        const key = await storedToken();
        const sealed = (await raw.get(key)) as string;
        await until$(async () => (await raw.exists(key)) === 0, "the token's key to expire"); // its TTL is what was left of its lifetime
        await raw.set(key, sealed);
        await raw.del(`${key}:issued`);
        expect(await view(key).get(key.slice(1, -1))).to.equal(undefined);
        const before = requests();
        expect((await client(store()).getToken()).accessToken).not.to.equal(first.accessToken);
        expect(requests() - before).to.equal(1);
      } finally {
        emulator.setTokenLifetime(3600);
      }
    });

    it("is handed back with an expiresAt on the reader's clock, from its issue time on Redis's clock: a reader 2 minutes ahead sees its true life left", async () => {
      const token = await client(store()).getToken();
      const key = await storedToken();
      for (const offset of [0, 120_000, -120_000]) {
        const now = () => Date.now() + offset;
        const read = await view(key, now).get(key.slice(1, -1));
        const leftMs = read!.expiresAt - now();
        expect(leftMs, `ms left for a reader ${offset} ms ahead`).to.be.within(token.expiresAt - Date.now() - 2_000, token.expiresAt - Date.now() + 50);
        expect(read!.expiresIn).to.equal(token.expiresIn);
      }
    });
  });

  it("refuses to be created without WebCrypto (Node 18), saying why, instead of never sharing", async () => {
    const module = new URL("../src/redis/index.ts", import.meta.url).href;
    const script = [
      "delete globalThis.crypto;",
      `const { createRedisTokenStore } = await import(${JSON.stringify(module)});`,
      `try { createRedisTokenStore({ url: ${JSON.stringify(redis.url)} }); console.log("created"); }`,
      "catch (error) { console.log(JSON.stringify({ name: error.name, code: error.code, message: error.message })); }",
    ].join("\n");
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script]);
    const error = JSON.parse(stdout) as { name: string; code: string; message: string };
    expect(error).to.include({ name: "CellsAuthError", code: "invalid_config" });
    expect(error.message).to.contain("WebCrypto").and.contain("Node 20");
  });

  it("a soft refresh across clients: both keep serving the valid token, and one request refreshes both", async () => {
    emulator.setTokenLifetime(4); // refresh window: the last 2 s (half the lifetime)
    try {
      const [a, b] = [store(), store()];
      await ready(a, b);
      const [x, y] = [client(a), client(b)];
      const first = await x.getToken();
      await until(() => events.some((event) => event.type === "token_issued"), 5_000, "the first token");
      await storedToken();
      expect((await y.getToken()).accessToken).to.equal(first.accessToken);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, first.expiresAt - 1_700 - Date.now())));
      emulator.inject({ kind: "delay", ms: 300 });
      const before = requests();
      const leasesBefore = leaseOutcomes().length;
      const during = await Promise.all([x.getToken(), y.getToken()]);
      expect(during.map((token) => token.accessToken)).to.deep.equal([first.accessToken, first.accessToken]);
      // One client fetches under the lease, the other takes what it stored.
      await until(() => leaseOutcomes().slice(leasesBefore).sort().join() === "acquired,shared", 5_000, "both refreshes");
      const [p, q] = await Promise.all([x.getToken(), y.getToken()]);
      expect(p.accessToken).not.to.equal(first.accessToken);
      expect(q.accessToken).to.equal(p.accessToken);
      expect(requests() - before).to.equal(1);
    } finally {
      emulator.setTokenLifetime(3600);
    }
  });

  it("stores the token encrypted, under a key that is a hash of base URL and client id, beside its issue time, in one hash slot", async () => {
    const tokens = client(store());
    const token = await tokens.getToken();
    const key = await storedToken(); // the holder stores the token, then releases its lease, after its callers got the token
    expect((await raw.keys("*")).sort()).to.deep.equal([key, `${key}:issued`]);
    expect(key).to.match(/^\{aspose-cells-cloud-auth:v1:[0-9a-f]{14}\}$/);
    expect(key).not.to.contain(DEFAULT_CLIENT_ID);
    const value = (await raw.get(key)) as string;
    const [, issuedAt, sealed = ""] = /^(\d+)\.([A-Za-z0-9+/]+=*)$/.exec(value) ?? [];
    expect(Number(issuedAt), "the issue time, in clear (bound to the value as AES-GCM additional data)").to.equal(Number(await raw.get(`${key}:issued`)));
    const decoded = Buffer.from(sealed, "base64").toString("latin1");
    for (const text of [value, decoded]) {
      expect(text).not.to.contain(token.accessToken);
      expect(text).not.to.contain(token.accessToken.slice(0, 16));
      expect(text).not.to.contain("accessToken");
      expectNoSecret(text, "the stored value");
    }
    const ttl = await raw.pTTL(key);
    expect(ttl).to.be.within(1, token.expiresAt - Date.now() + 1_000);
    expect(await raw.pTTL(`${key}:issued`)).to.be.within(1, ttl + 1_000);
  });

  it("a store is handed a key derived from the secret, not extractable, and never the secret", async () => {
    let binding: TokenStoreBinding | undefined;
    const memory = createMemoryTokenStore();
    const spy: TokenStore = { ...memory, bind: (given) => ((binding = given), memory) };
    await client(spy as never).getToken();
    const key = await binding!.encryptionKey();
    expect(key).to.include({ extractable: false, type: "secret" });
    expect(key.algorithm).to.deep.include({ name: "AES-GCM", length: 256 });
    expect(key.usages.sort()).to.deep.equal(["decrypt", "encrypt"]);
    expectNoSecret(printable(binding) + printable(key) + Object.keys(binding!).join(), "the binding");
  });

  it("a wrong secret cannot decrypt the stored token: the client treats it as absent and fetches", async () => {
    const right = store();
    const token = await client(right).getToken();
    const redisKey = await storedToken(); // the write runs after the callers got the token
    const key = redisKey.slice(1, -1); // the token client's key, inside the hash tag

    const before = requests();
    const error = await client(store(), "not-the-secret").getToken().then(() => undefined, (caught: unknown) => caught);
    expect(isCellsAuthError(error) && error.code).to.equal("oauth_error"); // it asked the server: the stored token was no use to it
    expect(requests() - before).to.equal(1);

    // The same through the store itself: only the right secret's cipher opens the value.
    const other = store();
    const view = (secret: string, storageKey = key) => other.bind!({ encryptionKey: encryptionKey(new Secret(secret), storageKey), now: Date.now });
    const [wrongView, rightView] = [view("not-the-secret"), view(SECRET)];
    expect(await wrongView.get(key)).to.equal(undefined);
    expect((await rightView.get(key))?.accessToken).to.equal(token.accessToken);
    // Copied under another client's key, it does not open even with the same secret (the key is HKDF info and GCM data).
    const otherKey = "aspose-cells-cloud-auth:v1:00000000000000";
    const sealed = (await raw.get(redisKey)) as string;
    await raw.set(`{${otherKey}}`, sealed);
    expect(await view(SECRET, otherKey).get(otherKey)).to.equal(undefined);
    // Its issue time, written in clear, is GCM data too: changed, the value does not open.
    const [issuedAt = "", body = ""] = sealed.split(".");
    await raw.del(`${redisKey}:issued`);
    for (const altered of [String(Number(issuedAt) + 60_000), String(Number(issuedAt) - 1)]) {
      await raw.set(redisKey, `${altered}.${body}`);
      expect(await rightView.get(key), altered).to.equal(undefined);
    }
    await raw.set(redisKey, sealed);
    expect((await rightView.get(key))?.accessToken, "the value as it was").to.equal(token.accessToken);
    // Garbage is absent too.
    for (const garbage of ["", "not base64 at all!", Buffer.from("x".repeat(40)).toString("base64"), `${issuedAt}.`, `.${body}`, body]) {
      await raw.set(redisKey, garbage);
      expect(await rightView.get(key), JSON.stringify(garbage)).to.equal(undefined);
    }
  });

  it("Redis stopped mid-run: no caller fails; restarted: sharing resumes", async function () {
    const [a, b] = [store(), store()];
    await ready(a, b);
    await client(a).getToken();
    await redis.stop();
    await until(() => !a.isReady && !b.isReady, 3_000, "the stores to notice");

    let before = requests();
    const [x, y] = [client(a), client(b)];
    const during = await Promise.allSettled([...Array.from({ length: 100 }, () => x.getToken()), ...Array.from({ length: 100 }, () => y.getToken())]);
    expect(during.filter((result) => result.status === "rejected")).to.deep.equal([]);
    // Falling back does not wait for Redis: every call failed at once (none ran into its deadline).
    expect(storeErrors.filter((error) => error.code === "timeout")).to.deep.equal([]);
    expect(requests() - before, "each client fetched on its own").to.equal(2);
    const failed = new Set(events.flatMap((event) => (event.type === "store_error" ? [event.operation] : [])));
    expect([...failed]).to.include.members(["get", "lease"]);
    expect(storeErrors.length).to.be.above(0);
    expect(storeErrors.every((error) => isRedisTokenStoreError(error))).to.equal(true);

    await redis.restart();
    await ready(a, b); // node-redis reconnects by itself
    events = [];
    emulator.inject({ kind: "delay", ms: 200 });
    before = requests();
    const [p, q] = [client(a), client(b)];
    const after = await Promise.all([...Array.from({ length: 50 }, () => p.getToken()), ...Array.from({ length: 50 }, () => q.getToken())]);
    expect(requests() - before, "sharing resumed").to.equal(1);
    expect(new Set(after.map((token) => token.accessToken)).size).to.equal(1);
    expect(events.filter((event) => event.type === "store_error")).to.deep.equal([]);
  });

  it("Redis unreachable from the start: the client fetches on its own at once", async () => {
    const nowhere = createRedisTokenStore({ url: "redis://127.0.0.1:1" }, { commandTimeoutMs: 60_000, onError: (error) => storeErrors.push(error) });
    stores.push(nowhere);
    const token = await client(nowhere).getToken();
    expect(token.accessToken).to.be.a("string");
    // A refused connection is not waited for: a wait would run into the 60 s deadline (and the test's timeout).
    expect(storeErrors.filter((error) => error.code === "timeout")).to.deep.equal([]);
    expect(events.filter((event) => event.type === "store_error").length).to.be.above(0);
    expect(nowhere.isReady).to.equal(false);
  });

  it("Redis stalled (CLIENT PAUSE): each call gives up after commandTimeoutMs and the client fetches on its own", async () => {
    const slow = store({ commandTimeoutMs: 150 });
    await ready(slow);
    await raw.sendCommand(["CLIENT", "PAUSE", "5000", "ALL"]);
    const before = requests();
    const started = performance.now();
    const token = await client(slow).getToken();
    const elapsed = performance.now() - started;
    expect(token.accessToken).to.be.a("string");
    expect(elapsed, "ms: waiting for Redis would take the 5 s pause").to.be.below(4_000);
    expect(requests() - before).to.equal(1);
    expect(events.some((event) => event.type === "store_error" && event.operation === "get" && /within 150 ms/.test(event.message))).to.equal(true);
    expect(storeErrors.some((error) => error.code === "timeout")).to.equal(true);
    await raw.sendCommand(["PING"]); // answered once the pause ends, before the next test
  });

  it("invalidate() drops the shared token, so the next client fetches a new one", async () => {
    const [a, b] = [store(), store()];
    const first = await client(a).getToken();
    await storedToken();
    const x = client(b);
    expect((await x.getToken()).accessToken).to.equal(first.accessToken);
    await x.invalidate(first.accessToken);
    const next = await client(store()).getToken();
    expect(next.accessToken).not.to.equal(first.accessToken);
  });

  it("keeps the secret out of keys, values, errors, events and what the store and client print", async () => {
    const right = store();
    const tokens = client(right);
    await tokens.getToken();
    const wrong = await client(store(), `${SECRET}-wrong`).getToken().catch((error: unknown) => error);
    await redis.stop();
    await until(() => !right.isReady, 3_000, "the store to notice");
    await client(right).getToken({ forceRefresh: true });
    await redis.restart();
    await ready(right);
    await client(right).getToken({ forceRefresh: true });
    await storedToken();

    const unbound = await right.get("k").catch((error: unknown) => error);
    expect(isCellsAuthError(unbound) && unbound.code).to.equal("invalid_config");
    const dump: string[] = [];
    for (const key of await raw.keys("*")) dump.push(key, Buffer.from((await raw.get(key)) ?? "", "base64").toString("latin1"), (await raw.get(key)) ?? "");
    expect(dump.length).to.be.above(0);
    expectNoSecret(dump.join("\n"), "Redis");
    expectNoSecret(JSON.stringify(events), "the events");
    expect(events.some((event) => event.type === "store_error")).to.equal(true);
    expectNoSecret(storeErrors.map(printable).join("\n"), "the store errors");
    expectNoSecret(printable(wrong), "the error");
    expectNoSecret(printable(unbound), "the unbound error");
    expectNoSecret([printable(right), printable(tokens), String(right)].join("\n"), "the store and the client");
  });

  it("checks its arguments at once, with invalid_config", () => {
    const code = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        return isCellsAuthError(error) ? error.code : String(error);
      }
      return "no error";
    };
    expect(code(() => createRedisTokenStore({} as never))).to.equal("invalid_config");
    expect(code(() => createRedisTokenStore({ url: "http://127.0.0.1" }))).to.equal("invalid_config");
    expect(code(() => createRedisTokenStore({ client: {} as never }))).to.equal("invalid_config");
    expect(code(() => createRedisTokenStore({ url: redis.url }, { leaseMs: -1 }))).to.equal("invalid_config");
    expect(code(() => createRedisTokenStore({ client: raw }, { leaseMs: REDIS_STORE_LIMITS.maxLeaseMs + 1 }))).to.equal("invalid_config");
    expect(code(() => createRedisTokenStore({ client: raw }, { leaseMs: REDIS_STORE_LIMITS.maxLeaseMs }))).to.equal("no error");
    expect(code(() => createRedisTokenStore({ url: redis.url }, { keyPrefix: 1 as never }))).to.equal("invalid_config");
  });

  it("takes a cluster or a Sentinel client; refuses with invalid_config any client it could not share through", () => {
    const refusal = (client: unknown) => {
      try {
        createRedisTokenStore({ client: client as never });
      } catch (error) {
        return isCellsAuthError(error) ? `${error.code}: ${error.message}` : String(error);
      }
      return "taken";
    };
    // Not connected: the store only looks at what kind of client it is given.
    expect(refusal(createCluster({ rootNodes: [{ url: redis.url }] }))).to.equal("taken");
    expect(refusal(createSentinel({ name: "tokens", sentinelRootNodes: [{ host: "127.0.0.1", port: redis.port }] }))).to.equal("taken");
    expect(refusal(createClient({ url: redis.url }))).to.equal("taken");
    expect(refusal(createClientPool({ url: redis.url }))).to.match(/^invalid_config: client is a client pool/);
    // A lease from a Sentinel client's acquire() (test/redis-sentinel.test.ts refuses a real one).
    expect(refusal({ isReady: true, isOpen: true, sendCommand: async () => "OK", release: () => undefined })).to.match(/^invalid_config: client is a lease from a Sentinel client's acquire\(\)/);
    // Another library's client (ioredis has sendCommand and status, no isReady).
    expect(refusal({ status: "ready", sendCommand: async () => "OK", once: () => undefined, off: () => undefined })).to.match(/^invalid_config: client must be a node-redis client: createClient\(\), createCluster\(\) or createSentinel\(\)/);
    const throwing = new Proxy({}, { get: () => { throw new Error("no"); } });
    expect(refusal(throwing)).to.match(/^invalid_config: client must be a node-redis client/);
  });

  it("shares through a client whose typeMapping reads bulk strings as Buffers (its commands get the default reply types)", async () => {
    const own = createClient({ url: redis.url });
    own.on("error", () => undefined);
    await own.connect();
    try {
      const buffers = own.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
      const [a, b] = [createRedisTokenStore({ client: buffers }), createRedisTokenStore({ client: buffers })];
      const before = requests();
      const first = await client(a).getToken();
      await storedToken();
      expect((await client(b).getToken()).accessToken).to.equal(first.accessToken);
      expect(requests() - before).to.equal(1);
      expect(events.filter((event) => event.type === "store_error")).to.deep.equal([]);
      await Promise.all([a.close(), b.close()]);
    } finally {
      own.destroy();
    }
  });

  it("works with a node-redis client you own, and leaves it open", async () => {
    const own = createClient({ url: redis.url });
    await own.connect();
    try {
      const shared = createRedisTokenStore({ client: own }, { keyPrefix: "app:" });
      const token = await client(shared).getToken();
      const key = await storedToken("app:");
      expect((await raw.keys("app:*")).sort()).to.deep.equal([key, `${key}:issued`]);
      await shared.close();
      expect(own.isReady).to.equal(true);
      expect((await client(createRedisTokenStore({ client: own }, { keyPrefix: "app:" })).getToken()).accessToken).to.equal(token.accessToken);
    } finally {
      own.destroy();
    }
  });
});
