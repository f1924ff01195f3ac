/** Stable codes for the failures the spec pipeline expects and reports in one line. */
export type PipelineErrorCode =
  | "USAGE"
  | "CONFIG"
  | "UNREADABLE"
  | "UNREACHABLE"
  | "HTTP_STATUS"
  | "TOO_LARGE"
  | "NOT_PARSEABLE"
  | "HOSTILE_DOCUMENT"
  | "NOT_OPENAPI"
  | "CONVERSION_FAILED"
  | "TAG_NOT_FOUND"
  | "OVERLAY_INVALID"
  | "OVERLAY_TARGET_MISSING"
  | "INVALID_RESULT"
  | "TOOL_FAILED"
  | "NO_JAVA"
  | "UNWRITABLE"
  | "STALE";

/**
 * An expected pipeline failure. The CLI prints `message` as one line, without a stack trace, and
 * exits 2 for `USAGE` and 1 for everything else. Tests assert on `code`, not on the message text.
 */
export class PipelineError extends Error {
  override readonly name = "PipelineError";
  readonly code: PipelineErrorCode;

  /**
   * @param code stable identifier of the failure
   * @param message one line naming the cause
   * @param options `cause` is kept for debugging, never printed
   */
  constructor(code: PipelineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message.replace(/\s+/g, " ").trim(), options);
    this.code = code;
  }
}

/** Cross-realm guard: true for a `PipelineError`, even from another copy of this module. */
export function isPipelineError(value: unknown): value is PipelineError {
  return value instanceof Error && value.name === "PipelineError" && typeof (value as { code?: unknown }).code === "string";
}

/** The `code` of a Node.js system error (`ENOENT`, `ECONNREFUSED`, ...), if there is one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}
