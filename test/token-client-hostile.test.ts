// createTokenClient given hostile values (clocks, options, signals, URLs): a typed
// CellsAuthError every time, never a raw error, a crash or an unhandled rejection.
import { expect } from "chai";
import { authenticatedFetch, createCellsClient, createTokenClient, postAccessToken, processTokenResponse } from "../src/index.js";
import { rejectionOf, turn } from "./_async.js";
import { sendJson, startScriptedServer, thrownBy, tokenHandler, type ScriptedServer } from "./_http.js";
import { HOUR_S, useClientBench } from "./_token-client.js";

describe("createTokenClient: hostile options", () => {
  const bench = useClientBench();

  it("a now() that throws or returns NaN: a CellsAuthError, and no unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      for (const now of [() => { throw new Error("clock broke"); }, () => Number.NaN, () => "soon" as unknown as number]) {
        const error = await rejectionOf(bench.client({ now }).getToken());
        expect(error).to.include({ name: "CellsAuthError", code: "invalid_config" });
        expect(error.message).to.match(/^options\.now\(\)/);
      }
      let calls = 0;
      const failsLater = () => (++calls > 1 ? Number.NaN : Date.UTC(2026, 0, 1));
      expect((await rejectionOf(bench.client({ now: failsLater }).getToken())).code).to.equal("invalid_config");
      await turn();
      expect(unhandled).to.deep.equal([]);
    } finally {
      process.off("unhandledRejection", listener);
    }
  });

  it("getToken() options given as a Proxy, or with a getter that throws: invalid_config", async () => {
    const tokens = bench.client();
    const proxy = new Proxy({}, { get: () => { throw new Error("trap"); } });
    const getter = Object.defineProperty({}, "minTtlMs", { get: () => { throw new Error("getter"); }, enumerable: true });
    for (const options of [proxy, getter]) expect(await rejectionOf(tokens.getToken(options))).to.include({ name: "CellsAuthError", code: "invalid_config" });
    const signal = new Proxy(new AbortController().signal, { get: (target, key) => (key === "removeEventListener" ? () => { throw new Error("trap"); } : Reflect.get(target, key)) });
    expect((await tokens.getToken({ signal })).accessToken).to.equal("token-1");
  });
});

describe("createTokenClient: what an adversarial review found", () => {
  let server: ScriptedServer;
  const credentials = { clientId: "id", clientSecret: "3f9a0c2b7e1d4a5b8c6f0e9d2a1b3c4d" };
  beforeEach(async () => {
    server = await startScriptedServer(tokenHandler(HOUR_S));
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
