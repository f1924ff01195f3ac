import { expect } from "chai";
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { run } from "../src/cli/run.js";
import { startTokenServer, type TokenServer } from "../src/testing/index.js";
import { runCli, type CliResult, type CliRunOptions } from "./_cli-run.js";
import { closedPort, sendJson, startScriptedServer } from "./_http.js";
import { canary, leakedSpellings, spellingsOf } from "./_secret-spellings.js";
import { eventually } from "./_async.js";

// Each behaviour is checked once on the real process (`runCli`, ~0.35 s a spawn); its variants go
// through the same `run()` in-process (`runInProcess`), which is fast.

// Secrets that read differently under every spelling a server may echo them in.
const GOOD_SECRET = canary("CliGood");
const WRONG_SECRET = canary("CliWrong");
const CLIENT_ID = "cli-test-client";
const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
const TOKEN_LINE = /^[A-Za-z0-9\-._~+/]+=*\n$/;

/** `run()` in this process, with its own streams and environment (never process.env). */
async function runInProcess(argv: readonly string[], options: Pick<CliRunOptions, "env" | "stdin"> = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const startedAt = Date.now();
  const code = await run(argv, {
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: options.env ?? {},
  });
  return { code, signal: null, stdout, stderr, ms: Date.now() - startedAt };
}

/** Asserts that nothing the CLI wrote holds a secret, in any spelling. */
function expectNoSecret(result: CliResult): void {
  for (const stream of [result.stdout, result.stderr]) expect(leakedSpellings(stream, [GOOD_SECRET, WRONG_SECRET])).to.deep.equal([]);
}

/**
 * A failure: the exit code, nothing on stdout, `aspose-cells-token: <code>: ...` on stderr (that
 * one line only, unless `stack`: then --verbose's attempt lines and a stack trace), no secret.
 * Returns the error line.
 */
function expectFailure(result: CliResult, exitCode: number, code: string, stack = false): string {
  expectNoSecret(result);
  expect(result.stdout).to.equal("");
  expect(result.code, result.stderr).to.equal(exitCode);
  const errorLines = result.stderr.split("\n").filter((line) => line.startsWith(`aspose-cells-token: ${code}: `));
  expect(errorLines, result.stderr).to.have.length(1);
  const line = errorLines[0] ?? "";
  if (stack) {
    expect(result.stderr).to.match(/\n {4}at /, "a stack trace with --verbose");
  } else {
    expect(result.stderr).to.equal(`${line}\n`, "exactly one line on stderr");
  }
  return line;
}

describe("aspose-cells-token CLI", function () {
  let server: TokenServer;
  let env: Record<string, string>;
  let deadPort: number;

  before(async function () {
    server = await startTokenServer({ clientId: CLIENT_ID, clientSecret: GOOD_SECRET });
    env = { ASPOSE_CLOUD_CLIENT_ID: CLIENT_ID, ASPOSE_CLOUD_CLIENT_SECRET: GOOD_SECRET, ASPOSE_CLOUD_API_URL: server.baseUrl };
    deadPort = await closedPort();
  });

  afterEach(function () {
    server?.clearFaults();
  });

  after(async function () {
    await server?.close();
  });

  describe("exit 0: prints the token", function () {
    it("only the token and a newline, with credentials and base URL from the environment", async function () {
      const result = await runCli([], { env });
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stderr).to.equal("");
      expect(result.stdout).to.match(TOKEN_LINE);
      // The printed token is one the API accepts.
      const check = await fetch(`${server.baseUrl}/cells/status/check`, { headers: { Authorization: `Bearer ${result.stdout.trim()}` } });
      expect(check.status).to.equal(200);
      expectNoSecret(result);
    });

    it("--json: the whole AccessToken", async function () {
      const before = Date.now();
      const result = await runCli(["--json"], { env });
      const after = Date.now();
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout.endsWith("}\n")).to.equal(true);
      const token = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(Object.keys(token).sort()).to.deep.equal(["accessToken", "expiresAt", "expiresIn", "tokenType"]);
      expect(token["accessToken"]).to.be.a("string").and.match(/^eyJ/);
      expect(token["tokenType"]).to.equal("Bearer");
      expect(token["expiresIn"]).to.equal(3600);
      expect(token["expiresAt"]).to.be.within(before + 3_600_000, after + 3_600_000);
      expectNoSecret(result);
    });

    it("ends quietly when the reader closes the pipe first (| head -c0): no stack, its own exit code", async function () {
      const result = await runCli(["--json"], { env, closeStdout: true });
      expect(result.stderr).to.equal("");
      expect(result.code).to.equal(0);
      expect(server.stats.tokenRequests).to.be.above(0);
    });

    it("--header: an Authorization header line", async function () {
      const result = await runCli(["--header"], { env });
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.match(/^Authorization: Bearer [A-Za-z0-9\-._~+/]+=*\n$/);
      expect(result.stderr).to.equal("");
    });

    it("--client-id with the secret on standard input (one trailing \\n or \\r\\n removed), which wins over the environment", async function () {
      const flags = ["--client-id", CLIENT_ID, "--client-secret-stdin", "--base-url", server.baseUrl];
      const results = await Promise.all([
        runCli(flags, { stdin: `${GOOD_SECRET}\n`, env: { ASPOSE_CLOUD_CLIENT_ID: "someone-else", ASPOSE_CLOUD_CLIENT_SECRET: WRONG_SECRET } }),
        runCli(flags, { stdin: `${GOOD_SECRET}\r\n` }),
        runInProcess(flags, { stdin: GOOD_SECRET }),
      ]);
      for (const result of results) {
        expect(result.code, result.stderr).to.equal(0);
        expect(result.stdout).to.match(TOKEN_LINE);
        expectNoSecret(result);
      }
      // Only one newline is removed: "secret\n\n" leaves a secret ending in white space, refused before it is sent.
      expectFailure(await runInProcess(flags, { stdin: `${GOOD_SECRET}\n\n` }), 2, "invalid_config");
    });

    it("--base-url wins over ASPOSE_CLOUD_API_URL", async function () {
      const result = await runCli(["--base-url", `${server.baseUrl}/`], { env: { ...env, ASPOSE_CLOUD_API_URL: `http://127.0.0.1:${deadPort}/v4.0` } });
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.match(TOKEN_LINE);
    });

    it("--verbose logs the attempt to stderr; stdout still holds only the token", async function () {
      const result = await runCli(["--verbose"], { env });
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.match(TOKEN_LINE);
      expect(result.stderr).to.include(`POST ${server.tokenUrl} (attempt 1)`).and.include("token issued");
      expect(result.stderr).to.not.include(result.stdout.trim(), "the token itself is not logged");
      expectNoSecret(result);
    });

    it("--help prints usage documenting every flag; --version prints the package version", async function () {
      const [help, version] = await Promise.all([runCli(["--help"]), runCli(["--version"])]);
      expect(help.code).to.equal(0);
      expect(help.stderr).to.equal("");
      expect(help.stdout).to.match(/^Usage: aspose-cells-token/);
      for (const flag of ["--client-id", "--client-secret-stdin", "--json", "--header", "--base-url", "--timeout", "--retries", "--verbose", "--help", "--version"]) {
        expect(help.stdout).to.include(flag);
      }
      for (const name of ["ASPOSE_CLOUD_CLIENT_ID", "ASPOSE_CLOUD_CLIENT_SECRET", "ASPOSE_CLOUD_API_URL"]) expect(help.stdout).to.include(name);
      expect(help.stdout).to.match(/Exit codes:\n {2}0 .*\n {2}2 .*\n {2}3 .*\n {2}4 /);
      expect(version.code).to.equal(0);
      expect(version.stdout).to.equal(`${VERSION}\n`);
      expect((await runInProcess(["-h"])).stdout).to.equal(help.stdout);
      expect((await runInProcess(["-V"])).stdout).to.equal(version.stdout);
    });
  });

  describe("exit 2: usage or configuration error", function () {
    it("refuses --client-secret in every spelling, says why and what to use, and never echoes the value", async function () {
      const requestsBefore = server.stats.tokenRequests;
      const results = await Promise.all([
        runCli(["--client-secret", GOOD_SECRET], { env }),
        runCli(["--verbose", `--client-secret=${GOOD_SECRET}`], { env }),
        runInProcess(["--client-secret"], { env }),
        runInProcess(["--json", "--client-secret", WRONG_SECRET, "--client-id", CLIENT_ID], { env }),
        runInProcess([`--client_secret=${GOOD_SECRET}`], { env }),
        runInProcess(["--clientSecret", GOOD_SECRET], { env }),
        runInProcess([`--secret=${GOOD_SECRET}`], { env }),
        runInProcess(["--bogus", "--client-secret", GOOD_SECRET], { env }),
      ]);
      for (const result of results) {
        const line = expectFailure(result, 2, "usage");
        expect(line).to.match(/never accepted on the command line/);
        expect(line).to.match(/other users/);
        expect(line).to.include("--client-secret-stdin").and.include("ASPOSE_CLOUD_CLIENT_SECRET");
      }
      expect(server.stats.tokenRequests).to.equal(requestsBefore, "no request was made");
    });

    it("an unknown flag, or a stray argument (never echoed: it may be a pasted secret)", async function () {
      expect(expectFailure(await runCli(["--bogus"], { env }), 2, "usage")).to.include("Unknown option in argument #1 (not shown here: it may be a pasted secret).");
      // An Aspose secret is 32 hex digits; 6 in 16 start with a letter, so look like an option name.
      const ASPOSE_LIKE = "af2c41d07be3a65812cd9e0f4a7b3c61";
      const cases: [string[], RegExp][] = [
        [["--bogus=value"], /Unknown option in argument #1 \(not shown/],
        [["--json", "-x"], /Unknown option in argument #2 \(not shown/],
        [[`--${ASPOSE_LIKE}`], /Unknown option in argument #1 \(not shown/],
        [[`-${ASPOSE_LIKE}`], /Unknown option in argument #1 \(not shown/],
        [[`--${GOOD_SECRET}`], /Unknown option in argument #1 \(not shown/],
        [["--json", GOOD_SECRET], /Unexpected argument #2: this command takes no positional arguments/],
        [["--", GOOD_SECRET], /Unexpected argument #2/],
      ];
      for (const [argv, message] of cases) {
        const line = expectFailure(await runInProcess(argv, { env }), 2, "usage");
        expect(line, argv.join(" ")).to.match(message).and.not.include("=value").and.not.include("bogus").and.not.include(ASPOSE_LIKE.slice(0, 12));
      }
    });

    it("other bad flags name the option, never its value", async function () {
      const cases: [string[], RegExp][] = [
        [["--json", "--header"], /--json and --header cannot be combined/],
        [["--json", "--json"], /--json is given more than once/],
        [[`--json=${GOOD_SECRET}`], /--json does not take a value/],
        [[`--client-secret-stdin=${GOOD_SECRET}`], /--client-secret-stdin does not take a value/],
        [["--retries", "101"], /--retries must be a whole number of retries from 0 to 100/],
        [["--retries=-1"], /--retries must be/],
        [["--base-url"], /--base-url needs a value/],
        [["--base-url", "--json"], /--base-url needs a value/],
        [["--client-id="], /--client-id must not be empty/],
      ];
      for (const [argv, message] of cases) {
        expect(expectFailure(await runInProcess(argv, { env }), 2, "usage"), argv.join(" ")).to.match(message);
      }
    });

    it("a --timeout that is not a positive whole number of milliseconds", async function () {
      expect(expectFailure(await runCli(["--timeout", "abc"], { env }), 2, "usage")).to.include("--timeout must be a whole number of milliseconds from 1 to");
      for (const value of ["--timeout=0", "--timeout=-5", "--timeout=1.5", "--timeout=1e3", "--timeout=", "--timeout=99999999999", "--timeout"]) {
        expect(expectFailure(await runInProcess([value], { env }), 2, "usage"), value).to.include("--timeout");
      }
    });

    it("missing credentials name the variable and the flag to use", async function () {
      const noId = await runCli([], { env: { ASPOSE_CLOUD_API_URL: server.baseUrl } });
      expect(expectFailure(noId, 2, "invalid_config")).to.include("ASPOSE_CLOUD_CLIENT_ID").and.include("--client-id");
      const noSecret = await runInProcess(["--client-id", CLIENT_ID], { env: { ASPOSE_CLOUD_API_URL: server.baseUrl, ASPOSE_CLOUD_CLIENT_SECRET: "" } });
      expect(expectFailure(noSecret, 2, "invalid_config")).to.include("ASPOSE_CLOUD_CLIENT_SECRET").and.include("--client-secret-stdin");
    });

    it("missing credentials with the official SDK's variables set: names them and what to rename them to", async function () {
      const sdkEnv = { ASPOSE_CLOUD_API_URL: server.baseUrl, CellsCloudClientId: CLIENT_ID, CellsCloudClientSecret: GOOD_SECRET };
      const requestsBefore = server.stats.tokenRequests;
      expect(expectFailure(await runInProcess([], { env: sdkEnv }), 2, "invalid_config")).to.include(
        "No client id: pass --client-id ID or set ASPOSE_CLOUD_CLIENT_ID. CellsCloudClientId is set, the official SDK's name, not read here: rename it to ASPOSE_CLOUD_CLIENT_ID.",
      );
      expect(expectFailure(await runInProcess(["--client-id", CLIENT_ID], { env: sdkEnv }), 2, "invalid_config")).to.include(
        "CellsCloudClientSecret is set, the official SDK's name, not read here: rename it to ASPOSE_CLOUD_CLIENT_SECRET.",
      );
      expect(server.stats.tokenRequests, "nothing was sent").to.equal(requestsBefore);
    });

    it("an empty or oversized secret on standard input", async function () {
      const flags = ["--client-id", CLIENT_ID, "--client-secret-stdin", "--base-url", server.baseUrl];
      expect(expectFailure(await runCli(flags, { stdin: "\n" }), 2, "usage")).to.include("standard input is empty");
      for (const stdin of ["", "\r\n"]) {
        expect(expectFailure(await runInProcess(flags, { stdin }), 2, "usage")).to.include("standard input is empty");
      }
      expect(expectFailure(await runInProcess(flags, { stdin: "x".repeat(5000) }), 2, "usage")).to.include("longer than 4096 bytes");
    });

    it("an http:// base URL to a host that is not loopback, from the flag or the environment", async function () {
      const flag = await runCli(["--base-url", "http://api.aspose.cloud/v4.0"], { env });
      expect(expectFailure(flag, 2, "insecure_url")).to.include("--base-url uses http://").and.include("https://");
      const fromEnv = await runInProcess([], { env: { ...env, ASPOSE_CLOUD_API_URL: "http://api.aspose.cloud/v4.0" } });
      expect(expectFailure(fromEnv, 2, "insecure_url")).to.include("ASPOSE_CLOUD_API_URL uses http://");
      const invalid = await runInProcess(["--base-url", "not a url"], { env });
      expect(expectFailure(invalid, 2, "invalid_config")).to.include("--base-url is not a valid absolute URL");
    });
  });

  describe("exit 3: credentials rejected", function () {
    it("a wrong secret (401 invalid_client), from the environment or standard input, with and without --verbose", async function () {
      const wrongEnv = { ...env, ASPOSE_CLOUD_CLIENT_SECRET: WRONG_SECRET };
      const stdinFlags = ["--client-id", CLIENT_ID, "--client-secret-stdin", "--base-url", server.baseUrl];
      const [plain, stdinVerbose, verbose, stdin] = await Promise.all([
        runCli([], { env: wrongEnv }),
        runCli([...stdinFlags, "--verbose"], { stdin: `${WRONG_SECRET}\n` }),
        runInProcess(["--verbose"], { env: wrongEnv }),
        runInProcess(stdinFlags, { stdin: `${WRONG_SECRET}\n` }),
      ]);
      for (const [result, stack] of [[plain, false], [stdinVerbose, true], [verbose, true], [stdin, false]] as const) {
        const line = expectFailure(result, 3, "oauth_error", stack);
        expect(line).to.include("HTTP 401 invalid_client").and.include("--client-secret-stdin");
      }
    });

    it("a server that echoes the secret in its error description: the output is still clean", async function () {
      server.inject({ kind: "status", status: 400, body: { error: "invalid_request", error_description: `bad client_secret ${GOOD_SECRET}` } }, { times: 2 });
      const [verbose, plain] = await Promise.all([runCli(["--verbose"], { env }), runInProcess([], { env })]);
      expectFailure(verbose, 3, "oauth_error", true);
      expect(expectFailure(plain, 3, "oauth_error")).to.include("[REDACTED]");
    });

    it("an echo in any spelling, in the description or the body, with --verbose", async function () {
      for (const spelling of Object.values(spellingsOf(GOOD_SECRET))) {
        server.inject({ kind: "status", status: 401, body: { error: "invalid_client", error_description: `got ${spelling}` } });
        expect(expectFailure(await runInProcess(["--verbose"], { env }), 3, "oauth_error", true)).to.include("got [REDACTED]");
        server.inject({ kind: "status", status: 502, body: `<p>${spelling}</p>` });
        expect(expectFailure(await runInProcess(["--verbose", "--retries", "0"], { env }), 4, "http_error", true)).to.include("HTTP 502");
      }
    });

    it("a short secret: the CLI's own words stay whole, what the server sent is still redacted", async function () {
      const scripted = await startScriptedServer((_request, res) => sendJson(res, 401, { error: "invalid_client", error_description: "client b rejected" }));
      try {
        for (const secret of ["client", "b"]) {
          const shortEnv = { ASPOSE_CLOUD_CLIENT_ID: "id-7", ASPOSE_CLOUD_CLIENT_SECRET: secret, ASPOSE_CLOUD_API_URL: scripted.baseUrl };
          const usage = await runInProcess(["--client-id"], { env: shortEnv });
          expect(usage.stderr).to.include("--client-id needs a value").and.include("Run 'aspose-cells-token --help' for usage.");
          const insecure = await runInProcess(["--base-url", "http://example.test/v4.0"], { env: shortEnv });
          expect(insecure.stderr).to.include("accepted for loopback hosts only");
          const rejected = await runInProcess([], { env: shortEnv });
          expect(rejected.code).to.equal(3);
          expect(rejected.stderr).to.include("The token endpoint refused the request").and.include("Check the client id and secret (ASPOSE_CLOUD_CLIENT_ID");
          expect(rejected.stderr).to.include(secret === "client" ? "[REDACTED] b rejected" : "client [REDACTED] rejected");
        }
      } finally {
        await scripted.close();
      }
    });
  });

  describe("exit 4: network, timeout, server error, invalid response", function () {
    it("a server error (HTTP 500) with --retries 0: one request each, no waiting; the body is scrubbed", async function () {
      server.inject({ kind: "status", status: 500, body: `oops, secret was ${GOOD_SECRET}` }, { times: Infinity });
      const before = server.stats.tokenRequests;
      const [plain, verbose] = await Promise.all([runCli(["--retries", "0"], { env }), runInProcess(["--retries=0", "--verbose"], { env })]);
      expect(expectFailure(plain, 4, "http_error")).to.include("HTTP 500");
      expect(expectFailure(verbose, 4, "http_error", true)).to.include("HTTP 500");
      expect(verbose.stderr).to.include("Response body (start, scrubbed): oops, secret was [REDACTED]");
      expect(server.stats.tokenRequests - before).to.equal(2);
    });

    it("a base URL without the API version (HTTP 404): names the URL, the missing /v4.0 and where the URL comes from", async function () {
      const origin = server.baseUrl.replace(/\/v4\.0$/, "");
      const line = expectFailure(await runInProcess(["--base-url", origin], { env }), 4, "http_error");
      expect(line).to.equal(
        `aspose-cells-token: http_error: No token endpoint at ${origin}/cells/connect/token (HTTP 404): the base URL (baseUrl or ASPOSE_CLOUD_API_URL) ` +
          "must end with the API version, as in https://api.aspose.cloud/v4.0. (The URL comes from --base-url or ASPOSE_CLOUD_API_URL.)",
      );
    });

    it("--retries 1 retries once, and says so with --verbose", async function () {
      server.inject({ kind: "status", status: 503 }, { times: Infinity });
      const before = server.stats.tokenRequests;
      const result = await runInProcess(["--retries", "1", "--verbose"], { env });
      expectFailure(result, 4, "http_error", true);
      expect(result.stderr).to.match(/attempt 1 failed \(HTTP 503\); retrying in \d+ ms/);
      expect(server.stats.tokenRequests - before).to.equal(2);
    });

    it("nothing listening on the port (network)", async function () {
      const flags = ["--retries", "0", "--base-url", `http://127.0.0.1:${deadPort}/v4.0`];
      const [plain, verbose] = await Promise.all([runCli(flags, { env }), runInProcess([...flags, "--verbose"], { env })]);
      expect(expectFailure(plain, 4, "network")).to.include("ECONNREFUSED");
      expect(verbose.stderr).to.include("Caused by: ");
      expectFailure(verbose, 4, "network", true);
    });

    it("a server that never answers, with --timeout 100 (timeout)", async function () {
      server.inject({ kind: "hang" }, { times: Infinity });
      const result = await runCli(["--timeout", "100", "--retries", "0"], { env });
      expect(expectFailure(result, 4, "timeout")).to.include("100 ms");
      expect(result.ms).to.be.below(5000);
    });

    it("a malformed token response (invalid_response)", async function () {
      server.inject({ kind: "malformed" }, { times: Infinity });
      expectFailure(await runInProcess(["--retries", "0"], { env }), 4, "invalid_response");
    });

    it("Ctrl-C (SIGINT) while waiting for the server aborts the request (aborted)", async function () {
      server.inject({ kind: "hang" }, { times: Infinity });
      const before = server.stats.tokenRequests;
      let child: Parameters<NonNullable<CliRunOptions["onSpawn"]>>[0] | undefined;
      const pending = runCli([], { env, onSpawn: (spawned) => (child = spawned) });
      await eventually(() => server.stats.tokenRequests > before, "the token request", 5000);
      child?.kill("SIGINT");
      const result = await pending;
      expect(result.signal).to.equal(null);
      expectFailure(result, 4, "aborted");
    });
  });

  it("run() reads io.env and io.stdin only, never process.env", async function () {
    const names = ["ASPOSE_CLOUD_CLIENT_ID", "ASPOSE_CLOUD_CLIENT_SECRET", "ASPOSE_CLOUD_API_URL"] as const;
    const saved = names.map((name) => process.env[name]);
    Object.assign(process.env, env);
    try {
      expectFailure(await runInProcess([]), 2, "invalid_config");
    } finally {
      names.forEach((name, index) => {
        const value = saved[index];
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      });
    }
  });
});
