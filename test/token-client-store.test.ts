// createTokenClient with a store: read before requesting, written after, checked like a response
// (a store is outside code), never failing token acquisition, and never deciding a held token's
// expiry by the wall clock again.
import { expect } from "chai";
import { createTokenClient, type AccessToken, type LeaseResult, type TokenStore } from "../src/index.js";
import { eventually, rejectionOf } from "./_async.js";
import { sendJson, startScriptedServer, thrownBy, tokenHandler, type ScriptedServer } from "./_http.js";
import { HOUR_S, useClientBench } from "./_token-client.js";

/** A store in a Map that records its writes. */
function mapStore(): TokenStore & { entries: Map<string, AccessToken>; writes: Array<{ key: string; token: AccessToken; ttlMs: number }> } {
  const entries = new Map<string, AccessToken>();
  const writes: Array<{ key: string; token: AccessToken; ttlMs: number }> = [];
  return {
    entries,
    writes,
    get: async (key) => entries.get(key),
    async set(key, token, ttlMs) {
      writes.push({ key, token, ttlMs });
      entries.set(key, token);
    },
    delete: async (key) => void entries.delete(key),
  };
}

describe("createTokenClient: a store", () => {
  const bench = useClientBench();

  it("reads a shared store before fetching, and writes what it fetches there, under a key without secrets", async () => {
    const store = mapStore();
    const first = await bench.client({ store }).getToken();
    expect(store.writes).to.have.length(1);
    expect(store.writes[0]?.ttlMs).to.equal(first.expiresAt - bench.time.now());
    expect(store.writes[0]?.key).to.match(/^aspose-cells-cloud-auth:v1:[0-9a-f]{14}$/);
    const second = await bench.client({ store }).getToken();
    expect(second).to.deep.equal(first);
    expect(Object.isFrozen(second)).to.equal(true);
    expect(bench.server.requests).to.have.length(1);
  });

  it("ignores a stored token that is expired or malformed", async () => {
    const now = bench.time.now();
    const bad: unknown[] = [{ accessToken: "old", tokenType: "Bearer", expiresIn: 60, expiresAt: now - 1 }, { accessToken: 5, expiresIn: 60, expiresAt: now + 60_000 }, { accessToken: "x" }, "token", null, 42];
    for (const [index, value] of bad.entries()) {
      const store = { get: async () => value as AccessToken, set: async () => undefined, delete: async () => undefined };
      const token = await bench.client({ store }).getToken();
      expect(token.accessToken, JSON.stringify(value)).to.equal(`token-${index + 1}`);
    }
    expect(bench.server.requests).to.have.length(bad.length);
  });

  it("does not take the token it just invalidated back from a store that still holds it", async () => {
    const store = { ...mapStore(), delete: async () => undefined };
    const tokens = bench.client({ store });
    const first = await tokens.getToken();
    await tokens.invalidate(first.accessToken);
    expect((await tokens.getToken()).accessToken).to.equal("token-2");
    expect(bench.server.requests).to.have.length(2);
  });

  it("keeps its own token's life when it reads it back after the wall clock stepped back (3-second tokens, 57 calls)", async () => {
    const issuedAt = new Map<string, number>();
    bench.server.handle((request, res, index) => {
      issuedAt.set(`token-${index + 1}`, bench.time.monotonicNow());
      tokenHandler(3)(request, res, index);
    });
    const tokens = bench.client({ store: mapStore() });
    const expired: string[] = [];
    for (let call = 0; call < 57; call++) {
      if (call === 10) bench.time.stepWall(-60_000);
      const { accessToken } = await tokens.getToken();
      const age = bench.time.monotonicNow() - issuedAt.get(accessToken)!;
      if (age >= 3_000) expired.push(`call ${call}: ${accessToken}, ${age} ms old`);
      bench.time.advance(100);
    }
    expect(expired).to.deep.equal([]);
  });

  it("keeps working when the store fails, and says so in an event", async () => {
    const broken: TokenStore = {
      get: async () => Promise.reject(new Error("store unreachable")),
      set: async () => Promise.reject(new Error("store unreachable")),
      delete: async () => Promise.reject(new Error("store unreachable")),
    };
    const tokens = bench.client({ store: broken });
    const token = await tokens.getToken();
    expect(token.accessToken).to.equal("token-1");
    await tokens.invalidate(token.accessToken);
    const failedOperations = () => bench.eventsOf("store_error").map((event) => event.operation);
    await eventually(() => failedOperations().includes("set"), "the failed store.set");
    expect(failedOperations()).to.include.members(["get", "set", "delete"]);
  });

  it("does not hang on a store that never answers, or that throws synchronously", async () => {
    const silent: TokenStore = {
      get: () => new Promise<undefined>(() => undefined),
      set: () => new Promise<void>(() => undefined),
      delete: () => {
        throw new Error("sync failure");
      },
    };
    // The token request gets the same limit: far above what a busy machine needs for it.
    const tokens = bench.client({ store: silent, timeoutMs: 2_000 });
    const token = await tokens.getToken();
    expect(token.accessToken).to.equal("token-1");
    await tokens.invalidate(token.accessToken);
    await eventually(() => bench.eventsOf("store_error").length >= 3, "three store errors");
    expect(bench.eventsOf("store_error").map((event) => event.message)).to.include.members(["store.get took longer than 2000 ms", "store.set took longer than 2000 ms", "sync failure"]);
  });

  it("a stored token is copied once and held to the response's rules", async () => {
    const now = Date.now();
    let reads = 0;
    const stored: unknown[] = [
      { accessToken: "tiny", tokenType: "Bearer", expiresIn: 1e-9, expiresAt: now + 2 },
      { accessToken: "forever", tokenType: "Bearer", expiresIn: 1, expiresAt: now + 10 * 365 * 86_400_000 },
      { accessToken: "flip", tokenType: "Bearer", expiresIn: HOUR_S, get expiresAt() { return reads++ < 1 ? now + 3_600_000 : now - 1_000; } },
    ];
    for (const value of stored) {
      const store: TokenStore = { get: async () => value as AccessToken, set: async () => undefined, delete: async () => undefined };
      const token = await createTokenClient({ clientId: "id", clientSecret: "secret", baseUrl: bench.server.baseUrl, store }).getToken();
      expect(token.expiresAt - Date.now(), (value as { accessToken: string }).accessToken).to.be.above(60_000);
      expect(token.expiresAt - Date.now()).to.be.at.most(token.expiresIn * 1000);
    }
  });

  describe("a store with lease", () => {
    it("whose lease never settles does not hang: the lease has the attempt time limit, then the client fetches alone (store_error)", async () => {
      let released = 0;
      let grant: (lease: LeaseResult) => void = () => undefined;
      const store: TokenStore = {
        get: async () => undefined,
        set: async () => undefined,
        delete: async () => undefined,
        lease: () => new Promise((resolve) => (grant = resolve)),
      };
      // The token request gets the same limit: far above what a busy machine needs for it.
      const tokens = bench.client({ store, timeoutMs: 2_000 });
      const all = await Promise.all(Array.from({ length: 5 }, () => tokens.getToken()));
      expect(new Set(all.map((token) => token.accessToken))).to.deep.equal(new Set(["token-1"]));
      expect(bench.events).to.deep.include({ type: "store_error", operation: "lease", message: "store.lease took longer than 2000 ms" });
      // A lease granted after the deadline is released at once: nobody fetches under it.
      grant({ status: "acquired", lease: { release: async () => void (released += 1) } });
      await eventually(() => released === 1, "the late lease to be released");
    });

    it("whose lease() returns garbage falls back to fetching alone", async () => {
      const hostile = { get status(): never { throw new Error("hostile"); } };
      const garbage: unknown[] = [null, 42, { status: "acquired" }, { status: "shared", token: "x" }, hostile];
      for (const [index, result] of garbage.entries()) {
        const store: TokenStore = { get: async () => undefined, set: async () => undefined, delete: async () => undefined, lease: async () => result as never };
        expect((await bench.client({ store }).getToken()).accessToken, `lease result #${index}`).to.equal(`token-${index + 1}`);
      }
    });
  });
});

describe("createTokenClient: a hostile store", () => {
  let server: ScriptedServer;
  const credentials = { clientId: "id", clientSecret: "3f9a0c2b7e1d4a5b8c6f0e9d2a1b3c4d" };
  beforeEach(async () => {
    server = await startScriptedServer(tokenHandler(HOUR_S));
  });
  afterEach(() => server.close());

  it("whose lease hands back a token that throws when read: the client fetches alone; every later error has a code", async () => {
    const entries = new Map<string, AccessToken>();
    const store: TokenStore = {
      get: async (key) => entries.get(key),
      set: async (key, token) => void entries.set(key, token),
      delete: async (key) => void entries.delete(key),
      lease: async () => ({ status: "shared", token: new Proxy({}, { get() { throw new Error("store internals"); } }) }) as never,
    };
    const tokens = createTokenClient({ ...credentials, baseUrl: server.baseUrl, store });
    expect((await tokens.getToken()).accessToken).to.equal("token-1");
    const trap = Object.defineProperty({ get: async () => undefined, set: async () => undefined, delete: async () => undefined }, "lease", { get() { throw new Error("getter"); } });
    expect(thrownBy(() => createTokenClient({ ...credentials, baseUrl: server.baseUrl, store: trap as TokenStore }))).to.include({ code: "invalid_config" });
  });

  it("that fails every call never fails token acquisition with a raw error", async () => {
    server.handle((_request, res) => sendJson(res, 500, "down"));
    const store: TokenStore = { get: () => { throw new Error("get"); }, set: () => { throw new Error("set"); }, delete: () => { throw new Error("delete"); } };
    const error = await rejectionOf(createTokenClient({ ...credentials, baseUrl: server.baseUrl, store, retry: { maxRetries: 0 } }).getToken());
    expect(error).to.include({ name: "CellsAuthError", code: "http_error", status: 500 });
  });
});
