// A scripted HTTP server on 127.0.0.1 for the token client's tests: each test says exactly
// how the token endpoint answers, and sees exactly what the client sent.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (request: SeenRequest, response: ServerResponse, index: number) => void | Promise<void>;

export interface ScriptedServer {
  /** `http://127.0.0.1:PORT/v4.0` */
  baseUrl: string;
  origin: string;
  requests: SeenRequest[];
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export async function startScriptedServer(handler: Handler = tokenHandler()): Promise<ScriptedServer> {
  let current = handler;
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const seen = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(seen);
      Promise.resolve(current(seen, res, requests.length - 1)).catch((error: unknown) => {
        res.statusCode = 599;
        res.end(String(error));
      });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `${origin}/v4.0`,
    origin,
    requests,
    handle(next) {
      current = next;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

/** Answers every request with a new token `token-<n>` of the given lifetime. */
export function tokenHandler(expiresIn = 3600, delayMs = 0): Handler {
  return (_request, res, index) => {
    const answer = () => sendJson(res, 200, { access_token: `token-${index + 1}`, token_type: "Bearer", expires_in: expiresIn });
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2026, 0, 1)) {
  let time = start;
  return {
    now: () => time,
    advance(ms: number) {
      time += ms;
    },
    set(ms: number) {
      time = ms;
    },
  };
}

/** The error `fn` throws; fails the test when it does not throw. */
export function thrownBy(fn: () => unknown): Record<string, unknown> & Error {
  try {
    fn();
  } catch (error) {
    return error as Record<string, unknown> & Error;
  }
  throw new Error("expected a throw");
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
