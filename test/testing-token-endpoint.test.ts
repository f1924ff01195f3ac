import { expect } from "chai";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startTokenServer, type TokenServer } from "../src/testing/index.js";
import { decodeSegment, postForm, tokenForm } from "./_testing-kit.js";

describe("testing kit: POST /cells/connect/token", () => {
  let server: TokenServer;
  let clock: number;

  beforeEach(async () => {
    clock = Date.UTC(2030, 0, 1, 12, 0, 0, 500);
    server = await startTokenServer({ now: () => clock });
  });
  afterEach(() => server?.close());

  const good = (overrides: Record<string, string | undefined> = {}): Record<string, string> =>
    tokenForm(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, overrides);

  async function expectOAuthError(res: Response, status: number, error: string): Promise<string> {
    expect(res.status).to.equal(status);
    expect(res.headers.get("content-type")).to.match(/^application\/json/);
    const body = (await res.json()) as { error?: unknown; error_description?: unknown };
    expect(body.error).to.equal(error);
    expect(body.error_description).to.be.a("string").and.not.equal("");
    return body.error_description as string;
  }

  it("issues a Bearer token with the default credentials and lifetime", async () => {
    const res = await postForm(server.tokenUrl, good());
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.match(/^application\/json/);
    expect(res.headers.get("cache-control")).to.equal("no-store");
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).to.deep.equal(["access_token", "expires_in", "token_type"]);
    expect(body["token_type"]).to.equal("Bearer");
    expect(body["expires_in"]).to.equal(3600);
    expect(server.stats.tokenRequests).to.equal(1);
    expect(server.stats.tokensIssued).to.equal(1);
  });

  it("issues JWT-shaped, unique tokens whose exp is the issue time plus the lifetime", async () => {
    const first = (await (await postForm(server.tokenUrl, good())).json()) as { access_token: string };
    const second = (await (await postForm(server.tokenUrl, good())).json()) as { access_token: string };
    expect(first.access_token).to.not.equal(second.access_token);
    const parts = first.access_token.split(".");
    expect(parts).to.have.length(3);
    for (const part of parts) expect(part).to.match(/^[A-Za-z0-9_-]+$/);
    expect(decodeSegment(parts[0])).to.include({ typ: "JWT" });
    const payload = decodeSegment(parts[1]);
    expect(payload["exp"]).to.equal(Math.floor((clock + 3600 * 1000) / 1000));
    expect(payload["iat"]).to.equal(Math.floor(clock / 1000));
    expect(payload["client_id"]).to.equal(DEFAULT_CLIENT_ID);
    expect(decodeSegment(second.access_token.split(".")[1])["jti"]).to.not.equal(payload["jti"]);
  });

  it("uses configured credentials and lifetime, and setTokenLifetime for later tokens", async () => {
    const custom = await startTokenServer({ clientId: "my-id", clientSecret: "my-secret", tokenLifetimeSeconds: 2 });
    try {
      const rejected = await postForm(custom.tokenUrl, good());
      await expectOAuthError(rejected, 401, "invalid_client");
      const res = await postForm(custom.tokenUrl, tokenForm("my-id", "my-secret"));
      expect(res.status).to.equal(200);
      expect(((await res.json()) as { expires_in: unknown }).expires_in).to.equal(2);
      custom.setTokenLifetime(1);
      expect(custom.tokenLifetimeSeconds).to.equal(1);
      const later = await postForm(custom.tokenUrl, tokenForm("my-id", "my-secret"));
      expect(((await later.json()) as { expires_in: unknown }).expires_in).to.equal(1);
      expect(() => custom.setTokenLifetime(1.5)).to.throw(TypeError, /seconds/);
      expect(() => custom.setTokenLifetime(0)).to.throw(TypeError, /seconds/);
    } finally {
      await custom.close();
    }
  });

  it("accepts a charset parameter on the form content type", async () => {
    const res = await fetch(server.tokenUrl, {
      method: "POST",
      headers: { "content-type": "Application/X-WWW-Form-Urlencoded; charset=UTF-8" },
      body: new URLSearchParams(good()).toString(),
    });
    expect(res.status).to.equal(200);
  });

  it("rejects a JSON body with 400 invalid_request naming the content type", async () => {
    const res = await fetch(server.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(good()),
    });
    expect(await expectOAuthError(res, 400, "invalid_request")).to.match(/Content-Type/);
  });

  it("rejects a body without a content type with 400 invalid_request", async () => {
    const res = await fetch(server.tokenUrl, { method: "POST", body: new TextEncoder().encode("grant_type=x") });
    expect(res.headers.get("content-type")).to.match(/json/);
    await expectOAuthError(res, 400, "invalid_request");
  });

  it("rejects a missing grant_type with 400 invalid_request", async () => {
    const res = await postForm(server.tokenUrl, good({ grant_type: undefined }));
    expect(await expectOAuthError(res, 400, "invalid_request")).to.include("'grant_type'");
  });

  it("rejects another grant type with 400 unsupported_grant_type", async () => {
    const res = await postForm(server.tokenUrl, good({ grant_type: "password" }));
    await expectOAuthError(res, 400, "unsupported_grant_type");
  });

  for (const field of ["client_id", "client_secret"]) {
    it(`rejects a missing ${field} with 400 invalid_request naming it`, async () => {
      const res = await postForm(server.tokenUrl, good({ [field]: undefined }));
      expect(await expectOAuthError(res, 400, "invalid_request")).to.include(`'${field}'`);
    });

    it(`rejects an empty ${field} with 400 invalid_request naming it`, async () => {
      const res = await postForm(server.tokenUrl, good({ [field]: "" }));
      expect(await expectOAuthError(res, 400, "invalid_request")).to.include(`'${field}'`);
    });
  }

  it("rejects a wrong secret with 401 invalid_client", async () => {
    const res = await postForm(server.tokenUrl, good({ client_secret: `${DEFAULT_CLIENT_SECRET}x` }));
    expect(await expectOAuthError(res, 401, "invalid_client")).to.equal("Client authentication failed.");
  });

  it("rejects an unknown client id with 401 invalid_client", async () => {
    const res = await postForm(server.tokenUrl, good({ client_id: "someone-else" }));
    await expectOAuthError(res, 401, "invalid_client");
    expect(server.stats.tokensIssued).to.equal(0);
  });

  it("refuses credentials in the query string even with a correct body", async () => {
    for (const param of ["client_secret", "client_id"]) {
      const url = `${server.tokenUrl}?${param}=${encodeURIComponent(param === "client_id" ? DEFAULT_CLIENT_ID : DEFAULT_CLIENT_SECRET)}`;
      const res = await postForm(url, good());
      expect(await expectOAuthError(res, 400, "invalid_request")).to.match(/never in the URL/);
    }
    expect(server.stats.tokensIssued).to.equal(0);
  });

  it("rejects a repeated parameter with 400 invalid_request", async () => {
    const res = await fetch(server.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `${new URLSearchParams(good()).toString()}&client_id=other`,
    });
    expect(await expectOAuthError(res, 400, "invalid_request")).to.include("'client_id'");
  });

  it("answers 413 for a body over 16 KiB, and still issues tokens afterwards", async () => {
    const res = await postForm(server.tokenUrl, good({ padding: "x".repeat(17 * 1024) }));
    expect(res.status).to.equal(413);
    await res.arrayBuffer();
    const below = await postForm(server.tokenUrl, good({ padding: "x".repeat(15 * 1024) }));
    expect(below.status).to.equal(200);
    expect(server.requests.map((r) => r.status)).to.deep.equal([413, 200]);
  });

  it("answers 405 with Allow: POST for other methods, without counting a token request", async () => {
    const res = await fetch(server.tokenUrl);
    expect(res.status).to.equal(405);
    expect(res.headers.get("allow")).to.equal("POST");
    expect(server.stats.tokenRequests).to.equal(0);
  });
});
