// What API calls (createCellsClient, authMiddleware, authenticatedFetch) reject with: README's
// Errors section says it, and each of its claims is pinned here.
import { expect } from "chai";
import createClient from "openapi-fetch";
import { authenticatedFetch, authMiddleware, createCellsClient, createTokenClient, isCellsAuthError, type TokenClient } from "../src/index.js";
import { startTokenServer, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, type TokenServer } from "../src/testing/index.js";
import type { paths } from "../generated/cells-status.js";
import { rejectionOf } from "./_async.js";
import { closedPort, sendJson, startScriptedServer, type ScriptedServer } from "./_http.js";

const credentials = { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET };

describe("API calls: what they reject with", () => {
  let emulator: TokenServer;
  let tokens: TokenClient;
  let unreachable: string;
  beforeEach(async () => {
    emulator = await startTokenServer();
    tokens = createTokenClient({ ...credentials, baseUrl: emulator.baseUrl, retry: { maxRetries: 0 } });
    unreachable = `http://127.0.0.1:${await closedPort()}/v4.0`;
  });
  afterEach(() => emulator?.close());

  /** The error of a fetch that could not connect, checked for what README promises. */
  function expectNetwork(error: Record<string, unknown> & Error, path: string): void {
    expect(isCellsAuthError(error), String(error)).to.equal(true);
    expect(error).to.include({ name: "CellsAuthError", code: "network", retryable: true });
    expect(error.message).to.contain(`GET ${unreachable.replace("/v4.0", "")}/v4.0${path}`);
    expect(error.message).not.to.contain("?").and.not.to.contain("detail");
    // The fetch's own error, as it is, and not enumerable.
    const { cause } = error as { cause?: unknown };
    expect(cause).to.be.instanceOf(TypeError);
    expect(Object.keys(error)).not.to.include("cause");
    expect(JSON.stringify(error)).not.to.contain("cause");
    // Not in a browser: no CORS hint.
    expect(error.message).not.to.contain("CORS");
  }

  it("createCellsClient: a fetch that rejects gives a CellsAuthError network naming the origin and path, never the query", async () => {
    const cells = createCellsClient<paths>({ tokens, baseUrl: unreachable });
    expectNetwork(await rejectionOf(cells.GET("/cells/status/check", { params: { query: { detail: true } } })), "/cells/status/check");
  });

  it("authMiddleware: the same on any openapi-fetch client", async () => {
    const api = createClient<paths>({ baseUrl: unreachable });
    api.use(authMiddleware(tokens));
    expectNetwork(await rejectionOf(api.GET("/cells/status/check", { params: { query: { detail: true } } })), "/cells/status/check");
  });

  it("authenticatedFetch: the same for any HTTP client", async () => {
    const send = authenticatedFetch(tokens, (request) => fetch(request));
    expectNetwork(await rejectionOf(send(new Request(`${unreachable}/cells/status/check?detail=true`))), "/cells/status/check");
  });

  it("gives aborted when the request's own signal aborted, the fetch's error kept as cause", async () => {
    let server: ScriptedServer | undefined;
    const controller = new AbortController();
    server = await startScriptedServer(() => controller.abort()); // aborts once the request has arrived; never answers
    try {
      const cells = createCellsClient<paths>({ tokens, baseUrl: server.baseUrl });
      const error = await rejectionOf(cells.GET("/cells/status/check", { signal: controller.signal }));
      expect(error).to.include({ code: "aborted", retryable: false });
      expect((error as { cause?: { name?: string } }).cause?.name).to.equal("AbortError");
      const api = createClient<paths>({ baseUrl: server.baseUrl });
      api.use(authMiddleware(tokens));
      const controller2 = new AbortController();
      controller2.abort();
      expect((await rejectionOf(api.GET("/cells/status/check", { signal: controller2.signal }))).code).to.equal("aborted");
    } finally {
      server.close();
    }
  });

  it("maps the replay's rejection after a 401 too", async () => {
    await tokens.getToken();
    emulator.revokeAll();
    let calls = 0;
    const fetchThenFail = (request: Request) => (++calls === 1 ? fetch(request) : Promise.reject(new TypeError("fetch failed")));
    const cells = createCellsClient<paths>({ tokens, fetch: fetchThenFail });
    const viaClient = await rejectionOf(cells.GET("/cells/status/check"));
    expect(viaClient.code).to.equal("network");
    expect(calls).to.equal(2);

    // A new token client: this one keeps a token rejected so soon after the last (see invalidate()).
    const others = createTokenClient({ ...credentials, baseUrl: emulator.baseUrl });
    await others.getToken();
    emulator.revokeAll();
    calls = 0;
    const api = createClient<paths>({ baseUrl: emulator.baseUrl, fetch: fetchThenFail });
    api.use(authMiddleware(others));
    expect((await rejectionOf(api.GET("/cells/status/check"))).code).to.equal("network");
    expect(calls).to.equal(2);
  });

  it("rejects with the token client's CellsAuthError when no token can be had", async () => {
    const cells = createCellsClient<paths>({ tokens: createTokenClient({ ...credentials, baseUrl: unreachable, retry: { maxRetries: 0 } }), baseUrl: emulator.baseUrl });
    const error = await rejectionOf(cells.GET("/cells/status/check"));
    expect(error.code).to.equal("network");
    expect(error.message).to.contain("/cells/connect/token");
  });

  it("returns a 4xx or 5xx response as { error, response }, never as a rejection", async () => {
    const server = await startScriptedServer((_request, res) => sendJson(res, 503, { message: "down" }));
    try {
      const { error, response } = await createCellsClient<paths>({ tokens, baseUrl: server.baseUrl }).GET("/cells/status/check");
      expect(response.status).to.equal(503);
      expect(error).to.deep.equal({ message: "down" });
    } finally {
      server.close();
    }
  });

  it("passes on unchanged what a TokenClient of your own throws", async () => {
    const own = new Error("my token service is down");
    const mine: TokenClient = { baseUrl: emulator.baseUrl, getToken: () => Promise.reject(own), getAuthorizationHeader: () => Promise.reject(own), invalidate: async () => undefined };
    expect(await rejectionOf(createCellsClient<paths>({ tokens: mine }).GET("/cells/status/check"))).to.equal(own);
  });

  it("passes on unchanged what your middlewares and openapi-fetch itself throw (a 2xx body that is not JSON)", async () => {
    const server = await startScriptedServer((_request, res) => sendJson(res, 200, "{ not json"));
    try {
      const cells = createCellsClient<paths>({ tokens, baseUrl: server.baseUrl });
      expect(await rejectionOf(cells.GET("/cells/status/check"))).to.be.instanceOf(SyntaxError);
      const mine = new RangeError("from my middleware");
      cells.use({ onRequest: () => Promise.reject(mine) });
      expect(await rejectionOf(cells.GET("/cells/status/check"))).to.equal(mine);
    } finally {
      server.close();
    }
  });
});
