import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { errorCode, PipelineError } from "./errors.js";
import { checkSize, MAX_DOCUMENT_BYTES } from "./parse-document.js";

/** How long a download may take, headers and body together. */
const FETCH_TIMEOUT_MS = 30_000;

/** Where an upstream document comes from: an http(s) URL or a local file. */
export type DocumentSource =
  | { readonly kind: "url"; readonly url: URL; readonly given: string }
  | { readonly kind: "file"; readonly file: string; readonly given: string };

/** The raw bytes of an upstream document. */
export interface FetchedDocument {
  readonly source: DocumentSource;
  readonly bytes: Uint8Array;
  /** Hex SHA-256 of `bytes`. */
  readonly sha256: string;
}

/**
 * Interprets `given` as an http(s) or file URL, or else as a file path relative to `baseDir`.
 * @param given the URL or path as the user wrote it (recorded as is in the provenance)
 * @param baseDir folder that relative file paths are relative to
 */
export function resolveSource(given: string, baseDir: string): DocumentSource {
  if (/^https?:\/\//i.test(given)) return { kind: "url", url: new URL(given), given };
  if (/^file:\/\//i.test(given)) return { kind: "file", file: fileURLToPath(given), given };
  return { kind: "file", file: path.resolve(baseDir, given), given };
}

/** A key that is equal for two sources naming the same document. */
export function sourceKey(source: DocumentSource): string {
  return source.kind === "url" ? source.url.href : source.file;
}

/**
 * Downloads (or reads) an upstream document.
 * @param source where to get it from
 * @param timeoutMs limit for the whole download, {@link FETCH_TIMEOUT_MS} by default
 * @throws {PipelineError} `UNREACHABLE` (host and error code), `HTTP_STATUS` (status and URL), `UNREADABLE` (file),
 *   `TOO_LARGE` (over {@link MAX_DOCUMENT_BYTES}, noticed before it is all read)
 */
export async function fetchDocument(source: DocumentSource, timeoutMs: number = FETCH_TIMEOUT_MS): Promise<FetchedDocument> {
  const bytes = source.kind === "url" ? await download(source.url, timeoutMs) : await readLocal(source);
  return { source, bytes, sha256: createHash("sha256").update(bytes).digest("hex") };
}

async function readLocal(source: DocumentSource & { kind: "file" }): Promise<Uint8Array> {
  const unreadable = (error: unknown): PipelineError =>
    new PipelineError("UNREADABLE", `cannot read ${source.given}: ${errorCode(error) ?? (error as Error).message}`, { cause: error });
  const handle = await open(source.file).catch((error: unknown) => {
    throw unreadable(error);
  });
  try {
    const { size } = await handle.stat().catch((error: unknown) => {
      throw unreadable(error);
    });
    checkSize(size, source.given);
    return await handle.readFile().catch((error: unknown) => {
      throw unreadable(error);
    });
  } finally {
    await handle.close();
  }
}

async function download(url: URL, timeoutMs: number): Promise<Uint8Array> {
  const unreachable = (error: unknown): PipelineError =>
    new PipelineError("UNREACHABLE", `cannot reach host ${url.host} (${networkReason(error, timeoutMs)}) fetching ${url.href}`, {
      cause: error,
    });
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: "application/json, application/yaml;q=0.9, */*;q=0.5" },
    });
  } catch (error) {
    throw unreachable(error);
  }
  if (!response.ok) {
    await response.body?.cancel();
    const status = `${response.status} ${response.statusText}`.trim();
    throw new PipelineError("HTTP_STATUS", `HTTP ${status} from ${url.href}`);
  }
  const declared = Number(response.headers.get("content-length") ?? 0);
  if (declared > MAX_DOCUMENT_BYTES) {
    await response.body?.cancel();
    checkSize(declared, url.href);
  }
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const reader = response.body?.getReader();
  try {
    for (let read = await reader?.read(); read !== undefined && !read.done; read = await reader?.read()) {
      bytes += read.value.byteLength;
      if (bytes > MAX_DOCUMENT_BYTES) {
        await reader?.cancel();
        break;
      }
      chunks.push(read.value);
    }
  } catch (error) {
    throw unreachable(error);
  }
  checkSize(bytes, url.href);
  return Buffer.concat(chunks);
}

/** `ECONNREFUSED`, `ENOTFOUND`, "timed out after 30000 ms", ... out of what `fetch` threw. */
function networkReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === "TimeoutError") return `timed out after ${timeoutMs} ms`;
  const cause = error instanceof Error ? error.cause : undefined;
  const nested = cause instanceof AggregateError ? cause.errors[0] : undefined;
  return errorCode(cause) ?? errorCode(nested) ?? (cause instanceof Error ? cause.message : String(error));
}
