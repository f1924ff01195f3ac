import { DEFAULTS } from "../defaults.js";

/**
 * Can this request be sent a second time? Always without a body. With a body, only when the
 * runtime shows it was made from a string, bytes, a form or a blob (what the Fetch standard calls
 * a body with a source: JSON and form bodies from openapi-fetch are) of a known size up to
 * `maxBytes` (a replay needs a copy made before sending: none is made of a larger body); a
 * one-shot stream never is. Node's fetch (undici) shows the source and its size; where a runtime
 * does not, a body is not replayed.
 */
export function canReplay(request: Request, maxBytes: number = DEFAULTS.maxReplayBodyBytes): boolean {
  if (request.body === null) return true;
  for (const symbol of Object.getOwnPropertySymbols(request)) {
    const body = ((request as unknown as Record<symbol, unknown>)[symbol] as { body?: { source?: unknown; length?: unknown } } | null)?.body;
    if (body && typeof body === "object" && "source" in body) {
      return body.source !== null && body.source !== undefined && typeof body.length === "number" && body.length <= maxBytes;
    }
  }
  return false;
}
