// startTokenServer({ specs }): the operations of OpenAPI specs served beside the shipped endpoints,
// with the token rules, request validation, sampled answers, handle() overrides, faults and the clock.
import path from "node:path";
import { expect } from "chai";
import * as codegenEmulator from "../packages/codegen/src/emulator/index.js";
import { startTokenServer, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, type TokenServer } from "../src/testing/index.js";
import type { SpecBackendModule } from "../src/testing/spec-backend.js";
import { postForm, tokenForm } from "./_testing-kit.js";
import { fixturesDir } from "./_spec-workspace.js";

// The emulator's contract with aspose-cells-codegen/emulator, checked by the type-checker.
const contract: SpecBackendModule = codegenEmulator;

const WORKSHEETS = path.join(fixturesDir, "worksheets-swagger2.json");
const CONVERSION = path.join(fixturesDir, "conversion-openapi3.yaml");

describe("startTokenServer({ specs })", () => {
  let now = Date.parse("2030-01-01T00:00:00Z");
  let server: TokenServer;
  let token: string;
  const call = (route: string, init: RequestInit & { auth?: string | false } = {}) => {
    const { auth, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (auth !== false) headers.set("authorization", `Bearer ${auth ?? token}`);
    return fetch(`${server.baseUrl}${route}`, { ...rest, headers });
  };
  const newToken = async (): Promise<string> => {
    const response = await postForm(server.tokenUrl, tokenForm(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET));
    return ((await response.json()) as { access_token: string }).access_token;
  };

  before(async () => {
    expect(contract.loadSpecs).to.be.a("function");
    server = await startTokenServer({ specs: [WORKSHEETS, CONVERSION], now: () => now, tokenLifetimeSeconds: 60 });
    token = await newToken();
  });
  after(() => server?.close());
  afterEach(() => server.clearFaults());

  it("answers 200 with a body sampled from the response schema, the same for the same request", async () => {
    const first = await call("/cells/book.xlsx/worksheets?folder=in");
    expect(first.status).to.equal(200);
    const body = (await first.json()) as { Code: number; Status: string; Worksheets: { WorksheetList: { Name: string; Visibility: string }[] } };
    expect(body.Code).to.be.a("number");
    expect(body.Worksheets.WorksheetList[0]?.Visibility).to.be.oneOf(["Visible", "Hidden", "VeryHidden"]);
    expect(await (await call("/cells/book.xlsx/worksheets?folder=in")).json()).to.deep.equal(body);
  });

  it("answers with the spec's example when it has one (OpenAPI 3)", async () => {
    const response = await call("/cells/convert/formats");
    expect(await response.json()).to.deep.equal({ Formats: ["pdf", "xlsx", "csv", "html"] });
  });

  it("answers a file download with bytes that depend only on the request", async () => {
    const png = new Uint8Array(await (await call("/cells/b/worksheets/S/image?format=png")).arrayBuffer());
    const again = await call("/cells/b/worksheets/S/image?format=png");
    expect(again.headers.get("content-type")).to.equal("application/octet-stream");
    expect(new Uint8Array(await again.arrayBuffer())).to.deep.equal(png);
    expect(new Uint8Array(await (await call("/cells/b/worksheets/S/image?format=svg")).arrayBuffer())).not.to.deep.equal(png);
    const converted = await call("/cells/convert?format=pdf", { method: "PUT", headers: { "content-type": "application/octet-stream" }, body: new Uint8Array([1, 2, 3]) });
    expect(converted.status).to.equal(200);
    expect((await converted.arrayBuffer()).byteLength).to.be.greaterThan(0);
  });

  describe("refuses a request the spec does not allow with 400 and an Aspose-style error naming the problem", () => {
    const cases: Array<[string, string, RequestInit, RegExp]> = [
      ["a missing required query parameter", "/cells/b/worksheets/S/image", {}, /^GET \/cells\/\{name\}\/worksheets\/\{sheetName\}\/image: the query parameter "format" is required\.$/],
      ["a query parameter outside its enum", "/cells/b/worksheets/S/image?format=gif", {}, /the query parameter format must be one of "png", "jpg", "svg"\.$/],
      ["a query parameter of the wrong type", "/cells/b/worksheets/S?position=first", { method: "PUT" }, /the query parameter position must be integer\.$/],
      ["a header parameter over its maximum length", "/cells/b/worksheets", { headers: { "x-aspose-client": "x".repeat(41) } }, /the header parameter x-aspose-client must NOT have more than 40 characters\.$/],
      [
        "a JSON body value outside its enum",
        "/cells/b/worksheets/S/protection",
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ProtectionType: "Everything" }) },
        /the request body field ProtectionType must be one of "All", "Contents", "Objects", "Scenarios", "Structure", "Windows", "None"\.$/,
      ],
      [
        "a JSON body without a required field",
        "/cells/b/worksheets/S/protection",
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ Password: "p" }) },
        /the request body is missing the required property "ProtectionType"\.$/,
      ],
      ["a missing required body", "/cells/b/worksheets/S/protection", { method: "POST" }, /the request body is required\.$/],
      ["a body that is not JSON", "/cells/b/worksheets/S/protection", { method: "POST", headers: { "content-type": "application/json" }, body: "{" }, /the request body is not valid JSON\.$/],
    ];
    for (const [title, route, init, message] of cases) {
      it(title, async () => {
        const response = await call(route, init);
        expect(response.status).to.equal(400);
        const body = (await response.json()) as { RequestId: string; Error: { Code: string; Message: string; DateTime: string } };
        expect(body.Error.Code).to.equal("BadRequest");
        expect(body.Error.Message).to.match(message);
        expect(body.Error.DateTime).to.equal(new Date(now).toISOString());
        expect(body.RequestId).to.match(/^emulator-\d+$/);
      });
    }

    it("a body of a media type the operation does not take (415)", async () => {
      const response = await call("/cells/convert?format=pdf", { method: "PUT", headers: { "content-type": "text/plain" }, body: "x" });
      expect(response.status).to.equal(415);
    });
  });

  it("answers 405 naming the methods a served path takes, and 404 for a path no spec has", async () => {
    const wrong = await call("/cells/b/worksheets", { method: "DELETE" });
    expect(wrong.status).to.equal(405);
    expect(wrong.headers.get("allow")).to.equal("GET");
    expect((await call("/cells/b/sheets")).status).to.equal(404);
  });

  it("keeps the token rules of the status endpoint: 401 for a missing, unknown, expired or revoked token, counted in stats", async () => {
    const before = server.stats;
    expect((await call("/cells/b/worksheets", { auth: false })).status).to.equal(401);
    expect((await call("/cells/b/worksheets", { auth: "not-issued-here" })).status).to.equal(401);
    const revoked = await newToken();
    server.revoke(revoked);
    expect((await call("/cells/b/worksheets", { auth: revoked })).status).to.equal(401);
    const expiring = await newToken();
    now += 61_000; // the virtual clock: the token's 60 s are over
    const expired = await call("/cells/b/worksheets", { auth: expiring });
    expect(expired.status).to.equal(401);
    expect(expired.headers.get("www-authenticate")).to.contain('error="invalid_token"');
    token = await newToken();
    const after = server.stats;
    expect(after.missingTokenCalls - before.missingTokenCalls).to.equal(1);
    expect(after.unknownTokenCalls - before.unknownTokenCalls).to.equal(1);
    expect(after.revokedTokenCalls - before.revokedTokenCalls).to.equal(1);
    expect(after.expiredTokenCalls - before.expiredTokenCalls).to.equal(1);
    expect(after.apiCalls - before.apiCalls).to.equal(4);
    expect(server.requests.at(-2)).to.include({ endpoint: "spec", auth: "expired", status: 401 });
  });

  it("answers with a handle() override (method in any case), given the standard Request, until removed", async () => {
    let seen: { url: string; method: string; body: string } | undefined;
    const remove = server.handle("post", "/cells/{name}/worksheets/{sheetName}/protection", async (request) => {
      seen = { url: request.url, method: request.method, body: await request.text() };
      return Response.json({ Code: 200, Status: "Protected" }, { status: 201 });
    });
    const body = JSON.stringify({ ProtectionType: "All" });
    const overridden = await call("/cells/b/worksheets/S/protection", { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(overridden.status).to.equal(201);
    expect(await overridden.json()).to.deep.equal({ Code: 200, Status: "Protected" });
    expect(seen).to.deep.equal({ url: `${server.baseUrl}/cells/b/worksheets/S/protection`, method: "POST", body });
    expect((await call("/cells/b/worksheets/S/protection", { method: "POST", auth: false })).status, "the token is checked first").to.equal(401);
    expect((await call("/cells/b/worksheets/S/protection", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status, "so is the request").to.equal(400);
    remove();
    expect((await call("/cells/b/worksheets/S/protection", { method: "POST", headers: { "content-type": "application/json" }, body })).status).to.equal(200);
    const status = server.handle("GET", "/cells/status/check", () => new Response("down", { status: 503 }));
    expect((await call("/cells/status/check")).status).to.equal(503);
    status();
  });

  it("answers 500 naming the override when it throws, and refuses to override what it does not serve", async () => {
    const remove = server.handle("GET", "/cells/{name}/worksheets", () => {
      throw new Error("boom");
    });
    const failed = await call("/cells/b/worksheets");
    expect(failed.status).to.equal(500);
    expect(((await failed.json()) as { Error: { Message: string } }).Error.Message).to.equal("The handler for GET /cells/{name}/worksheets threw (Error: boom).");
    remove();
    expect(() => server.handle("GET", "/cells/{name}/sheets", () => new Response())).to.throw(TypeError, /does not serve GET \/cells\/\{name\}\/sheets/);
    expect(() => server.handle("DELETE", "/cells/{name}/worksheets", () => new Response())).to.throw(TypeError);
  });

  it("gives API calls the faults injected with endpoint: api, before the token is checked", async () => {
    server.inject({ kind: "status", status: 503, headers: { "Retry-After": "1" } }, { endpoint: "api", times: 2 });
    expect(server.faultsPending).to.equal(2);
    const first = await call("/cells/b/worksheets", { auth: false });
    expect(first.status).to.equal(503);
    expect(first.headers.get("retry-after")).to.equal("1");
    expect((await call("/cells/status/check")).status).to.equal(503);
    expect((await call("/cells/b/worksheets")).status).to.equal(200);
    server.inject({ kind: "html" }, { endpoint: "api" });
    expect((await postForm(server.tokenUrl, tokenForm(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET))).status, "token requests keep their own queue").to.equal(200);
    expect((await call("/cells/b/worksheets")).headers.get("content-type")).to.contain("text/html");
    expect(() => server.inject({ kind: "hang" }, { endpoint: "apis" as "api" })).to.throw(TypeError, /endpoint/);
  });

  describe("refuses specs it cannot serve, naming the file", () => {
    it("a missing file", async () => {
      const failure = await startTokenServer({ specs: ["no-such-spec.yaml"] }).then(() => undefined, (error: unknown) => error);
      expect(failure).to.be.instanceOf(TypeError).with.property("message", "cannot read the spec no-such-spec.yaml: ENOENT");
    });
    it("two specs that define one operation", async () => {
      const failure = await startTokenServer({ specs: [WORKSHEETS, WORKSHEETS] }).then(() => undefined, (error: unknown) => error);
      expect(failure).to.be.instanceOf(TypeError).with.property("message").that.matches(/^cannot serve GET \/cells\/\{name\}\/worksheets twice/);
    });
    it("an option that is not a list of files", async () => {
      const failure = await startTokenServer({ specs: "a.yaml" as unknown as string[] }).then(() => undefined, (error: unknown) => error);
      expect(failure).to.be.instanceOf(TypeError).with.property("message", "options.specs must be an array of spec file paths (non-empty strings)");
    });
  });
});
