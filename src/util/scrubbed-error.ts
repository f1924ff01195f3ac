import { isCellsAuthError, toCellsAuthError, withCause, type CellsAuthError } from "../errors.js";

/** Redacts the secrets from a text (`Secret.redact`, or `redactSecrets` bound to a list). */
export type Redact = (text: string) => string;

/** How many causes deep a copy goes. */
const MAX_DEPTH = 4;

/** Marks a copy made here: it is handed on as it is, never scrubbed twice (a cool-down rethrows one error to every caller). */
const SCRUBBED = Symbol("scrubbed");

/**
 * A copy of a thrown value, for a `cause`: an error's name, message, code and stack (and its
 * cause, four deep), each with the secrets redacted; a string, redacted; a number or a boolean as
 * it is. Nothing else is copied (an object may hold anything). A `CellsAuthError` keeps its own
 * message (the library wrote it) with its cause copied the same way.
 */
export function scrubbedCopy(value: unknown, redact: Redact, depth = 0): unknown {
  if (typeof value !== "object" && typeof value !== "function") return typeof value === "string" || typeof value === "symbol" ? redact(String(value)) : value;
  if (value === null) return value;
  const copy = new Error();
  Object.defineProperty(copy, SCRUBBED, { value: true });
  try {
    if (SCRUBBED in value) return value;
    if (isCellsAuthError(value)) return withScrubbedCause(value, redact, depth);
    const { name, message, code, stack, cause } = value as { name?: unknown; message?: unknown; code?: unknown; stack?: unknown; cause?: unknown };
    const text = (field: unknown) => redact(typeof field === "string" || typeof field === "number" ? String(field) : "");
    copy.message = text(message);
    if (typeof name === "string") Object.defineProperty(copy, "name", { value: text(name), configurable: true, writable: true });
    copy.stack = typeof stack === "string" ? text(stack) : `${copy.name}: ${copy.message}`;
    if (code !== undefined) Object.defineProperty(copy, "code", { value: text(code), enumerable: true, configurable: true, writable: true });
    if (cause !== undefined && depth < MAX_DEPTH) Object.defineProperty(copy, "cause", { value: scrubbedCopy(cause, redact, depth + 1), configurable: true, writable: true });
  } catch {
    copy.message = "(a thrown value that could not be read)";
    copy.stack = `Error: ${copy.message}`;
  }
  return copy;
}

/** `error`, or a copy of it whose cause is a scrubbed copy (see `scrubbedCopy`) when it has one. */
export function withScrubbedCause(error: CellsAuthError, redact: Redact, depth = 0): CellsAuthError {
  const { cause } = error as { cause?: unknown };
  const copy = depth < MAX_DEPTH ? scrubbedCopy(cause, redact, depth + 1) : undefined;
  return copy === cause ? error : withCause(error, copy);
}

/** `toCellsAuthError`'s counterpart where the secret is known: any error as a `CellsAuthError` whose causes are scrubbed. */
export function scrubbedError(error: unknown, redact: Redact): CellsAuthError {
  return withScrubbedCause(toCellsAuthError(error), redact);
}
