// The emulator's `cors` option, as a browser sees it: preflights, the headers on every answer, and
// nothing of it when the option is off. (test:runtimes drives a real Chromium through it.)
import { expect } from "chai";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startTokenServer, type TokenServer } from "../src/testing/index.js";
import { settle } from "./_async.js";
import { postForm, tokenForm } from "./_testing-kit.js";

const PAGE = "http://127.0.0.1:5173";

function preflight(url: string, method: string, headers: string): Promise<Response> {
  return fetch(url, {
    method: "OPTIONS",
    headers: { origin: PAGE, "access-control-request-method": method, "access-control-request-headers": headers },
  });
}

describe("testing kit: the cors option", () => {
  let server: TokenServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("sends no CORS header and answers OPTIONS like any other wrong method when off (the default)", async () => {
    server = await startTokenServer();
    const token = await postForm(server.tokenUrl, tokenForm(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET), { headers: { origin: PAGE, "content-type": "application/x-www-form-urlencoded" } });
    expect(token.status).to.equal(200);
    expect(token.headers.get("access-control-allow-origin")).to.equal(null);
    const asked = await preflight(`${server.baseUrl}/cells/status/check`, "GET", "authorization");
    expect(asked.status).to.equal(405);
    expect(asked.headers.get("access-control-allow-origin")).to.equal(null);
  });

  it("with cors: true, answers a preflight with 204 allowing the method and the headers asked for", async () => {
    server = await startTokenServer({ cors: true });
    const asked = await preflight(`${server.baseUrl}/cells/status/check`, "GET", "authorization, accept");
    expect(asked.status).to.equal(204);
    expect(asked.headers.get("access-control-allow-origin")).to.equal("*");
    expect(asked.headers.get("access-control-allow-methods")).to.equal("GET, POST");
    expect(asked.headers.get("access-control-allow-headers")).to.equal("authorization, accept");
    expect(Number(asked.headers.get("access-control-max-age"))).to.be.above(0);
    expect(server.stats.apiCalls, "a preflight is not an API call").to.equal(0);
    expect(server.requests.map((request) => [request.method, request.endpoint, request.status])).to.deep.equal([["OPTIONS", "status-check", 204]]);
  });

  it("grants Private Network Access only when asked to (privateNetworkAccess), never with cors alone", async () => {
    const ask = (url: string) =>
      fetch(url, { method: "OPTIONS", headers: { origin: PAGE, "access-control-request-method": "POST", "access-control-request-private-network": "true" } });
    server = await startTokenServer({ cors: true });
    const refused = await ask(server.tokenUrl);
    expect(refused.status).to.equal(204);
    expect(refused.headers.get("access-control-allow-private-network")).to.equal(null);
    await server.close();
    server = await startTokenServer({ cors: true, privateNetworkAccess: true });
    const granted = await ask(server.tokenUrl);
    expect(granted.status).to.equal(204);
    expect(granted.headers.get("access-control-allow-private-network")).to.equal("true");
    expect(server.stats.tokenRequests, "a preflight is not a token request").to.equal(0);
  });

  it("refuses privateNetworkAccess that is not a boolean, or without cors", async () => {
    for (const options of [{ privateNetworkAccess: true }, { cors: true, privateNetworkAccess: "yes" }] as const) {
      let error: unknown;
      try {
        server = await startTokenServer(options as never);
      } catch (caught) {
        error = caught;
      }
      expect((error as Error | undefined)?.message, JSON.stringify(options)).to.match(/options\.privateNetworkAccess must be a boolean, and true only with options\.cors/);
    }
  });

  it("puts the CORS headers on tokens, API answers, errors and faults, and exposes Retry-After", async () => {
    server = await startTokenServer({ cors: true });
    const token = await postForm(server.tokenUrl, tokenForm(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET));
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const api = await fetch(`${server.baseUrl}/cells/status/check`, { headers: { authorization: `Bearer ${accessToken}` } });
    const rejected = await fetch(`${server.baseUrl}/cells/status/check`);
    const wrongSecret = await postForm(server.tokenUrl, tokenForm(DEFAULT_CLIENT_ID, "not-it"));
    server.inject({ kind: "status", status: 503, headers: { "Retry-After": "7" } });
    const fault = await postForm(server.tokenUrl, tokenForm(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET));
    const unknown = await fetch(`${server.baseUrl}/nowhere`);
    expect([token.status, api.status, rejected.status, wrongSecret.status, fault.status, unknown.status]).to.deep.equal([200, 200, 401, 401, 503, 404]);
    for (const response of [token, api, rejected, wrongSecret, fault, unknown]) {
      expect(response.headers.get("access-control-allow-origin"), String(response.status)).to.equal("*");
      expect(response.headers.get("access-control-expose-headers"), String(response.status)).to.equal("Retry-After");
      expect(response.headers.get("vary"), String(response.status)).to.equal(null);
    }
    expect(fault.headers.get("retry-after")).to.equal("7");
  });

  it("with an origin, allows that origin only and varies on Origin", async () => {
    server = await startTokenServer({ cors: PAGE });
    const asked = await preflight(server.tokenUrl, "POST", "content-type");
    expect(asked.status).to.equal(204);
    expect(asked.headers.get("access-control-allow-origin")).to.equal(PAGE);
    expect(asked.headers.get("vary")).to.equal("Origin");
    const token = await postForm(server.tokenUrl, tokenForm(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET));
    expect(token.headers.get("access-control-allow-origin")).to.equal(PAGE);
  });

  it("rejects a cors value that is not a boolean or a bare origin, naming the option", async () => {
    for (const cors of ["", "null", "127.0.0.1:5173", "http://127.0.0.1:5173/", "http://127.0.0.1:5173/app", 1, {}]) {
      const result = await settle(startTokenServer({ cors } as never));
      expect(result.ok, JSON.stringify(cors)).to.equal(false);
      const error = (result as { error: Error }).error;
      expect(error, JSON.stringify(cors)).to.be.instanceOf(TypeError);
      expect(error.message).to.contain("options.cors");
    }
  });
});
