/**
 * Can this request be sent a second time? Always without a body. With a body, only when the
 * runtime shows it was made from a string, bytes, a form or a blob (what the Fetch standard calls
 * a body with a source: JSON and form bodies from openapi-fetch are); a one-shot stream never
 * is. Node's fetch (undici) shows the source; where a runtime does not, a body is not replayed.
 */
export function canReplay(request: Request): boolean {
  if (request.body === null) return true;
  for (const symbol of Object.getOwnPropertySymbols(request)) {
    const body = ((request as unknown as Record<symbol, unknown>)[symbol] as { body?: { source?: unknown } } | null)?.body;
    if (body && typeof body === "object" && "source" in body) return body.source !== null && body.source !== undefined;
  }
  return false;
}
