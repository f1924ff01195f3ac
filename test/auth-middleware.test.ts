import { expect } from "chai";
import createClient from "openapi-fetch";
import { authMiddleware, createCellsClient, createTokenClient, isCellsAuthError, type TokenClient } from "../src/index.js";
import { startTokenServer, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, type TokenServer } from "../src/testing/index.js";
import type { paths } from "../generated/cells-status.js";
import { DEFAULTS } from "../src/defaults.js";
import { rejectionOf } from "./_async.js";
import { sendJson, startScriptedServer, thrownBy, tokenHandler, type ScriptedServer } from "./_http.js";

const credentials = { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET };

/** A POST endpoint, to see which bodies are replayed. */
interface EchoPaths {
  "/echo": {
    post: {
      requestBody: { content: { "application/json": { n: number } } };
      responses: { 200: { content: { "application/json": unknown } }; 401: { content: { "application/json": unknown } } };
    };
  };
}

describe("authMiddleware and createCellsClient", () => {
  let emulator: TokenServer;
  let tokens: TokenClient;
  beforeEach(async () => {
    emulator = await startTokenServer();
    tokens = createTokenClient({ ...credentials, baseUrl: emulator.baseUrl, retry: { maxRetries: 0 } });
  });
  afterEach(() => emulator?.close());

  it("sets Authorization: Bearer <token> on every call", async () => {
    const cells = createCellsClient<paths>({ tokens });
    const { data, error, response } = await cells.GET("/cells/status/check", { params: { query: { detail: true } } });
    expect(error).to.equal(undefined);
    expect(response.status).to.equal(200);
    expect(data?.status).to.equal("OK");
    const { data: text } = await cells.GET("/cells");
    expect(text).to.be.a("string");
    expect(emulator.stats).to.include({ tokenRequests: 1, apiCalls: 2, apiCallsRejected: 0 });
  });

  it("works on any openapi-fetch client through api.use()", async () => {
    const api = createClient<paths>({ baseUrl: emulator.baseUrl });
    api.use(authMiddleware(tokens));
    const { data } = await api.GET("/cells/status/check");
    expect(data?.status).to.equal("OK");
  });

  it("makes its own token client from token options", async () => {
    const cells = createCellsClient<paths>({ ...credentials, baseUrl: emulator.baseUrl });
    expect((await cells.GET("/cells/status/check")).data?.status).to.equal("OK");
  });

  it("leaves a request that already has an Authorization header alone", async () => {
    const cells = createCellsClient<paths>({ tokens });
    const { response } = await cells.GET("/cells/status/check", { headers: { Authorization: "Bearer not-issued" } });
    expect(response.status).to.equal(401);
    expect(emulator.stats).to.include({ tokenRequests: 0, apiCalls: 1, unknownTokenCalls: 1 });
  });

  it("after a 401 for a revoked token, refreshes once and replays once", async () => {
    const cells = createCellsClient<paths>({ tokens });
    await cells.GET("/cells/status/check");
    emulator.revokeAll();
    const { data, response } = await cells.GET("/cells/status/check");
    expect(response.status).to.equal(200);
    expect(data?.status).to.equal("OK");
    expect(emulator.stats).to.include({ tokenRequests: 2, apiCalls: 3, revokedTokenCalls: 1 });
  });

  it("an API that rejects every token costs one token request per backoff, not one per call; the 401 is the caller's", async () => {
    const server = await startScriptedServer((request, res, index) => {
      if (request.url.endsWith("/cells/connect/token")) tokenHandler(3600)(request, res, index);
      else sendJson(res, 401, { error: "invalid_token" });
    });
    try {
      let monotonic = 0;
      const cells = createCellsClient<paths>({ ...credentials, baseUrl: server.baseUrl, monotonicNow: () => monotonic, retry: { maxRetries: 0, baseDelayMs: 1_000, maxDelayMs: 30_000 } });
      const tokenRequests = () => server.requests.filter((request) => request.url.endsWith("/cells/connect/token")).length;
      for (let call = 0; call < 10; call++) expect((await cells.GET("/cells/status/check")).response.status).to.equal(401);
      // The first call: its token, one refresh after the 401 and one replay. Then the new token is
      // rejected within the backoff: kept, not replayed.
      expect(tokenRequests()).to.equal(2);
      expect(server.requests.length - tokenRequests()).to.equal(11);
      monotonic += 1_000; // the first backoff is at most baseDelayMs
      expect((await cells.GET("/cells/status/check")).response.status).to.equal(401);
      expect(tokenRequests()).to.equal(3);
      for (let call = 0; call < 10; call++) await cells.GET("/cells/status/check");
      expect(tokenRequests(), "the second backoff is longer: still no request").to.equal(3);
    } finally {
      await server.close();
    }
  });

  it("50 parallel calls hitting 401 together cause one token request", async () => {
    const cells = createCellsClient<paths>({ tokens });
    await cells.GET("/cells/status/check");
    emulator.revokeAll();
    const results = await Promise.all(Array.from({ length: 50 }, () => cells.GET("/cells/status/check")));
    expect(results.every((result) => result.response.status === 200)).to.equal(true);
    expect(emulator.stats.tokenRequests).to.equal(2);
    expect(emulator.stats.revokedTokenCalls).to.equal(50);
  });

  it("surfaces a token failure as the token client's CellsAuthError", async () => {
    const cells = createCellsClient<paths>({ clientId: DEFAULT_CLIENT_ID, clientSecret: "wrong-secret", baseUrl: emulator.baseUrl, retry: { maxRetries: 0 } });
    const error = await rejectionOf(cells.GET("/cells/status/check"));
    expect(isCellsAuthError(error)).to.equal(true);
    expect(error).to.include({ code: "oauth_error", status: 401 });
    expect(emulator.stats.apiCalls).to.equal(0);
  });

  it("a caller's abort while the token is on its way cancels that call only", async () => {
    emulator.inject({ kind: "delay", ms: 200 });
    const cells = createCellsClient<paths>({ tokens });
    const controller = new AbortController();
    const aborted = cells.GET("/cells/status/check", { signal: controller.signal });
    const others = Promise.all([cells.GET("/cells/status/check"), cells.GET("/cells")]);
    setTimeout(() => controller.abort(), 20);
    expect((await rejectionOf(aborted)).code).to.equal("aborted");
    const [check, status] = await others;
    expect(check.response.status).to.equal(200);
    expect(status.response.status).to.equal(200);
    expect(emulator.stats).to.include({ tokenRequests: 1, apiCalls: 2 });
  });

  it("refuses mixed or insecure options", () => {
    expect(thrownBy(() => createCellsClient<paths>({ tokens, clientId: "x" } as never)).code).to.equal("invalid_config");
    expect(thrownBy(() => createCellsClient<paths>({ tokens: {} as never })).code).to.equal("invalid_config");
    expect(thrownBy(() => authMiddleware(undefined as never)).code).to.equal("invalid_config");
    expect(thrownBy(() => createCellsClient<paths>({ tokens, baseUrl: "http://api.example.test/v4.0" })).code).to.equal("insecure_url");
  });

  describe("against a server that rejects every token", () => {
    let server: ScriptedServer;
    let apiCalls: string[];
    beforeEach(async () => {
      apiCalls = [];
      server = await startScriptedServer((request, res, index) => {
        if (request.url.endsWith("/cells/connect/token")) return tokenHandler()(request, res, index);
        apiCalls.push(request.body);
        return sendJson(res, 401, { error: "invalid_token" });
      });
    });
    afterEach(() => server?.close());

    it("returns the second 401 to the caller as it is: no loop", async () => {
      const cells = createCellsClient<paths>({ ...credentials, baseUrl: server.baseUrl });
      const { error, response } = await cells.GET("/cells/status/check");
      expect(response.status).to.equal(401);
      expect(error).to.deep.equal({ error: "invalid_token" });
      expect(apiCalls).to.have.length(2);
      expect(server.requests.filter((request) => request.url.endsWith("/connect/token"))).to.have.length(2);
      const authorizations = server.requests.filter((request) => !request.url.endsWith("/connect/token")).map((request) => request.headers.authorization);
      // tokenHandler numbers tokens by request index, so the second token is token-3 here.
      expect(authorizations).to.deep.equal(["Bearer token-1", "Bearer token-3"]);
    });

    it("replays a JSON body with the same content", async () => {
      const api = createCellsClient<EchoPaths>({ ...credentials, baseUrl: server.baseUrl });
      await api.POST("/echo", { body: { n: 7 } });
      expect(apiCalls).to.deep.equal(['{"n":7}', '{"n":7}']);
    });

    it("replays what really went out: headers and Request replacements from middlewares, and the fetch's extra argument", async () => {
      const inits: unknown[] = [];
      const api = createCellsClient<EchoPaths>({
        ...credentials,
        baseUrl: server.baseUrl,
        requestInitExt: { marker: "dispatcher" },
        fetch: (async (request: Request, init?: unknown) => {
          inits.push(init);
          return globalThis.fetch(request);
        }) as never,
      });
      const seen: number[] = [];
      api.use({
        onRequest({ request }) {
          const replaced = new Request(request, { headers: new Headers(request.headers) });
          replaced.headers.set("x-tenant", "acme");
          return replaced;
        },
        onResponse({ response }) {
          seen.push(response.status);
          return undefined;
        },
      });
      const { response } = await api.POST("/echo", { body: { n: 9 } });
      expect(response.status).to.equal(401);
      expect(apiCalls).to.deep.equal(['{"n":9}', '{"n":9}']);
      const calls = server.requests.filter((request) => request.url.endsWith("/echo"));
      expect(calls.map((request) => request.headers["x-tenant"])).to.deep.equal(["acme", "acme"]);
      expect(seen, "a user middleware sees the final response only").to.deep.equal([401]);
      // The same fetch also makes the token requests (without the extra argument): the two API
      // calls, first and replay, both carry it.
      expect(inits.filter((init) => JSON.stringify(init) === '{"marker":"dispatcher"}')).to.have.length(2);
    });

    it("authMiddleware replays with headers that middlewares after it set on the request", async () => {
      const api = createClient<EchoPaths>({ baseUrl: server.baseUrl });
      api.use(authMiddleware(createTokenClient({ ...credentials, baseUrl: server.baseUrl })));
      api.use({
        onRequest({ request }) {
          request.headers.set("x-tenant", "acme");
          return request;
        },
      });
      await api.POST("/echo", { body: { n: 10 } });
      const calls = server.requests.filter((request) => request.url.endsWith("/echo"));
      expect(calls.map((request) => request.headers["x-tenant"])).to.deep.equal(["acme", "acme"]);
      expect(new Set(calls.map((request) => request.headers.authorization)).size).to.equal(2);
    });

    it("replays a body of up to 8 MiB (DEFAULTS.maxReplayBodyBytes); a larger one is not copied, and its 401 is the caller's", async () => {
      // A new client each time: one client keeps a token rejected right after another (see invalidate()).
      const post = (bytes: number) =>
        createCellsClient<EchoPaths>({ ...credentials, baseUrl: server.baseUrl }).POST("/echo", { body: new Uint8Array(bytes).fill(0x61) as never, bodySerializer: (body: unknown) => body as Uint8Array<ArrayBuffer> } as never);
      expect(DEFAULTS.maxReplayBodyBytes).to.equal(8 * 1024 * 1024);
      await post(DEFAULTS.maxReplayBodyBytes);
      expect(apiCalls.map((body) => body.length)).to.deep.equal([DEFAULTS.maxReplayBodyBytes, DEFAULTS.maxReplayBodyBytes]);
      apiCalls = [];
      const tokenRequests = server.requests.filter((request) => request.url.endsWith("/connect/token")).length;
      const { response } = await post(DEFAULTS.maxReplayBodyBytes + 1);
      expect(response.status).to.equal(401);
      expect(apiCalls.map((body) => body.length)).to.deep.equal([DEFAULTS.maxReplayBodyBytes + 1]);
      expect(server.requests.filter((request) => request.url.endsWith("/connect/token")), "its first token only: no refresh for a call that is not replayed").to.have.length(tokenRequests + 1);
    });

    it("does not replay a one-shot streamed body", async () => {
      const api = createCellsClient<EchoPaths>({ ...credentials, baseUrl: server.baseUrl });
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"n":8}'));
          controller.close();
        },
      });
      const { response } = await api.POST("/echo", {
        body: stream as never,
        bodySerializer: (body: unknown) => body as ReadableStream,
        duplex: "half",
      } as never);
      expect(response.status).to.equal(401);
      expect(apiCalls).to.deep.equal(['{"n":8}']);
      expect(server.requests.filter((request) => request.url.endsWith("/connect/token"))).to.have.length(1);
    });
  });
});
