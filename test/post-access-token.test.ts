import { expect } from "chai";
import { postAccessToken, type TokenEvent } from "../src/index.js";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startTokenServer } from "../src/testing/index.js";
import { rejectionOf } from "./_async.js";
import { closedPort, manualClock, sendJson, startScriptedServer, tokenHandler, type ScriptedServer } from "./_http.js";

const credentials = { clientId: "the-id", clientSecret: "the secret&=+" };
const fastRetry = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 50 };

describe("postAccessToken", () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await startScriptedServer();
  });
  afterEach(() => server?.close());

  it("POSTs the client-credentials form to {baseUrl}/cells/connect/token, nothing in the URL", async () => {
    const token = await postAccessToken({ ...credentials, baseUrl: `${server.baseUrl}/` });
    expect(token.accessToken).to.equal("token-1");
    expect(server.requests).to.have.length(1);
    const [request] = server.requests;
    expect(request?.method).to.equal("POST");
    expect(request?.url).to.equal("/v4.0/cells/connect/token");
    expect(request?.headers["content-type"]).to.equal("application/x-www-form-urlencoded");
    expect(request?.headers.accept).to.equal("application/json");
    expect(request?.headers.authorization).to.equal(undefined);
    expect(Object.fromEntries(new URLSearchParams(request?.body))).to.deep.equal({
      grant_type: "client_credentials",
      client_id: "the-id",
      client_secret: "the secret&=+",
    });
  });

  it("counts expiresAt from when the request started, not when the answer came", async () => {
    const clock = manualClock();
    const startedAt = clock.now();
    server.handle((request, res, index) => {
      clock.advance(5_000);
      tokenHandler(60)(request, res, index);
    });
    const token = await postAccessToken({ ...credentials, baseUrl: server.baseUrl, now: clock.now });
    expect(token.expiresAt).to.equal(startedAt + 60_000);
  });

  for (const status of [408, 429, 500, 502, 503, 504]) {
    it(`retries a ${status}, then returns the token`, async () => {
      const events: TokenEvent[] = [];
      server.handle((request, res, index) => (index < 2 ? sendJson(res, status, { error: "temporarily_unavailable" }) : tokenHandler()(request, res, index)));
      const token = await postAccessToken({ ...credentials, baseUrl: server.baseUrl, retry: fastRetry, onEvent: (e) => events.push(e) });
      expect(token.accessToken).to.equal("token-3");
      expect(server.requests).to.have.length(3);
      expect(events.filter((e) => e.type === "retry").map((e) => e.type === "retry" && e.status)).to.deep.equal([status, status]);
      expect(events.at(-1)).to.include({ type: "token_issued", attempts: 3 });
    });
  }

  it("gives up after maxRetries with the last error and the attempt count", async () => {
    server.handle((_request, res) => sendJson(res, 503, "down"));
    const error = await rejectionOf(postAccessToken({ ...credentials, baseUrl: server.baseUrl, retry: { ...fastRetry, maxRetries: 2 } }));
    expect(error).to.include({ code: "http_error", status: 503, attempts: 3, retryable: true });
    expect(server.requests).to.have.length(3);
  });

  for (const [status, code] of [[400, "oauth_error"], [401, "oauth_error"], [403, "oauth_error"], [404, "http_error"], [413, "http_error"]] as const) {
    it(`does not retry a ${status} (${code})`, async () => {
      server.handle((_request, res) => sendJson(res, status, status === 404 || status === 413 ? "nope" : { error: "invalid_client" }));
      const error = await rejectionOf(postAccessToken({ ...credentials, baseUrl: server.baseUrl, retry: fastRetry }));
      expect(error).to.include({ code, status, attempts: 1, retryable: false });
      expect(server.requests).to.have.length(1);
    });
  }

  it("names the URL and the missing version segment when the base URL has no /v4.0 (the emulator answers 404)", async () => {
    const emulator = await startTokenServer();
    try {
      const origin = emulator.baseUrl.replace(/\/v4\.0$/, "");
      const error = await rejectionOf(postAccessToken({ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, baseUrl: origin }));
      expect(error).to.include({ code: "http_error", status: 404, attempts: 1 });
      expect(error.message).to.equal(
        `No token endpoint at ${origin}/cells/connect/token (HTTP 404): the base URL (baseUrl or ASPOSE_CLOUD_API_URL) must end with the API version, as in https://api.aspose.cloud/v4.0.`,
      );
    } finally {
      await emulator.close();
    }
  });

  it("waits as long as Retry-After says, in seconds", async () => {
    const delays: number[] = [];
    server.handle((request, res, index) => (index === 0 ? sendJson(res, 429, "", { "retry-after": "0" }) : tokenHandler()(request, res, index)));
    await postAccessToken({ ...credentials, baseUrl: server.baseUrl, retry: fastRetry, onEvent: (e) => e.type === "retry" && delays.push(e.delayMs) });
    expect(delays).to.deep.equal([0]);
  });

  it("waits as long as Retry-After says, as an HTTP date", async () => {
    const clock = manualClock(Date.UTC(2026, 10, 22, 12, 0, 0));
    const delays: number[] = [];
    server.handle((request, res, index) => (index === 0 ? sendJson(res, 503, "", { "retry-after": "Sun, 22 Nov 2026 12:00:00 GMT" }) : tokenHandler()(request, res, index)));
    await postAccessToken({ ...credentials, baseUrl: server.baseUrl, now: clock.now, retry: fastRetry, onEvent: (e) => e.type === "retry" && delays.push(e.delayMs) });
    expect(delays).to.deep.equal([0]);
    clock.set(Date.UTC(2026, 10, 22, 11, 59, 59, 970));
    server.handle((request, res, index) => (index === 2 ? sendJson(res, 503, "", { "retry-after": "Sun, 22 Nov 2026 12:00:00 GMT" }) : tokenHandler()(request, res, index)));
    await postAccessToken({ ...credentials, baseUrl: server.baseUrl, now: clock.now, retry: fastRetry, onEvent: (e) => e.type === "retry" && delays.push(e.delayMs) });
    expect(delays).to.deep.equal([0, 30]);
  });

  it("fails at once, with retryAfterMs, when Retry-After is longer than maxDelayMs", async () => {
    server.handle((_request, res) => sendJson(res, 429, { error: "rate_limited" }, { "retry-after": "120" }));
    const error = await rejectionOf(postAccessToken({ ...credentials, baseUrl: server.baseUrl, retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 30_000 } }));
    expect(error).to.include({ code: "http_error", status: 429, retryAfterMs: 120_000, attempts: 1 });
    expect(server.requests).to.have.length(1);
  });

  it("times out an attempt that hangs, retries it, and reports timeout", async () => {
    server.handle(() => undefined);
    const error = await rejectionOf(postAccessToken({ ...credentials, baseUrl: server.baseUrl, timeoutMs: 50, retry: { ...fastRetry, maxRetries: 1 } }));
    expect(error).to.include({ code: "timeout", retryable: true, attempts: 2 });
    expect(error.message).to.contain("50 ms");
    expect(server.requests).to.have.length(2);
  });

  it("times out a body that stops half way", async () => {
    server.handle((_request, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"access_token": "abc", ');
    });
    const error = await rejectionOf(postAccessToken({ ...credentials, baseUrl: server.baseUrl, timeoutMs: 80, retry: { maxRetries: 0 } }));
    expect(error.code).to.equal("timeout");
  });

  it("reports an unreachable host as network, with the system code, after retrying", async () => {
    const port = await closedPort();
    const error = await rejectionOf(postAccessToken({ ...credentials, baseUrl: `http://127.0.0.1:${port}/v4.0`, retry: { ...fastRetry, maxRetries: 1 } }));
    expect(error).to.include({ code: "network", retryable: true, attempts: 2 });
    expect(error.message).to.contain("ECONNREFUSED").and.contain(`127.0.0.1:${port}`);
  });

  it("does not follow a redirect: the credentials never reach the other host", async () => {
    const other = await startScriptedServer();
    try {
      server.handle((_request, res) => {
        res.writeHead(307, { location: `${other.baseUrl}/cells/connect/token` });
        res.end();
      });
      const error = await rejectionOf(postAccessToken({ ...credentials, baseUrl: server.baseUrl, retry: fastRetry }));
      expect(error).to.include({ code: "http_error", status: 307, retryable: false });
      expect(error.message).to.contain("redirect");
      expect(other.requests).to.have.length(0);
    } finally {
      await other.close();
    }
  });

  it("stops at once when the caller aborts, during a request or between retries", async () => {
    server.handle(() => undefined);
    const during = new AbortController();
    const pending = postAccessToken({ ...credentials, baseUrl: server.baseUrl, signal: during.signal });
    setTimeout(() => during.abort(), 30);
    expect((await rejectionOf(pending)).code).to.equal("aborted");

    server.handle((_request, res) => sendJson(res, 503, ""));
    const between = new AbortController();
    const waiting = postAccessToken({
      ...credentials,
      baseUrl: server.baseUrl,
      retry: { maxRetries: 3, baseDelayMs: 10_000, maxDelayMs: 10_000 },
      signal: between.signal,
      onEvent: (e) => e.type === "retry" && between.abort(),
    });
    expect(await rejectionOf(waiting)).to.include({ code: "aborted", attempts: 1 });
  });

  it("refuses an already aborted signal without sending anything", async () => {
    const error = await rejectionOf(postAccessToken({ ...credentials, baseUrl: server.baseUrl, signal: AbortSignal.abort() }));
    expect(error.code).to.equal("aborted");
    expect(server.requests).to.have.length(0);
  });

  it("refuses an oversized streamed body", async () => {
    server.handle((_request, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const piece = "x".repeat(8192);
      let sent = 0;
      const pump = () => {
        while (sent < 2_000 && res.write(piece)) sent += 1;
        if (sent < 2_000) res.once("drain", pump);
        else res.end();
      };
      pump();
    });
    const error = await rejectionOf(postAccessToken({ ...credentials, baseUrl: server.baseUrl, retry: fastRetry }));
    expect(error).to.include({ code: "invalid_response", attempts: 1 });
  });

  it("reports a malformed 200 as invalid_response without retrying, whatever its fields hold", async () => {
    server.handle((_request, res) => sendJson(res, 200, { access_token: "abc", token_type: { toString: 1 }, expires_in: 60 }));
    const error = await rejectionOf(postAccessToken({ ...credentials, baseUrl: server.baseUrl, retry: fastRetry }));
    expect(error).to.include({ code: "invalid_response", retryable: false, attempts: 1 });
    expect(server.requests).to.have.length(1);
  });

  it("works with a clock that has fractions of a millisecond", async () => {
    const now = () => Date.now() + 0.5;
    const token = await postAccessToken({ ...credentials, baseUrl: server.baseUrl, now });
    expect(token.expiresAt % 1).to.equal(0.5);
  });

  it("never quotes a 2xx body in the error: it may be the token itself", async () => {
    const token = "eyJhbGciOiJSUzI1NiJ9.payload-that-must-not-leak.signature";
    server.handle((_request, res) => sendJson(res, 200, JSON.stringify(token)));
    const error = await rejectionOf(postAccessToken({ ...credentials, baseUrl: server.baseUrl }));
    expect(error.code).to.equal("invalid_response");
    expect(error.message + String(error.bodySnippet) + JSON.stringify(error)).not.to.contain("payload-that-must-not-leak");
  });

  it("reports a status outside 200-599 as http_error, not as a network failure", async () => {
    server.handle((_request, res) => {
      res.writeHead(999);
      res.end("odd proxy");
    });
    const error = await rejectionOf(postAccessToken({ ...credentials, baseUrl: server.baseUrl, retry: fastRetry }));
    expect(error).to.include({ code: "http_error", status: 999, retryable: false, attempts: 1 });
  });

  it("bounds an attempt even when an injected fetch ignores the abort signal", async () => {
    const error = await rejectionOf(postAccessToken({
      ...credentials,
      baseUrl: "https://api.example.test/v4.0",
      timeoutMs: 50,
      retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 },
      fetch: () => new Promise<Response>(() => undefined),
    }));
    expect(error).to.include({ code: "timeout", attempts: 2 });
  });

  it("uses an injected fetch, which receives one Request", async () => {
    const seen: Request[] = [];
    const token = await postAccessToken({
      ...credentials,
      baseUrl: "https://api.example.test/v4.0",
      fetch: async (request) => {
        seen.push(request);
        return Response.json({ access_token: "injected", token_type: "Bearer", expires_in: 60 });
      },
    });
    expect(token.accessToken).to.equal("injected");
    expect(seen[0]?.url).to.equal("https://api.example.test/v4.0/cells/connect/token");
    expect(seen[0]?.redirect).to.equal("manual");
  });
});

describe("postAccessToken and the fetch it is given", () => {
  it("calls fetch as a plain function, as browsers and workerd require of theirs (no 'Illegal invocation')", async () => {
    const server = await startScriptedServer();
    try {
      const strictFetch = function (this: unknown, request: Request): Promise<Response> {
        if (this !== undefined && this !== globalThis) return Promise.reject(new TypeError("Illegal invocation"));
        return fetch(request);
      };
      const token = await postAccessToken({ clientId: "id", clientSecret: "the secret", baseUrl: server.baseUrl, fetch: strictFetch, retry: { maxRetries: 0 } });
      expect(token.accessToken).to.equal("token-1");
    } finally {
      await server.close();
    }
  });
});
