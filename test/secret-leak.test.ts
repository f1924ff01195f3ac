import { expect } from "chai";
import { inspect } from "node:util";
import type { ServerResponse } from "node:http";
import { createTokenClient, postAccessToken, type TokenEvent } from "../src/index.js";
import { rejectionOf } from "./_async.js";
import { closedPort, sendJson, startScriptedServer, thrownBy, type ScriptedServer, type SeenRequest } from "./_http.js";
import { canary, leakedSpellings, spellingsOf } from "./_secret-spellings.js";

const SECRET = canary("Leak");

/** Everything a user could print of an error: message, stack, fields, cause chain, inspect, JSON. */
function everythingPrintable(error: unknown): string {
  const parts: string[] = [inspect(error, { depth: Infinity, showHidden: true }), JSON.stringify(error) ?? ""];
  for (let current: unknown = error, depth = 0; current && depth < 10; depth++) {
    const { message, stack, cause } = current as { message?: unknown; stack?: unknown; cause?: unknown };
    parts.push(String(message), String(stack), String(current));
    current = cause;
  }
  return parts.join("\n");
}

function expectNoSecret(text: string, where: string): void {
  expect(leakedSpellings(text, [SECRET]), `${where} holds the secret`).to.deep.equal([]);
}

const echo = (status: number, shape: (body: string) => unknown) => (request: SeenRequest, res: ServerResponse) =>
  sendJson(res, status, shape(request.body));

describe("secret hygiene", () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await startScriptedServer();
  });
  afterEach(() => server?.close());

  const paths: Array<[string, (request: SeenRequest, res: ServerResponse) => void, string]> = [
    ["401 echoing the secret in error_description, raw and encoded", echo(401, (body) => ({ error: "invalid_client", error_description: `bad ${SECRET} / ${body}` })), "oauth_error"],
    ["400 with the secret as the error code", echo(400, () => ({ error: SECRET })), "oauth_error"],
    ["500 with an HTML page that echoes the form", (request, res) => { res.writeHead(500, { "content-type": "text/html" }); res.end(`<h1>${request.body}</h1>`); }, "http_error"],
    ["429 echoing the secret in JSON", echo(429, (body) => ({ detail: body, secret: SECRET })), "http_error"],
    ["200 that is not JSON and echoes the form", (request, res) => { res.writeHead(200); res.end(request.body); }, "invalid_response"],
    ["200 with the secret as token_type", echo(200, () => ({ access_token: "abc", token_type: SECRET, expires_in: 60 })), "invalid_response"],
    ["200 with the secret inside access_token", echo(200, () => ({ access_token: `x ${SECRET}`, expires_in: 60 })), "invalid_response"],
    ["a redirect to a URL holding the secret", (_request, res) => { res.writeHead(302, { location: `https://evil.test/?s=${encodeURIComponent(SECRET)}` }); res.end(); }, "http_error"],
    ["a hang (timeout)", () => undefined, "timeout"],
  ];

  for (const [what, handler, code] of paths) {
    it(`keeps the secret out of the error and events on ${what}`, async () => {
      server.handle(handler);
      const events: TokenEvent[] = [];
      const tokens = createTokenClient({
        clientId: "id",
        clientSecret: SECRET,
        baseUrl: server.baseUrl,
        // Only the hang is about the time limit; every other answer gets far more than a busy machine needs.
        timeoutMs: code === "timeout" ? 100 : 10_000,
        retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 },
        onEvent: (event) => events.push(event),
      });
      const error = await rejectionOf(tokens.getToken());
      expect(error.code).to.equal(code);
      expect(server.requests[0]?.body).to.contain(spellingsOf(SECRET).form);
      expectNoSecret(everythingPrintable(error), "the error");
      expectNoSecret(JSON.stringify(events) + inspect(events, { depth: Infinity }), "the events");
      expectNoSecret(inspect(tokens, { depth: Infinity, showHidden: true }) + JSON.stringify(tokens), "the client");
    });
  }

  // One server echo per spelling: each is caught by one rule of the scrubber only (removing the
  // rule fails its case), and each error field that carries server text is checked.
  for (const [name, spelling] of Object.entries(spellingsOf(SECRET))) {
    it(`redacts an echo spelled ${name} from error_description, the OAuth error code and the body snippet`, async () => {
      const options = { clientId: "id", clientSecret: SECRET, baseUrl: server.baseUrl, retry: { maxRetries: 0 } };
      server.handle((_request, res) => sendJson(res, 401, { error: "invalid_client", error_description: `rejected client_secret=${spelling} (check it)` }));
      const oauth = await rejectionOf(postAccessToken(options));
      expect(oauth).to.include({ code: "oauth_error", oauthError: "invalid_client" });
      // The whole echo becomes one marker: no piece of it is left beside it.
      expect(oauth.oauthErrorDescription).to.equal("rejected client_secret=[REDACTED] (check it)");
      expectNoSecret(everythingPrintable(oauth), "the oauth_error");

      server.handle((_request, res) => sendJson(res, 400, { error: spelling }));
      const code = await rejectionOf(postAccessToken(options));
      expect(code.oauthError).to.equal("[REDACTED]");
      expectNoSecret(everythingPrintable(code), "the oauth_error code");

      server.handle((_request, res) => {
        res.writeHead(502, { "content-type": "text/html" });
        res.end(`<p>upstream saw ${spelling}</p>`);
      });
      const events: TokenEvent[] = [];
      const http = await rejectionOf(createTokenClient({ ...options, onEvent: (event) => events.push(event) }).getToken());
      expect(http.code).to.equal("http_error");
      expect(http.bodySnippet).to.equal("<p>upstream saw [REDACTED]</p>");
      expectNoSecret(everythingPrintable(http) + JSON.stringify(events), "the http_error and events");
    });
  }

  it("keeps a secret with quotes and backslashes out of a JSON body echoed back", async () => {
    const quoted = 'Sup3r"Secret\\Value-42';
    server.handle((_request, res) => sendJson(res, 500, { message: `internal error for secret ${quoted}` }));
    const error = await rejectionOf(postAccessToken({ clientId: "id", clientSecret: quoted, baseUrl: server.baseUrl, retry: { maxRetries: 0 } }));
    expect(error.code).to.equal("http_error");
    const printable = everythingPrintable(error);
    for (const spelling of [quoted, JSON.stringify(quoted).slice(1, -1)]) expect(printable).not.to.contain(spelling);
    expect(error.bodySnippet).to.contain("[REDACTED]");
  });

  it("keeps the secret out of network and abort errors", async () => {
    const port = await closedPort();
    const network = await rejectionOf(postAccessToken({ clientId: "id", clientSecret: SECRET, baseUrl: `http://127.0.0.1:${port}`, retry: { maxRetries: 0 } }));
    expect(network.code).to.equal("network");
    expectNoSecret(everythingPrintable(network), "the network error");
    server.handle(() => undefined);
    const aborted = await rejectionOf(postAccessToken({ clientId: "id", clientSecret: SECRET, baseUrl: server.baseUrl, signal: AbortSignal.timeout(30) }));
    expect(aborted.code).to.equal("aborted");
    expectNoSecret(everythingPrintable(aborted), "the abort error");
  });

  it("keeps the secret out of configuration errors, even when it was pasted into the URL", () => {
    const configErrors = [
      thrownBy(() => createTokenClient({ clientSecret: SECRET })),
      thrownBy(() => createTokenClient({ clientId: "id", clientSecret: SECRET, baseUrl: `https://id:${encodeURIComponent(SECRET)}@api.aspose.cloud/v4.0` })),
      thrownBy(() => createTokenClient({ clientId: "id", clientSecret: SECRET, baseUrl: `https://api.aspose.cloud/v4.0?client_secret=${encodeURIComponent(SECRET)}` })),
      thrownBy(() => createTokenClient({ clientId: "id", clientSecret: SECRET, baseUrl: `api.aspose.cloud/${SECRET}` })),
      thrownBy(() => createTokenClient({ clientId: "id", clientSecret: SECRET, baseUrl: `http://example.test/${encodeURIComponent(SECRET)}` })),
    ];
    for (const error of configErrors) {
      expect(error.code).to.be.oneOf(["invalid_config", "insecure_url"]);
      expectNoSecret(everythingPrintable(error), `the ${error.code} error`);
    }
  });

  describe("text the library did not write (issue 17)", () => {
    const percent = encodeURIComponent(SECRET);
    /** What a custom fetch may reject with: a TypeError whose causes quote the request body and carry the secret as a code. */
    const failingFetch = () => {
      const inner = Object.assign(new Error(`socket closed while sending client_id=id&client_secret=${percent}`), { code: undefined as unknown });
      const middle = new Error(`proxy refused ${SECRET}`, { cause: inner });
      return Promise.reject(new TypeError(`fetch failed: ${percent}`, { cause: middle }));
    };
    const expectClean = (error: unknown, events: readonly TokenEvent[] = []) => {
      expectNoSecret(everythingPrintable(error), "the error");
      expectNoSecret(JSON.stringify(events) + inspect(events, { depth: Infinity }), "the events");
    };

    it("scrubs a custom fetch's error from the message, the cause chain and the events", async () => {
      const events: TokenEvent[] = [];
      const options = { clientId: "id", clientSecret: SECRET, baseUrl: "https://api.example.test/v4.0", fetch: failingFetch, retry: { maxRetries: 1, baseDelayMs: 1 }, onEvent: (event: TokenEvent) => events.push(event) };
      const direct = await rejectionOf(postAccessToken(options));
      expect(direct.code).to.equal("network");
      expect(direct.message).to.contain("[REDACTED]");
      expectClean(direct, events);
      // The causes are kept, scrubbed: name, message and stack, three deep.
      const cause = (direct as { cause?: Error & { cause?: Error & { cause?: Error } } }).cause;
      expect(cause?.name).to.equal("TypeError");
      expect(cause?.cause?.cause?.message).to.equal("socket closed while sending client_id=id&client_secret=[REDACTED]");
      const viaClient = await rejectionOf(createTokenClient(options).getToken());
      expect(viaClient.code).to.equal("network");
      expectClean(viaClient, events);
    });

    it("scrubs a code a custom fetch's error carries (the message quotes the code)", async () => {
      const fetchWithCode = () => Promise.reject(Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("x"), { code: SECRET }) }));
      const error = await rejectionOf(postAccessToken({ clientId: "id", clientSecret: SECRET, baseUrl: "https://api.example.test/v4.0", fetch: fetchWithCode, retry: { maxRetries: 0 } }));
      expect(error.message).to.contain("([REDACTED])");
      expectClean(error);
    });

    it("scrubs what a store throws from store_error events and from a bind() error", async () => {
      const events: TokenEvent[] = [];
      const broken = { get: () => Promise.reject(new Error(`cannot read key for ${SECRET}`)), set: async () => undefined, delete: async () => undefined };
      server.handle((_request, res) => sendJson(res, 200, { access_token: "abc", token_type: "Bearer", expires_in: 60 }));
      await createTokenClient({ clientId: "id", clientSecret: SECRET, baseUrl: server.baseUrl, store: broken, onEvent: (event) => events.push(event) }).getToken();
      const storeErrors = events.filter((event) => event.type === "store_error");
      expect(storeErrors).to.have.length.above(0);
      expect(storeErrors[0]).to.include({ message: "cannot read key for [REDACTED]" });
      expectClean(undefined, events);
      const binding = { ...broken, bind: () => { throw new Error(`no key for ${percent}`); } };
      const error = thrownBy(() => createTokenClient({ clientId: "id", clientSecret: SECRET, baseUrl: server.baseUrl, store: binding }));
      expect(error.message).to.contain("store.bind() failed: no key for [REDACTED]");
      expectClean(error);
    });

    it("scrubs what a clock or a signal throws from the cause", async () => {
      let calls = 0;
      const now = () => {
        if (++calls > 1) throw new Error(`clock broke near ${SECRET}`);
        return Date.now();
      };
      const fromClock = await rejectionOf(createTokenClient({ clientId: "id", clientSecret: SECRET, baseUrl: server.baseUrl, now }).getToken());
      expect(fromClock.code).to.equal("invalid_config");
      expect(inspect(fromClock, { depth: Infinity })).to.contain("clock broke near [REDACTED]");
      expectClean(fromClock);
      const signal = new AbortController().signal;
      Object.defineProperty(signal, "addEventListener", { value: () => { throw new Error(`listener for ${SECRET}`); } });
      const fromSignal = await rejectionOf(postAccessToken({ clientId: "id", clientSecret: SECRET, baseUrl: server.baseUrl, signal }));
      expect(fromSignal.code).to.equal("invalid_config");
      expect(inspect(fromSignal, { depth: Infinity })).to.contain("listener for [REDACTED]");
      expectClean(fromSignal);
      const viaClient = await rejectionOf(createTokenClient({ clientId: "id", clientSecret: SECRET, baseUrl: server.baseUrl }).getToken({ signal }));
      expect(inspect(viaClient, { depth: Infinity })).to.contain("listener for [REDACTED]");
      expectClean(viaClient);
    });
  });
});
