import type { IncomingMessage, ServerResponse } from "node:http";

/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * Checks the `cors` option: `true` allows every origin (`"*"`), a string allows that one origin
 * (`scheme://host[:port]`, as a browser sends it in `Origin`). Returns the value of
 * `Access-Control-Allow-Origin`, or undefined when CORS is off.
 */
export function resolveCors(value: unknown): string | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return "*";
  if (typeof value === "string" && originOf(value) === value) return value;
  throw new TypeError('options.cors must be true, false, or an origin such as "http://127.0.0.1:5173" (scheme, host and port only)');
}

function originOf(text: string): string | undefined {
  try {
    const origin = new URL(text).origin;
    return origin === "null" ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * Gives every answer the CORS headers a page needs to read it (`Retry-After` included), and answers
 * a preflight (`OPTIONS` with `Access-Control-Request-Method`) with 204, granting Private Network
 * Access only with `privateNetworkAccess`. Returns true when it answered a preflight, which then
 * needs nothing more.
 */
export function answerCors(req: IncomingMessage, res: ServerResponse, allowOrigin: string, privateNetworkAccess: boolean): boolean {
  res.setHeader("access-control-allow-origin", allowOrigin);
  if (allowOrigin !== "*") res.setHeader("vary", "Origin");
  res.setHeader("access-control-expose-headers", "Retry-After");
  const method = req.headers["access-control-request-method"];
  if (req.method !== "OPTIONS" || method === undefined) return false;
  res.setHeader("access-control-allow-methods", "GET, POST");
  const headers = req.headers["access-control-request-headers"];
  if (headers !== undefined) res.setHeader("access-control-allow-headers", headers);
  if (privateNetworkAccess && req.headers["access-control-request-private-network"] === "true") res.setHeader("access-control-allow-private-network", "true");
  res.setHeader("access-control-max-age", String(PREFLIGHT_MAX_AGE_SECONDS));
  res.writeHead(204);
  res.end();
  return true;
}
