const BRAND = Symbol.for("aspose-cells-cloud-auth.RedisTokenStoreError");

/** Stable codes of `RedisTokenStoreError`. */
export type RedisTokenStoreErrorCode =
  /** Not connected (never yet, or reconnecting): the call was not sent. */
  | "unavailable"
  /** No answer within `commandTimeoutMs`. */
  | "timeout"
  /** Redis answered with an error, or the client failed. */
  | "command";

/**
 * A failure of the Redis token store. The token client never throws it: it turns it into a
 * `store_error` event and fetches on its own. `onError` receives it. Holds no secret, no token and
 * no Redis URL (which may hold a Redis password).
 */
export class RedisTokenStoreError extends Error {
  /** Always `"RedisTokenStoreError"` (see `isRedisTokenStoreError` for a check across copies of the package). */
  override readonly name = "RedisTokenStoreError" as const;
  /** What went wrong, stable across versions. */
  readonly code: RedisTokenStoreErrorCode;

  constructor(code: RedisTokenStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** True for a `RedisTokenStoreError`, also one from another copy of this package. */
export function isRedisTokenStoreError(value: unknown): value is RedisTokenStoreError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
