// Helpers of the reliability specs (outside the spec glob).
import { inspect } from "node:util";

/** A secret with characters that URL and form encoding change, so that every spelling is checked. */
export const CANARY_SECRET = "Rel-Canary/s3cr3t+&=%q7";
export const CLIENT_ID = "reliability-client";

/** The raw, percent-encoded and form-encoded spellings of a secret. */
export function spellings(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)])];
}

/** Everything a user could print of a value: inspect (hidden fields too), JSON, and each message, stack and cause. */
export function everythingPrintable(value: unknown): string {
  const parts: string[] = [inspect(value, { depth: Infinity, showHidden: true }), safeJson(value)];
  for (let current: unknown = value, depth = 0; current && depth < 10; depth++) {
    const { message, stack, cause } = current as { message?: unknown; stack?: unknown; cause?: unknown };
    parts.push(String(message), String(stack), String(current));
    current = cause;
  }
  return parts.join("\n");
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "";
  }
}

/** The spellings of `secrets` that occur in `text` (none, for the tests to pass). */
export function leakedSpellings(text: string, secrets: readonly string[]): string[] {
  return secrets.flatMap(spellings).filter((spelling) => text.includes(spelling));
}

/** Records unhandled rejections while installed; the specs assert that none happened. */
export function watchUnhandledRejections(): { readonly reasons: unknown[]; dispose(): void } {
  const reasons: unknown[] = [];
  const listener = (reason: unknown) => {
    reasons.push(reason);
  };
  process.on("unhandledRejection", listener);
  return { reasons, dispose: () => process.off("unhandledRejection", listener) };
}

/** Lets pending callbacks, timers and a turn of I/O run (unhandled rejections are reported after a tick). */
export function drain(ms = 10): Promise<void> {
  return new Promise((resolve) => setTimeout(() => setImmediate(resolve), ms));
}
