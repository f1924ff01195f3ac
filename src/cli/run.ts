import type { Readable } from "node:stream";
import type { AccessToken } from "../token/token-shape.js";
import { normalizeBaseUrl } from "../util/base-url.js";
import { DEFAULT_BASE_URL, DEFAULTS, ENV, TOKEN_PATH } from "../defaults.js";
import { CellsAuthError, isCellsAuthError } from "../errors.js";
import type { TokenEvent } from "../token/events.js";
import { refuseSecretIn, sdkVariableHint } from "../options.js";
import { postAccessToken } from "../token/post-access-token.js";
import { parseCliArgs, type OutputMode } from "./args.js";
import { describeFailure, EXIT } from "./report.js";
import { readSecret } from "./stdin.js";
import { PROGRAM, USAGE } from "./usage.js";
import { VERSION } from "./version.js";

/** Something text can be written to (`process.stdout`, or a test's collector). */
export interface CliOutput {
  write(text: string): unknown;
}

/** The process's standard streams and environment; tests pass their own. */
export interface CliIO {
  readonly stdin: Readable & { readonly isTTY?: boolean | undefined };
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborting it (Ctrl-C) stops the request and any wait between retries. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs `aspose-cells-token` with `argv` (the arguments after the script) and returns the exit
 * code. Never throws; never writes the client secret anywhere.
 */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const secrets: string[] = [];
  const envSecret = envValue(io.env, ENV.clientSecret);
  if (envSecret !== undefined) secrets.push(envSecret);
  // Set once the command line parsed: a usage error is one line even with --verbose (its stack only shows the parser).
  let verbose = false;
  try {
    const args = parseCliArgs(argv);
    verbose = args.verbose;
    if (args.help) {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    if (args.version) {
      io.stdout.write(`${VERSION}\n`);
      return EXIT.ok;
    }
    const clientId = args.clientId ?? envValue(io.env, ENV.clientId);
    if (clientId === undefined) {
      throw new CellsAuthError("invalid_config", `No client id: pass --client-id ID or set ${ENV.clientId}.${sdkVariableHint("clientId", (name) => envValue(io.env, name))}`);
    }
    let clientSecret = envSecret;
    if (args.clientSecretStdin) {
      if (io.stdin.isTTY === true) io.stderr.write(`${PROGRAM}: reading the client secret from standard input (end with Ctrl-D)\n`);
      clientSecret = await readSecret(io.stdin, io.signal);
      secrets.push(clientSecret);
    }
    if (clientSecret === undefined) {
      throw new CellsAuthError("invalid_config", `No client secret: pipe it to --client-secret-stdin or set ${ENV.clientSecret}.${sdkVariableHint("clientSecret", (name) => envValue(io.env, name))}`);
    }
    // Checked once the secret is known: a base URL holding it is refused without being quoted.
    const baseUrl = args.baseUrl !== undefined
      ? checkBaseUrl(args.baseUrl, "--base-url", clientSecret)
      : checkBaseUrl(envValue(io.env, ENV.baseUrl) ?? DEFAULT_BASE_URL, ENV.baseUrl, clientSecret);
    // Events hold no secret and no server text: the CLI's own words, written as they are.
    const onEvent = verbose ? (event: TokenEvent) => io.stderr.write(describeEvent(event, baseUrl + TOKEN_PATH)) : undefined;
    const token = await postAccessToken({
      clientId,
      clientSecret,
      baseUrl,
      timeoutMs: args.timeoutMs ?? DEFAULTS.timeoutMs,
      retry: { maxRetries: args.retries ?? DEFAULTS.retry.maxRetries },
      ...(io.signal === undefined ? {} : { signal: io.signal }),
      ...(onEvent === undefined ? {} : { onEvent }),
    });
    io.stdout.write(formatToken(token, args.output));
    return EXIT.ok;
  } catch (error) {
    const failure = describeFailure(error, verbose, secrets);
    io.stderr.write(failure.text);
    return failure.exitCode;
  }
}

function formatToken(token: AccessToken, mode: OutputMode): string {
  switch (mode) {
    case "json":
      return `${JSON.stringify({ accessToken: token.accessToken, tokenType: token.tokenType, expiresIn: token.expiresIn, expiresAt: token.expiresAt })}\n`;
    case "header":
      return `Authorization: Bearer ${token.accessToken}\n`;
    case "token":
      return `${token.accessToken}\n`;
  }
}

/** One stderr line per library event (events never hold a secret or a token). */
function describeEvent(event: TokenEvent, tokenUrl: string): string {
  switch (event.type) {
    case "token_requested":
      return `${PROGRAM}: POST ${tokenUrl} (attempt ${event.attempt})\n`;
    case "retry":
      return `${PROGRAM}: attempt ${event.attempt} failed (${event.status !== undefined ? `HTTP ${event.status}` : event.reason}); retrying in ${Math.round(event.delayMs)} ms\n`;
    case "token_issued":
      return `${PROGRAM}: token issued after ${event.attempts} attempt(s): fingerprint ${event.fingerprint}, expires in ${event.expiresIn} s\n`;
    default:
      return `${PROGRAM}: ${event.type}\n`;
  }
}

/** The library's check, with the CLI's wording for http:// (the CLI has no allowInsecureHttp). */
function checkBaseUrl(value: string, name: string, secret: string): string {
  try {
    return normalizeBaseUrl(refuseSecretIn(value, name, secret), false, name);
  } catch (error) {
    if (isCellsAuthError(error) && error.code === "insecure_url") {
      throw new CellsAuthError("insecure_url", `${name} uses http:// to a host that is not loopback; the client secret would travel unencrypted.`);
    }
    throw error;
  }
}

/** An environment variable; empty means unset, as in the library. */
function envValue(env: CliIO["env"], name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}
