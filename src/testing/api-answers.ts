import type { IncomingMessage, ServerResponse } from "node:http";
import { STATUS_CODES } from "node:http";
import { send, sendJson, writable } from "./http-util.js";
import type { SpecAnswer } from "./spec-backend.js";

/** API request bodies (uploads) over this size get 413. */
export const MAX_API_BODY_BYTES = 64 * 1024 * 1024;

/** Reads an API request's body up to {@link MAX_API_BODY_BYTES}; undefined when it is larger (the rest is drained). Rejects when the client goes away. */
export function readApiBody(req: IncomingMessage): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= MAX_API_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(bytes > MAX_API_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new Error("request aborted"));
    });
  });
}

/**
 * An error the way the Aspose.Cells Cloud API words one: `{ RequestId, Error: { Code, Message,
 * Description, DateTime } }`, `Message` naming the problem.
 */
export function sendAsposeError(res: ServerResponse, status: number, message: string, now: number, requestId: string): void {
  const code = (STATUS_CODES[status] ?? `Http${status}`).replace(/[^A-Za-z]/g, "");
  sendJson(res, status, {
    RequestId: requestId,
    Error: { Code: code, Message: message, Description: `Operation Failed. ${STATUS_CODES[status] ?? "Error"}.`, DateTime: new Date(now).toISOString() },
  });
}

/** Sends an answer the spec backend built. */
export function sendSpecAnswer(res: ServerResponse, answer: SpecAnswer): void {
  if (typeof answer.body === "string") {
    send(res, answer.status, answer.body, answer.headers);
    return;
  }
  if (!writable(res)) return;
  res.writeHead(answer.status, { ...answer.headers, "content-length": String(answer.body.byteLength) });
  res.end(answer.body);
}

/** A standard `Request` for a handler: the full URL, the headers and the body as received. */
export function toRequest(req: IncomingMessage, url: URL, body: Uint8Array): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD" && body.byteLength > 0;
  return new Request(url, { method, headers, ...(hasBody ? { body: body as Uint8Array<ArrayBuffer> } : {}) });
}

/** Sends a handler's `Response`: status, headers and body. */
export async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  const body = new Uint8Array(await response.arrayBuffer());
  if (!writable(res)) return;
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== "content-length" && name !== "transfer-encoding" && name !== "content-encoding") headers[name] = value;
  });
  res.writeHead(response.status, { ...headers, "content-length": String(body.byteLength) });
  res.end(body);
}
