import { expect } from "chai";
import { postAccessToken } from "../src/index.js";
import { startPrism, type PrismServer } from "./_prism-server.js";
import { eventually } from "./_async.js";
import { TOOLCHAIN_TIMEOUT_MS } from "./_spec-run.js";

// A contract test with a tool nobody here wrote: Stoplight Prism mocks openapi/cells-authority.yaml
// and, with --errors, answers any request that violates the spec with a 4xx and an `sl-violations`
// header. Prism mounts the paths at the root: the spec's server path (/v4.0) is not part of the
// route, so the base URL is the bare origin.

const SPEC = "openapi/cells-authority.yaml";
const EXAMPLE_TOKEN = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.example.signature";
const CLIENT_ID = "00000000-0000-0000-0000-000000000000";
const CLIENT_SECRET = "contract-test-secret";

interface Violation {
  location: string[];
  severity: string;
  code: string | number;
  message: string;
}

function violationsOf(response: Response): Violation[] | undefined {
  const header = response.headers.get("sl-violations");
  return header === null ? undefined : (JSON.parse(header) as Violation[]);
}

function postForm(url: string, body: string | undefined, contentType = "application/x-www-form-urlencoded"): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: body === undefined ? {} : { "Content-Type": contentType },
    ...(body === undefined ? {} : { body }),
  });
}

describe("contract: the token request against Prism's validation of openapi/cells-authority.yaml", function () {
  let prism: PrismServer;
  let tokenUrl: string;

  before(async function () {
    this.timeout(TOOLCHAIN_TIMEOUT_MS);
    prism = await startPrism(SPEC);
    tokenUrl = `${prism.origin}/cells/connect/token`;
  });

  after(async function () {
    await prism?.close();
    if (prism) {
      // The process is gone: no orphan Prism stays behind.
      expect(() => process.kill(prism.pid, 0)).to.throw(/ESRCH/);
    }
  });

  it("Prism serves the spec's paths at the root, not under the server path /v4.0", async function () {
    const [root, versioned] = await Promise.all([
      postForm(tokenUrl, new URLSearchParams({ grant_type: "client_credentials", client_id: CLIENT_ID, client_secret: CLIENT_SECRET }).toString()),
      postForm(`${prism.origin}/v4.0/cells/connect/token`, new URLSearchParams({ grant_type: "client_credentials", client_id: CLIENT_ID, client_secret: CLIENT_SECRET }).toString()),
    ]);
    expect(root.status).to.equal(200);
    expect(versioned.status).to.equal(404);
    await Promise.all([root.body?.cancel(), versioned.body?.cancel()]);
  });

  it("postAccessToken's request passes Prism's request validation (no violations) and gets the spec's example token", async function () {
    const sent: { method: string; url: string; contentType: string | null; body: string }[] = [];
    const received: Response[] = [];
    const recordingFetch = async (request: Request): Promise<Response> => {
      sent.push({ method: request.method, url: request.url, contentType: request.headers.get("content-type"), body: await request.clone().text() });
      const response = await fetch(request);
      received.push(response);
      return response;
    };

    const logStart = prism.output().length;
    const token = await postAccessToken({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      baseUrl: prism.origin,
      retry: { maxRetries: 0 },
      fetch: recordingFetch,
    });

    expect(received).to.have.length(1);
    const response = received[0]!;
    expect(response.status).to.equal(200);
    expect(violationsOf(response), "sl-violations").to.equal(undefined);
    expect(token).to.include({ accessToken: EXAMPLE_TOKEN, tokenType: "Bearer", expiresIn: 3600 });

    // What Prism accepted, for the record. Prism does not enforce additionalProperties on a form
    // body, so the exact field set is checked here.
    const request = sent[0]!;
    expect(request.method).to.equal("POST");
    expect(request.url).to.equal(tokenUrl);
    expect(request.contentType).to.equal("application/x-www-form-urlencoded");
    expect([...new URLSearchParams(request.body).keys()].sort()).to.deep.equal(["client_id", "client_secret", "grant_type"]);
    // Prism's log line may arrive on the pipe just after the response.
    await eventually(() => prism.output().slice(logStart).includes("The request passed the validation rules"), "Prism's validation log line", 2000);
  });

  it("rejects a form without client_secret, with a violation naming client_secret", async function () {
    const response = await postForm(tokenUrl, new URLSearchParams({ grant_type: "client_credentials", client_id: CLIENT_ID }).toString());
    expect(response.status).to.be.within(400, 499);
    const violations = violationsOf(response);
    expect(violations, "sl-violations").to.be.an("array").that.is.not.empty;
    expect(violations!.some((v) => v.severity === "Error" && v.location.join(".") === "request.body" && /client_secret/.test(v.message))).to.equal(true, JSON.stringify(violations));
    await response.body?.cancel();
  });

  it("rejects the credentials as query parameters with no body (the seed pages' mistake)", async function () {
    const query = new URLSearchParams({ grant_type: "client_credentials", client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    const response = await postForm(`${tokenUrl}?${query.toString()}`, undefined);
    expect(response.status).to.be.within(400, 499);
    const violations = violationsOf(response);
    expect(violations, "sl-violations").to.be.an("array").that.is.not.empty;
    // Prism ignores the unknown query parameters; what it rejects is the missing body.
    expect(violations!.some((v) => v.severity === "Error" && /body/i.test(v.message))).to.equal(true, JSON.stringify(violations));
    await response.body?.cancel();
  });

  it("rejects the same fields sent as JSON (what openapi-fetch sends without the exact form Content-Type)", async function () {
    const response = await postForm(tokenUrl, JSON.stringify({ grant_type: "client_credentials", client_id: CLIENT_ID, client_secret: CLIENT_SECRET }), "application/json");
    expect(response.status).to.be.within(400, 499);
    const violations = violationsOf(response);
    expect(violations!.some((v) => /application\/x-www-form-urlencoded/.test(v.message))).to.equal(true, JSON.stringify(violations));
    await response.body?.cancel();
  });

  it("rejects an empty client_secret and another grant type", async function () {
    const [empty, password] = await Promise.all([
      postForm(tokenUrl, new URLSearchParams({ grant_type: "client_credentials", client_id: CLIENT_ID, client_secret: "" }).toString()),
      postForm(tokenUrl, new URLSearchParams({ grant_type: "password", client_id: CLIENT_ID, client_secret: CLIENT_SECRET }).toString()),
    ]);
    expect(empty.status).to.equal(400);
    expect(violationsOf(empty)!.map((v) => v.location.join("."))).to.include("request.body.client_secret");
    expect(password.status).to.equal(400);
    expect(violationsOf(password)!.map((v) => v.location.join("."))).to.include("request.body.grant_type");
    await Promise.all([empty.body?.cancel(), password.body?.cancel()]);
  });
});
