import { expect } from "chai";
import { authenticatedFetch, createCellsClient, createTokenClient, postAccessToken, processTokenResponse, type AccessToken, type LeaseResult, type TokenClientOptions, type TokenEvent, type TokenStore } from "../src/index.js";
import { eventually, manualClock, rejectionOf, sendJson, settle, startScriptedServer, thrownBy, tokenHandler, type ScriptedServer } from "./_http.js";

const HOUR_S = 3600;

describe("createTokenClient", () => {
  let server: ScriptedServer;
  let clock: ReturnType<typeof manualClock>;
  let events: TokenEvent[];
  const client = (options: TokenClientOptions = {}) =>
    createTokenClient({
      clientId: "id",
      clientSecret: "secret",
      baseUrl: server.baseUrl,
      now: clock.now,
      monotonicNow: clock.now,
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 20 },
      onEvent: (event) => events.push(event),
      ...options,
    });

  beforeEach(async () => {
    server = await startScriptedServer(tokenHandler(HOUR_S));
    clock = manualClock();
    events = [];
  });
  afterEach(() => server?.close());

  it("caches the token: a second call makes no request", async () => {
    const tokens = client();
    const first = await tokens.getToken();
    clock.advance(10 * 60_000);
    const second = await tokens.getToken();
    expect(second).to.equal(first);
    expect(server.requests).to.have.length(1);
  });

  it("takes null options like no options", async () => {
    const tokens = client();
    expect((await tokens.getToken(null as never)).accessToken).to.equal("token-1");
    expect(await tokens.getAuthorizationHeader(null as never)).to.equal("Bearer token-1");
  });

  it("gives the Authorization header value", async () => {
    expect(await client().getAuthorizationHeader()).to.equal("Bearer token-1");
  });

  it("makes one request for 10 000 concurrent callers on a cold client", async () => {
    server.handle(tokenHandler(HOUR_S, 50));
    const tokens = client();
    const all = await Promise.all(Array.from({ length: 10_000 }, () => tokens.getToken()));
    expect(server.requests).to.have.length(1);
    expect(new Set(all.map((token) => token.accessToken))).to.deep.equal(new Set(["token-1"]));
  });

  it("inside the refresh window, serves the valid token at once and refreshes once in the background", async () => {
    server.handle(tokenHandler(HOUR_S, 30));
    const tokens = client();
    const first = await tokens.getToken();
    clock.set(first.expiresAt - 200_000);
    const during = await Promise.all(Array.from({ length: 100 }, () => tokens.getToken()));
    expect(during.every((token) => token === first)).to.equal(true);
    await eventually(() => events.filter((event) => event.type === "token_issued").length === 2, "the refresh");
    await settle();
    expect(server.requests).to.have.length(2);
    expect((await tokens.getToken()).accessToken).to.equal("token-2");
    expect(server.requests).to.have.length(2);
  });

  it("scales the margins down for short-lived tokens: a 3-second token is used, and refreshed", async () => {
    server.handle(tokenHandler(3));
    const tokens = client();
    const first = await tokens.getToken();
    clock.advance(1_000);
    expect(await tokens.getToken()).to.equal(first);
    expect(server.requests).to.have.length(1);
    clock.advance(600);
    expect(await tokens.getToken()).to.equal(first);
    await eventually(() => server.requests.length === 2, "the refresh request");
  });

  it("when a background refresh fails, keeps serving the valid token and retries with backoff, not per call", async () => {
    const tokens = client({ retry: { maxRetries: 0, baseDelayMs: 1_000, maxDelayMs: 60_000 } });
    const first = await tokens.getToken();
    server.handle((_request, res) => sendJson(res, 503, "busy"));
    clock.set(first.expiresAt - 200_000);
    expect(await tokens.getToken()).to.equal(first);
    await eventually(() => events.some((event) => event.type === "refresh_failed"), "the failed refresh");
    expect(server.requests).to.have.length(2);
    const failed = events.find((event) => event.type === "refresh_failed");
    expect(failed).to.include({ type: "refresh_failed", code: "http_error", status: 503 });
    const retryInMs = failed?.type === "refresh_failed" ? failed.retryInMs : 0;
    expect(retryInMs).to.be.within(500, 1_000);

    for (let i = 0; i < 50; i++) expect(await tokens.getToken()).to.equal(first);
    await settle();
    expect(server.requests).to.have.length(2);

    clock.advance(retryInMs);
    server.handle(tokenHandler(HOUR_S));
    expect(await tokens.getToken()).to.equal(first);
    await eventually(() => events.filter((event) => event.type === "token_issued").length === 2, "the second refresh");
    expect(server.requests).to.have.length(3);
    expect((await tokens.getToken()).accessToken).to.equal("token-3");
  });

  it("adopts a refreshed token even when the server now grants a shorter lifetime: no refresh storm", async () => {
    const tokens = client();
    const first = await tokens.getToken();
    server.handle(tokenHandler(60));
    clock.set(first.expiresAt - 200_000);
    // 20 s: less than the new 60 s token's own refresh window (30 s), so one refresh is right.
    for (let i = 0; i < 20; i++) {
      await tokens.getToken();
      if (i === 0) await eventually(() => events.filter((event) => event.type === "token_issued").length === 2, "the refresh");
      clock.advance(1_000);
    }
    expect(server.requests).to.have.length(2);
    expect((await tokens.getToken()).accessToken).to.equal("token-2");
  });

  it("after a failure, waits out Retry-After instead of sending a request per caller", async () => {
    server.handle((_request, res) => sendJson(res, 429, { error: "rate_limited" }, { "retry-after": "120" }));
    const tokens = client({ retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 300_000 } });
    expect(await rejectionOf(tokens.getToken())).to.include({ code: "http_error", status: 429, retryAfterMs: 120_000, attempts: 1 });
    clock.advance(20_000);
    for (let i = 0; i < 100; i++) {
      const error = await rejectionOf(tokens.getToken());
      expect(error).to.include({ code: "http_error", status: 429, retryAfterMs: 100_000, attempts: 0 });
      expect(error.message).to.contain("the next may go in 100000 ms");
    }
    expect(server.requests).to.have.length(1);
    clock.advance(100_000);
    server.handle(tokenHandler(HOUR_S));
    expect((await tokens.getToken()).accessToken).to.equal("token-2");
  });

  it("after a failure without Retry-After, backs off before the next request", async () => {
    server.handle((_request, res) => sendJson(res, 500, "down"));
    const tokens = client({ retry: { maxRetries: 0, baseDelayMs: 1_000, maxDelayMs: 60_000 } });
    expect((await rejectionOf(tokens.getToken())).code).to.equal("http_error");
    const again = await rejectionOf(tokens.getToken());
    expect(again).to.include({ code: "http_error", attempts: 0 });
    expect(again.retryAfterMs).to.be.within(500, 1_000);
    expect(server.requests).to.have.length(1);
    clock.advance(1_000);
    server.handle(tokenHandler(HOUR_S));
    expect((await tokens.getToken()).accessToken).to.equal("token-2");
  });

  it("a failed background refresh honours Retry-After too", async () => {
    const tokens = client({ retry: { maxRetries: 0, baseDelayMs: 1_000, maxDelayMs: 60_000 } });
    const first = await tokens.getToken();
    server.handle((_request, res) => sendJson(res, 503, "busy", { "retry-after": "90" }));
    clock.set(first.expiresAt - 200_000);
    await tokens.getToken();
    await eventually(() => events.some((event) => event.type === "refresh_failed"), "the failed refresh");
    // Retry-After 90 s, but never longer than retry.maxDelayMs (60 s).
    expect(events.find((event) => event.type === "refresh_failed")).to.deep.include({ retryInMs: 60_000 });
    clock.advance(59_000);
    for (let i = 0; i < 20; i++) expect(await tokens.getToken()).to.equal(first);
    await settle();
    expect(server.requests).to.have.length(2);
  });

  it("never serves an expired token: past expiry minus skew, callers wait for a new one or get the error", async () => {
    const tokens = client();
    const first = await tokens.getToken();
    server.handle((_request, res) => sendJson(res, 500, "down"));
    clock.set(first.expiresAt - 30_000);
    const error = await rejectionOf(tokens.getToken());
    expect(error).to.include({ code: "http_error", status: 500 });
    clock.set(first.expiresAt + 1);
    expect((await rejectionOf(tokens.getToken())).code).to.equal("http_error");
  });

  it("shares one request among concurrent forceRefresh callers", async () => {
    server.handle(tokenHandler(HOUR_S, 30));
    const tokens = client();
    await tokens.getToken();
    const forced = await Promise.all(Array.from({ length: 20 }, () => tokens.getToken({ forceRefresh: true })));
    expect(server.requests).to.have.length(2);
    expect(new Set(forced.map((token) => token.accessToken))).to.deep.equal(new Set(["token-2"]));
    expect((await tokens.getToken()).accessToken).to.equal("token-2");
  });

  it("honours minTtlMs: a token too close to expiry for the caller is replaced", async () => {
    const tokens = client();
    const first = await tokens.getToken();
    clock.set(first.expiresAt - 30_000 - 60_000);
    expect(await tokens.getToken({ minTtlMs: 30_000 })).to.equal(first);
    expect((await tokens.getToken({ minTtlMs: 120_000 })).accessToken).to.equal("token-2");
  });

  it("returns a fresh token even when its whole lifetime is shorter than minTtlMs", async () => {
    server.handle(tokenHandler(60));
    const token = await client().getToken({ minTtlMs: 3_600_000 });
    expect(token.accessToken).to.equal("token-1");
    expect(server.requests).to.have.length(1);
  });

  it("a caller's abort rejects that caller only; the shared request goes on", async () => {
    server.handle(tokenHandler(HOUR_S, 60));
    const tokens = client();
    const controller = new AbortController();
    const aborted = tokens.getToken({ signal: controller.signal });
    const others = Promise.all([tokens.getToken(), tokens.getToken()]);
    setTimeout(() => controller.abort(), 10);
    expect((await rejectionOf(aborted)).code).to.equal("aborted");
    const [a, b] = await others;
    expect(a?.accessToken).to.equal("token-1");
    expect(b).to.equal(a);
    expect(server.requests).to.have.length(1);
  });

  it("invalidate drops the token only while it is still the cached one; parallel 401s cause one refresh", async () => {
    const tokens = client();
    const first = await tokens.getToken();
    await Promise.all(Array.from({ length: 50 }, () => tokens.invalidate(first.accessToken)));
    const next = await Promise.all(Array.from({ length: 50 }, () => tokens.getToken()));
    expect(server.requests).to.have.length(2);
    expect(next.every((token) => token.accessToken === "token-2")).to.equal(true);
    await tokens.invalidate(first.accessToken);
    expect(await tokens.getToken()).to.equal(next[0]);
    expect(server.requests).to.have.length(2);
    expect(events.filter((event) => event.type === "token_invalidated")).to.have.length(1);
  });

  it("reads a shared store before fetching, and writes what it fetches there, under a key without secrets", async () => {
    const writes: Array<{ key: string; token: AccessToken; ttlMs: number }> = [];
    const entries = new Map<string, AccessToken>();
    const store: TokenStore = {
      async get(key) {
        return entries.get(key);
      },
      async set(key, token, ttlMs) {
        writes.push({ key, token, ttlMs });
        entries.set(key, token);
      },
      async delete(key) {
        entries.delete(key);
      },
    };
    const first = await client({ store }).getToken();
    expect(writes).to.have.length(1);
    expect(writes[0]?.ttlMs).to.equal(first.expiresAt - clock.now());
    expect(writes[0]?.key).to.match(/^aspose-cells-cloud-auth:v1:[0-9a-f]{14}$/);
    const second = await client({ store }).getToken();
    expect(second).to.deep.equal(first);
    expect(server.requests).to.have.length(1);
  });

  it("ignores a stored token that is expired or malformed", async () => {
    const expired: AccessToken = { accessToken: "old", tokenType: "Bearer", expiresIn: 60, expiresAt: clock.now() - 1 };
    const bad: unknown[] = [expired, { accessToken: 5, expiresIn: 60, expiresAt: clock.now() + 60_000 }, { accessToken: "x" }, "token", null, 42];
    for (const [index, value] of bad.entries()) {
      const store = { get: async () => value as AccessToken, set: async () => undefined, delete: async () => undefined };
      const token = await client({ store }).getToken();
      expect(token.accessToken, JSON.stringify(value)).to.equal(`token-${index + 1}`);
    }
    expect(server.requests).to.have.length(bad.length);
  });

  it("does not take the token it just invalidated back from a store that still holds it", async () => {
    const entries = new Map<string, AccessToken>();
    const store: TokenStore = {
      get: async (key) => entries.get(key),
      set: async (key, token) => void entries.set(key, token),
      delete: async () => undefined,
    };
    const tokens = client({ store });
    const first = await tokens.getToken();
    await tokens.invalidate(first.accessToken);
    expect((await tokens.getToken()).accessToken).to.equal("token-2");
    expect(server.requests).to.have.length(2);
  });

  it("keeps working when the store fails, and says so in an event", async () => {
    const broken: TokenStore = {
      get: async () => Promise.reject(new Error("store unreachable")),
      set: async () => Promise.reject(new Error("store unreachable")),
      delete: async () => Promise.reject(new Error("store unreachable")),
    };
    const tokens = client({ store: broken });
    const token = await tokens.getToken();
    expect(token.accessToken).to.equal("token-1");
    await tokens.invalidate(token.accessToken);
    const failedOperations = () => events.filter((event) => event.type === "store_error").map((event) => event.type === "store_error" && event.operation);
    await eventually(() => failedOperations().includes("set"), "the failed store.set");
    const operations = events.filter((event) => event.type === "store_error").map((event) => event.type === "store_error" && event.operation);
    expect(operations).to.include.members(["get", "set", "delete"]);
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
    const tokens = client({ store: silent, timeoutMs: 2_000 });
    const token = await tokens.getToken();
    expect(token.accessToken).to.equal("token-1");
    await tokens.invalidate(token.accessToken);
    await eventually(() => events.filter((event) => event.type === "store_error").length >= 3, "three store errors");
    const messages = events.filter((event) => event.type === "store_error").map((event) => event.type === "store_error" && event.message);
    expect(messages).to.include.members(["store.get took longer than 2000 ms", "store.set took longer than 2000 ms", "sync failure"]);
  });

  it("reports requests, issues and invalidations as events with fingerprints, not tokens", async () => {
    const tokens = client();
    const token = await tokens.getToken();
    await tokens.invalidate(token.accessToken);
    expect(events.map((event) => event.type)).to.deep.equal(["token_requested", "token_issued", "token_invalidated"]);
    const issued = events[1];
    expect(issued).to.include({ type: "token_issued", expiresIn: HOUR_S, expiresAt: token.expiresAt, attempts: 1 });
    expect(JSON.stringify(events)).not.to.contain(token.accessToken);
  });

  it("a listener that throws does not break token acquisition", async () => {
    const token = await client({ onEvent: () => { throw new Error("listener bug"); } }).getToken();
    expect(token.accessToken).to.equal("token-1");
  });

  it("shows only its base URL and client id when inspected or serialized", async () => {
    const { inspect } = await import("node:util");
    const tokens = client();
    await tokens.getToken();
    expect(JSON.parse(JSON.stringify(tokens))).to.deep.equal({ baseUrl: server.baseUrl, clientId: "id" });
    expect(inspect(tokens)).to.equal(`TokenClient ${JSON.stringify({ baseUrl: server.baseUrl, clientId: "id" })}`);
  });
});

describe("createTokenClient at the edges", () => {
  let server: ScriptedServer;
  let wall: ReturnType<typeof manualClock>;
  let monotonic: ReturnType<typeof manualClock>;
  let events: TokenEvent[];
  const client = (options: TokenClientOptions = {}) =>
    createTokenClient({
      clientId: "id",
      clientSecret: "secret",
      baseUrl: server.baseUrl,
      now: wall.now,
      monotonicNow: monotonic.now,
      retry: { maxRetries: 0, baseDelayMs: 1_000, maxDelayMs: 5_000 },
      onEvent: (event) => events.push(event),
      ...options,
    });

  beforeEach(async () => {
    server = await startScriptedServer(tokenHandler(HOUR_S));
    wall = manualClock();
    monotonic = manualClock(0);
    events = [];
  });
  afterEach(() => server?.close());

  describe("the wait after a failure is bounded by retry.maxDelayMs", () => {
    const lockouts: Array<[string, (res: Parameters<Parameters<ScriptedServer["handle"]>[0]>[1]) => void, number]> = [
      ["429 with Retry-After: 86400", (res) => sendJson(res, 429, "slow down", { "retry-after": "86400" }), 86_400_000],
      ["503 with Retry-After: Fri, 31 Dec 9999 23:59:59 GMT", (res) => sendJson(res, 503, "down", { "retry-after": "Fri, 31 Dec 9999 23:59:59 GMT" }), Date.UTC(9999, 11, 31, 23, 59, 59) - Date.UTC(2026, 0, 1)],
      ["401 with Retry-After: 31536000", (res) => sendJson(res, 401, { error: "invalid_client" }, { "retry-after": "31536000" }), 31_536_000_000],
    ];
    for (const [what, answer, serverAskedMs] of lockouts) {
      it(`${what}: the caller sees the server's wait, the client waits 5 s, then tries again`, async () => {
        server.handle((_request, res) => answer(res));
        const tokens = client();
        expect(await rejectionOf(tokens.getToken())).to.include({ retryAfterMs: serverAskedMs, attempts: 1 });
        for (const forceRefresh of [false, true]) {
          expect(await rejectionOf(tokens.getToken({ forceRefresh }))).to.include({ attempts: 0, retryAfterMs: 5_000 });
        }
        monotonic.advance(4_999);
        expect(await rejectionOf(tokens.getToken())).to.include({ attempts: 0, retryAfterMs: 1 });
        expect(server.requests).to.have.length(1);
        monotonic.advance(1);
        server.handle(tokenHandler(HOUR_S));
        expect((await tokens.getToken()).accessToken).to.equal("token-2");
      });
    }

    it("measures the wait on the monotonic clock: the wall clock stepping back an hour or on a day changes nothing", async () => {
      server.handle((_request, res) => sendJson(res, 500, "down"));
      const tokens = client();
      await rejectionOf(tokens.getToken());
      const waitMs = (await rejectionOf(tokens.getToken())).retryAfterMs as number;
      expect(waitMs).to.be.within(500, 1_000);
      wall.advance(-3_600_000);
      expect(await rejectionOf(tokens.getToken())).to.include({ attempts: 0, retryAfterMs: waitMs });
      wall.advance(86_400_000);
      expect(await rejectionOf(tokens.getToken())).to.include({ attempts: 0, retryAfterMs: waitMs });
      expect(server.requests).to.have.length(1);
      monotonic.advance(waitMs);
      server.handle(tokenHandler(HOUR_S));
      expect((await tokens.getToken()).accessToken).to.equal("token-2");
    });
  });

  describe("never an expired token", () => {
    /** Answers with `expiresIn` after the wall clock has moved on by `tookMs` (a slow network). */
    const slowAnswer = (expiresIn: number | string, tookMs: number) => (_request: unknown, res: Parameters<Parameters<ScriptedServer["handle"]>[0]>[1]) => {
      wall.advance(tookMs);
      sendJson(res, 200, { access_token: "late", token_type: "Bearer", expires_in: expiresIn });
    };

    it("refuses a token that arrives after its lifetime as a retryable timeout, and retries within the budget", async () => {
      let answers = 0;
      server.handle((request, res, index) => {
        answers += 1;
        if (index === 0) slowAnswer(1, 1_200)(request, res);
        else tokenHandler(HOUR_S)(request, res, index);
      });
      const token = await client({ retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5_000 } }).getToken();
      expect(token.accessToken).to.equal("token-2");
      expect(token.expiresAt).to.be.above(wall.now());
      expect(answers).to.equal(2);
      const retries = events.filter((event) => event.type === "retry");
      expect(retries).to.have.length(1);
      expect(retries[0]).to.include({ attempt: 1, reason: "timeout" });
    });

    it("with no retry left, rejects with timeout rather than resolve with an expired token", async () => {
      server.handle(slowAnswer("1", 1_000));
      const error = await rejectionOf(client().getToken());
      expect(error).to.include({ code: "timeout", retryable: true, attempts: 1 });
      expect(error.message).to.contain("arrived expired");
    });
  });

  describe("minTtlMs cannot cause a request storm", () => {
    it("minTtlMs of a whole lifetime, 100 calls: one request", async () => {
      const tokens = client();
      for (let i = 0; i < 100; i++) expect((await tokens.getToken({ minTtlMs: 3_600_000 })).accessToken).to.equal("token-1");
      expect(server.requests).to.have.length(1);
    });

    it("at most one request per refresh window (5 min) whatever minTtlMs asks, over an hour of calls", async () => {
      const tokens = client();
      for (let minute = 0; minute < 60; minute++) {
        await Promise.all(Array.from({ length: 10 }, () => tokens.getToken({ minTtlMs: 10 * 3_600_000 })));
        wall.advance(60_000);
      }
      expect(server.requests).to.have.length(12);
    });

    it("a minTtlMs below the cap still gets a token that lasts that long", async () => {
      const tokens = client();
      const first = await tokens.getToken();
      wall.set(first.expiresAt - 30_000 - 3_000_000);
      const lasting = await tokens.getToken({ minTtlMs: 3_000_000 });
      expect(lasting.accessToken).to.equal("token-2");
      expect(lasting.expiresAt - wall.now()).to.be.at.least(3_000_000);
    });
  });

  describe("a store whose lease never settles", () => {
    it("does not hang: the lease has the attempt time limit, then the client fetches alone (store_error)", async () => {
      let released = 0;
      let grant: (lease: LeaseResult) => void = () => undefined;
      const store: TokenStore = {
        get: async () => undefined,
        set: async () => undefined,
        delete: async () => undefined,
        lease: () => new Promise((resolve) => (grant = resolve)),
      };
      // The token request gets the same limit: far above what a busy machine needs for it.
      const tokens = client({ store, timeoutMs: 2_000 });
      const all = await Promise.all(Array.from({ length: 5 }, () => tokens.getToken()));
      expect(new Set(all.map((token) => token.accessToken))).to.deep.equal(new Set(["token-1"]));
      expect(events).to.deep.include({ type: "store_error", operation: "lease", message: "store.lease took longer than 2000 ms" });
      // A lease granted after the deadline is released at once: nobody fetches under it.
      grant({ status: "acquired", lease: { release: async () => void (released += 1) } });
      await eventually(() => released === 1, "the late lease to be released");
    });

    it("a lease() that returns garbage falls back to fetching alone", async () => {
      const hostile = { get status(): never { throw new Error("hostile"); } };
      const garbage: unknown[] = [null, 42, { status: "acquired" }, { status: "shared", token: "x" }, hostile];
      for (const [index, result] of garbage.entries()) {
        const store: TokenStore = { get: async () => undefined, set: async () => undefined, delete: async () => undefined, lease: async () => result as never };
        expect((await client({ store }).getToken()).accessToken, `lease result #${index}`).to.equal(`token-${index + 1}`);
      }
    });
  });

  describe("hostile options never give a raw error", () => {
    it("a now() that throws or returns NaN: a CellsAuthError, and no unhandled rejection", async () => {
      const unhandled: unknown[] = [];
      const listener = (reason: unknown) => unhandled.push(reason);
      process.on("unhandledRejection", listener);
      try {
        for (const now of [() => { throw new Error("clock broke"); }, () => Number.NaN, () => "soon" as unknown as number]) {
          const error = await rejectionOf(client({ now }).getToken());
          expect(error).to.include({ name: "CellsAuthError", code: "invalid_config" });
          expect(error.message).to.match(/^options\.now\(\)/);
        }
        let calls = 0;
        const failsLater = () => (++calls > 1 ? Number.NaN : Date.UTC(2026, 0, 1));
        expect((await rejectionOf(client({ now: failsLater }).getToken())).code).to.equal("invalid_config");
        await settle(50);
        expect(unhandled).to.deep.equal([]);
      } finally {
        process.off("unhandledRejection", listener);
      }
    });

    it("getToken() options given as a Proxy, or with a getter that throws: invalid_config", async () => {
      const tokens = client();
      const proxy = new Proxy({}, { get: () => { throw new Error("trap"); } });
      const getter = Object.defineProperty({}, "minTtlMs", { get: () => { throw new Error("getter"); }, enumerable: true });
      for (const options of [proxy, getter]) expect(await rejectionOf(tokens.getToken(options))).to.include({ name: "CellsAuthError", code: "invalid_config" });
      const signal = new Proxy(new AbortController().signal, { get: (target, key) => (key === "removeEventListener" ? () => { throw new Error("trap"); } : Reflect.get(target, key)) });
      expect((await tokens.getToken({ signal })).accessToken).to.equal("token-1");
    });
  });
});

describe("createTokenClient: what an adversarial review found", () => {
  let server: ScriptedServer;
  let monotonic: ReturnType<typeof manualClock>;
  const credentials = { clientId: "id", clientSecret: "3f9a0c2b7e1d4a5b8c6f0e9d2a1b3c4d" };
  beforeEach(async () => {
    server = await startScriptedServer(tokenHandler(HOUR_S));
    monotonic = manualClock(0);
  });
  afterEach(() => server.close());

  it("a signal whose removeEventListener throws later cannot crash the process or lose the token", async () => {
    server.handle((request, res, index) => (index === 0 ? sendJson(res, 503, "busy") : tokenHandler(HOUR_S)(request, res, index)));
    let calls = 0;
    const signal = { aborted: false, addEventListener() {}, removeEventListener() { if (calls++ > 0) throw new Error("listener gone"); } } as unknown as AbortSignal;
    const token = await postAccessToken({ ...credentials, baseUrl: server.baseUrl, signal, retry: { baseDelayMs: 10 } });
    expect(token.accessToken).to.equal("token-2");
    const tokens = createTokenClient({ ...credentials, baseUrl: server.baseUrl });
    expect((await tokens.getToken({ signal })).accessToken).to.equal("token-3");
  });

  it("a signal that throws when used, or lacks removeEventListener: invalid_config, never a code-less error", async () => {
    const throwing = { aborted: false, addEventListener() { throw new Error("no"); }, removeEventListener() {} } as unknown as AbortSignal;
    const halfway = { aborted: false, addEventListener() {} } as unknown as AbortSignal;
    for (const signal of [throwing, halfway]) {
      expect(await rejectionOf(postAccessToken({ ...credentials, baseUrl: server.baseUrl, signal }))).to.include({ code: "invalid_config" });
      expect(await rejectionOf(createTokenClient({ ...credentials, baseUrl: server.baseUrl }).getToken({ signal }))).to.include({ code: "invalid_config" });
    }
  });

  it("a store whose lease hands back a token that throws when read: the client fetches alone; every later error has a code", async () => {
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

  it("minTtlMs storms neither with refreshWindowMs 0 nor with an answer slower than the window", async () => {
    for (const [refreshWindowMs, latencyMs] of [[0, 0], [200, 5_000]] as const) {
      const wall = manualClock();
      // The answer takes latencyMs on the client's clock: the token's life counts from the request's start.
      server.handle((request, res, index) => {
        wall.advance(latencyMs);
        tokenHandler(HOUR_S)(request, res, index);
      });
      const before = server.requests.length;
      const tokens = createTokenClient({ ...credentials, baseUrl: server.baseUrl, refreshWindowMs, now: wall.now });
      for (let i = 0; i < 10; i++) await tokens.getToken({ minTtlMs: 3_600_000 });
      expect(server.requests.length - before, `refreshWindowMs ${refreshWindowMs}, latency ${latencyMs} ms`).to.equal(1);
    }
  });

  it("a monotonic clock that steps back does not lock the client out", async () => {
    server.handle((_request, res) => sendJson(res, 503, "down"));
    monotonic.set(3_600_000);
    const tokens = createTokenClient({ ...credentials, baseUrl: server.baseUrl, monotonicNow: monotonic.now, retry: { maxRetries: 0, maxDelayMs: 1_000 } });
    await rejectionOf(tokens.getToken());
    monotonic.set(0);
    server.handle(tokenHandler(HOUR_S));
    expect((await tokens.getToken()).accessToken).to.equal("token-2");
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
      const token = await createTokenClient({ ...credentials, baseUrl: server.baseUrl, store }).getToken();
      expect(token.expiresAt - Date.now(), (value as { accessToken: string }).accessToken).to.be.above(60_000);
      expect(token.expiresAt - Date.now()).to.be.at.most(token.expiresIn * 1000);
    }
  });

  it("refuses a base URL holding the secret split by a tab or line break, or 12 characters of it", () => {
    const { clientSecret } = credentials;
    // Tabs every 8 characters: no 12-character run as written, the whole secret once the URL parser drops them.
    const tabbed = clientSecret.match(/.{1,8}/g)!.join("\t");
    for (const baseUrl of [`https://api.example.test/v4.0/${clientSecret.slice(0, 16)}\n${clientSecret.slice(16)}`, `https://api.example.test/v4.0/${tabbed}`, `https://api.example.test/${clientSecret.slice(4, 24)}/v4.0`]) {
      const error = thrownBy(() => createTokenClient({ ...credentials, baseUrl }));
      expect(error.code, JSON.stringify(baseUrl)).to.equal("invalid_config");
      expect(error.message).not.to.contain(clientSecret.slice(0, 12));
    }
  });

  it("refuses a client id of invisible characters, monotonicNow beside tokens, and hostile arguments to authenticatedFetch and processTokenResponse", async () => {
    expect(thrownBy(() => createTokenClient({ ...credentials, clientId: "\u200b" }))).to.include({ code: "invalid_config" });
    const tokens = createTokenClient({ ...credentials, baseUrl: server.baseUrl });
    expect(thrownBy(() => createCellsClient({ tokens, monotonicNow: () => 0 } as never))).to.include({ code: "invalid_config" });
    expect(thrownBy(() => authenticatedFetch({} as never, fetch))).to.include({ code: "invalid_config" });
    const response = () => new Response('{"error":"x"}', { status: 401, headers: { "retry-after": "1" } });
    for (const [what, call] of [
      ["no response", () => processTokenResponse(undefined as never, { startedAt: 0 })],
      ["a clock that throws", () => processTokenResponse(response(), { startedAt: 0, now: () => { throw new Error("clock"); } })],
      ["secrets as a string", () => processTokenResponse(response(), { startedAt: 0, secrets: "abc" as never })],
      ["startedAt not a number", () => processTokenResponse(response(), { startedAt: "x" as never })],
    ] as const) {
      expect(await rejectionOf(call()), what).to.include({ name: "CellsAuthError", code: "invalid_config" });
    }
  });
});
