import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";

/** Token request bodies over this size get 413. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Beyond this the connection is dropped instead of read to the end for a clean 413. */
const DRAIN_LIMIT_BYTES = 8 * 1024 * 1024;

export interface ReadBody {
  /** The body, or undefined when it was over `MAX_BODY_BYTES`. */
  readonly text: string | undefined;
  readonly bytes: number;
}

/**
 * Reads the request body up to `MAX_BODY_BYTES`; a larger one is drained (so the client can read
 * the 413) up to a hard limit, then the connection is destroyed. Rejects when the client goes away.
 */
export function readBody(req: IncomingMessage): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (bytes > DRAIN_LIMIT_BYTES) req.destroy();
    });
    req.on("end", () => {
      resolve({ text: bytes > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString("utf8"), bytes });
    });
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new Error("request aborted"));
    });
  });
}

/** Whether the response can still be written to. */
export function writable(res: ServerResponse): boolean {
  return !res.destroyed && !res.writableEnded;
}

/** Header names in lower case, so a caller's `Content-Type` replaces a default `content-type`. */
export function lowerCaseNames(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** Sends `body` as JSON with the status and extra headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  send(res, status, JSON.stringify(body), { "content-type": "application/json; charset=utf-8", ...lowerCaseNames(headers) });
}

/** Sends a complete response with a Content-Length. */
export function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (!writable(res)) return;
  const payload = Buffer.from(body, "utf8");
  res.writeHead(status, { ...lowerCaseNames(headers), "content-length": String(payload.length) });
  res.end(payload);
}

/** The OAuth-style error code used for a status when a fault gives no body. */
export function errorCodeFor(status: number): string {
  if (status === 400) return "invalid_request";
  if (status === 401) return "invalid_client";
  if (status === 503) return "temporarily_unavailable";
  if (status >= 500) return "server_error";
  return (STATUS_CODES[status] ?? `http_${status}`).toLowerCase().replace(/[^a-z0-9]+/g, "_");
}

/** `{error, error_description}` as the token endpoint answers. */
export function sendOAuthError(
  res: ServerResponse,
  status: number,
  error: string,
  description: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  sendJson(res, status, { error, error_description: description }, { "cache-control": "no-store", ...lowerCaseNames(headers) });
}
