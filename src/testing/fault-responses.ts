import { STATUS_CODES, type ServerResponse } from "node:http";
import type { HtmlFault, MalformedFault, OversizedFault, StatusFault } from "./faults.js";
import { DEFAULT_OVERSIZED_BYTES } from "./faults.js";
import { errorCodeFor, lowerCaseNames, send, sendJson, writable } from "./http-util.js";

/** Answers a `status` fault: its body (string as is, object as JSON) or a default OAuth-style error. */
export function serveStatusFault(res: ServerResponse, fault: StatusFault): void {
  const headers = lowerCaseNames(fault.headers ?? {});
  if (fault.body === undefined) {
    const description = STATUS_CODES[fault.status] ?? `HTTP ${fault.status}`;
    sendJson(res, fault.status, { error: errorCodeFor(fault.status), error_description: description }, headers);
  } else if (typeof fault.body === "string") {
    send(res, fault.status, fault.body, { "content-type": "text/plain; charset=utf-8", ...headers });
  } else {
    sendJson(res, fault.status, fault.body, headers);
  }
}

/** Answers an `html` fault with the kind of page a proxy in front of the API sends. */
export function serveHtmlFault(res: ServerResponse, fault: HtmlFault): void {
  const status = fault.status ?? 502;
  const title = `${status} ${STATUS_CODES[status] ?? "Error"}`;
  const page =
    `<!DOCTYPE html>\n<html>\n<head><title>${title}</title></head>\n<body>\n` +
    `<center><h1>${title}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n`;
  send(res, status, page, { "content-type": "text/html; charset=utf-8" });
}

/** Answers a `malformed` fault: 200 JSON that stops in the middle of a string. */
export function serveMalformedFault(res: ServerResponse, _fault: MalformedFault, token: string): void {
  send(res, 200, `{"access_token":"${token}","token_type":"Bea`, { "content-type": "application/json; charset=utf-8" });
}

const CHUNK_BYTES = 64 * 1024;

/** Resolves when the response can take more data, or when it closed. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/**
 * Answers an `oversized` fault: a valid JSON token response of exactly `bytes` bytes, padded with
 * a long string field, streamed in chunks with backpressure. Stops when the client goes away.
 */
export async function serveOversizedFault(
  res: ServerResponse,
  fault: OversizedFault,
  token: string,
  lifetimeSeconds: number,
): Promise<void> {
  const bytes = fault.bytes ?? DEFAULT_OVERSIZED_BYTES;
  const head = `{"access_token":"${token}","token_type":"Bearer","expires_in":${lifetimeSeconds},"padding":"`;
  const tail = `"}`;
  let padding = bytes - Buffer.byteLength(head) - Buffer.byteLength(tail);
  if (padding < 0) throw new RangeError("the oversized body is too small for its token");
  if (!writable(res)) return;
  res.writeHead(200, {
    "content-type": "application/json; charset=utf-8",
    ...(fault.declareLength === true ? { "content-length": String(bytes) } : {}),
  });
  let ok = res.write(head);
  const chunk = "x".repeat(CHUNK_BYTES);
  while (padding > 0) {
    if (!writable(res)) return;
    if (!ok) await drained(res);
    if (!writable(res)) return;
    const size = Math.min(padding, CHUNK_BYTES);
    ok = res.write(size === CHUNK_BYTES ? chunk : chunk.slice(0, size));
    padding -= size;
  }
  if (writable(res)) res.end(tail);
}
