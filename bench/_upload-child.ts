// One upload in its own process, for bench/upload-memory.ts: allocates a body of N MiB, sends it
// with one of the clients to URL (a server that reads it all, then answers STATUS), and prints
// its resident memory: before the body, with the body, and the peak (getrusage's maxRSS).
// Usage: tsx bench/_upload-child.ts <fetch|fetch-init|authenticatedFetch|createCellsClient> <url> <MiB> [bytes|blob]
// (`fetch`: plain fetch of a Request, as authenticatedFetch gets it; `fetch-init`: fetch(url, { body })).
import { authenticatedFetch, createCellsClient, type AccessToken, type TokenClient } from "../src/index.js";

const [which, url, mib, kind = "bytes"] = process.argv.slice(2) as [string, string, string, string?];
const MiB = 2 ** 20;

/** A token client with a new token after each invalidate(), so that a 401 would be replayed: what is measured is the body, not tokens. */
let issued = 1;
const token = (): AccessToken => ({ accessToken: `bench-token-${issued}`, tokenType: "Bearer", expiresIn: 3600, expiresAt: Date.now() + 3_600_000 });
const tokens: TokenClient = {
  baseUrl: new URL(url).origin,
  getToken: async () => token(),
  getAuthorizationHeader: async () => `Bearer ${token().accessToken}`,
  invalidate: async () => {
    issued += 1;
  },
};

const before = process.memoryUsage().rss;
const bytes = new Uint8Array(Number(mib) * MiB).fill(0x61); // filled: every page resident
const body = (kind === "blob" ? new Blob([bytes]) : bytes) as BodyInit;
const withBody = process.memoryUsage().rss;

let status: number;
if (which === "fetch") {
  const response = await fetch(new Request(url, { method: "POST", body, headers: { "content-type": "application/octet-stream", authorization: "Bearer bench-token" } }));
  await response.text();
  status = response.status;
} else if (which === "fetch-init") {
  const response = await fetch(url, { method: "POST", body, headers: { "content-type": "application/octet-stream", authorization: "Bearer bench-token" } });
  await response.text();
  status = response.status;
} else if (which === "authenticatedFetch") {
  const send = authenticatedFetch(tokens, (request, init) => fetch(request, init));
  const response = await send(new Request(url, { method: "POST", body, headers: { "content-type": "application/octet-stream" } }));
  await response.text();
  status = response.status;
} else {
  const client = createCellsClient<Record<string, never>>({ tokens, baseUrl: new URL(url).origin, bodySerializer: (bytes: unknown) => bytes as BodyInit });
  const { response } = await (client as unknown as { POST(path: string, init: object): Promise<{ response: Response }> }).POST(new URL(url).pathname, {
    body,
    headers: { "content-type": "application/octet-stream" },
    parseAs: "text",
  });
  status = response.status;
}
process.stdout.write(`${JSON.stringify({ which, status, beforeMiB: before / MiB, withBodyMiB: withBody / MiB, peakMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
