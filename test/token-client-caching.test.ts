// createTokenClient: the cache itself. One request for many callers, background refresh before
// expiry, forceRefresh, minTtlMs (and its cap), abort per caller, events and what it shows of itself.
import { expect } from "chai";
import { inspect } from "node:util";
import { createTokenClient } from "../src/index.js";
import { eventually, rejectionOf } from "./_async.js";
import { startScriptedServer, tokenHandler } from "./_http.js";
import { HOUR_S, useClientBench, virtualTime } from "./_token-client.js";

describe("createTokenClient: caching", () => {
  const bench = useClientBench();

  it("caches the token: a second call makes no request", async () => {
    const tokens = bench.client();
    const first = await tokens.getToken();
    bench.time.advance(10 * 60_000);
    const second = await tokens.getToken();
    expect(second).to.equal(first);
    expect(bench.server.requests).to.have.length(1);
  });

  it("takes null options like no options", async () => {
    const tokens = bench.client();
    expect((await tokens.getToken(null as never)).accessToken).to.equal("token-1");
    expect(await tokens.getAuthorizationHeader(null as never)).to.equal("Bearer token-1");
  });

  it("gives the Authorization header value", async () => {
    expect(await bench.client().getAuthorizationHeader()).to.equal("Bearer token-1");
  });

  it("makes one request for 10 000 concurrent callers on a cold client", async () => {
    bench.server.handle(tokenHandler(HOUR_S, 50));
    const tokens = bench.client();
    const all = await Promise.all(Array.from({ length: 10_000 }, () => tokens.getToken()));
    expect(bench.server.requests).to.have.length(1);
    expect(new Set(all.map((token) => token.accessToken))).to.deep.equal(new Set(["token-1"]));
  });

  it("inside the refresh window, serves the valid token at once and refreshes once in the background", async () => {
    bench.server.handle(tokenHandler(HOUR_S, 30));
    const tokens = bench.client();
    const first = await tokens.getToken();
    bench.time.advanceTo(first.expiresAt - 200_000);
    const during = await Promise.all(Array.from({ length: 100 }, () => tokens.getToken()));
    expect(during.every((token) => token === first)).to.equal(true);
    await eventually(async () => (await tokens.getToken()).accessToken === "token-2", "the refreshed token to be served");
    expect(bench.server.requests).to.have.length(2);
  });

  it("scales the margins down for short-lived tokens: a 3-second token is used, and refreshed", async () => {
    bench.server.handle(tokenHandler(3));
    const tokens = bench.client();
    const first = await tokens.getToken();
    bench.time.advance(1_000);
    expect(await tokens.getToken()).to.equal(first);
    expect(bench.server.requests).to.have.length(1);
    bench.time.advance(600);
    expect(await tokens.getToken()).to.equal(first);
    await eventually(() => bench.server.requests.length === 2, "the refresh request");
  });

  it("adopts a refreshed token even when the server now grants a shorter lifetime: no refresh storm", async () => {
    const tokens = bench.client();
    const first = await tokens.getToken();
    bench.server.handle(tokenHandler(60));
    bench.time.advanceTo(first.expiresAt - 200_000);
    // 20 s: less than the new 60 s token's own refresh window (30 s), so one refresh is right.
    for (let i = 0; i < 20; i++) {
      await tokens.getToken();
      if (i === 0) await eventually(async () => (await tokens.getToken()).accessToken === "token-2", "the refreshed token to be served");
      bench.time.advance(1_000);
    }
    expect(bench.server.requests).to.have.length(2);
    expect((await tokens.getToken()).accessToken).to.equal("token-2");
  });

  it("shares one request among concurrent forceRefresh callers", async () => {
    bench.server.handle(tokenHandler(HOUR_S, 30));
    const tokens = bench.client();
    await tokens.getToken();
    const forced = await Promise.all(Array.from({ length: 20 }, () => tokens.getToken({ forceRefresh: true })));
    expect(bench.server.requests).to.have.length(2);
    expect(new Set(forced.map((token) => token.accessToken))).to.deep.equal(new Set(["token-2"]));
    expect((await tokens.getToken()).accessToken).to.equal("token-2");
  });

  it("a caller's abort rejects that caller only; the shared request goes on", async () => {
    let answer: () => void = () => undefined;
    bench.server.handle((request, res, index) => void (answer = () => tokenHandler(HOUR_S)(request, res, index)));
    const tokens = bench.client();
    const controller = new AbortController();
    const aborted = tokens.getToken({ signal: controller.signal });
    const others = Promise.all([tokens.getToken(), tokens.getToken()]);
    await eventually(() => bench.server.requests.length === 1, "the token request");
    controller.abort();
    expect((await rejectionOf(aborted)).code).to.equal("aborted");
    answer();
    const [a, b] = await others;
    expect(a?.accessToken).to.equal("token-1");
    expect(b).to.equal(a);
    expect(bench.server.requests).to.have.length(1);
  });

  it("reports requests, issues and invalidations as events with fingerprints, not tokens", async () => {
    const tokens = bench.client();
    const token = await tokens.getToken();
    await tokens.invalidate(token.accessToken);
    expect(bench.events.map((event) => event.type)).to.deep.equal(["token_flight_started", "token_requested", "token_issued", "token_flight_landed", "token_invalidated"]);
    expect(bench.events[2]).to.include({ type: "token_issued", expiresIn: HOUR_S, expiresAt: token.expiresAt, attempts: 1 });
    expect(JSON.stringify(bench.events)).not.to.contain(token.accessToken);
  });

  it("a listener that throws does not break token acquisition", async () => {
    const token = await bench.client({ onEvent: () => { throw new Error("listener bug"); } }).getToken();
    expect(token.accessToken).to.equal("token-1");
  });

  it("shows only its base URL and client id when inspected or serialized", async () => {
    const tokens = bench.client();
    await tokens.getToken();
    expect(JSON.parse(JSON.stringify(tokens))).to.deep.equal({ baseUrl: bench.server.baseUrl, clientId: "id" });
    expect(inspect(tokens)).to.equal(`TokenClient ${JSON.stringify({ baseUrl: bench.server.baseUrl, clientId: "id" })}`);
  });

  describe("minTtlMs", () => {
    it("a token too close to expiry for the caller is replaced", async () => {
      const tokens = bench.client();
      const first = await tokens.getToken();
      bench.time.advanceTo(first.expiresAt - 30_000 - 60_000);
      expect(await tokens.getToken({ minTtlMs: 30_000 })).to.equal(first);
      expect((await tokens.getToken({ minTtlMs: 120_000 })).accessToken).to.equal("token-2");
    });

    it("returns a fresh token even when its whole lifetime is shorter than minTtlMs", async () => {
      bench.server.handle(tokenHandler(60));
      const token = await bench.client().getToken({ minTtlMs: 3_600_000 });
      expect(token.accessToken).to.equal("token-1");
      expect(bench.server.requests).to.have.length(1);
    });

    it("of a whole lifetime, 100 calls: one request", async () => {
      const tokens = bench.client();
      for (let i = 0; i < 100; i++) expect((await tokens.getToken({ minTtlMs: 3_600_000 })).accessToken).to.equal("token-1");
      expect(bench.server.requests).to.have.length(1);
    });

    it("at most one request per refresh window (5 min) whatever minTtlMs asks, over an hour of calls", async () => {
      const tokens = bench.client();
      for (let minute = 0; minute < 60; minute++) {
        await Promise.all(Array.from({ length: 10 }, () => tokens.getToken({ minTtlMs: 10 * 3_600_000 })));
        bench.time.advance(60_000);
      }
      expect(bench.server.requests).to.have.length(12);
    });

    it("below the cap, still gets a token that lasts that long", async () => {
      const tokens = bench.client();
      const first = await tokens.getToken();
      bench.time.advanceTo(first.expiresAt - 30_000 - 3_000_000);
      const lasting = await tokens.getToken({ minTtlMs: 3_000_000 });
      expect(lasting.accessToken).to.equal("token-2");
      expect(lasting.expiresAt - bench.time.now()).to.be.at.least(3_000_000);
    });

    it("storms neither with refreshWindowMs 0 nor with an answer slower than the window", async () => {
      const server = await startScriptedServer();
      try {
        for (const [refreshWindowMs, latencyMs] of [[0, 0], [200, 5_000]] as const) {
          const time = virtualTime();
          // The answer takes latencyMs: the token's life counts from the request's start.
          server.handle((request, res, index) => {
            time.advance(latencyMs);
            tokenHandler(HOUR_S)(request, res, index);
          });
          const before = server.requests.length;
          const tokens = createTokenClient({ clientId: "id", clientSecret: "secret", baseUrl: server.baseUrl, refreshWindowMs, now: time.now, monotonicNow: time.monotonicNow });
          for (let i = 0; i < 10; i++) await tokens.getToken({ minTtlMs: 3_600_000 });
          expect(server.requests.length - before, `refreshWindowMs ${refreshWindowMs}, latency ${latencyMs} ms`).to.equal(1);
        }
      } finally {
        await server.close();
      }
    });
  });
});
