import { spawn } from "node:child_process";
import { constants } from "node:os";
import { UsageError } from "../cli/args.js";
import type { CliOutput } from "../cli/run.js";
import { VERSION } from "../cli/version.js";
import { ENV } from "../defaults.js";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "../testing/options.js";
import type { RecordedRequest } from "../testing/request-log.js";
import type { TokenServer } from "../testing/server-types.js";
import { startTokenServer } from "../testing/start-token-server.js";
import { parseEmulatorArgs } from "./args.js";
import { PROGRAM, USAGE } from "./usage.js";

/** The process's streams and environment, and the signal that stops the emulator. */
export interface EmulatorIO {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C or SIGTERM; its `reason` is the signal's name, passed on to a COMMAND. */
  readonly signal: AbortSignal;
}

/**
 * Runs `aspose-cells-emulator` with `argv` (the arguments after the script): serves until `signal`
 * aborts, or runs the command after `--` against the emulator. Returns the exit code; never throws.
 */
export async function runEmulator(argv: readonly string[], io: EmulatorIO): Promise<number> {
  let args: ReturnType<typeof parseEmulatorArgs>;
  try {
    args = parseEmulatorArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`${PROGRAM}: usage: ${error.message} Run '${PROGRAM} --help' for usage.\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (args.version) {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  let server: TokenServer;
  try {
    server = await startTokenServer({
      port: args.port,
      tokenLifetimeSeconds: args.tokenLifetimeSeconds,
      basePath: args.basePath,
      specs: args.specs,
      onRequest: args.verbose ? (request) => io.stderr.write(`${PROGRAM}: ${describeRequest(request)}\n`) : undefined,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "EADDRINUSE"
        ? `port ${args.port} is taken; pick another with --port N, or --port 0 for a free one`
        : error instanceof TypeError
          ? error.message
          : String(error);
    io.stderr.write(`${PROGRAM}: cannot start: ${why}.\n`);
    return 1;
  }
  const variables = { [ENV.baseUrl]: server.baseUrl, [ENV.clientId]: DEFAULT_CLIENT_ID, [ENV.clientSecret]: DEFAULT_CLIENT_SECRET };
  try {
    if (args.command.length > 0) return await runCommand(args.command, { ...io.env, ...variables }, io);
    io.stdout.write(Object.entries(variables).map(([name, value]) => `${name}=${value}\n`).join(""));
    io.stderr.write(`${PROGRAM}: serving ${server.baseUrl}; Ctrl-C stops it\n`);
    await aborted(io.signal);
    io.stderr.write(`${PROGRAM}: stopped (${String(io.signal.reason)})\n`);
    return 0;
  } finally {
    await server.close();
  }
}

/** One log line: sequence, method, path and query, outcome, and what the emulator judged (no secret). */
export function describeRequest(request: RecordedRequest): string {
  const query = new URLSearchParams(request.query).toString();
  const outcome = request.outcome === "answered" ? String(request.status) : request.outcome;
  const details: string[] = [];
  if (request.form !== undefined) details.push(`form ${Object.entries(request.form).map(([name, value]) => `${name}=${value}`).join(" ")}`);
  const authorization = request.headers.authorization;
  if (request.auth !== undefined) details.push(`token ${request.auth}${authorization === undefined ? "" : ` (${authorization})`}`);
  return `#${request.seq} ${request.method} ${request.path}${query === "" ? "" : `?${query}`} -> ${outcome}${details.length > 0 ? `, ${details.join(", ")}` : ""}`;
}

/** Resolves once `signal` aborts. */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** Runs the command with the emulator's variables, passing `io.signal`'s signal on; resolves with its exit code. */
function runCommand(command: readonly string[], env: Record<string, string | undefined>, io: EmulatorIO): Promise<number> {
  const [program = "", ...args] = command;
  if (io.signal.aborted) return Promise.resolve(128 + signalNumber(io.signal.reason));
  return new Promise((resolve) => {
    const child = spawn(program, args, { env, stdio: "inherit" });
    const forward = (): void => {
      child.kill(signalNumber(io.signal.reason));
    };
    io.signal.addEventListener("abort", forward, { once: true });
    child.once("error", (error: NodeJS.ErrnoException) => {
      io.signal.removeEventListener("abort", forward);
      io.stderr.write(`${PROGRAM}: cannot run ${program} (${error.code ?? error.message}).\n`);
      resolve(1);
    });
    child.once("exit", (code, signal) => {
      io.signal.removeEventListener("abort", forward);
      resolve(code ?? 128 + signalNumber(signal));
    });
  });
}

/** The number of a signal given by name (SIGINT: 2), 15 (SIGTERM) for anything else. */
function signalNumber(name: unknown): number {
  return typeof name === "string" && Object.hasOwn(constants.signals, name) ? constants.signals[name as NodeJS.Signals] : constants.signals.SIGTERM;
}
