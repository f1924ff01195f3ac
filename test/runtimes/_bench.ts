// What a runtime under test talks to, all in this Node process on 127.0.0.1: the emulator
// (the package's testing kit) and a small control server beside it. The control server gives the
// conformance script the emulator's counters (GET /stats) and revokes a token (POST /revoke); for
// the browser it also serves the page, its bundles and fetch-style routes (the README's backend).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { startTokenServer, type TokenServer } from "../../src/testing/index.js";

export type Route = (request: Request) => Promise<Response>;

export interface BenchOptions {
  /** The emulator's cors option (the browser's page is on another port, so another origin). */
  cors?: boolean;
  /** Static files by path, e.g. "/index.html": [content type, body]. */
  files?: Record<string, readonly [string, string]>;
  /** Fetch-style handlers by path. */
  routes?: Record<string, Route>;
}

export interface Bench {
  readonly server: TokenServer;
  /** The control server's origin with a trailing slash: `http://127.0.0.1:<port>/`. */
  readonly control: string;
  close(): Promise<void>;
}

const MAX_CONTROL_BODY = 64 * 1024;

async function readText(req: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > MAX_CONTROL_BODY) throw new Error("control request body too large");
  }
  return text;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));
}

async function answerRoute(route: Route, req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
  const body = req.method === "GET" || req.method === "HEAD" ? undefined : await readText(req);
  const headers = Object.entries(req.headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)] as [string, string]]));
  const response = await route(new Request(new URL(req.url ?? "/", origin), { method: req.method ?? "GET", headers, body: body ?? null }));
  res.writeHead(response.status, Object.fromEntries(response.headers)).end(Buffer.from(await response.arrayBuffer()));
}

async function handle(bench: { server: TokenServer; origin: string }, options: BenchOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? "/", bench.origin).pathname;
  if (path === "/stats" && req.method === "GET") return sendJson(res, 200, bench.server.stats);
  if (path === "/revoke" && req.method === "POST") {
    const { token } = JSON.parse(await readText(req)) as { token?: unknown };
    if (typeof token !== "string") return sendJson(res, 400, { error: "token must be a string" });
    return sendJson(res, 200, { revoked: bench.server.revoke(token) });
  }
  const route = options.routes?.[path];
  if (route !== undefined) return answerRoute(route, req, res, bench.origin);
  const file = options.files?.[path];
  if (file !== undefined && req.method === "GET") {
    res.writeHead(200, { "content-type": file[0], "cache-control": "no-store" }).end(file[1]);
    return;
  }
  sendJson(res, 404, { error: `no ${req.method} ${path}` });
}

/** Starts the emulator and the control server; `close()` stops both. */
export async function startBench(options: BenchOptions = {}): Promise<Bench> {
  const server = await startTokenServer({ cors: options.cors ?? false });
  const http = createServer();
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen({ port: 0, host: "127.0.0.1" }, resolve);
  });
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  http.on("request", (req: IncomingMessage, res: ServerResponse) => {
    handle({ server, origin }, options, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  });
  return {
    server,
    control: `${origin}/`,
    async close() {
      http.closeAllConnections();
      await Promise.all([new Promise((resolve) => http.close(resolve)), server.close()]);
    },
  };
}
