import type { Readable } from "node:stream";
import { abortedError } from "../util/signals.js";
import { UsageError } from "./args.js";

/** More than any client secret; stops `--client-secret-stdin < big-file` early. */
const MAX_SECRET_BYTES = 4096;

/**
 * Reads all of standard input as the client secret and removes one trailing newline (`\n` or
 * `\r\n`). Empty or oversized input is a usage error. The secret itself is never in a message.
 */
export async function readSecret(stdin: Readable, signal?: AbortSignal): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const onAbort = () => stdin.destroy();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for await (const chunk of stdin) {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : (chunk as Buffer);
      size += buffer.length;
      if (size > MAX_SECRET_BYTES) {
        throw new UsageError(`--client-secret-stdin: standard input is longer than ${MAX_SECRET_BYTES} bytes; it should hold the client secret only.`);
      }
      chunks.push(buffer);
    }
  } catch (error) {
    if (signal?.aborted) throw abortedError();
    throw error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  const secret = text.endsWith("\r\n") ? text.slice(0, -2) : text.endsWith("\n") ? text.slice(0, -1) : text;
  if (secret === "") throw new UsageError("--client-secret-stdin: standard input is empty; pipe the client secret into it.");
  return secret;
}
