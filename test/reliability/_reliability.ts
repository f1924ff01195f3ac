// Helpers of the reliability specs (outside the spec glob).
import { inspect } from "node:util";
import { canary } from "../_secret-spellings.js";

export { leakedSpellings } from "../_secret-spellings.js";

/** A secret that reads differently under every spelling a server may echo it in. */
export const CANARY_SECRET = canary("Rel");
export const CLIENT_ID = "reliability-client";

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
