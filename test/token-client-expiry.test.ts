// createTokenClient never hands out an expired token: not a cached one, not one that arrived after
// its lifetime, and not after the wall clock steps back (a token's life is counted on the monotonic
// clock from its arrival). And the token it hands out is frozen: one caller cannot change it for all.
import { expect } from "chai";
import { rejectionOf } from "./_async.js";
import { sendJson, tokenHandler, type Handler } from "./_http.js";
import { HOUR_S, useClientBench } from "./_token-client.js";

describe("createTokenClient: never an expired token", () => {
  const bench = useClientBench();

  /** Answers `token-<n>` tokens of `expiresIn` seconds and notes when each was issued, on the monotonic clock (the true time of the test). */
  function issuing(expiresIn: number): Map<string, number> {
    const issuedAt = new Map<string, number>();
    const answer = tokenHandler(expiresIn);
    bench.server.handle((request, res, index) => {
      issuedAt.set(`token-${index + 1}`, bench.time.monotonicNow());
      return answer(request, res, index);
    });
    return issuedAt;
  }

  /** Answers with `expiresIn` after `tookMs` have passed (a slow network), and the wall clock stepped by `wallStepMs` meanwhile. */
  const slowAnswer = (expiresIn: number | string, tookMs: number, wallStepMs = 0): Handler => (_request, res) => {
    bench.time.advance(tookMs);
    bench.time.stepWall(wallStepMs);
    sendJson(res, 200, { access_token: "late", token_type: "Bearer", expires_in: expiresIn });
  };

  it("past expiry minus skew, callers wait for a new token or get the error", async () => {
    const tokens = bench.client();
    const first = await tokens.getToken();
    bench.server.handle((_request, res) => sendJson(res, 500, "down"));
    bench.time.advanceTo(first.expiresAt - 30_000);
    expect(await rejectionOf(tokens.getToken())).to.include({ code: "http_error", status: 500 });
    bench.time.advanceTo(first.expiresAt + 1);
    expect((await rejectionOf(tokens.getToken())).code).to.equal("http_error");
  });

  it("refuses a token that arrives after its lifetime as a retryable timeout, and retries within the budget", async () => {
    bench.server.handle((request, res, index) => (index === 0 ? slowAnswer(1, 1_200)(request, res, index) : tokenHandler(HOUR_S)(request, res, index)));
    const token = await bench.client({ retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5_000 } }).getToken();
    expect(token.accessToken).to.equal("token-2");
    expect(token.expiresAt).to.be.above(bench.time.now());
    expect(bench.server.requests).to.have.length(2);
    const retries = bench.eventsOf("retry");
    expect(retries).to.have.length(1);
    expect(retries[0]).to.include({ attempt: 1, reason: "timeout" });
  });

  it("with no retry left, rejects with timeout rather than resolve with an expired token", async () => {
    bench.server.handle(slowAnswer("1", 1_000));
    const error = await rejectionOf(bench.client().getToken());
    expect(error).to.include({ code: "timeout", retryable: true, attempts: 1 });
    expect(error.message).to.contain("arrived expired");
  });

  describe("the wall clock decides nothing but expiresAt", () => {
    it("stepped back 60 s while 3-second tokens are in use: none of 57 calls gets an expired token", async () => {
      const issuedAt = issuing(3);
      const tokens = bench.client();
      const expired: string[] = [];
      for (let call = 0; call < 57; call++) {
        if (call === 10) bench.time.stepWall(-60_000);
        const { accessToken } = await tokens.getToken();
        const age = bench.time.monotonicNow() - issuedAt.get(accessToken)!;
        if (age >= 3_000) expired.push(`call ${call}: ${accessToken}, ${age} ms old`);
        bench.time.advance(100);
      }
      expect(expired).to.deep.equal([]);
      expect(issuedAt.size).to.be.at.least(2);
    });

    it("stepped forward an hour: the cached token is still served, and refreshed when its life says so", async () => {
      const tokens = bench.client();
      const first = await tokens.getToken();
      bench.time.stepWall(3_600_000);
      expect(await tokens.getToken()).to.equal(first);
      expect(bench.server.requests).to.have.length(1);
      bench.time.advance(3_600_000 - 29_000);
      expect((await tokens.getToken()).accessToken).to.equal("token-2");
    });

    it("stepped back during the request: the token's life counts on the monotonic clock, so one that arrives dead is refused", async () => {
      bench.server.handle(slowAnswer(1, 1_200, -60_000));
      const error = await rejectionOf(bench.client().getToken());
      expect(error).to.include({ code: "timeout", retryable: true });
      expect(error.message).to.contain("arrived expired");
    });

    it("still dates expiresAt on the wall clock, from when the request started", async () => {
      const token = await bench.client().getToken();
      expect(token.expiresAt).to.equal(bench.time.now() + HOUR_S * 1000);
    });
  });

  describe("a token handed out is frozen", () => {
    it("one caller cannot change the token, or the Authorization header, the others get", async () => {
      const tokens = bench.client();
      const token = await tokens.getToken();
      expect(Object.isFrozen(token)).to.equal(true);
      expect(() => Object.assign(token, { accessToken: "changed", expiresAt: 0 })).to.throw(TypeError);
      expect(await tokens.getToken()).to.deep.include({ accessToken: "token-1", expiresAt: token.expiresAt });
      expect(await tokens.getAuthorizationHeader()).to.equal("Bearer token-1");
    });
  });
});
