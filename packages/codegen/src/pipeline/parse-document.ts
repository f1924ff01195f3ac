import { parse as parseYaml } from "yaml";
import { PipelineError } from "./errors.js";
import { isJsonObject, type JsonObject } from "./json.js";

/** The largest document the pipeline reads: the published spec is a few MiB. */
export const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

/** How deep a document may nest; real OpenAPI documents stay well under 100 levels. */
export const MAX_DOCUMENT_DEPTH = 512;

/** YAML aliases a document may use; more is the "billion laughs" expansion, not a spec. */
const MAX_ALIASES = 10_000;

/**
 * Parses a downloaded document as JSON, or else as YAML.
 * @param bytes the document as downloaded
 * @param label how to name the document in messages (its URL or path)
 * @throws {PipelineError} `TOO_LARGE`, `NOT_PARSEABLE` when it is neither or is a bare scalar or
 *   list, `HOSTILE_DOCUMENT` when it nests too deep or refers to itself
 */
export function parseDocument(bytes: Uint8Array, label: string): JsonObject {
  checkSize(bytes.byteLength, label);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw new PipelineError("NOT_PARSEABLE", `${label} is not JSON or YAML (not UTF-8 text)`, { cause: error });
  }
  return parseDocumentText(text, label);
}

/**
 * Parses a document's text as JSON, or else as YAML, and checks that the result is a tree a
 * program can walk: no deeper than {@link MAX_DOCUMENT_DEPTH}, and without a cycle (a YAML alias
 * inside the node it names).
 * @param text the document
 * @param label how to name the document in messages (its URL or path)
 * @throws {PipelineError} `NOT_PARSEABLE` when it is neither JSON nor YAML, or is a bare scalar or
 *   list; `HOSTILE_DOCUMENT` when it nests too deep or refers to itself
 */
export function parseDocumentText(text: string, label: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    try {
      value = parseYaml(text, { maxAliasCount: MAX_ALIASES });
    } catch (error) {
      if (isStackOverflow(error) || /call stack/i.test((error as Error).message)) throw tooDeep(label, error);
      const reason = (error as Error).message.split("\n")[0]?.replace(/:$/, "");
      throw new PipelineError("NOT_PARSEABLE", `${label} is not JSON or YAML (${reason})`, { cause: error });
    }
  }
  if (!isJsonObject(value)) {
    const kind = value === null ? "nothing" : Array.isArray(value) ? "a list" : `a bare ${typeof value}`;
    throw new PipelineError("NOT_PARSEABLE", `${label} is not JSON or YAML (it parses to ${kind})`);
  }
  checkTree(value, label);
  return value;
}

/**
 * @throws {PipelineError} `TOO_LARGE` when a document of `bytes` bytes is over {@link MAX_DOCUMENT_BYTES}
 */
export function checkSize(bytes: number, label: string): void {
  if (bytes > MAX_DOCUMENT_BYTES) {
    throw new PipelineError("TOO_LARGE", `${label} is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB (${bytes} bytes): not an OpenAPI document this tool reads`);
  }
}

/** True for the `RangeError` V8 throws when recursion runs out of stack. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/** The one-line failure for a document too deep (or too recursive) to process. */
export function tooDeep(label: string, cause?: unknown): PipelineError {
  return new PipelineError("HOSTILE_DOCUMENT", `${label} nests deeper than ${MAX_DOCUMENT_DEPTH} levels: not an OpenAPI document this tool reads`, { cause });
}

/** Walks the parsed value without recursion: refuses a cycle and a depth over the limit. */
function checkTree(root: JsonObject, label: string): void {
  const onPath = new Set<object>();
  const stack: { node: object; depth: number; leaving: boolean; at: string }[] = [{ node: root, depth: 1, leaving: false, at: "" }];
  while (stack.length > 0) {
    const frame = stack.pop() as (typeof stack)[number];
    if (frame.leaving) {
      onPath.delete(frame.node);
      continue;
    }
    if (frame.depth > MAX_DOCUMENT_DEPTH) throw tooDeep(label);
    onPath.add(frame.node);
    stack.push({ ...frame, leaving: true });
    for (const [key, child] of Object.entries(frame.node)) {
      if (typeof child !== "object" || child === null) continue;
      const at = `${frame.at}/${key}`;
      if (onPath.has(child)) {
        throw new PipelineError("HOSTILE_DOCUMENT", `${label} refers to itself (a recursive YAML alias at ${at}): not an OpenAPI document this tool reads`);
      }
      stack.push({ node: child, depth: frame.depth + 1, leaving: false, at });
    }
  }
}
