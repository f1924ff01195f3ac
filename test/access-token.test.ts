import { expect } from "chai";
import { processTokenResponse, isCellsAuthError } from "../src/index.js";
import { rejectionOf } from "./_async.js";

const startedAt = Date.UTC(2026, 0, 1);
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(typeof body === "string" ? body : JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const ok = (body: unknown) => processTokenResponse(json(200, body), { startedAt });
const fails = async (response: Response, secrets: string[] = []) => rejectionOf(processTokenResponse(response, { startedAt, secrets }));

describe("processTokenResponse", () => {
  it("returns the token, with expiresAt counted from the request start", async () => {
    const token = await ok({ access_token: "eyJ.abc-_~+/.sig==", token_type: "Bearer", expires_in: 3600 });
    expect(token).to.deep.equal({ accessToken: "eyJ.abc-_~+/.sig==", tokenType: "Bearer", expiresIn: 3600, expiresAt: startedAt + 3_600_000 });
  });

  it("compares token_type case-insensitively and reads a missing one as Bearer", async () => {
    expect((await ok({ access_token: "a", token_type: "bEaReR", expires_in: 1 })).tokenType).to.equal("Bearer");
    expect((await ok({ access_token: "a", expires_in: 1 })).tokenType).to.equal("Bearer");
  });

  it("accepts a lifetime of exactly 1 second", async () => {
    expect((await ok({ access_token: "a", token_type: "Bearer", expires_in: 1 })).expiresAt).to.equal(startedAt + 1_000);
  });

  it("accepts expires_in as a numeric string", async () => {
    expect((await ok({ access_token: "a", token_type: "Bearer", expires_in: "120" })).expiresAt).to.equal(startedAt + 120_000);
  });

  const invalidBodies: Array<[string, unknown]> = [
    ["a JSON array", [{ Name: "String" }]],
    ["a JSON string", "\"eyJ\""],
    ["not JSON", "<html>proxy error</html>"],
    ["an empty body", ""],
    ["no access_token", { token_type: "Bearer", expires_in: 3600 }],
    ["an empty access_token", { access_token: "", token_type: "Bearer", expires_in: 3600 }],
    ["a numeric access_token", { access_token: 12, token_type: "Bearer", expires_in: 3600 }],
    ["an access_token with a line break", { access_token: "abc\r\nX-Evil: 1", token_type: "Bearer", expires_in: 3600 }],
    ["token_type mac", { access_token: "a", token_type: "mac", expires_in: 3600 }],
    ["a numeric token_type", { access_token: "a", token_type: 1, expires_in: 3600 }],
    ["a token_type object whose toString is not callable", { access_token: "a", token_type: { toString: 1 }, expires_in: 3600 }],
    ["no expires_in", { access_token: "a", token_type: "Bearer" }],
    ["expires_in 0", { access_token: "a", token_type: "Bearer", expires_in: 0 }],
    ["expires_in 0.001 (dead on arrival)", { access_token: "a", token_type: "Bearer", expires_in: 0.001 }],
    ["expires_in '0.001'", { access_token: "a", token_type: "Bearer", expires_in: "0.001" }],
    ["expires_in 0.999", { access_token: "a", token_type: "Bearer", expires_in: 0.999 }],
    ["a negative expires_in", { access_token: "a", token_type: "Bearer", expires_in: -5 }],
    ["expires_in 'soon'", { access_token: "a", token_type: "Bearer", expires_in: "soon" }],
    ["an infinite expires_in", { access_token: "a", token_type: "Bearer", expires_in: 1e400 }],
    ["an absurd expires_in", { access_token: "a", token_type: "Bearer", expires_in: 1e300 }],
  ];
  for (const [what, body] of invalidBodies) {
    it(`refuses a 200 with ${what} (invalid_response)`, async () => {
      const error = await fails(json(200, body));
      expect(isCellsAuthError(error)).to.equal(true);
      expect(error.code).to.equal("invalid_response");
      expect(error.retryable).to.equal(false);
    });
  }

  it("refuses a body over 64 KiB while streaming, without reading it all", async () => {
    let pulled = 0;
    const chunk = new TextEncoder().encode(" ".repeat(16 * 1024));
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(chunk);
      },
    });
    const error = await fails(new Response(endless, { status: 200 }));
    expect(error.code).to.equal("invalid_response");
    expect(error.message).to.match(/over 65536 bytes/);
    expect(pulled).to.be.lessThan(10);
  });

  it("reports a body stream that fails half way as a retryable network error", async () => {
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"access_token":'));
        controller.error(new Error("socket hang up"));
      },
    });
    const error = await fails(new Response(failing, { status: 200 }));
    expect(isCellsAuthError(error)).to.equal(true);
    expect(error).to.include({ code: "network", retryable: true });
  });

  it("refuses a Response whose body was already read, with invalid_config", async () => {
    const response = json(200, { access_token: "a", expires_in: 60 });
    await response.text();
    const error = await fails(response);
    expect(isCellsAuthError(error)).to.equal(true);
    expect(error.code).to.equal("invalid_config");
  });

  it("refuses at once a body whose Content-Length is over 64 KiB", async () => {
    const error = await fails(new Response("{}", { status: 200, headers: { "content-length": "70000" } }));
    expect(error.code).to.equal("invalid_response");
  });

  it("maps a 401 OAuth body to oauth_error with its fields", async () => {
    const error = await fails(json(401, { error: "invalid_client", error_description: "Client authentication failed." }));
    expect(error).to.include({ code: "oauth_error", status: 401, oauthError: "invalid_client", oauthErrorDescription: "Client authentication failed.", retryable: false });
    expect(error.message).to.match(/ASPOSE_CLOUD_CLIENT_SECRET/);
  });

  it("maps 400 and 403 OAuth bodies to oauth_error", async () => {
    expect((await fails(json(400, { error: "invalid_request" }))).code).to.equal("oauth_error");
    expect((await fails(json(403, { error: "access_denied" }))).code).to.equal("oauth_error");
  });

  it("maps a 401 without an OAuth body, and other statuses, to http_error with a scrubbed snippet", async () => {
    const error = await fails(new Response("<html><body>Bad gateway\u0007 for s3cr3t</body></html>", { status: 502 }), ["s3cr3t"]);
    expect(error).to.include({ code: "http_error", status: 502, retryable: true });
    expect(error.bodySnippet).to.equal("<html><body>Bad gateway for [REDACTED]</body></html>");
    const unauthorized = await fails(new Response("denied", { status: 401 }));
    expect(unauthorized).to.include({ code: "http_error", status: 401, retryable: false });
  });

  it("marks 408, 429 and 5xx gateway statuses retryable, other 4xx not", async () => {
    for (const status of [408, 429, 500, 502, 503, 504]) expect((await fails(json(status, {}))).retryable, String(status)).to.equal(true);
    for (const status of [404, 405, 409, 413, 422, 501]) expect((await fails(json(status, {}))).retryable, String(status)).to.equal(false);
  });

  it("says on a 404 that the base URL needs the API version, naming the URL requested", async () => {
    const url = "https://api.aspose.cloud/cells/connect/token";
    const error = await rejectionOf(processTokenResponse(new Response("Not Found", { status: 404 }), { startedAt, url }));
    expect(error).to.include({ code: "http_error", status: 404, retryable: false });
    expect(error.message).to.equal(
      `No token endpoint at ${url} (HTTP 404): the base URL (baseUrl or ASPOSE_CLOUD_API_URL) must end with the API version, as in https://api.aspose.cloud/v4.0.`,
    );
    const unnamed = await fails(new Response("Not Found", { status: 404 }));
    expect(unnamed.message).to.match(/^No token endpoint at the URL requested \(HTTP 404\): the base URL .* must end with the API version/);
  });

  it("reads Retry-After into retryAfterMs", async () => {
    const error = await fails(json(429, { error: "slow_down" }, { "retry-after": "7" }));
    expect(error).to.include({ code: "http_error", status: 429, retryAfterMs: 7000 });
  });

  it("shortens long snippets", async () => {
    const error = await fails(new Response("x".repeat(5000), { status: 500 }));
    expect((error.bodySnippet as string).length).to.be.at.most(201);
  });
});

describe("processTokenResponse given a Response whose getters throw", () => {
  const SECRET = "Getter-Secret/9f2c41d07be3a658";
  const thrower = (what: string) => () => {
    throw new Error(`${what} failed for client_secret=${encodeURIComponent(SECRET)}`);
  };
  const withGetter = (name: string, get: () => unknown, response = json(200, { access_token: "abc", expires_in: 60 })) => {
    Object.defineProperty(response, name, { get, configurable: true });
    return response;
  };
  const headersThatThrow = () => {
    const headers = new Headers({ "retry-after": "1" });
    Object.defineProperty(headers, "get", { value: thrower("headers.get") });
    return headers;
  };
  const cases: Array<[string, () => Response]> = [
    ["status", () => withGetter("status", thrower("status"))],
    ["headers", () => withGetter("headers", thrower("headers"))],
    ["url", () => withGetter("url", thrower("url"))],
    ["bodyUsed", () => withGetter("bodyUsed", thrower("bodyUsed"))],
    ["body", () => withGetter("body", thrower("body"))],
    ["headers.get (read for Retry-After after the body)", () => withGetter("headers", headersThatThrow, json(503, "down"))],
  ];
  for (const [what, make] of cases) {
    it(`${what}: rejects with a CellsAuthError whose cause is scrubbed of the secret`, async () => {
      const error = await fails(make(), [SECRET]);
      expect(isCellsAuthError(error), String(error)).to.equal(true);
      expect(error.code).to.be.oneOf(["invalid_config", "network"]);
      const cause = (error as { cause?: Error }).cause;
      expect(cause?.message).to.contain("failed for client_secret=[REDACTED]");
      expect(`${cause?.stack}`).not.to.contain(encodeURIComponent(SECRET));
    });
  }
});
