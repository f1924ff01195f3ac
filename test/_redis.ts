// A real redis-server for the Redis store's specs (outside the spec glob): on a free loopback
// port, nothing written to disk, stoppable and restartable on the same port mid-test.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { INSTALL } from "../scripts/preflight.mjs";
import { closedPort } from "./_http.js";

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Stops the server (SIGKILL, as a crash would); the port stays ours to restart on. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty, and waits until it answers PING. */
  restart(): Promise<void>;
  /** Stops it for good. Safe to call more than once. */
  close(): Promise<void>;
}

const REDIS_SERVER = process.env.REDIS_SERVER ?? "redis-server";

/** Throws a clear message, with the install commands, when redis-server is missing (.ci/run installs it with apt). */
export function checkRedisInstalled(): void {
  const probe = spawnSync(REDIS_SERVER, ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    const { debian, macos } = INSTALL["redis-server"];
    throw new Error(`${REDIS_SERVER} is not installed: ${debian} (Debian/Ubuntu) or ${macos} (macOS); npm run preflight checks every prerequisite`);
  }
}

export async function startRedis(): Promise<RedisServer> {
  checkRedisInstalled();
  const port = await closedPort();
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    const started = spawn(REDIS_SERVER, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    });
    child = started;
    // A crashed test run must not leave servers behind.
    const reap = () => started.kill("SIGKILL");
    process.once("exit", reap);
    started.once("exit", () => process.off("exit", reap));
    const exited = new Promise<never>((_, reject) => started.once("exit", (code) => reject(new Error(`redis-server exited (${code}) on port ${port}`))));
    exited.catch(() => undefined);
    await Promise.race([waitForPong(port, 5_000), exited]);
  }

  async function stop(): Promise<void> {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGKILL");
    await exited;
  }

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    async restart() {
      await stop();
      await start();
    },
    close: stop,
  };
}


/** Sends PING until the answer is +PONG. */
async function waitForPong(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await ping(port)) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    let answer = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString("utf8");
      if (answer.includes("\r\n")) done(answer.startsWith("+PONG"));
    });
  });
}
