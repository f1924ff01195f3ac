import { createHash } from "node:crypto";
import { sample } from "openapi-sampler";
import { isJsonObject, type JsonObject } from "../pipeline/json.js";
import { isJsonMediaType, type SpecRequest } from "./check-request.js";
import { deref, type Operation } from "./operations.js";

/** An answer to send: status, headers, body. */
export interface SpecAnswer {
  /** The HTTP status: the operation's lowest 2xx response, or 200 when it has only `default`. */
  readonly status: number;
  /** The response headers (`content-type` among them when there is a body). */
  readonly headers: Readonly<Record<string, string>>;
  /** Text (JSON) or bytes (a file download); empty for a response without content. */
  readonly body: string | Uint8Array;
}

/** Size of the bytes sent for a file download. */
const FILE_BYTES = 1024;

/**
 * The success answer of an operation: its lowest 2xx response (else `default`), with the first
 * JSON media type's example, or else a value sampled from its schema by openapi-sampler (the same
 * for every request, valid against the schema). A binary schema, or a media type that is neither
 * JSON nor text, gets bytes that depend only on the request (method, path and query).
 */
export function answer(operation: Operation, request: SpecRequest): SpecAnswer {
  const codes = Object.keys(operation.responses).filter((code) => /^2\d\d$/.test(code)).sort();
  const code = codes[0] ?? ("default" in operation.responses ? "default" : undefined);
  const status = code === undefined || code === "default" ? 200 : Number(code);
  const response = deref(operation.document, code === undefined ? undefined : operation.responses[code]);
  const content = isJsonObject(response) && isJsonObject(response.content) ? response.content : {};
  const types = Object.keys(content);
  const mediaType = types.find(isJsonMediaType) ?? types[0];
  if (mediaType === undefined) return { status, headers: {}, body: "" };
  const media = isJsonObject(content[mediaType]) ? (content[mediaType] as JsonObject) : {};
  const schema = deref(operation.document, media.schema);
  if (isBinary(schema) || !(isJsonMediaType(mediaType) || mediaType.startsWith("text/"))) {
    const type = isJsonMediaType(mediaType) ? "application/octet-stream" : mediaType;
    return { status, headers: { "content-type": type }, body: fileBytes(request) };
  }
  const value = exampleOf(operation.document, media) ?? sample(isJsonObject(schema) ? schema : {}, { skipWriteOnly: true, enablePatterns: true, quiet: true }, operation.document);
  if (!isJsonMediaType(mediaType)) return { status, headers: { "content-type": `${mediaType}; charset=utf-8` }, body: typeof value === "string" ? value : JSON.stringify(value) };
  return { status, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(value) };
}

function isBinary(schema: unknown): boolean {
  return isJsonObject(schema) && schema.type === "string" && schema.format === "binary";
}

function exampleOf(document: JsonObject, media: JsonObject): unknown {
  if (media.example !== undefined) return media.example;
  const examples = isJsonObject(media.examples) ? Object.values(media.examples) : [];
  const first = deref(document, examples[0]);
  return isJsonObject(first) ? first.value : undefined;
}

/** Bytes derived from the request only: the same request gets the same file. */
function fileBytes(request: SpecRequest): Uint8Array {
  const query = [...request.query].sort(([a], [b]) => a.localeCompare(b));
  const seed = `${request.method.toUpperCase()} ${request.path}?${new URLSearchParams(query).toString()}`;
  const bytes = new Uint8Array(FILE_BYTES);
  let block = createHash("sha256").update(seed).digest();
  for (let offset = 0; offset < FILE_BYTES; offset += block.length) {
    bytes.set(block.subarray(0, Math.min(block.length, FILE_BYTES - offset)), offset);
    block = createHash("sha256").update(block).digest();
  }
  return bytes;
}
