import { expect } from "chai";
import { createCellsClient, createTokenClient, postAccessToken, DEFAULT_BASE_URL } from "../src/index.js";
import { resolveTokenClientOptions } from "../src/options.js";
import { rejectionOf } from "./_async.js";
import { startScriptedServer, thrownBy } from "./_http.js";

const ENV_NAMES = ["ASPOSE_CLOUD_CLIENT_ID", "ASPOSE_CLOUD_CLIENT_SECRET", "ASPOSE_CLOUD_API_URL", "CellsCloudClientId", "CellsCloudClientSecret"] as const;
const credentials = { clientId: "id", clientSecret: "secret" };

describe("options", () => {
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const name of ENV_NAMES) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
  });
  afterEach(() => {
    for (const name of ENV_NAMES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it("applies the documented defaults", () => {
    const resolved = resolveTokenClientOptions(credentials);
    expect(resolved.baseUrl).to.equal(DEFAULT_BASE_URL);
    expect(resolved.tokenUrl).to.equal("https://api.aspose.cloud/v4.0/cells/connect/token");
    expect(resolved).to.include({ timeoutMs: 10_000, refreshWindowMs: 300_000, expirySkewMs: 30_000, fetch: globalThis.fetch, now: Date.now });
    expect(resolved.retry).to.deep.equal({ maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30_000 });
    expect(Object.isFrozen(resolved)).to.equal(true);
    expect(Object.isFrozen(resolved.retry)).to.equal(true);
  });

  it("reads credentials and the base URL from the environment", () => {
    process.env.ASPOSE_CLOUD_CLIENT_ID = "env-id";
    process.env.ASPOSE_CLOUD_CLIENT_SECRET = "env-secret";
    process.env.ASPOSE_CLOUD_API_URL = "https://eu.example.test/v4.0/";
    const resolved = resolveTokenClientOptions({});
    expect(resolved.clientId).to.equal("env-id");
    expect(resolved.clientSecret.reveal()).to.equal("env-secret");
    expect(resolved.baseUrl).to.equal("https://eu.example.test/v4.0");
  });

  it("prefers options over the environment", () => {
    process.env.ASPOSE_CLOUD_CLIENT_ID = "env-id";
    process.env.ASPOSE_CLOUD_API_URL = "https://env.example.test/v4.0";
    const resolved = resolveTokenClientOptions({ ...credentials, baseUrl: "https://option.example.test/v4.0" });
    expect(resolved.clientId).to.equal("id");
    expect(resolved.baseUrl).to.equal("https://option.example.test/v4.0");
  });

  it("treats empty environment values as unset", () => {
    process.env.ASPOSE_CLOUD_CLIENT_ID = "";
    process.env.ASPOSE_CLOUD_CLIENT_SECRET = "secret";
    const error = thrownBy(() => createTokenClient());
    expect(error.code).to.equal("invalid_config");
    expect(error.message).to.contain("clientId").and.contain("ASPOSE_CLOUD_CLIENT_ID");
  });

  it("names the official SDK's variables when they are set instead, without reading them", () => {
    process.env.CellsCloudClientId = "sdk-id";
    process.env.CellsCloudClientSecret = "sdk-secret";
    const noId = thrownBy(() => createTokenClient());
    expect(noId.code).to.equal("invalid_config");
    expect(noId.message).to.equal(
      "clientId is missing: pass options.clientId or set ASPOSE_CLOUD_CLIENT_ID. CellsCloudClientId is set, the official SDK's name, " +
        "not read here: rename it to ASPOSE_CLOUD_CLIENT_ID.",
    );
    const noSecret = thrownBy(() => createTokenClient({ clientId: "id" }));
    expect(noSecret.message).to.equal(
      "clientSecret is missing: pass options.clientSecret or set ASPOSE_CLOUD_CLIENT_SECRET. CellsCloudClientSecret is set, the official SDK's name, " +
        "not read here: rename it to ASPOSE_CLOUD_CLIENT_SECRET.",
    );
    expect(noSecret.message).not.to.contain("sdk-secret");
    process.env.CellsCloudClientId = "";
    expect(thrownBy(() => createTokenClient()).message).to.equal("clientId is missing: pass options.clientId or set ASPOSE_CLOUD_CLIENT_ID.");
  });

  it("turns an environment the runtime will not read (Deno without --allow-env) into invalid_config naming the variable and the option", () => {
    const env = process.env;
    /** What Deno throws for process.env.X without env permission (test:runtimes runs the real one). */
    const denied = (name: string) => Object.assign(new Error(`Requires env access to "${name}", run again with the --allow-env flag`), { name: "NotCapable" });
    const refusing = (refused: (name: string) => boolean) =>
      new Proxy(env, {
        get: (target, name) => {
          if (typeof name === "string" && refused(name)) throw denied(name);
          return Reflect.get(target, name);
        },
      });
    try {
      process.env = refusing(() => true);
      const noId = thrownBy(() => createTokenClient({ baseUrl: "https://api.example.test/v4.0" }));
      expect(noId.code).to.equal("invalid_config");
      expect(noId.message).to.equal(
        "ASPOSE_CLOUD_CLIENT_ID could not be read (no access to the environment; Deno: --allow-env=ASPOSE_CLOUD_CLIENT_ID): pass options.clientId.",
      );
      const noUrl = thrownBy(() => createTokenClient(credentials));
      expect(noUrl.message).to.contain("ASPOSE_CLOUD_API_URL could not be read").and.contain("pass options.baseUrl.");
      // The official SDK's names are read for a hint only: one the runtime refuses is taken as unset.
      process.env = refusing((name) => name.startsWith("CellsCloud"));
      expect(thrownBy(() => createTokenClient()).message).to.equal("clientId is missing: pass options.clientId or set ASPOSE_CLOUD_CLIENT_ID.");
    } finally {
      process.env = env;
    }
  });

  it("names the option and the variable of a missing secret", () => {
    const error = thrownBy(() => createTokenClient({ clientId: "id" }));
    expect(error.code).to.equal("invalid_config");
    expect(error.message).to.contain("clientSecret").and.contain("ASPOSE_CLOUD_CLIENT_SECRET");
  });

  it("rejects from postAccessToken (not throws) on bad options", async () => {
    const pending = postAccessToken({ clientId: "id" });
    expect(pending).to.be.instanceOf(Promise);
    expect((await rejectionOf(pending)).code).to.equal("invalid_config");
  });

  it("strips trailing slashes from the base URL", () => {
    expect(createTokenClient({ ...credentials, baseUrl: "https://x.test/v4.0///" }).baseUrl).to.equal("https://x.test/v4.0");
  });

  const malformed: Array<[string, string]> = [
    ["not a URL", "api.aspose.cloud/v4.0"],
    ["ftp", "ftp://api.aspose.cloud/v4.0"],
    ["credentials in the URL", "https://user:pass@api.aspose.cloud/v4.0"],
    ["a query", "https://api.aspose.cloud/v4.0?client_secret=x"],
    ["a fragment", "https://api.aspose.cloud/v4.0#x"],
    ["an empty query (the token path would move)", "https://api.aspose.cloud/v4.0?"],
    ["an empty fragment", "https://api.aspose.cloud/v4.0#"],
    ["an empty query after a slash", "https://api.aspose.cloud/v4.0/?"],
  ];
  for (const [what, baseUrl] of malformed) {
    it(`refuses a base URL with ${what} (invalid_config)`, () => {
      const error = thrownBy(() => createTokenClient({ ...credentials, baseUrl }));
      expect(error.code).to.equal("invalid_config");
      expect(error.message).to.contain("baseUrl");
      expect(error.message).not.to.contain("pass@");
    });
  }

  it("names ASPOSE_CLOUD_API_URL when the bad URL came from the environment", () => {
    process.env.ASPOSE_CLOUD_API_URL = "not a url";
    expect(thrownBy(() => createTokenClient(credentials)).message).to.contain("ASPOSE_CLOUD_API_URL");
  });

  it("refuses http:// to a remote host (insecure_url) unless allowInsecureHttp", () => {
    const error = thrownBy(() => createTokenClient({ ...credentials, baseUrl: "http://api.aspose.cloud/v4.0" }));
    expect(error.code).to.equal("insecure_url");
    expect(error.message).to.contain("https://");
    expect(createTokenClient({ ...credentials, baseUrl: "http://10.0.0.8/v4.0", allowInsecureHttp: true }).baseUrl).to.equal("http://10.0.0.8/v4.0");
  });

  it("allows http:// to loopback hosts", () => {
    for (const host of ["localhost", "127.0.0.1", "127.1.2.3", "[::1]"]) {
      expect(() => createTokenClient({ ...credentials, baseUrl: `http://${host}:8080/v4.0` }), host).not.to.throw();
    }
    for (const host of ["localhost.example.com", "128.0.0.1", "[::2]", "0.0.0.0"]) {
      expect(thrownBy(() => createTokenClient({ ...credentials, baseUrl: `http://${host}/v4.0` })).code, host).to.equal("insecure_url");
    }
  });

  it("counts as loopback only localhost, [::1] and IP addresses in 127.0.0.0/8, never a name that starts like one", () => {
    // A prefix match (/^127\./, startsWith("localhost")) would send the secret over plain http to these.
    const lookalikes = ["127.evil.example", "127.0.0.1.nip.io", "127.0.0.1.evil.example", "127.0.0.1x", "localhost.evil.example", "localhost-1.example", "localhostx"];
    for (const host of lookalikes) {
      expect(thrownBy(() => createTokenClient({ ...credentials, baseUrl: `http://${host}/v4.0` })).code, host).to.equal("insecure_url");
      const tokens = createTokenClient({ ...credentials, baseUrl: "https://api.aspose.cloud/v4.0" });
      expect(thrownBy(() => createCellsClient({ tokens, baseUrl: `http://${host}/v4.0` })).code, host).to.equal("insecure_url");
    }
    // The URL parser reads these as 127.0.0.1: IP addresses in 127.0.0.0/8, so loopback.
    for (const host of ["127.1", "0x7f.1", "2130706433", "127.255.255.254"]) {
      expect(() => createTokenClient({ ...credentials, baseUrl: `http://${host}:8080/v4.0` }), host).not.to.throw();
    }
  });

  const badValues: Array<[string, Record<string, unknown>]> = [
    ["timeoutMs", { timeoutMs: 0 }],
    ["timeoutMs", { timeoutMs: Number.NaN }],
    ["timeoutMs", { timeoutMs: "10" }],
    ["retry.maxRetries", { retry: { maxRetries: -1 } }],
    ["retry.maxRetries", { retry: { maxRetries: 1.5 } }],
    ["retry.baseDelayMs", { retry: { baseDelayMs: -1 } }],
    ["retry.maxDelayMs", { retry: { maxDelayMs: Infinity } }],
    ["retry", { retry: 3 }],
    ["retry", { retry: null }],
    ["retry", { retry: [] }],
    ["clientId", { clientId: "   " }],
    ["clientId", { clientId: " id" }],
    ["clientSecret", { clientSecret: "secret\n" }],
    ["clientSecret", { clientSecret: "\t" }],
    ["monotonicNow", { monotonicNow: 1 }],
    ["refreshWindowMs", { refreshWindowMs: -1 }],
    ["expirySkewMs", { expirySkewMs: null }],
    ["fetch", { fetch: "fetch" }],
    ["onEvent", { onEvent: {} }],
    ["now", { now: 5 }],
    ["store", { store: { get() {} } }],
    ["allowInsecureHttp", { allowInsecureHttp: "yes" }],
    ["clientId", { clientId: 42 }],
    ["baseUrl", { baseUrl: 42 }],
    ["timeoutMs", { timeoutMs: { toString: 1 } }],
    ["retry.maxRetries", { retry: { maxRetries: { toString: 1 } } }],
  ];
  for (const [name, patch] of badValues) {
    it(`refuses ${name}=${JSON.stringify(Object.values(patch)[0]) ?? "?"} naming it`, () => {
      const error = thrownBy(() => createTokenClient({ ...credentials, ...patch } as never));
      expect(error.code).to.equal("invalid_config");
      expect(error.message).to.contain(name);
    });
  }

  it("refuses options that are not an object", () => {
    expect(thrownBy(() => createTokenClient("id:secret" as never)).code).to.equal("invalid_config");
    expect(thrownBy(() => createTokenClient([] as never)).code).to.equal("invalid_config");
  });

  it("refuses a base URL or client id holding the client secret (pasted in the wrong field), without quoting it", () => {
    const secret = "Zq8-pasted/Secret+value";
    const holders: Array<[string, Record<string, unknown>, string]> = [
      ["baseUrl", { baseUrl: `https://api.aspose.cloud/${secret}/v4.0` }, "baseUrl"],
      ["baseUrl, percent-encoded", { baseUrl: `https://api.aspose.cloud/v4.0/${encodeURIComponent(secret)}` }, "baseUrl"],
      ["baseUrl, as a host", { baseUrl: `http://${secret.toLowerCase().replace(/[^a-z0-9]/g, "")}/v4.0`, clientSecret: secret.toLowerCase().replace(/[^a-z0-9]/g, "") }, "baseUrl"],
      ["clientId", { clientId: secret }, "clientId"],
    ];
    for (const [what, patch, name] of holders) {
      const error = thrownBy(() => createTokenClient({ clientId: "id", clientSecret: secret, ...patch }));
      expect(error.code, what).to.equal("invalid_config");
      expect(error.message, what).to.contain(name).and.contain("client secret");
      expect(error.message.toLowerCase(), what).not.to.contain("secretvalue").and.not.contain("secret+value");
    }
    process.env.ASPOSE_CLOUD_API_URL = `https://api.aspose.cloud/v4.0/${secret}`;
    expect(thrownBy(() => createTokenClient({ clientId: "id", clientSecret: secret })).message).to.contain("ASPOSE_CLOUD_API_URL");
  });

  it("turns a Proxy or a getter that throws into invalid_config naming the option", () => {
    const trap = new Proxy({}, { get: () => { throw new Error("trap"); } });
    const getter = Object.defineProperty({ ...credentials }, "timeoutMs", { get: () => { throw new Error("getter"); }, enumerable: true });
    const retryGetter = { ...credentials, retry: Object.defineProperty({}, "maxRetries", { get: () => { throw new Error("getter"); } }) };
    for (const [options, name] of [[trap, "options.clientId"], [getter, "options.timeoutMs"], [retryGetter, "retry.maxRetries"]] as const) {
      for (const create of [() => createTokenClient(options as never), () => createCellsClient(options as never)]) {
        const error = thrownBy(create);
        expect(error).to.include({ name: "CellsAuthError", code: "invalid_config" });
        expect(error.message).to.contain(name.split(".")[0]);
      }
    }
    const storeTrap = new Proxy({}, { get: () => { throw new Error("trap"); } });
    expect(thrownBy(() => createTokenClient({ ...credentials, store: storeTrap as never }))).to.include({ code: "invalid_config" });
  });

  it("postAccessToken rejects hostile options with a CellsAuthError too", async () => {
    const trap = new Proxy({}, { get: () => { throw new Error("trap"); } });
    expect(await rejectionOf(postAccessToken(trap as never))).to.include({ name: "CellsAuthError", code: "invalid_config" });
    expect(await rejectionOf(postAccessToken({ ...credentials, now: () => { throw new Error("clock"); } }))).to.include({ code: "invalid_config" });
  });

  it("checks getToken options", async () => {
    const server = await startScriptedServer();
    try {
      const client = createTokenClient({ ...credentials, baseUrl: server.baseUrl });
      for (const options of [{ minTtlMs: -1 }, { minTtlMs: "5" }, { minTtlMs: { toString: 1 } }, { forceRefresh: 1 }, { signal: {} }]) {
        expect((await rejectionOf(client.getToken(options as never))).code, JSON.stringify(options)).to.equal("invalid_config");
      }
      expect((await rejectionOf(client.invalidate(undefined as never))).code).to.equal("invalid_config");
      expect(server.requests).to.have.length(0);
    } finally {
      await server.close();
    }
  });
});
