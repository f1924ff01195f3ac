import { expect } from "chai";
import { inspect } from "node:util";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startTokenServer, type RecordedRequest, type TokenServer } from "../src/testing/index.js";
import { eventually, settle } from "./_async.js";
import { fingerprintOf, postForm, tokenForm, within } from "./_testing-kit.js";

describe("testing kit: startTokenServer", () => {
  it("listens on 127.0.0.1 on a free port under /v4.0 by default", async () => {
    const a = await startTokenServer();
    const b = await startTokenServer();
    try {
      expect(a.baseUrl).to.equal(`http://127.0.0.1:${a.port}/v4.0`);
      expect(a.tokenUrl).to.equal(`${a.baseUrl}/cells/connect/token`);
      expect(a.port).to.be.above(0).and.not.equal(b.port);
      expect(a.clientId).to.equal(DEFAULT_CLIENT_ID);
      expect(a.tokenLifetimeSeconds).to.equal(3600);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  for (const [basePath, prefix] of [["/api/v9/", "/api/v9"], ["/", ""], ["", ""]] as const) {
    it(`mounts the endpoints under basePath ${JSON.stringify(basePath)}`, async () => {
      const server = await startTokenServer({ basePath });
      try {
        expect(server.baseUrl).to.equal(`http://127.0.0.1:${server.port}${prefix}`);
        const res = await postForm(`http://127.0.0.1:${server.port}${prefix}/cells/connect/token`, tokenForm(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET));
        expect(res.status).to.equal(200);
        if (prefix !== "") {
          expect((await postForm(`http://127.0.0.1:${server.port}/v4.0/cells/connect/token`, {})).status).to.equal(404);
        }
      } finally {
        await server.close();
      }
    });
  }

  it("listens on a given port, and rejects when it is taken", async () => {
    const first = await startTokenServer();
    try {
      const taken = await settle(startTokenServer({ port: first.port }));
      expect(taken.ok).to.equal(false);
      expect((taken as { error: NodeJS.ErrnoException }).error.code).to.equal("EADDRINUSE");
    } finally {
      await first.close();
    }
  });

  it("rejects invalid options with a TypeError naming the option", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ clientId: "" }, /clientId/],
      [{ clientSecret: 42 }, /clientSecret/],
      [{ tokenLifetimeSeconds: 0 }, /tokenLifetimeSeconds/],
      [{ tokenLifetimeSeconds: 1.5 }, /tokenLifetimeSeconds/],
      [{ basePath: "v4.0" }, /basePath/],
      [{ port: 70000 }, /port/],
      [{ now: 5 }, /now/],
      [{ maxRecordedRequests: -1 }, /maxRecordedRequests/],
      [{ onRequest: "log" }, /onRequest/],
    ];
    for (const [options, name] of cases) {
      const result = await settle(startTokenServer(options as never));
      expect(result.ok, JSON.stringify(options)).to.equal(false);
      expect((result as { error: unknown }).error).to.be.instanceOf(TypeError).with.property("message").that.matches(name);
    }
  });

  it("hands each settled request to onRequest, redacted and frozen; a throwing listener breaks nothing", async () => {
    const seen: RecordedRequest[] = [];
    const server = await startTokenServer({
      onRequest: (request) => {
        seen.push(request);
        throw new Error("a listener bug");
      },
    });
    try {
      const form = tokenForm(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);
      expect((await postForm(server.tokenUrl, form)).status).to.equal(200);
      expect((await fetch(`${server.baseUrl}/cells/status/check`)).status).to.equal(401);
      server.inject({ kind: "hang" });
      const hung = settle(postForm(server.tokenUrl, form));
      await eventually(() => seen.length === 2 && server.requests[2]?.outcome === "hung", "two settled requests and a hanging one", 2000);
      await server.close();
      await hung;
      await eventually(() => seen.length === 3, "the hanging request to settle at close()", 2000);
      expect(seen.map(({ method, endpoint, outcome, status }) => ({ method, endpoint, outcome, status }))).to.deep.equal([
        { method: "POST", endpoint: "token", outcome: "answered", status: 200 },
        { method: "GET", endpoint: "status-check", outcome: "answered", status: 401 },
        { method: "POST", endpoint: "token", outcome: "hung", status: undefined },
      ]);
      expect(seen[0]?.form).to.deep.equal({ grant_type: "client_credentials", client_id: DEFAULT_CLIENT_ID, client_secret: "[REDACTED]" });
      expect(JSON.stringify(seen)).not.to.contain(DEFAULT_CLIENT_SECRET);
      expect(Object.isFrozen(seen[0]) && Object.isFrozen(seen[0]?.form)).to.equal(true);
    } finally {
      await server.close();
    }
  });

  it("close() is idempotent and the port stops answering", async () => {
    const server = await startTokenServer();
    await server.close();
    await within(server.close(), 5000, "a second close()");
    const after = await settle(fetch(server.tokenUrl, { method: "POST", signal: AbortSignal.timeout(2000) }));
    expect(after.ok).to.equal(false);
  });

  it("close() ends kept-alive, delayed and hanging connections together", async () => {
    const server = await startTokenServer();
    const form = tokenForm(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);
    expect((await postForm(server.tokenUrl, form)).status).to.equal(200); // leaves an idle keep-alive socket
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    server.inject({ kind: "delay", ms: 60_000 });
    server.inject({ kind: "hang" });
    const delayed = settle(postForm(server.tokenUrl, form));
    const hung = settle(postForm(server.tokenUrl, form));
    await eventually(() => server.requests.length === 3 && server.requests[2]?.outcome === "hung", "both faults", 5000);
    await within(server.close(), 5000, "close()");
    const results = await within(Promise.all([delayed, hung]), 5000, "the in-flight fetches");
    expect(results.map((r) => r.ok)).to.deep.equal([false, false]);
    // The 60 s delay timer is cancelled too, so it cannot keep a process alive after close().
    expect(process.getActiveResourcesInfo().filter((r) => r === "Timeout").length).to.be.at.most(timersBefore);
    expect(server.stats.tokensIssued).to.equal(1);
  });
});

describe("testing kit: recorded requests and secret safety", () => {
  // Characters that URL encoding changes, so every encoded form has to be scrubbed too.
  const secret = "s3cr3t value+&=/Ω-42";
  let server: TokenServer;

  beforeEach(async () => {
    server = await startTokenServer({ clientId: "kit-client", clientSecret: secret, now: () => 1_900_000_000_000 });
  });
  afterEach(() => server?.close());

  /** Every form in which the secret could leak into a string. */
  const leaks = (text: string): string[] =>
    [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)].filter((form) =>
      text.includes(form),
    );

  it("records method, path, query, headers, form, time and outcome, with client_secret redacted", async () => {
    const res = await postForm(`${server.tokenUrl}?trace=1`, tokenForm("kit-client", secret), {
      headers: { "content-type": "application/x-www-form-urlencoded", "x-request-id": "abc" },
    });
    expect(res.status).to.equal(200);
    const [record] = server.requests;
    expect(record).to.deep.include({
      seq: 1,
      method: "POST",
      path: "/v4.0/cells/connect/token",
      endpoint: "token",
      receivedAt: 1_900_000_000_000,
      outcome: "answered",
      status: 200,
    });
    expect(record?.query).to.deep.equal({ trace: "1" });
    expect(record?.form).to.deep.equal({ grant_type: "client_credentials", client_id: "kit-client", client_secret: "[REDACTED]" });
    expect(record?.headers["x-request-id"]).to.equal("abc");
    expect(record?.bodyBytes).to.equal(new URLSearchParams(tokenForm("kit-client", secret)).toString().length);
    expect(Object.isFrozen(server.requests) && Object.isFrozen(record)).to.equal(true);
  });

  it("scrubs the secret from paths and headers in every spelling the library's scrubber sees through, not only raw or encodeURIComponent", async () => {
    const bytes = new TextEncoder().encode(secret);
    const everyBytePercent = Array.from(bytes, (byte) => `%${byte.toString(16).padStart(2, "0").toUpperCase()}`).join("");
    const basic = btoa(String.fromCharCode(...new TextEncoder().encode(`kit-client:${secret}`)));
    await fetch(`${server.baseUrl}/cells/${everyBytePercent}/x`, { headers: { "x-debug": everyBytePercent, "x-basic": `Basic ${basic}`, "x-b64": btoa(String.fromCharCode(...bytes)) } });
    const [record] = server.requests;
    expect(record?.path).to.equal("/v4.0/cells/[REDACTED]/x");
    expect(record?.headers).to.deep.include({ "x-debug": "[REDACTED]", "x-basic": "Basic [REDACTED]", "x-b64": "[REDACTED]" });
    expect(leaks(JSON.stringify(server.requests))).to.deep.equal([]);
  });

  it("never holds the secret or a token in requests, JSON.stringify or util.inspect", async () => {
    const sent: string[] = [];
    const post = async (url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> => {
      const body = new URLSearchParams(fields).toString();
      sent.push(url, body, JSON.stringify(headers));
      return fetch(url, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", ...headers } });
    };
    const ok = await post(server.tokenUrl, tokenForm("kit-client", secret));
    const { access_token: token } = (await ok.json()) as { access_token: string };
    await post(server.tokenUrl, tokenForm("kit-client", `${secret}-near-miss`));
    await post(`${server.tokenUrl}?client_secret=${encodeURIComponent(secret)}`, tokenForm("kit-client", secret));
    await post(server.tokenUrl, tokenForm(secret, secret, { grant_type: secret }), { "x-debug": encodeURIComponent(secret), cookie: `sid=${encodeURIComponent(secret)}` });
    await post(`${server.baseUrl}/cells/${encodeURIComponent(secret)}`, {});
    server.inject({ kind: "status", status: 429 });
    await post(server.tokenUrl, tokenForm("kit-client", secret));
    const api = await fetch(`${server.baseUrl}/cells/status/check`, { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).to.equal(200);

    // Not vacuous: the secret really went out in every one of those requests, and all were recorded.
    expect(leaks(sent.join("\n")).length).to.be.above(0);
    expect(server.requests).to.have.length(7);
    expect(server.requests.filter((r) => r.form?.["client_secret"] === "[REDACTED]")).to.have.length(5);
    expect(server.requests[6]?.headers["authorization"]).to.equal(`Bearer ${fingerprintOf(token)}`);

    const outputs = {
      requests: JSON.stringify(server.requests),
      server: JSON.stringify(server),
      inspectServer: inspect(server, { depth: Infinity, showHidden: true }),
      inspectRaw: inspect(server, { depth: Infinity, showHidden: true, customInspect: false, getters: true }),
      inspectRequests: inspect(server.requests, { depth: Infinity }),
      stats: JSON.stringify(server.stats),
      string: String(server),
    };
    for (const [where, text] of Object.entries(outputs)) {
      expect(leaks(text), where).to.deep.equal([]);
      expect(text.includes(token), `${where} holds the token`).to.equal(false);
    }
    expect(outputs.server).to.include("kit-client").and.include("[REDACTED]");
    expect(outputs.inspectServer).to.match(/^TokenServer \{/).and.include(server.baseUrl);
  });

  it("keeps only the last maxRecordedRequests records while stats count everything", async () => {
    const small = await startTokenServer({ maxRecordedRequests: 3 });
    try {
      for (let i = 0; i < 5; i += 1) await (await fetch(`${small.baseUrl}/cells?i=${i}`)).arrayBuffer();
      expect(small.requests.map((r) => [r.seq, r.query["i"]])).to.deep.equal([[3, "2"], [4, "3"], [5, "4"]]);
      expect(small.stats.apiCalls).to.equal(5);
      small.clearRequests();
      expect(small.requests).to.have.length(0);
      expect(small.stats.apiCalls).to.equal(5);
    } finally {
      await small.close();
    }
  });

  it("snapshots do not change after they are taken", async () => {
    server.inject({ kind: "delay", ms: 100 });
    const pending = postForm(server.tokenUrl, tokenForm("kit-client", secret));
    await eventually(() => server.requests.length === 1, "the request", 5000);
    const before = server.requests;
    expect(before[0]?.outcome).to.equal("pending");
    expect((await pending).status).to.equal(200);
    expect(before[0]?.outcome).to.equal("pending");
    await eventually(() => server.requests[0]?.outcome === "answered", "the answer to be recorded", 5000);
  });
});
