// aspose-cells-emulator as a real child process (the built bin, dist/emulator.js: _dist.ts), driven
// the way a shell user drives it, with aspose-cells-token pointed at it; usage errors go through
// runEmulator in-process.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { runEmulator } from "../src/emulator-cli/run.js";
import { runCli } from "./_cli-run.js";
import { eventually } from "./_async.js";
import { ensureBuilt } from "./_dist.js";
import { within } from "./_testing-kit.js";
import { closedPort } from "./_http.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SECRET = "test-client-secret";

interface Emulator {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves with the exit code (or 128 + signal) once the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `node dist/emulator.js ...args` (built by the `before` hook); the parent's ASPOSE_CLOUD_* variables are not inherited. */
function startEmulator(args: readonly string[]): Emulator {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("ASPOSE_CLOUD_")));
  const child = spawn(process.execPath, ["dist/emulator.js", ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const emulator: Emulator = {
    child,
    stdout: "",
    stderr: "",
    exited: new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal }))),
  };
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (emulator.stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (emulator.stderr += chunk));
  // A failed test must not leave the process behind.
  const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
  void emulator.exited.then(() => clearTimeout(guard));
  return emulator;
}

/** The three `NAME=value` lines the emulator prints, once they are all there. */
async function variablesOf(emulator: Emulator): Promise<Record<string, string>> {
  await eventually(() => emulator.stdout.split("\n").length > 3 || emulator.child.exitCode !== null, `the emulator's three lines (stderr: ${emulator.stderr})`, 20_000);
  return Object.fromEntries(emulator.stdout.trim().split("\n").map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
}


/** runEmulator in this process, with collected output; `stopAfterStart` aborts once it serves. */
async function runInProcess(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const controller = new AbortController();
  const code = await runEmulator(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: {
      write: (text: string) => {
        stderr += text;
        if (text.includes("Ctrl-C stops it")) controller.abort("SIGTERM");
      },
    },
    env: {},
    signal: controller.signal,
  });
  return { code, stdout, stderr };
}

describe("aspose-cells-emulator", function () {
  this.timeout(60_000);
  const running: Emulator[] = [];
  function emulator(args: readonly string[]): Emulator {
    const started = startEmulator(args);
    running.push(started);
    return started;
  }
  before(ensureBuilt);
  afterEach(() => {
    for (const { child } of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });

  it("prints the base URL and the test credentials, serves aspose-cells-token --base-url, logs redacted requests, stops on Ctrl-C", async () => {
    const server = emulator(["--verbose", "--token-lifetime", "120"]);
    const variables = await variablesOf(server);
    expect(Object.keys(variables)).to.deep.equal(["ASPOSE_CLOUD_API_URL", "ASPOSE_CLOUD_CLIENT_ID", "ASPOSE_CLOUD_CLIENT_SECRET"]);
    expect(variables.ASPOSE_CLOUD_API_URL).to.match(/^http:\/\/127\.0\.0\.1:\d+\/v4\.0$/);
    expect(variables).to.include({ ASPOSE_CLOUD_CLIENT_ID: "test-client-id", ASPOSE_CLOUD_CLIENT_SECRET: SECRET });
    const baseUrl = variables.ASPOSE_CLOUD_API_URL as string;

    const token = await runCli(["--base-url", baseUrl, "--client-id", "test-client-id", "--client-secret-stdin", "--json"], { stdin: `${SECRET}\n` });
    expect(token.code, token.stderr).to.equal(0);
    const { accessToken, expiresIn } = JSON.parse(token.stdout) as { accessToken: string; expiresIn: number };
    expect(expiresIn).to.equal(120);
    const status = await fetch(`${baseUrl}/cells/status/check?detail=true`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(status.status).to.equal(200);

    await eventually(() => server.stderr.includes("#2 "), "the second request in the log", 5_000);
    const log = server.stderr.split("\n");
    expect(log[0]).to.equal(`aspose-cells-emulator: serving ${baseUrl}; Ctrl-C stops it`);
    expect(log[1]).to.equal(
      "aspose-cells-emulator: #1 POST /v4.0/cells/connect/token -> 200, form grant_type=client_credentials client_id=test-client-id client_secret=[REDACTED]",
    );
    expect(log[2]).to.match(/^aspose-cells-emulator: #2 GET \/v4\.0\/cells\/status\/check\?detail=true -> 200, token valid \(Bearer sha256:[0-9a-f]{12}\)$/);
    expect(server.stderr).not.to.contain(SECRET);
    expect(server.stderr).not.to.contain(accessToken);

    server.child.kill("SIGINT");
    expect(await server.exited).to.deep.equal({ code: 0, signal: null });
    expect(server.stderr.trim().split("\n").at(-1)).to.equal("aspose-cells-emulator: stopped (SIGINT)");
    const after = await fetch(`${baseUrl}/cells/status/check`).then(
      () => "answered",
      () => "refused",
    );
    expect(after).to.equal("refused");
  });

  it("stops cleanly on SIGTERM, on the port and base path asked for", async () => {
    const port = await closedPort();
    const server = emulator(["--port", String(port), "--base-path", "/api/v9"]);
    expect((await variablesOf(server)).ASPOSE_CLOUD_API_URL).to.equal(`http://127.0.0.1:${port}/api/v9`);
    server.child.kill("SIGTERM");
    expect(await server.exited).to.deep.equal({ code: 0, signal: null });
    expect(server.stderr).to.match(/stopped \(SIGTERM\)\n$/);
  });

  it("started through npm, stops as on SIGTERM when the shell npm ran it in dies of SIGTERM (and passes nothing on)", async () => {
    // What npx and npm exec do: `sh -c <bin>`, with npm_command set, and SIGTERM passed to the shell only.
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("ASPOSE_CLOUD_"))), npm_command: "exec" };
    const shell = spawn("sh", ["-c", `"${process.execPath}" dist/emulator.js; exit $?`], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const serving = new Promise<void>((resolve) =>
      shell.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
        if (stdout.includes("ASPOSE_CLOUD_CLIENT_SECRET=")) resolve();
      }),
    );
    shell.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    // The pipes close once the shell and the emulator have both exited.
    const closed = Promise.all([once(shell.stdout, "close"), once(shell.stderr, "close")]);
    try {
      await within(serving, 20_000, `the emulator's variables (stderr: ${stderr})`);
      shell.kill("SIGTERM");
      await within(closed, 20_000, "the end of the emulator whose shell died");
      expect(stderr).to.match(/stopped \(SIGTERM\)\n$/);
    } finally {
      try {
        process.kill(-(shell.pid as number), "SIGKILL");
      } catch {
        // Nothing is left of it.
      }
    }
  });

  it("exits 1 with a clear line when the port is taken", async () => {
    const first = emulator(["--port", "0"]);
    const port = new URL((await variablesOf(first)).ASPOSE_CLOUD_API_URL as string).port;
    const second = emulator(["--port", port]);
    expect(await second.exited).to.deep.equal({ code: 1, signal: null });
    expect(second.stdout).to.equal("");
    expect(second.stderr).to.equal(`aspose-cells-emulator: cannot start: port ${port} is taken; pick another with --port N, or --port 0 for a free one.\n`);
  });

  describe("-- COMMAND", () => {
    it("runs the command with the variables set, keeps stdout for it, and exits with its code", async () => {
      const script = "console.log(JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('ASPOSE_CLOUD_'))))); process.exit(7)";
      const run = emulator(["--", process.execPath, "-e", script]);
      expect(await run.exited).to.deep.equal({ code: 7, signal: null });
      const seen = JSON.parse(run.stdout) as Record<string, string>;
      expect(seen.ASPOSE_CLOUD_API_URL).to.match(/^http:\/\/127\.0\.0\.1:\d+\/v4\.0$/);
      expect(seen).to.include({ ASPOSE_CLOUD_CLIENT_ID: "test-client-id", ASPOSE_CLOUD_CLIENT_SECRET: SECRET });
    });

    it("gets aspose-cells-token a token from the emulator", async () => {
      const run = emulator(["--", process.execPath, "dist/cli.js", "--header"]);
      expect(await run.exited).to.deep.equal({ code: 0, signal: null });
      expect(run.stdout).to.match(/^Authorization: Bearer [A-Za-z0-9\-._~+/]+=*\n$/);
      expect(run.stderr).to.equal("");
    });

    it("passes SIGTERM on to the command and exits with the command's code", async () => {
      const script = "process.on('SIGTERM', () => { console.log('got SIGTERM'); process.exit(3); }); setInterval(() => {}, 1000); console.log('ready');";
      const run = emulator(["--", process.execPath, "-e", script]);
      await eventually(() => run.stdout.includes("ready"), "the command to start", 20_000);
      run.child.kill("SIGTERM");
      expect(await run.exited).to.deep.equal({ code: 3, signal: null });
      expect(run.stdout).to.equal("ready\ngot SIGTERM\n");
    });

    it("exits 1 when the command cannot be run", async () => {
      const run = emulator(["--", "no-such-command-here"]);
      expect(await run.exited).to.deep.equal({ code: 1, signal: null });
      expect(run.stderr).to.equal("aspose-cells-emulator: cannot run no-such-command-here (ENOENT).\n");
    });
  });

  it("refuses a bad command line with exit 2 and one line naming the option", async () => {
    const cases: Array<[string[], string]> = [
      [["--port", "70000"], "--port must be a TCP port (0 picks a free one) from 0 to 65535."],
      [["--token-lifetime", "0"], "--token-lifetime must be a whole number of seconds from 1 to 315360000."],
      [["--base-path", "v4.0"], '--base-path must start with "/" and have no query, fragment or spaces (use "/" for the root).'],
      [["--bogus"], "Unknown option in argument #1 (not shown here: it may be a pasted secret)."],
      [["--port"], '--port needs a value (write --port=VALUE for one starting with "-").'],
      [["serve"], "Unexpected argument #1: this command takes no positional arguments (values are not shown here)."],
      [["--verbose", "--"], "-- must be followed by the command to run."],
    ];
    for (const [argv, message] of cases) {
      const result = await runInProcess(argv);
      expect(result.code, argv.join(" ")).to.equal(2);
      expect(result.stdout).to.equal("");
      expect(result.stderr).to.equal(`aspose-cells-emulator: usage: ${message} Run 'aspose-cells-emulator --help' for usage.\n`);
    }
  });

  it("--help documents every option and the defaults; --version prints the package version", async () => {
    const help = await runInProcess(["--help"]);
    expect(help.code).to.equal(0);
    for (const text of ["--port N", "--token-lifetime S", "--base-path PATH", "--verbose", "--help", "--version", "-- COMMAND", "(default 3600)", "(default /v4.0)"]) {
      expect(help.stdout).to.contain(text);
    }
    const { version } = (await import("../package.json", { with: { type: "json" } })).default;
    expect(await runInProcess(["--version"])).to.deep.equal({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("serves in-process until its signal aborts", async () => {
    const result = await runInProcess(["--base-path", "/"]);
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(/^ASPOSE_CLOUD_API_URL=http:\/\/127\.0\.0\.1:\d+\nASPOSE_CLOUD_CLIENT_ID=test-client-id\nASPOSE_CLOUD_CLIENT_SECRET=test-client-secret\n$/);
    expect(result.stderr).to.match(/stopped \(SIGTERM\)\n$/);
  });
});
