import { ENV } from "../defaults.js";
import { isCellsAuthError, type CellsAuthError, type CellsAuthErrorCode } from "../errors.js";
import { redactSecrets } from "../util/redact.js";
import { UsageError } from "./args.js";
import { PROGRAM } from "./usage.js";

export const EXIT = Object.freeze({ ok: 0, internal: 1, usage: 2, rejected: 3, failed: 4 } as const);

type FailureCode = CellsAuthErrorCode | "usage" | "internal_error";

const EXIT_CODES: Readonly<Record<FailureCode, number>> = {
  usage: EXIT.usage,
  invalid_config: EXIT.usage,
  insecure_url: EXIT.usage,
  oauth_error: EXIT.rejected,
  http_error: EXIT.failed,
  invalid_response: EXIT.failed,
  network: EXIT.failed,
  timeout: EXIT.failed,
  aborted: EXIT.failed,
  internal_error: EXIT.internal,
};

/** What to do next, appended to the message. */
const HINTS: Readonly<Record<FailureCode, string>> = {
  usage: `Run '${PROGRAM} --help' for usage.`,
  invalid_config: `Run '${PROGRAM} --help' for usage.`,
  insecure_url: "Use an https:// base URL (http:// is accepted for loopback hosts only).",
  oauth_error: `Check the client id and secret (${ENV.clientId} and ${ENV.clientSecret}, or --client-id with --client-secret-stdin).`,
  http_error: "The token service is failing or rate limiting; --retries N retries with backoff.",
  invalid_response: `The server does not answer like the Aspose token endpoint; check --base-url or ${ENV.baseUrl}.`,
  network: `(The URL comes from --base-url or ${ENV.baseUrl}.)`,
  timeout: "Try again later, or allow more time with --timeout MS.",
  aborted: "Interrupted before a token was received.",
  internal_error: "This is a bug in aspose-cells-token; please report it with the output of --verbose.",
};

export interface Failure {
  readonly exitCode: number;
  /** What to write to stderr, newline-terminated: one line, or with `verbose` the stack traces after it. */
  readonly text: string;
}

/**
 * Turns anything thrown into an exit code and stderr text. Only text of unknown origin is
 * redacted of the known secrets: the library's and the CLI's own messages are left whole (they
 * never hold a secret, and what they quote of a server was scrubbed already), so a short secret
 * cannot garble them or show which word it is.
 */
export function describeFailure(error: unknown, verbose: boolean, secrets: readonly string[]): Failure {
  const code = failureCode(error);
  const message = isCellsAuthError(error) && error.code === "oauth_error"
    ? oauthMessage(error)
    : isOwn(error) ? error.message : redactSecrets(error instanceof Error ? error.message : String(error), secrets);
  // A 404 is a wrong base URL (the library's message says so), not a failing service.
  const hint = code === "http_error" && isCellsAuthError(error) && error.status === 404 ? HINTS.network : HINTS[code];
  let text = `${PROGRAM}: ${code}: ${withStop(oneLine(message))} ${hint}\n`;
  if (verbose) text += details(error, secrets);
  return { exitCode: EXIT_CODES[code], text };
}

/** An error whose message this package wrote. */
function isOwn(error: unknown): error is Error {
  return isCellsAuthError(error) || error instanceof UsageError;
}

/** The library's message also advises on library options; the CLI says the same from the fields, with its own advice. */
function oauthMessage(error: CellsAuthError): string {
  const description = error.oauthErrorDescription ? `: ${error.oauthErrorDescription}` : "";
  return `The token endpoint refused the request (HTTP ${error.status ?? "?"} ${error.oauthError ?? "error"}${description}).`;
}

function failureCode(error: unknown): FailureCode {
  if (isCellsAuthError(error)) return error.code;
  if (error instanceof UsageError) return "usage";
  return "internal_error";
}

/** Stack traces of the error and its causes (redacted unless this package wrote them), and the scrubbed start of an error body. */
function details(error: unknown, secrets: readonly string[]): string {
  let text = "";
  const snippet = isCellsAuthError(error) ? error.bodySnippet : undefined;
  if (snippet !== undefined) text += `Response body (start, scrubbed): ${snippet}\n`;
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    const stack = current instanceof Error ? current.stack ?? `${current.name}: ${current.message}` : String(current);
    text += `${depth === 0 ? "" : "Caused by: "}${isOwn(current) ? stack : redactSecrets(stack, secrets)}\n`;
    current = current instanceof Error ? (current as { cause?: unknown }).cause : undefined;
  }
  return text;
}

function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, " ").replace(/\s+/g, " ").trim();
}

function withStop(text: string): string {
  return /[.!?…)]$/.test(text) ? text : `${text}.`;
}

