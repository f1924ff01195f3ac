import { DEFAULT_BASE_URL, DEFAULTS, ENV } from "../defaults.js";
import { CellsAuthError, isCellsAuthError } from "../errors.js";
import { readBoundedText } from "./bounded-body.js";
import { parseRetryAfter } from "./retry-after.js";
import { clock, readOptions } from "../util/checks.js";
import { redactSecrets, scrub } from "../util/redact.js";
import { scrubbedError, withScrubbedCause } from "../util/scrubbed-error.js";
import type { TokenResponseBody } from "../spec.js";
import { BEARER_TOKEN, MAX_EXPIRES_IN_S, type AccessToken } from "./token-shape.js";

/** Statuses worth another attempt: timeout, rate limit and transient server failures. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** What `processTokenResponse` needs to know about the request the response answers. */
export interface ProcessContext {
  /** Epoch ms when the request started; `expiresAt` counts from here. */
  startedAt: number;
  /** Clock used for an HTTP-date `Retry-After`. @default Date.now */
  now?: () => number;
  /** Strings to scrub from anything the server says (the client secret). */
  secrets?: readonly string[];
  /** The URL that was requested, named in the error for a 404. @default response.url */
  url?: string;
}

/**
 * Turns a token endpoint `Response` into an `AccessToken`, or throws the `CellsAuthError` that
 * says what was wrong. Reads at most 64 KiB of body. Never throws anything else: a `Response`
 * whose getters throw is `invalid_config`, a body that breaks off is `network`, and what they
 * threw is kept as a cause scrubbed of `context.secrets`.
 */
export async function processTokenResponse(response: Response, context: ProcessContext): Promise<AccessToken> {
  const checked = checkProcessContext(context);
  const redact = (text: string) => redactSecrets(text, checked.secrets ?? []);
  let status: number;
  let headers: Headers;
  let url: string;
  try {
    ({ status, headers, url } = response);
    if (typeof status !== "number" || typeof headers?.get !== "function" || response.bodyUsed !== false) throw new CellsAuthError("invalid_config", "");
  } catch (error) {
    throw withScrubbedCause(new CellsAuthError("invalid_config", "processTokenResponse() needs an unread Response.", isCellsAuthError(error) ? {} : { cause: error }), redact);
  }
  let text: string;
  try {
    text = await readBoundedText(response, DEFAULTS.maxResponseBytes);
  } catch (error) {
    if (isCellsAuthError(error)) throw error;
    throw withScrubbedCause(new CellsAuthError("network", "The token response broke off (the connection failed). Retry later.", { retryable: true, cause: error }), redact);
  }
  const where = checked.url ?? (typeof url === "string" && url !== "" ? url : undefined);
  try {
    return interpretTokenResponse(status, headers, parseBody(text), where === undefined ? checked : { ...checked, url: where });
  } catch (error) {
    // The headers are the caller's object too: one that throws when read is refused, not passed on.
    throw scrubbedError(error, redact);
  }
}

/** The context of `processTokenResponse`, read once and checked (it comes from a caller). */
function checkProcessContext(context: unknown): ProcessContext {
  const { startedAt, now, secrets, url } = readOptions(context, ["startedAt", "now", "secrets", "url"], "context");
  if (typeof startedAt !== "number" || !Number.isFinite(startedAt)) {
    throw new CellsAuthError("invalid_config", "context.startedAt must be epoch milliseconds.");
  }
  if (secrets !== undefined && !(Array.isArray(secrets) && secrets.every((secret) => typeof secret === "string"))) {
    throw new CellsAuthError("invalid_config", "context.secrets must be an array of strings.");
  }
  if (url !== undefined && typeof url !== "string") throw new CellsAuthError("invalid_config", "context.url must be a string.");
  return { startedAt, now: clock(now, "context.now") ?? Date.now, secrets: secrets === undefined ? [] : [...(secrets as string[])], ...(url === undefined ? {} : { url }) };
}

/** Parses a body as JSON, falling back to the raw text. */
export function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Checks a token endpoint answer, already read (`body` is parsed JSON, or raw text when it was
 * not JSON), and returns the token or throws a `CellsAuthError` with the status and the OAuth
 * error fields.
 */
export function interpretTokenResponse(
  status: number,
  headers: Headers,
  body: unknown,
  context: ProcessContext,
): AccessToken {
  const secrets = context.secrets ?? [];
  if (status >= 200 && status < 300) return validateTokenBody(body, context.startedAt, secrets);
  const retryAfterMs = parseRetryAfter(headers.get("retry-after"), (context.now ?? Date.now)());
  const retryable = RETRYABLE_STATUSES.has(status);
  if ((status === 400 || status === 401 || status === 403) && isOAuthError(body)) {
    const oauthError = scrub(body.error, secrets);
    const description = typeof body.error_description === "string" ? scrub(body.error_description, secrets) : undefined;
    const hint = status === 400 ? "the client id, secret and grant type" : `${ENV.clientId}, ${ENV.clientSecret} or the clientId and clientSecret options`;
    return fail("oauth_error", `The token endpoint refused the request (${status} ${oauthError}${description ? `: ${description}` : ""}). Check ${hint}.`, {
      status,
      retryable: false,
      oauthError,
      oauthErrorDescription: description,
      retryAfterMs,
    });
  }
  const snippet = typeof body === "string" ? scrub(body, secrets) : scrub(JSON.stringify(body) ?? "", secrets);
  const what = status === 429 ? "is rate limiting requests" : status >= 500 ? "failed" : "refused the request";
  const message = status === 404
    // The usual cause: a base URL without the API version (https://api.aspose.cloud instead of .../v4.0).
    ? `No token endpoint at ${context.url ?? "the URL requested"} (HTTP 404): the base URL (baseUrl or ${ENV.baseUrl}) must end with the API version, as in ${DEFAULT_BASE_URL}.`
    : `The token endpoint ${what} (HTTP ${status}).${retryable ? " Retry later." : ""}`;
  return fail("http_error", message, {
    status,
    retryable,
    bodySnippet: snippet === "" ? undefined : snippet,
    retryAfterMs,
  });
}

function validateTokenBody(body: unknown, startedAt: number, secrets: readonly string[]): AccessToken {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    // Not quoted: a 2xx body may be the token itself (the published spec even says "string").
    const what = typeof body === "string" ? (body === "" ? "an empty body" : `${body.length} characters of non-JSON or a JSON string`) : Array.isArray(body) ? "a JSON array" : `a JSON ${typeof body}`;
    return invalid(`is not a JSON object (got ${what})`);
  }
  const fields = body as Partial<Record<keyof TokenResponseBody, unknown>>;
  if (typeof fields.access_token !== "string" || fields.access_token === "") {
    return invalid("has no access_token string");
  }
  if (!BEARER_TOKEN.test(fields.access_token)) {
    return invalid("has an access_token that is not an RFC 6750 b64token");
  }
  // RFC 6749 makes token_type required, but Aspose only issues bearer tokens: a missing
  // token_type is read as Bearer; any other type is refused.
  if (fields.token_type !== undefined && typeof fields.token_type !== "string") {
    return invalid("has a token_type that is not a string");
  }
  if (fields.token_type !== undefined && fields.token_type.toLowerCase() !== "bearer") {
    return invalid(`has token_type ${JSON.stringify(scrub(fields.token_type, secrets, 40))}; only Bearer is supported`);
  }
  const expiresIn = typeof fields.expires_in === "string" && /^\s*\d+(\.\d+)?\s*$/.test(fields.expires_in)
    ? Number(fields.expires_in)
    : fields.expires_in;
  if (typeof expiresIn !== "number" || !Number.isFinite(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRES_IN_S) {
    return invalid(`has no expires_in from 1 to ${MAX_EXPIRES_IN_S} seconds`);
  }
  return { accessToken: fields.access_token, tokenType: "Bearer", expiresIn, expiresAt: startedAt + expiresIn * 1000 };
}

function isOAuthError(body: unknown): body is { error: string; error_description?: unknown } {
  return typeof body === "object" && body !== null && typeof (body as { error?: unknown }).error === "string";
}

function invalid(what: string): never {
  throw new CellsAuthError("invalid_response", `The token response ${what}.`);
}

function fail(code: "oauth_error" | "http_error", message: string, details: ConstructorParameters<typeof CellsAuthError>[2]): never {
  throw new CellsAuthError(code, message, details);
}
