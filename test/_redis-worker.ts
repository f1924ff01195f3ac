// One process of a fleet (run by the Redis store's specs and bench/fleet.ts):
//   node --import tsx test/_redis-worker.ts '<WorkerConfig as JSON>'
// Prints JSON lines on stdout: {"type":"ready"}, then {"type":"event",...} per token event,
// then {"type":"done",...} once its store is closed (its writes are in Redis). With `barrier`,
// waits for a "go" line on stdin before its calls.
import { createHash } from "node:crypto";
import { createInterface } from "node:readline";
import { createTokenClient, type AccessToken, type TokenEvent } from "../src/index.js";
import { createRedisTokenStore, type RedisTokenStore, type RedisTokenStoreOptions } from "../src/redis/index.js";

export interface WorkerConfig {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Concurrent getToken() calls. */
  callers: number;
  /** Without it, the default in-memory store (each process on its own). */
  redisUrl?: string;
  store?: RedisTokenStoreOptions;
  barrier?: boolean;
}

export type WorkerMessage =
  | { type: "ready" }
  | { type: "event"; event: TokenEvent }
  | { type: "done"; tokens: string[]; failures: string[]; elapsedMs: number };

const send = (message: WorkerMessage) => process.stdout.write(`${JSON.stringify(message)}\n`);
const digest = (token: AccessToken) => createHash("sha256").update(token.accessToken).digest("hex").slice(0, 16);

const config = JSON.parse(process.argv[2] ?? "{}") as WorkerConfig;
const store: RedisTokenStore | undefined = config.redisUrl ? createRedisTokenStore({ url: config.redisUrl }, config.store) : undefined;
const deadline = Date.now() + 5_000;
while (store && !store.isReady && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));

const tokens = createTokenClient({
  clientId: config.clientId,
  clientSecret: config.clientSecret,
  baseUrl: config.baseUrl,
  ...(store ? { store } : {}),
  retry: { maxRetries: 0 },
  onEvent: (event) => send({ type: "event", event }),
});

send({ type: "ready" });
if (config.barrier) {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) if (line.trim() === "go") break;
  lines.close();
}

const started = performance.now();
const results = await Promise.allSettled(Array.from({ length: config.callers }, () => tokens.getToken()));
const elapsedMs = Math.round(performance.now() - started);
await store?.close();
send({
  type: "done",
  tokens: [...new Set(results.flatMap((result) => (result.status === "fulfilled" ? [digest(result.value)] : [])))],
  failures: results.flatMap((result) => (result.status === "rejected" ? [String((result.reason as Error).message)] : [])),
  elapsedMs,
});
process.stdin.destroy();
