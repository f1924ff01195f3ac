// A tiny HTTP proxy in front of the emulator that rewrites one path. The official Node SDK asks
// for its token at `{baseUrl}/connect/token` (the older global endpoint), while the emulator,
// like the Cells API, serves `/v4.0/cells/connect/token`; every other request passes unchanged.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface PathProxy {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** How many requests had their path rewritten. */
  readonly rewritten: number;
  close(): Promise<void>;
}

export async function startPathProxy(targetOrigin: string, from: string, to: string): Promise<PathProxy> {
  const target = new URL(targetOrigin);
  const agent = new http.Agent({ keepAlive: true });
  const sockets = new Set<Socket>();
  let rewritten = 0;
  const server = http.createServer((req, res) => {
    let path = req.url ?? "/";
    if (path === from || path.startsWith(`${from}?`)) {
      path = to + path.slice(from.length);
      rewritten += 1;
    }
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get rewritten() {
      return rewritten;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        agent.destroy();
      }),
  };
}
