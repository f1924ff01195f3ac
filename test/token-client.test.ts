import { expect } from "chai";
import { createTokenClient, type AccessToken, type TokenClientOptions, type TokenEvent, type TokenStore } from "../src/index.js";
import { manualClock, rejectionOf, sendJson, settle, startScriptedServer, tokenHandler, type ScriptedServer } from "./_http.js";

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
    await settle(80);
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
    await settle();
    expect(server.requests).to.have.length(2);
  });

  it("when a background refresh fails, keeps serving the valid token and retries with backoff, not per call", async () => {
    const tokens = client({ retry: { maxRetries: 0, baseDelayMs: 1_000, maxDelayMs: 60_000 } });
    const first = await tokens.getToken();
    server.handle((_request, res) => sendJson(res, 503, "busy"));
    clock.set(first.expiresAt - 200_000);
    expect(await tokens.getToken()).to.equal(first);
    await settle();
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
    await settle();
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
      await settle(2);
      clock.advance(1_000);
    }
    expect(server.requests).to.have.length(2);
    expect((await tokens.getToken()).accessToken).to.equal("token-2");
  });

  it("after a failure, waits out Retry-After instead of sending a request per caller", async () => {
    server.handle((_request, res) => sendJson(res, 429, { error: "rate_limited" }, { "retry-after": "120" }));
    const tokens = client();
    expect(await rejectionOf(tokens.getToken())).to.include({ code: "http_error", status: 429, retryAfterMs: 120_000, attempts: 1 });
    clock.advance(20_000);
    for (let i = 0; i < 100; i++) {
      const error = await rejectionOf(tokens.getToken());
      expect(error).to.include({ code: "http_error", status: 429, retryAfterMs: 100_000, attempts: 0 });
      expect(error.message).to.contain("next is allowed in 100000 ms");
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
    await settle();
    expect(events.find((event) => event.type === "refresh_failed")).to.deep.include({ retryInMs: 90_000 });
    clock.advance(60_000);
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
    await settle();
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
    const tokens = client({ store: silent, timeoutMs: 50 });
    const token = await tokens.getToken();
    expect(token.accessToken).to.equal("token-1");
    await tokens.invalidate(token.accessToken);
    await settle(80);
    const messages = events.filter((event) => event.type === "store_error").map((event) => event.type === "store_error" && event.message);
    expect(messages).to.include.members(["store.get took longer than 50 ms", "store.set took longer than 50 ms", "sync failure"]);
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
