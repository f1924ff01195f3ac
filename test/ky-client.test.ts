// The auth layer does not need openapi-fetch (in maintenance mode since 2026-09-19):
// authenticatedFetch is a plain fetch, so a second, maintained fetch-based client, ky, gets the
// same bearer token, 401 refresh and replay, and abort, against the emulator.
import { expect } from "chai";
import ky, { type Input, type KyInstance } from "ky";
import { authenticatedFetch, createTokenClient, isCellsAuthError, type TokenClient, type TokenEvent } from "../src/index.js";
import { startTokenServer, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, type TokenServer } from "../src/testing/index.js";
import type { components } from "../generated/cells-status.js";

type HealthStatus = components["schemas"]["HealthStatus"];

describe("authenticatedFetch under ky", () => {
  let emulator: TokenServer;
  let tokens: TokenClient;
  let api: KyInstance;
  let tokenRequested: Promise<void>;
  beforeEach(async () => {
    emulator = await startTokenServer();
    let requested: () => void;
    tokenRequested = new Promise((resolve) => (requested = resolve));
    const onEvent = (event: TokenEvent) => event.type === "token_requested" && requested();
    tokens = createTokenClient({ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, baseUrl: emulator.baseUrl, retry: { maxRetries: 0 }, onEvent });
    const authed = authenticatedFetch(tokens, fetch);
    // ky calls its fetch with one Request, but types the option as fetch's (a string or URL too), so
    // one line adapts authenticatedFetch, which takes a Request. ky's own retries and timeout are
    // off, to see authenticatedFetch's alone.
    const fetchForKy = (input: Input, init?: RequestInit) => authed(input instanceof Request ? input : new Request(input, init), init);
    api = ky.create({ prefixUrl: emulator.baseUrl, fetch: fetchForKy, retry: 0, timeout: false });
  });
  afterEach(() => emulator?.close());

  it("a typed call: ky sends the bearer token, the answer is typed by the generated spec", async () => {
    const health: HealthStatus = await api.get("cells/status/check", { searchParams: { detail: true } }).json<HealthStatus>();
    expect(health.status).to.equal("OK");
    expect(await api.get("cells").json<string>()).to.be.a("string");
    expect(emulator.stats).to.include({ tokenRequests: 1, apiCalls: 2, apiCallsRejected: 0 });
    expect(emulator.requests.at(-1)?.headers.authorization).to.match(/^Bearer sha256:/);
  });

  it("a 401 for a revoked token: one token refresh, one replay, then 200", async () => {
    await api.get("cells/status/check");
    emulator.revokeAll();
    const health = await api.get("cells/status/check").json<HealthStatus>();
    expect(health.status).to.equal("OK");
    expect(emulator.stats).to.include({ tokenRequests: 2, apiCalls: 3, revokedTokenCalls: 1 });
  });

  it("an abort while the token request hangs rejects that call with code aborted, and sends no API call", async () => {
    emulator.inject({ kind: "hang" });
    const controller = new AbortController();
    const call = api.get("cells/status/check", { signal: controller.signal }).then(
      () => undefined,
      (error: unknown) => error,
    );
    await tokenRequested; // the token request is on its way; the emulator never answers it
    controller.abort();
    const error = await call;
    expect(isCellsAuthError(error) && error.code).to.equal("aborted");
    expect(emulator.stats.apiCalls).to.equal(0);
  });
});
