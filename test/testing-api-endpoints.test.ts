import { expect } from "chai";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startTokenServer, type TokenServer } from "../src/testing/index.js";
import { postForm, tokenForm } from "./_testing-kit.js";

describe("testing kit: API endpoints", () => {
  let server: TokenServer;
  let clock: number;

  beforeEach(async () => {
    clock = Date.UTC(2030, 0, 1);
    server = await startTokenServer({ now: () => clock, tokenLifetimeSeconds: 2 });
  });
  afterEach(() => server?.close());

  async function issue(target: TokenServer = server): Promise<string> {
    const res = await postForm(target.tokenUrl, tokenForm(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET));
    expect(res.status).to.equal(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  const call = (path: string, token?: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${server.baseUrl}${path}`, {
      headers: token === undefined ? headers : { authorization: `Bearer ${token}`, ...headers },
    });

  async function expect401(res: Response, error: string): Promise<void> {
    expect(res.status).to.equal(401);
    expect(res.headers.get("www-authenticate")).to.match(/^Bearer realm=/);
    expect(((await res.json()) as { error: unknown }).error).to.equal(error);
  }

  it("GET /cells/status/check answers the health JSON for a token it issued", async () => {
    const res = await call("/cells/status/check", await issue());
    expect(res.status).to.equal(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).to.deep.include({ status: "OK", service: "Cells", timestamp: new Date(clock).toISOString() });
    expect(body["components"]).to.deep.include({ api: "Operational" });
    expect(body).to.not.have.property("details");
    expect(server.stats).to.deep.include({ apiCalls: 1, apiCallsRejected: 0 });
    expect(server.requests.at(-1)).to.deep.include({ endpoint: "status-check", auth: "valid", status: 200 });
  });

  it("adds details when the detail query is set", async () => {
    const res = await call("/cells/status/check?detail=true", await issue());
    expect((await res.json()) as object).to.have.property("details");
  });

  it("GET /cells answers a JSON string", async () => {
    const res = await call("/cells", await issue());
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.match(/^application\/json/);
    const body: unknown = await res.json();
    expect(body).to.be.a("string").that.matches(/Aspose\.Cells Cloud/);
  });

  it("accepts the scheme in any case", async () => {
    const token = await issue();
    const res = await call("/cells", undefined, { authorization: `bearer ${token}` });
    expect(res.status).to.equal(200);
  });

  it("answers 401 without a token, counted as missing", async () => {
    await expect401(await call("/cells/status/check"), "invalid_request");
    await expect401(await call("/cells", undefined, { authorization: "Basic abc" }), "invalid_request");
    expect(server.stats).to.deep.include({ apiCalls: 2, apiCallsRejected: 2, missingTokenCalls: 2, unknownTokenCalls: 0 });
  });

  it("answers 401 for a token it never issued, counted as unknown", async () => {
    const other = await startTokenServer();
    try {
      const foreign = await issue(other);
      await expect401(await call("/cells/status/check", foreign), "invalid_token");
      await expect401(await call("/cells", "not.a.token"), "invalid_token");
    } finally {
      await other.close();
    }
    expect(server.stats).to.deep.include({ unknownTokenCalls: 2, expiredTokenCalls: 0, apiCallsRejected: 2 });
  });

  it("answers 401 for an expired token and counts it in expiredTokenCalls", async () => {
    const token = await issue();
    clock += 2000 - 1;
    expect((await call("/cells/status/check", token)).status).to.equal(200);
    expect(server.stats.expiredTokenCalls).to.equal(0);
    clock += 1;
    const res = await call("/cells/status/check", token);
    await expect401(res, "invalid_token");
    expect(res.headers.get("www-authenticate")).to.include('error="invalid_token"');
    await expect401(await call("/cells", token), "invalid_token");
    expect(server.stats).to.deep.include({ expiredTokenCalls: 2, apiCallsRejected: 2, apiCalls: 3 });
    expect(server.requests.at(-1)).to.deep.include({ auth: "expired", status: 401 });
  });

  it("answers 401 for a revoked token that has not expired; other tokens keep working", async () => {
    const revoked = await issue();
    const kept = await issue();
    expect(server.revoke(revoked)).to.equal(true);
    expect(server.revoke("never-issued")).to.equal(false);
    await expect401(await call("/cells", revoked), "invalid_token");
    expect((await call("/cells", kept)).status).to.equal(200);
    expect(server.stats).to.deep.include({ revokedTokenCalls: 1, expiredTokenCalls: 0, unknownTokenCalls: 0 });
  });

  it("revokeAll revokes every token issued so far, not later ones", async () => {
    const a = await issue();
    const b = await issue();
    expect(server.revokeAll()).to.equal(2);
    const c = await issue();
    await expect401(await call("/cells", a), "invalid_token");
    await expect401(await call("/cells", b), "invalid_token");
    expect((await call("/cells", c)).status).to.equal(200);
    expect(server.stats.revokedTokenCalls).to.equal(2);
  });

  it("keeps apiCallsRejected equal to the sum of the rejection counters", async () => {
    const token = await issue();
    await call("/cells");
    await call("/cells", "unknown");
    server.revoke(await issue());
    clock += 60_000;
    await call("/cells", token);
    const s = server.stats;
    expect(s.apiCallsRejected).to.equal(3);
    expect(s.missingTokenCalls + s.unknownTokenCalls + s.expiredTokenCalls + s.revokedTokenCalls).to.equal(3);
  });

  it("answers 404 for unknown paths and paths outside the base path", async () => {
    const token = await issue();
    for (const path of ["/cells/nope", "/cells/status/check/", "/cells/connect/token/extra"]) {
      expect((await call(path, token)).status, path).to.equal(404);
    }
    const outside = await fetch(`http://127.0.0.1:${server.port}/cells/status/check`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(outside.status).to.equal(404);
    expect(server.stats.apiCalls).to.equal(0);
  });

  it("answers 405 with Allow: GET for other methods on API paths", async () => {
    const res = await fetch(`${server.baseUrl}/cells`, { method: "POST", headers: { authorization: `Bearer ${await issue()}` } });
    expect(res.status).to.equal(405);
    expect(res.headers.get("allow")).to.equal("GET");
  });
});
