import { expect } from "chai";
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  startTokenServer,
  type Fault,
  type TokenServer,
} from "../src/testing/index.js";
import { eventually, settle } from "./_async.js";
import { postForm, tokenForm, within } from "./_testing-kit.js";

describe("testing kit: fault injection", () => {
  let server: TokenServer;

  beforeEach(async () => {
    server = await startTokenServer();
  });
  afterEach(() => server && within(server.close(), 2000, "close()"));

  const requestToken = (init: RequestInit = {}): Promise<Response> =>
    postForm(server.tokenUrl, tokenForm(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET), init);

  async function expectToken(res: Response): Promise<string> {
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { access_token?: unknown };
    expect(body.access_token).to.be.a("string").and.not.equal("");
    return body.access_token as string;
  }

  it("status: 429 with Retry-After and the default OAuth-style body, once, then normal again", async () => {
    server.inject({ kind: "status", status: 429, headers: { "Retry-After": "2" } });
    expect(server.faultsPending).to.equal(1);
    const res = await requestToken();
    expect(res.status).to.equal(429);
    expect(res.headers.get("retry-after")).to.equal("2");
    expect(res.headers.get("content-type")).to.match(/^application\/json/);
    expect(await res.json()).to.deep.equal({ error: "too_many_requests", error_description: "Too Many Requests" });
    expect(server.faultsPending).to.equal(0);
    await expectToken(await requestToken());
    expect(server.stats).to.deep.include({ tokenRequests: 2, tokensIssued: 1, faultsServed: 1 });
    expect(server.requests.map((r) => [r.fault, r.status])).to.deep.equal([["status", 429], [undefined, 200]]);
  });

  it("status: a string body is sent as text, an object body as JSON, headers may set the content type", async () => {
    server.inject({ kind: "status", status: 503, body: "down for maintenance" });
    server.inject({ kind: "status", status: 400, body: { error: "invalid_request", error_description: "custom" } });
    server.inject({ kind: "status", status: 200, body: "{}", headers: { "Content-Type": "application/json" } });
    const text = await requestToken();
    expect([text.status, text.headers.get("content-type"), await text.text()]).to.deep.equal([
      503,
      "text/plain; charset=utf-8",
      "down for maintenance",
    ]);
    const json = await requestToken();
    expect(json.status).to.equal(400);
    expect(await json.json()).to.deep.equal({ error: "invalid_request", error_description: "custom" });
    const empty = await requestToken();
    expect([empty.status, empty.headers.get("content-type"), await empty.text()]).to.deep.equal([200, "application/json", "{}"]);
  });

  it("status: a fault object changed after inject has no effect", async () => {
    const body = { error: "before" };
    server.inject({ kind: "status", status: 500, body });
    body.error = "after";
    expect(await (await requestToken()).json()).to.deep.equal({ error: "before" });
  });

  it("times: N faults the next N token requests, then answers normally", async () => {
    server.inject({ kind: "status", status: 503 }, { times: 3 });
    expect(server.faultsPending).to.equal(3);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await requestToken();
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses).to.deep.equal([503, 503, 503, 200]);
    expect(server.stats.tokensIssued).to.equal(1);
  });

  it("faults queue in the order injected, and only token POSTs consume them", async () => {
    server.inject({ kind: "status", status: 500 });
    server.inject({ kind: "html", status: 504 }, { times: 2 });
    server.inject({ kind: "status", status: 401, body: { error: "invalid_client" } });
    expect((await fetch(`${server.baseUrl}/cells`)).status).to.equal(401); // API call: no fault taken
    expect((await fetch(server.tokenUrl)).status).to.equal(405); // GET: not a token request
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await requestToken();
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses).to.deep.equal([500, 504, 504, 401, 200]);
  });

  it("times: Infinity lasts until clearFaults()", async () => {
    server.inject({ kind: "status", status: 502 }, { times: Infinity });
    for (let i = 0; i < 3; i += 1) expect((await requestToken()).status).to.equal(502);
    expect(server.faultsPending).to.equal(Infinity);
    server.clearFaults();
    expect(server.faultsPending).to.equal(0);
    await expectToken(await requestToken());
  });

  it("html: a proxy error page with the given status", async () => {
    server.inject({ kind: "html" });
    const res = await requestToken();
    expect(res.status).to.equal(502);
    expect(res.headers.get("content-type")).to.match(/^text\/html/);
    expect(await res.text()).to.match(/^<!DOCTYPE html>[\s\S]*502 Bad Gateway/);
  });

  it("delay: waits at least the given time, then issues a token", async () => {
    server.inject({ kind: "delay", ms: 150 });
    const started = performance.now();
    const token = await expectToken(await requestToken());
    expect(performance.now() - started).to.be.at.least(140);
    expect((await fetch(`${server.baseUrl}/cells`, { headers: { authorization: `Bearer ${token}` } })).status).to.equal(200);
    expect(server.requests[0]).to.deep.include({ fault: "delay", outcome: "answered", status: 200 });
  });

  it("delay: still applies the token rules after waiting", async () => {
    server.inject({ kind: "delay", ms: 10 });
    const res = await postForm(server.tokenUrl, tokenForm(DEFAULT_CLIENT_ID, "wrong"));
    expect(res.status).to.equal(401);
  });

  it("hang: never answers; the client gives up with its own timeout and close() still resolves", async () => {
    server.inject({ kind: "hang" });
    const result = await settle(requestToken({ signal: AbortSignal.timeout(200) }));
    expect(result.ok).to.equal(false);
    expect((result as { error: Error }).error.name).to.equal("TimeoutError");
    expect(server.requests[0]).to.deep.include({ fault: "hang", outcome: "hung" });
    expect(server.requests[0]?.status).to.equal(undefined);
    expect(server.stats.tokensIssued).to.equal(0);
    await within(server.close(), 5000, "close() after a hung request");
  });

  it("hang: close() with the hanging request still in flight ends it and resolves", async () => {
    server.inject({ kind: "hang" });
    const pending = settle(requestToken());
    await eventually(() => server.requests[0]?.outcome === "hung", "the request to hang", 5000);
    await within(server.close(), 5000, "close() with a hanging request in flight");
    const result = await within(pending, 5000, "the hanging fetch");
    expect(result.ok).to.equal(false);
  });

  it("reset: the connection is dropped without an HTTP answer, so fetch rejects", async () => {
    server.inject({ kind: "reset" });
    const result = await settle(requestToken());
    expect(result.ok).to.equal(false);
    expect((result as { error: Error }).error).to.be.instanceOf(TypeError);
    expect(server.requests[0]).to.deep.include({ fault: "reset", outcome: "reset" });
    await expectToken(await requestToken());
  });

  it("malformed: 200 JSON whose body does not parse", async () => {
    server.inject({ kind: "malformed" });
    const res = await requestToken();
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.match(/^application\/json/);
    const text = await res.text();
    expect(text).to.match(/^\{"access_token":"/);
    expect(() => JSON.parse(text) as unknown).to.throw(SyntaxError);
    expect(server.stats.tokensIssued).to.equal(0);
  });

  it("oversized: 1 MiB of valid, chunked JSON by default; its token is not accepted by the API", async () => {
    server.inject({ kind: "oversized" });
    const res = await requestToken();
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-length")).to.equal(null);
    const bytes = await res.arrayBuffer();
    expect(bytes.byteLength).to.equal(1024 * 1024);
    const body = JSON.parse(new TextDecoder().decode(bytes)) as { access_token: string; token_type: string };
    expect(body.token_type).to.equal("Bearer");
    const api = await fetch(`${server.baseUrl}/cells`, { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(api.status).to.equal(401);
    expect(server.stats).to.deep.include({ tokensIssued: 0, unknownTokenCalls: 1 });
  });

  it("oversized: an exact size, optionally with Content-Length", async () => {
    server.inject({ kind: "oversized", bytes: 70_000, declareLength: true });
    const res = await requestToken();
    expect(res.headers.get("content-length")).to.equal("70000");
    expect((await res.arrayBuffer()).byteLength).to.equal(70_000);
  });

  it("oversized: a client that stops reading early does not break the server", async () => {
    server.inject({ kind: "oversized", bytes: 8 * 1024 * 1024 });
    const controller = new AbortController();
    const res = await requestToken({ signal: controller.signal });
    const reader = res.body?.getReader();
    expect(reader).to.not.equal(undefined);
    await reader?.read();
    controller.abort();
    await eventually(() => server.requests[0]?.outcome === "aborted", "the server to see the abort", 5000);
    expect(server.requests[0]?.status).to.equal(200);
    await expectToken(await requestToken());
  });

  it("rejects invalid faults and options with a TypeError at inject time", () => {
    const bad: unknown[] = [
      null,
      { kind: "nope" },
      { kind: "status", status: 99 },
      { kind: "status", status: 600 },
      { kind: "status", status: 429, headers: { "Retry After": "1" } },
      { kind: "status", status: 429, headers: { "Retry-After": 1 } },
      { kind: "status", status: 429, body: 5 },
      { kind: "delay", ms: -1 },
      { kind: "delay" },
      { kind: "oversized", bytes: 10 },
      { kind: "html", status: 100 },
    ];
    for (const fault of bad) {
      expect(() => server.inject(fault as Fault), JSON.stringify(fault)).to.throw(TypeError);
    }
    expect(() => server.inject({ kind: "hang" }, { times: 0 })).to.throw(TypeError, /times/);
    expect(() => server.inject({ kind: "hang" }, { times: 1.5 })).to.throw(TypeError, /times/);
    expect(server.faultsPending).to.equal(0);
  });
});
