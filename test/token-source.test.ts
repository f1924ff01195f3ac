// createTokenSource (aspose-cells-cloud-auth/client): the token cache of createTokenClient over any
// async function. Every rule of the cache holds; what fetchToken resolves to is checked.
import { expect } from "chai";
import { inspect } from "node:util";
import { createTokenSource, type TokenEvent, type TokenSourceOptions, type TokenSourceResult } from "../src/client.js";
import { DEFAULT_BASE_URL } from "../src/defaults.js";
import { eventually, rejectionOf, turn } from "./_async.js";
import { thrownBy } from "./_http.js";
import { virtualTime, type VirtualTime } from "./_token-client.js";

describe("createTokenSource", () => {
  let time: VirtualTime;
  let events: TokenEvent[];
  let calls: Array<{ signal: AbortSignal }>;
  /** What the next fetchToken calls resolve to (or how they fail). */
  let answer: (n: number) => Promise<TokenSourceResult>;

  const source = (options: Partial<TokenSourceOptions> = {}) =>
    createTokenSource({
      fetchToken: async (context) => {
        calls.push(context);
        return answer(calls.length);
      },
      now: time.now,
      monotonicNow: time.monotonicNow,
      onEvent: (event) => events.push(event),
      retry: { baseDelayMs: 1_000, maxDelayMs: 5_000 },
      ...options,
    });

  beforeEach(() => {
    time = virtualTime();
    events = [];
    calls = [];
    answer = async (n) => ({ accessToken: `source-${n}`, expiresIn: 3_600 });
  });

  it("calls fetchToken once for 1 000 concurrent callers, with an AbortSignal, and caches what it resolves to", async () => {
    const tokens = source();
    const all = await Promise.all(Array.from({ length: 1_000 }, () => tokens.getToken()));
    expect(calls).to.have.length(1);
    expect(calls[0]?.signal).to.be.instanceOf(AbortSignal);
    expect(new Set(all)).to.have.property("size", 1);
    expect(all[0]).to.deep.equal({ accessToken: "source-1", tokenType: "Bearer", expiresIn: 3_600, expiresAt: time.now() + 3_600_000 });
    time.advance(30 * 60_000);
    expect(await tokens.getToken()).to.equal(all[0]);
    expect(await tokens.getAuthorizationHeader()).to.equal("Bearer source-1");
    expect(calls).to.have.length(1);
  });

  it("hands out frozen tokens", async () => {
    const token = await source().getToken();
    expect(Object.isFrozen(token)).to.equal(true);
  });

  it("refreshes in the background inside the refresh window, serving the valid token meanwhile", async () => {
    const tokens = source();
    const first = await tokens.getToken();
    time.advance(3_600_000 - 200_000);
    expect(await tokens.getToken()).to.equal(first);
    await eventually(async () => (await tokens.getToken()).accessToken === "source-2", "the refreshed token to be served");
    expect(calls).to.have.length(2);
  });

  it("takes expiresAt instead of expiresIn, and the earlier of the two when both are given", async () => {
    answer = async () => ({ accessToken: "at", expiresAt: time.now() + 600_000 });
    expect(await source().getToken()).to.deep.include({ accessToken: "at", expiresIn: 600, expiresAt: time.now() + 600_000 });
    answer = async () => ({ accessToken: "both", expiresIn: 3_600, expiresAt: time.now() + 120_000, tokenType: "bearer" });
    expect(await source().getToken()).to.deep.include({ accessToken: "both", tokenType: "Bearer", expiresAt: time.now() + 120_000 });
  });

  it("never hands out a token that comes back already expired: a retryable timeout", async () => {
    answer = async () => ({ accessToken: "dead", expiresAt: time.now() - 1 });
    const error = await rejectionOf(source().getToken());
    expect(error).to.include({ name: "CellsAuthError", code: "timeout", retryable: true });
    expect(error.message).to.contain("arrived expired");
  });

  it("counts a token's life on the monotonic clock: the wall clock stepped back serves no expired token", async () => {
    answer = async (n) => ({ accessToken: `short-${n}`, expiresIn: 3 });
    const issuedAt = new Map<string, number>();
    const tokens = source({
      fetchToken: async () => {
        const token = await answer(issuedAt.size + 1);
        issuedAt.set(token.accessToken, time.monotonicNow());
        return token;
      },
    });
    const expired: string[] = [];
    for (let call = 0; call < 57; call++) {
      if (call === 10) time.stepWall(-60_000);
      const { accessToken } = await tokens.getToken();
      if (time.monotonicNow() - issuedAt.get(accessToken)! >= 3_000) expired.push(`call ${call}: ${accessToken}`);
      time.advance(100);
    }
    expect(expired).to.deep.equal([]);
  });

  it("refuses anything else fetchToken resolves to with invalid_response, never quoting the token", async () => {
    const secretish = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0";
    const results: unknown[] = [
      undefined,
      null,
      "a string",
      {},
      { accessToken: 42, expiresIn: 60 },
      { accessToken: "has spaces in it", expiresIn: 60 },
      { accessToken: secretish },
      { accessToken: secretish, expiresIn: 0 },
      { accessToken: secretish, expiresIn: "3600" },
      { accessToken: secretish, expiresAt: "soon" },
      { accessToken: secretish, expiresIn: 60, tokenType: "MAC" },
      { access_token: secretish, expires_in: 3600 },
      { get accessToken(): never { throw new Error("getter"); } },
    ];
    for (const [index, result] of results.entries()) {
      answer = async () => result as TokenSourceResult;
      const error = await rejectionOf(source().getToken());
      expect(error, `result #${index}`).to.include({ name: "CellsAuthError", code: "invalid_response" });
      expect(error.message).to.contain("fetchToken resolved").and.not.contain(secretish);
    }
  });

  it("a rejection of fetchToken is a retryable network error with it as cause; a CellsAuthError passes as it is", async () => {
    const failure = new TypeError("Failed to fetch");
    answer = () => Promise.reject(failure);
    const error = await rejectionOf(source().getToken());
    expect(error).to.include({ name: "CellsAuthError", code: "network", retryable: true });
    expect(error.cause).to.equal(failure);
    const own = await rejectionOf(createTokenSource({ fetchToken: () => Promise.reject(error) }).getToken());
    expect(own).to.equal(error);
    const thrown = await rejectionOf(createTokenSource({ fetchToken: () => { throw failure; } }).getToken());
    expect(thrown).to.include({ code: "network" });
  });

  it("a fetchToken that never settles: a timeout after timeoutMs, and its signal aborts", async () => {
    answer = () => new Promise<never>(() => undefined);
    const error = await rejectionOf(source({ timeoutMs: 50 }).getToken());
    expect(error).to.include({ code: "timeout", retryable: true });
    expect(calls[0]?.signal.aborted).to.equal(true);
  });

  it("after a failure, cools down: callers get the error (attempts 0, retryAfterMs) without a call per caller", async () => {
    answer = () => Promise.reject(new Error("backend down"));
    const tokens = source();
    await rejectionOf(tokens.getToken());
    for (let i = 0; i < 20; i++) expect(await rejectionOf(tokens.getToken())).to.include({ code: "network", attempts: 0 });
    expect(calls).to.have.length(1);
    time.advance(1_000);
    answer = async (n) => ({ accessToken: `source-${n}`, expiresIn: 3_600 });
    expect((await tokens.getToken()).accessToken).to.equal("source-2");
  });

  it("a caller's abort rejects that caller only; the shared call goes on", async () => {
    let resolve: (result: TokenSourceResult) => void = () => undefined;
    answer = () => new Promise((settle) => (resolve = settle));
    const tokens = source();
    const caller = new AbortController();
    const aborted = tokens.getToken({ signal: caller.signal });
    const other = tokens.getToken();
    caller.abort();
    expect(await rejectionOf(aborted)).to.include({ code: "aborted" });
    resolve({ accessToken: "shared", expiresIn: 60 });
    expect((await other).accessToken).to.equal("shared");
    expect(calls).to.have.length(1);
  });

  it("invalidate drops the token once for parallel 401s, then keeps a token rejected within the hold", async () => {
    const tokens = source();
    const first = await tokens.getToken();
    await Promise.all(Array.from({ length: 20 }, () => tokens.invalidate(first.accessToken)));
    const second = await tokens.getToken();
    expect(second.accessToken).to.equal("source-2");
    await tokens.invalidate(second.accessToken);
    expect(await tokens.getToken()).to.equal(second);
    expect(calls).to.have.length(2);
  });

  it("honours minTtlMs and forceRefresh", async () => {
    const tokens = source();
    const first = await tokens.getToken();
    time.advance(3_600_000 - 30_000 - 60_000);
    expect(await tokens.getToken({ minTtlMs: 30_000 })).to.equal(first);
    expect((await tokens.getToken({ minTtlMs: 120_000 })).accessToken).to.equal("source-2");
    expect((await tokens.getToken({ forceRefresh: true })).accessToken).to.equal("source-3");
  });

  it("reports token_requested and token_issued (with a fingerprint, not the token), refresh_failed and token_invalidated", async () => {
    const tokens = source();
    const token = await tokens.getToken();
    answer = () => Promise.reject(new Error("down"));
    time.advance(3_600_000 - 200_000);
    await tokens.getToken();
    await eventually(() => events.some((event) => event.type === "refresh_failed"), "the failed refresh");
    await tokens.invalidate(token.accessToken);
    await turn();
    expect(events.map((event) => event.type)).to.deep.equal([
      ...["token_flight_started", "token_requested", "token_issued", "token_flight_landed"],
      ...["token_flight_started", "token_requested", "token_flight_failed", "refresh_failed", "token_invalidated"],
    ]);
    expect(events[2]).to.include({ expiresIn: 3_600, attempts: 1 });
    expect(JSON.stringify(events)).not.to.contain(token.accessToken);
  });

  describe("options", () => {
    it("needs fetchToken, and checks the others: invalid_config, or insecure_url for http:// off loopback", () => {
      expect(thrownBy(() => createTokenSource(undefined as never))).to.include({ code: "invalid_config" });
      expect(thrownBy(() => createTokenSource({} as never))).to.include({ code: "invalid_config" });
      const fetchToken = async () => ({ accessToken: "x", expiresIn: 60 });
      for (const bad of [{ baseUrl: "not a url" }, { timeoutMs: 0 }, { refreshWindowMs: -1 }, { now: "now" }, { onEvent: 1 }, { retry: { maxDelayMs: "5" } }]) {
        expect(thrownBy(() => createTokenSource({ fetchToken, ...(bad as object) })), JSON.stringify(bad)).to.include({ code: "invalid_config" });
      }
      expect(thrownBy(() => createTokenSource({ fetchToken, store: {} } as never))).to.include({ code: "invalid_config" });
      expect(thrownBy(() => createTokenSource({ fetchToken, baseUrl: "http://api.example.test/v4.0" }))).to.include({ code: "insecure_url" });
      expect(createTokenSource({ fetchToken, baseUrl: "http://127.0.0.1:1/v4.0/" }).baseUrl).to.equal("http://127.0.0.1:1/v4.0");
    });

    it("defaults baseUrl to the Aspose API, and shows only it when inspected or serialized", () => {
      const saved = process.env.ASPOSE_CLOUD_API_URL;
      delete process.env.ASPOSE_CLOUD_API_URL;
      try {
        const tokens = createTokenSource({ fetchToken: async () => ({ accessToken: "x", expiresIn: 60 }) });
        expect(tokens.baseUrl).to.equal(DEFAULT_BASE_URL);
        expect(JSON.parse(JSON.stringify(tokens))).to.deep.equal({ baseUrl: DEFAULT_BASE_URL });
        expect(inspect(tokens)).to.equal(`TokenSource ${JSON.stringify({ baseUrl: DEFAULT_BASE_URL })}`);
      } finally {
        if (saved !== undefined) process.env.ASPOSE_CLOUD_API_URL = saved;
      }
    });
  });
});
