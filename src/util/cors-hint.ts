/**
 * A page's fetch to another origin that does not allow the page's origin (CORS) fails just like a
 * host that cannot be reached: with a TypeError that says nothing more. So, in a page, a network
 * error's message says so; elsewhere (Node.js, Deno, Bun, workers) this is "".
 */
export function corsHint(url: string, error: unknown, pageOrigin: string | undefined = pageOriginHere()): string {
  let origin: string;
  try {
    if (pageOrigin === undefined || (error as { name?: unknown } | null)?.name !== "TypeError") return "";
    origin = new URL(url).origin;
  } catch {
    return "";
  }
  return origin === pageOrigin ? "" : ` In a browser, a request blocked by CORS fails the same way: check that ${origin} allows requests from ${pageOrigin}.`;
}

/** The origin of the page this runs in, or undefined outside a page. */
function pageOriginHere(): string | undefined {
  const here = globalThis as { document?: unknown; location?: { origin?: unknown } };
  return here.document !== undefined && typeof here.location?.origin === "string" ? here.location.origin : undefined;
}
