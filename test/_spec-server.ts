// A local HTTP server on 127.0.0.1 that serves upstream documents (a port nothing listens on: closedPort in _http.ts).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Route {
  readonly body: string;
  /** @default 200 */
  readonly status?: number;
  /** @default "application/json" */
  readonly type?: string;
}

export interface SpecServer {
  /** The URL of `path` on this server. */
  url(path: string): string;
  /** How many requests `path` received. */
  hits(path: string): number;
  close(): Promise<void>;
}

/** Serves `routes` (path -> response); any other path is a 404. */
export async function startSpecServer(routes: Readonly<Record<string, Route>>): Promise<SpecServer> {
  const counts = new Map<string, number>();
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const route = routes[path] ?? { status: 404, body: "Not Found", type: "text/plain" };
    response.writeHead(route.status ?? 200, { "content-type": route.type ?? "application/json" });
    response.end(route.body);
  });
  const port = await listen(server);
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    hits: (path) => counts.get(path) ?? 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}
