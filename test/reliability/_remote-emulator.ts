// The emulator in a child process (see _emulator-process.ts), for the runs on real time (the soak's
// real-time smoke, bench/api-throughput.ts). In-process, the server shares one event loop with the
// callers under test: with hundreds of concurrent connections, loopback round trips then reach
// seconds on a small machine (measured with bare fetch). Its own process keeps transit times those
// of a server, and the client's cost apart from the server's.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Fault, TokenServerOptions, TokenServerStats } from "../../src/testing/index.js";
import { compiledFile } from "../_compiled.js";

export interface RemoteEmulator {
  readonly baseUrl: string;
  stats(): Promise<TokenServerStats>;
  /** Gives the next `times` token requests this fault. @default times 1 */
  inject(fault: Fault, times?: number): Promise<void>;
  /** Revokes every token issued so far; resolves with how many that newly revoked. */
  revokeAll(): Promise<number>;
  close(): Promise<void>;
}

export async function startRemoteEmulator(options: Omit<TokenServerOptions, "now"> = {}): Promise<RemoteEmulator> {
  // Compiled once per process (_compiled.ts), run without tsx's loader.
  const child = fork(compiledFile(fileURLToPath(new URL("./_emulator-process.ts", import.meta.url))), [], {
    execArgv: [],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  child.on("message", ({ id, result }: { id: number; result: unknown }) => {
    pending.get(id)?.resolve(result);
    pending.delete(id);
  });
  child.on("exit", (code) => {
    for (const { reject } of pending.values()) reject(new Error(`the emulator process exited (${code})`));
    pending.clear();
  });
  const reply = (id: number) => new Promise<unknown>((resolve, reject) => pending.set(id, { resolve, reject }));
  const call = (command: Record<string, unknown>): Promise<unknown> => {
    const id = nextId++;
    const answer = reply(id);
    child.send({ id, ...command });
    return answer;
  };
  const ready = reply(0);
  child.send(options);
  const { baseUrl } = (await ready) as { baseUrl: string };
  return {
    baseUrl,
    stats: async () => (await call({ op: "stats" })) as TokenServerStats,
    inject: async (fault, times = 1) => void (await call({ op: "inject", fault, times })),
    revokeAll: async () => (await call({ op: "revokeAll" })) as number,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      await call({ op: "close" }).catch(() => undefined);
      await exited;
    },
  };
}
