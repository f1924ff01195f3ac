import { secretRedactor } from "./redact.js";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * Holds the client secret so that nothing but the request body can read it by accident:
 * `String()`, `JSON.stringify` and `util.inspect` all show "[REDACTED]".
 */
export class Secret {
  readonly #value: string;
  #redact: ((text: string) => string) | undefined;

  constructor(value: string) {
    this.#value = value;
  }

  /**
   * The secret itself; called in exactly two places: where the token request body is built, and
   * where the at-rest encryption key is derived from it (HKDF, `token-cipher.ts`).
   */
  reveal(): string {
    return this.#value;
  }

  /** `text` with every echo of the secret redacted (see `redactSecrets`): for text the library did not write. */
  redact(text: string): string {
    this.#redact ??= secretRedactor([this.#value]);
    return this.#redact(text);
  }

  toString(): string {
    return "[REDACTED]";
  }

  toJSON(): string {
    return "[REDACTED]";
  }

  [INSPECT](): string {
    return "[REDACTED]";
  }
}
