// Fleet: token requests for N processes (each with 100 concurrent getToken() on a cold start)
// with the default in-memory store (every process on its own), with the shared Redis store on one
// node, and on a Redis Cluster (3 masters + 3 replicas, node-redis cluster clients).
//   npx tsx bench/fleet.ts [--quick]     prints a table, writes bench/fleet-results.json
// Needs redis-server and redis-cli (apt-get install redis-server). The processes are
// test/_redis-worker.ts, the same as the Redis store's specs run; they all start their calls at
// once (a barrier).
import { writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createClient } from "redis";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startTokenServer } from "../src/testing/index.js";
import { startRedis } from "../test/_redis.js";
import { startRedisCluster } from "../test/_redis-cluster.js";
import { runFleet } from "../test/_redis-fleet.js";
import { median, type BenchOptions, type Measurement, type Row } from "./_stats.js";

const FLEET_SIZES = [1, 2, 4, 8, 16] as const;
/** Fleet sizes run on the cluster too, beside the single node. */
const CLUSTER_SIZES = [4, 8, 16] as const;
const CALLERS = 100;
/** A token endpoint round trip like api.aspose.cloud's (the emulator answers in ~1 ms). */
const RTT_MS = 50;

type Mode = "memory" | "redis" | "cluster";

export interface FleetCell {
  readonly processes: number;
  readonly mode: Mode;
  /** Token requests the emulator saw, per round. */
  readonly requests: number[];
  /** Time from the start signal until the slowest process had its token, per round (ms). */
  readonly fleetMs: number[];
  /** Distinct tokens across the fleet, per round. */
  readonly distinctTokens: number[];
  readonly failures: number;
  /** `store_error` events (a Redis call that failed or timed out: that process fetched on its own), by message, over all rounds. */
  readonly storeErrors: Record<string, number>;
}

export async function run({ quick }: BenchOptions): Promise<Measurement> {
  const rounds = quick ? 1 : 3;
  const redis = await startRedis();
  const cluster = await startRedisCluster();
  const emulator = await startTokenServer();
  const raw = createClient({ url: redis.url });
  raw.on("error", () => undefined);
  await raw.connect();
  emulator.inject({ kind: "delay", ms: RTT_MS }, { times: Infinity });
  const cells: FleetCell[] = [];
  try {
    for (const processes of FLEET_SIZES) {
      const modes: Mode[] = (CLUSTER_SIZES as readonly number[]).includes(processes) ? ["memory", "redis", "cluster"] : ["memory", "redis"];
      for (const mode of modes) {
        const cell: FleetCell = { processes, mode, requests: [], fleetMs: [], distinctTokens: [], failures: 0, storeErrors: {} };
        for (let round = 0; round < rounds; round++) {
          await raw.flushAll(); // a cold fleet: nothing shared yet
          await cluster.flushAll();
          const before = emulator.stats.tokenRequests;
          const results = await runFleet(processes, {
            baseUrl: emulator.baseUrl,
            clientId: DEFAULT_CLIENT_ID,
            clientSecret: DEFAULT_CLIENT_SECRET,
            callers: CALLERS,
            ...(mode === "redis" ? { redisUrl: redis.url } : {}),
            ...(mode === "cluster" ? { cluster: { rootNodes: [...cluster.rootNodes] } } : {}),
          });
          cell.requests.push(emulator.stats.tokenRequests - before);
          cell.fleetMs.push(Math.max(...results.map((result) => result.elapsedMs)));
          cell.distinctTokens.push(new Set(results.flatMap((result) => result.tokens)).size);
          (cell as { failures: number }).failures += results.reduce((sum, result) => sum + result.failures.length, 0);
          for (const event of results.flatMap((result) => result.events)) {
            if (event.type === "store_error") cell.storeErrors[event.message] = (cell.storeErrors[event.message] ?? 0) + 1;
          }
        }
        cells.push(cell);
        process.stderr.write(`fleet: ${processes} x ${mode}: requests ${cell.requests.join(",")}, ${median(cell.fleetMs)} ms${storeErrors(cell)}\n`);
      }
    }
  } finally {
    raw.destroy();
    await emulator.close();
    await redis.close();
    await cluster.close();
  }
  return { rows: rowsOf(cells), data: { callers: CALLERS, rttMs: RTT_MS, rounds, cells } };
}

/** The store errors of a cell, for a row's detail: why a fleet made more than one request. */
function storeErrors(cell: FleetCell): string {
  const entries = Object.entries(cell.storeErrors);
  return entries.length === 0 ? "" : `; store errors: ${entries.map(([message, count]) => `${count} x ${message}`).join("; ")}`;
}

function rowsOf(cells: readonly FleetCell[]): Row[] {
  const cell = (processes: number, mode: Mode) => cells.find((each) => each.processes === processes && each.mode === mode)!;
  const shares = (shared: FleetCell) => shared.requests.every((count) => count === 1) && shared.failures === 0 && shared.distinctTokens.every((count) => count === 1);
  const single = FLEET_SIZES.map((processes): Row => {
    const memory = cell(processes, "memory");
    const redis = cell(processes, "redis");
    const shared = Math.max(...redis.requests);
    return {
      id: `fleet-${processes}`,
      what: `Token requests, ${processes} process${processes > 1 ? "es" : ""} x ${CALLERS} callers, cold, shared Redis store (vs in-memory)`,
      result: `${shared} request${shared === 1 ? "" : "s"} (in-memory: ${Math.max(...memory.requests)})`,
      target: "1 request",
      met: shares(redis),
      detail:
        `median time to a token in every process: Redis ${median(redis.fleetMs)} ms, in-memory ${median(memory.fleetMs)} ms ` +
        `(token endpoint delayed ${RTT_MS} ms); distinct tokens: Redis ${Math.max(...redis.distinctTokens)}, in-memory ${Math.max(...memory.distinctTokens)}${storeErrors(redis)}`,
    };
  });
  const clustered = CLUSTER_SIZES.map((processes): Row => {
    const redis = cell(processes, "redis");
    const onCluster = cell(processes, "cluster");
    const shared = Math.max(...onCluster.requests);
    return {
      id: `fleet-cluster-${processes}`,
      what: `Token requests, ${processes} processes x ${CALLERS} callers, cold, Redis Cluster of 3 masters + 3 replicas with cluster clients (vs one Redis node)`,
      result: `${shared} request${shared === 1 ? "" : "s"} (one node: ${Math.max(...redis.requests)})`,
      target: "1 request",
      met: shares(onCluster),
      detail:
        `median time to a token in every process: cluster ${median(onCluster.fleetMs)} ms, one node ${median(redis.fleetMs)} ms ` +
        `(${(median(onCluster.fleetMs) / median(redis.fleetMs)).toFixed(2)}x; token endpoint delayed ${RTT_MS} ms); distinct tokens: cluster ${Math.max(...onCluster.distinctTokens)}; failures ${onCluster.failures}${storeErrors(onCluster)}`,
    };
  });
  return [...single, ...clustered];
}

function printTable(cells: readonly FleetCell[]): string {
  const of = (processes: number, mode: Mode) => cells.find((cell) => cell.processes === processes && cell.mode === mode);
  const requests = (cell: FleetCell | undefined) => (cell ? cell.requests.join(", ") : "-");
  const time = (cell: FleetCell | undefined) => (cell ? `${median(cell.fleetMs)} ms` : "-");
  const lines = [
    `| Processes x callers | Token requests, in-memory | Token requests, Redis | Token requests, Redis Cluster | Time to token, in-memory (median) | Time to token, Redis (median) | Time to token, Redis Cluster (median) |`,
    `| --- | --- | --- | --- | --- | --- | --- |`,
  ];
  for (const processes of FLEET_SIZES) {
    const [memory, redis, cluster] = [of(processes, "memory"), of(processes, "redis"), of(processes, "cluster")];
    lines.push(`| ${processes} x ${CALLERS} | ${requests(memory)} | ${requests(redis)} | ${requests(cluster)} | ${time(memory)} | ${time(redis)} | ${time(cluster)} |`);
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const startedAt = Date.now();
  const { rows, data } = await run({ quick });
  const cells = data["cells"] as FleetCell[];
  const output = { startedAt: new Date(startedAt).toISOString(), mode: quick ? "quick" : "full", node: process.version, seconds: (Date.now() - startedAt) / 1000, rows, data };
  writeFileSync(fileURLToPath(new URL("./fleet-results.json", import.meta.url)), `${JSON.stringify(output, null, 2)}\n`);
  process.stdout.write(`\n${printTable(cells)}\n\n(one column entry per round; ${CALLERS} concurrent getToken() per process, cold start, token endpoint delayed ${RTT_MS} ms)\n`);
  const missed = rows.filter((row) => row.met === false);
  process.stdout.write(`${missed.length === 0 ? "all fleets made 1 token request with the Redis store, on one node and on the cluster" : `${missed.length} fleet(s) made more than 1 request with the Redis store`}; wrote bench/fleet-results.json in ${output.seconds.toFixed(1)} s\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`fleet bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
