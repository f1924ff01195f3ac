// One process of a fleet (run by the Redis store's specs and bench/fleet.ts):
//   node --import tsx test/_redis-worker.ts '<WorkerConfig as JSON>'
// Prints JSON lines on stdout: {"type":"ready"}, then {"type":"event",...} per token event,
// then {"type":"done",...} once its store is closed (its writes are in Redis). With `barrier`,
// waits for a "go" line on stdin before its calls. With `rounds`, it instead answers each
// "round N" line on stdin with {"type":"round",...} (a cold token client on a store of its own
// key prefix, `callers` concurrent getToken()), until a "quit" line.
import { createHash } from "node:crypto";
import { createInterface } from "node:readline";
import { createClient, createCluster, createSentinel } from "redis";
import { createTokenClient, type AccessToken, type TokenEvent } from "../src/index.js";
import { createRedisTokenStore, type RedisTokenStore, type RedisTokenStoreOptions } from "../src/redis/index.js";

export interface WorkerConfig {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Concurrent getToken() calls. */
  callers: number;
  /** Without one of these three, the default in-memory store (each process on its own). */
  redisUrl?: string;
  /** A Redis Cluster, through a node-redis cluster client (`createCluster`). */
  cluster?: { rootNodes: Array<{ url: string }> };
  /** A master watched by Sentinel, through a node-redis Sentinel client (`createSentinel`). */
  sentinel?: { name: string; sentinelRootNodes: Array<{ host: string; port: number }> };
  store?: RedisTokenStoreOptions;
  barrier?: boolean;
  /** This process's wall clock is this far ahead of the real one (the token client's `now`). */
  clockOffsetMs?: number;
  /** Instead of one burst of calls: `callers` calls every `everyMs` for `durationMs`. */
  run?: { durationMs: number; everyMs: number };
  /** Answer "round N" lines (see above) instead of making calls of its own. */
  rounds?: boolean;
}

export interface RoundReport {
  type: "round";
  round: number;
  /** The longest getToken() of the round, ms. */
  longestMs: number;
  tokens: string[];
  failures: string[];
}

export type WorkerMessage =
  | { type: "ready" }
  | { type: "event"; event: TokenEvent }
  | RoundReport
  | { type: "done"; tokens: string[]; failures: string[]; elapsedMs: number };

const send = (message: WorkerMessage) => process.stdout.write(`${JSON.stringify(message)}\n`);
const digest = (token: AccessToken) => createHash("sha256").update(token.accessToken).digest("hex").slice(0, 16);

const config = JSON.parse(process.argv[2] ?? "{}") as WorkerConfig;
const offset = config.clockOffsetMs ?? 0;
const now = () => Date.now() + offset;

/** A node-redis client of the kind asked for, connected; the store is given it (not a URL) when there is one. */
async function connectClient() {
  const reconnectStrategy = (retries: number) => Math.min(50 * 2 ** retries, 1_000);
  const client = config.cluster
    ? createCluster({ rootNodes: config.cluster.rootNodes, defaults: { socket: { reconnectStrategy } } })
    : config.sentinel
      ? createSentinel({ name: config.sentinel.name, sentinelRootNodes: config.sentinel.sentinelRootNodes })
      : config.rounds && config.redisUrl
        ? createClient({ url: config.redisUrl, socket: { reconnectStrategy } })
        : undefined;
  if (!client) return undefined;
  client.on("error", () => undefined); // failures reach the store's calls; a failover makes plenty
  await client.connect();
  return client;
}

const redis = await connectClient();
const makeStore = (keyPrefix?: string): RedisTokenStore | undefined => {
  const options = { ...config.store, ...(keyPrefix === undefined ? {} : { keyPrefix }) };
  if (redis) return createRedisTokenStore({ client: redis }, options);
  return config.redisUrl ? createRedisTokenStore({ url: config.redisUrl }, options) : undefined;
};
const makeClient = (store: RedisTokenStore | undefined) =>
  createTokenClient({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    baseUrl: config.baseUrl,
    ...(store ? { store } : {}),
    ...(offset ? { now } : {}),
    retry: { maxRetries: 0 },
    onEvent: (event) => send({ type: "event", event }),
  });

/** `count` concurrent getToken(): the distinct tokens, the failures, and the longest call. */
async function burst(tokens: ReturnType<typeof makeClient>, count: number) {
  const timed = Array.from({ length: count }, async () => {
    const started = performance.now();
    try {
      return { token: digest(await tokens.getToken()), ms: performance.now() - started };
    } catch (error) {
      return { failure: String((error as Error).message), ms: performance.now() - started };
    }
  });
  const results = await Promise.all(timed);
  return {
    tokens: [...new Set(results.flatMap((result) => ("token" in result ? [result.token!] : [])))],
    failures: results.flatMap((result) => ("failure" in result ? [result.failure!] : [])),
    longestMs: Math.round(Math.max(...results.map((result) => result.ms))),
  };
}

const lines = createInterface({ input: process.stdin });

if (config.rounds) {
  send({ type: "ready" });
  for await (const line of lines) {
    const [command, argument] = line.trim().split(" ");
    if (command === "quit") break;
    if (command !== "round") continue;
    const round = Number(argument);
    const store = makeStore(`r${round}:`); // a cold fleet each round: nothing shared yet under this prefix
    const result = await burst(makeClient(store), config.callers);
    await store?.close();
    send({ type: "round", round, ...result });
  }
  lines.close();
  await (redis as { destroy(): unknown } | undefined)?.destroy();
  process.stdin.destroy();
} else {
  const store = makeStore();
  const deadline = Date.now() + 5_000;
  while (store && !store.isReady && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  const tokens = makeClient(store);

  send({ type: "ready" });
  if (config.barrier) {
    for await (const line of lines) if (line.trim() === "go") break;
  }
  lines.close();

  const started = performance.now();
  const seen = new Set<string>();
  const failures: string[] = [];
  const end = started + (config.run?.durationMs ?? 0);
  do {
    const result = await burst(tokens, config.callers);
    result.tokens.forEach((token) => seen.add(token));
    failures.push(...result.failures);
    if (config.run) await new Promise((resolve) => setTimeout(resolve, config.run!.everyMs));
  } while (performance.now() < end);
  const elapsedMs = Math.round(performance.now() - started);
  await store?.close();
  await (redis as { destroy(): unknown } | undefined)?.destroy();
  send({ type: "done", tokens: [...seen], failures, elapsedMs });
  process.stdin.destroy();
}
