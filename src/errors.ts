/** Stable error codes. Branch on these, never on message text. */
export type CellsAuthErrorCode =
  | "invalid_config"
  | "insecure_url"
  | "oauth_error"
  | "http_error"
  | "invalid_response"
  | "network"
  | "timeout"
  | "aborted";

/** The fields a `CellsAuthError` is made with; each is copied onto the error when set. */
export interface CellsAuthErrorDetails {
  /** HTTP status of the token response, when there was one. */
  status?: number | undefined;
  /** Whether trying again later may succeed. Defaults to false. */
  retryable?: boolean | undefined;
  /** HTTP attempts made before giving up. */
  attempts?: number | undefined;
  /** How long the server asked to wait (from `Retry-After`), in milliseconds. */
  retryAfterMs?: number | undefined;
  /** OAuth `error` code from the response body (`oauth_error`). */
  oauthError?: string | undefined;
  /** OAuth `error_description` from the response body, scrubbed of the secret (`oauth_error`). */
  oauthErrorDescription?: string | undefined;
  /** The start of a non-OAuth error body, scrubbed and shortened (`http_error`, `invalid_response`). */
  bodySnippet?: string | undefined;
  /** The underlying error (a network failure, an exception from a caller's object), for debugging. */
  cause?: unknown;
}

const BRAND = Symbol.for("aspose-cells-cloud-auth.CellsAuthError");

/**
 * The one error class of this library. Holds no request, response, header or secret: logging
 * or serializing it cannot leak credentials.
 */
export class CellsAuthError extends Error {
  /** Always `"CellsAuthError"` (see `isCellsAuthError` for a check across copies of the package). */
  override readonly name = "CellsAuthError" as const;
  /** What went wrong, stable across versions: branch on this, never on the message. */
  readonly code: CellsAuthErrorCode;
  /** Whether trying again later may succeed. */
  readonly retryable: boolean;
  /** HTTP status of the token response, when there was one. */
  declare readonly status?: number;
  /** HTTP attempts made before giving up (0: none was made, see `retryAfterMs`). */
  declare readonly attempts?: number;
  /** How long to wait before the next attempt, in milliseconds (the server's `Retry-After`, or the cool-down left). */
  declare readonly retryAfterMs?: number;
  /** OAuth `error` code from the response body (`oauth_error`). */
  declare readonly oauthError?: string;
  /** OAuth `error_description` from the response body, scrubbed of the secret (`oauth_error`). */
  declare readonly oauthErrorDescription?: string;
  /** The start of a non-OAuth error body, scrubbed and shortened (`http_error`, `invalid_response`). */
  declare readonly bodySnippet?: string;

  constructor(code: CellsAuthErrorCode, message: string, details: CellsAuthErrorDetails = {}) {
    const { cause, retryable = false, ...fields } = details;
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.retryable = retryable;
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) Object.defineProperty(this, key, { value, enumerable: true });
    }
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** The fields of `error` that describe the failure (not `attempts` or `cause`), for a copy of it. */
function detailsOf(error: CellsAuthError): CellsAuthErrorDetails {
  const { retryable, status, retryAfterMs, oauthError, oauthErrorDescription, bodySnippet } = error;
  return { retryable, status, retryAfterMs, oauthError, oauthErrorDescription, bodySnippet };
}

/** The same error, carrying how many HTTP attempts were made. */
export function withAttempts(error: CellsAuthError, attempts: number): CellsAuthError {
  return copyOf(error, attempts, (error as { cause?: unknown }).cause);
}

/** The same error with another cause (a scrubbed copy of its own, say). */
export function withCause(error: CellsAuthError, cause: unknown): CellsAuthError {
  return copyOf(error, error.attempts, cause);
}

function copyOf(error: CellsAuthError, attempts: number | undefined, cause: unknown): CellsAuthError {
  const copy = new CellsAuthError(error.code, error.message, { ...detailsOf(error), attempts, cause });
  if (error.stack !== undefined) copy.stack = error.stack;
  return copy;
}

/**
 * The error of the last failed token request, for a caller that came while new requests wait:
 * no request was made for it (`attempts` 0), and `retryAfterMs` says when the next one may go.
 */
export function coolingDown(error: CellsAuthError, waitMs: number): CellsAuthError {
  const retryAfterMs = Math.ceil(waitMs);
  const message = `${error.message} (Not retried: the last token request failed; the next may go in ${retryAfterMs} ms.)`;
  return new CellsAuthError(error.code, message, { ...detailsOf(error), attempts: 0, retryAfterMs, cause: error });
}

/** A token with no life left when it arrived (`tookMs` after its request went out): retried like a timeout. */
export function arrivedExpired(tookMs: number, expiresIn: number): CellsAuthError {
  return new CellsAuthError("timeout", `The token arrived expired: its answer took ${Math.round(tookMs)} ms, its lifetime is ${expiresIn} s.`, { retryable: true });
}

/**
 * `error` if it is a `CellsAuthError`, else one wrapping it: whatever a caller's object did (a
 * getter or a signal that throws late), the library never hands out a raw error. The message
 * quotes nothing of it (its name is outside text too).
 */
export function toCellsAuthError(error: unknown): CellsAuthError {
  if (isCellsAuthError(error)) return error;
  return new CellsAuthError("invalid_config", "A value given to this library failed when used (see cause).", { cause: error });
}

/** True for a `CellsAuthError`, also one thrown by another copy of this package. */
export function isCellsAuthError(value: unknown): value is CellsAuthError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
