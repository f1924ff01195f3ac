// createTokenClient after failures: the still-valid token keeps being served, new requests wait
// for a bounded cool-down (on the monotonic clock), and a 401 drops a token at most once per hold.
import { expect } from "chai";
import { eventually, rejectionOf, turn } from "./_async.js";
import { sendJson, tokenHandler, type ScriptedServer } from "./_http.js";
import { HOUR_S, useClientBench } from "./_token-client.js";

type Answer = (res: Parameters<Parameters<ScriptedServer["handle"]>[0]>[1]) => void;

describe("createTokenClient: failures", () => {
  const bench = useClientBench({ maxRetries: 0, baseDelayMs: 1_000, maxDelayMs: 60_000 });

  it("when a background refresh fails, keeps serving the valid token and retries with backoff, not per call", async () => {
    const tokens = bench.client();
    const first = await tokens.getToken();
    bench.server.handle((_request, res) => sendJson(res, 503, "busy"));
    bench.time.advanceTo(first.expiresAt - 200_000);
    expect(await tokens.getToken()).to.equal(first);
    const failed = await refreshFailure();
    expect(bench.server.requests).to.have.length(2);
    expect(failed).to.include({ type: "refresh_failed", code: "http_error", status: 503 });
    expect(failed.retryInMs).to.be.within(500, 1_000);

    for (let i = 0; i < 50; i++) expect(await tokens.getToken()).to.equal(first);
    await turn();
    expect(bench.eventsOf("token_requested")).to.have.length(2);

    bench.time.advance(failed.retryInMs);
    bench.server.handle(tokenHandler(HOUR_S));
    expect(await tokens.getToken()).to.equal(first);
    await eventuallyServed(tokens, "token-3");
    expect(bench.server.requests).to.have.length(3);
  });

  it("after a failure, waits out Retry-After instead of sending a request per caller", async () => {
    bench.server.handle((_request, res) => sendJson(res, 429, { error: "rate_limited" }, { "retry-after": "120" }));
    const tokens = bench.client({ retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 300_000 } });
    expect(await rejectionOf(tokens.getToken())).to.include({ code: "http_error", status: 429, retryAfterMs: 120_000, attempts: 1 });
    bench.time.advance(20_000);
    for (let i = 0; i < 100; i++) {
      const error = await rejectionOf(tokens.getToken());
      expect(error).to.include({ code: "http_error", status: 429, retryAfterMs: 100_000, attempts: 0 });
      expect(error.message).to.contain("the next may go in 100000 ms");
    }
    expect(bench.server.requests).to.have.length(1);
    bench.time.advance(100_000);
    bench.server.handle(tokenHandler(HOUR_S));
    expect((await tokens.getToken()).accessToken).to.equal("token-2");
  });

  it("after a failure without Retry-After, backs off before the next request", async () => {
    bench.server.handle((_request, res) => sendJson(res, 500, "down"));
    const tokens = bench.client();
    expect((await rejectionOf(tokens.getToken())).code).to.equal("http_error");
    const again = await rejectionOf(tokens.getToken());
    expect(again).to.include({ code: "http_error", attempts: 0 });
    expect(again.retryAfterMs).to.be.within(500, 1_000);
    expect(bench.server.requests).to.have.length(1);
    bench.time.advance(1_000);
    bench.server.handle(tokenHandler(HOUR_S));
    expect((await tokens.getToken()).accessToken).to.equal("token-2");
  });

  it("a failed background refresh honours Retry-After too, up to retry.maxDelayMs", async () => {
    const tokens = bench.client();
    const first = await tokens.getToken();
    bench.server.handle((_request, res) => sendJson(res, 503, "busy", { "retry-after": "90" }));
    bench.time.advanceTo(first.expiresAt - 200_000);
    await tokens.getToken();
    // Retry-After 90 s, but never longer than retry.maxDelayMs (60 s).
    expect(await refreshFailure()).to.deep.include({ retryInMs: 60_000 });
    bench.time.advance(59_000);
    for (let i = 0; i < 20; i++) expect(await tokens.getToken()).to.equal(first);
    await turn();
    expect(bench.eventsOf("token_requested")).to.have.length(2);
  });

  it("invalidate drops the token only while it is still the cached one; parallel 401s cause one refresh", async () => {
    const tokens = bench.client();
    const first = await tokens.getToken();
    await Promise.all(Array.from({ length: 50 }, () => tokens.invalidate(first.accessToken)));
    const next = await Promise.all(Array.from({ length: 50 }, () => tokens.getToken()));
    expect(bench.server.requests).to.have.length(2);
    expect(next.every((token) => token.accessToken === "token-2")).to.equal(true);
    await tokens.invalidate(first.accessToken);
    expect(await tokens.getToken()).to.equal(next[0]);
    expect(bench.server.requests).to.have.length(2);
    expect(bench.eventsOf("token_invalidated")).to.have.length(1);
  });

  it("a monotonic clock that steps back does not lock the client out", async () => {
    bench.server.handle((_request, res) => sendJson(res, 503, "down"));
    let monotonic = 3_600_000;
    const tokens = bench.client({ monotonicNow: () => monotonic, retry: { maxRetries: 0, maxDelayMs: 1_000 } });
    await rejectionOf(tokens.getToken());
    monotonic = 0;
    bench.server.handle(tokenHandler(HOUR_S));
    expect((await tokens.getToken()).accessToken).to.equal("token-2");
  });

  describe("the wait after a failure is bounded by retry.maxDelayMs", () => {
    const lockouts: Array<[string, Answer, number]> = [
      ["429 with Retry-After: 86400", (res) => sendJson(res, 429, "slow down", { "retry-after": "86400" }), 86_400_000],
      ["503 with Retry-After: Fri, 31 Dec 9999 23:59:59 GMT", (res) => sendJson(res, 503, "down", { "retry-after": "Fri, 31 Dec 9999 23:59:59 GMT" }), Date.UTC(9999, 11, 31, 23, 59, 59) - Date.UTC(2026, 0, 1)],
      ["401 with Retry-After: 31536000", (res) => sendJson(res, 401, { error: "invalid_client" }, { "retry-after": "31536000" }), 31_536_000_000],
    ];
    for (const [what, answer, serverAskedMs] of lockouts) {
      it(`${what}: the caller sees the server's wait, the client waits 5 s, then tries again`, async () => {
        bench.server.handle((_request, res) => answer(res));
        const tokens = bench.client({ retry: { maxRetries: 0, baseDelayMs: 1_000, maxDelayMs: 5_000 } });
        expect(await rejectionOf(tokens.getToken())).to.include({ retryAfterMs: serverAskedMs, attempts: 1 });
        for (const forceRefresh of [false, true]) {
          expect(await rejectionOf(tokens.getToken({ forceRefresh }))).to.include({ attempts: 0, retryAfterMs: 5_000 });
        }
        bench.time.advance(4_999);
        expect(await rejectionOf(tokens.getToken())).to.include({ attempts: 0, retryAfterMs: 1 });
        expect(bench.server.requests).to.have.length(1);
        bench.time.advance(1);
        bench.server.handle(tokenHandler(HOUR_S));
        expect((await tokens.getToken()).accessToken).to.equal("token-2");
      });
    }

    it("measures the wait on the monotonic clock: the wall clock stepping back an hour or on a day changes nothing", async () => {
      bench.server.handle((_request, res) => sendJson(res, 500, "down"));
      const tokens = bench.client({ retry: { maxRetries: 0, baseDelayMs: 1_000, maxDelayMs: 5_000 } });
      await rejectionOf(tokens.getToken());
      const waitMs = (await rejectionOf(tokens.getToken())).retryAfterMs as number;
      expect(waitMs).to.be.within(500, 1_000);
      bench.time.stepWall(-3_600_000);
      expect(await rejectionOf(tokens.getToken())).to.include({ attempts: 0, retryAfterMs: waitMs });
      bench.time.stepWall(86_400_000);
      expect(await rejectionOf(tokens.getToken())).to.include({ attempts: 0, retryAfterMs: waitMs });
      expect(bench.server.requests).to.have.length(1);
      bench.time.advance(waitMs);
      bench.server.handle(tokenHandler(HOUR_S));
      expect((await tokens.getToken()).accessToken).to.equal("token-2");
    });
  });

  /** The `refresh_failed` event of the background refresh under way. */
  async function refreshFailure() {
    await eventually(() => bench.eventsOf("refresh_failed").length > 0, "the failed refresh");
    return bench.eventsOf("refresh_failed")[0]!;
  }

  async function eventuallyServed(tokens: { getToken(): Promise<{ accessToken: string }> }, accessToken: string): Promise<void> {
    await eventually(async () => (await tokens.getToken()).accessToken === accessToken, `${accessToken} to be served`);
  }
});
