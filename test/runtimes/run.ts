// npm run test:runtimes: the conformance script (test/runtimes/conformance) in Node 18.7 (the
// floor of engines), 18, 20, 22 and 24, Bun, Deno, workerd (plain, and with nodejs_compat) and
// Chromium, each against its own emulator on 127.0.0.1; Node also runs the Redis store's check
// against a real redis-server. `npm run test:runtimes -- --only NAME` runs the runtimes whose name
// contains NAME; `-- --tarball FILE` installs that packed tarball instead of building and packing
// (the release workflow checks the tarball it then publishes). Prints every check, then a table (runtime, version, checks passed, time), and last
// `checks: N passed, N failed` (a runtime that could not run counts as one failed); exits 1 unless
// every runtime is green.
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "../../src/testing/index.js";
import { startRedis, type RedisServer } from "../_redis.js";
import { startBench } from "./_bench.js";
import { runChromium } from "./_chromium.js";
import { prepareConsumer } from "./_consumer.js";
import { runProcess, type ProcessRun } from "./_process.js";
import { formatTable, isGreen, missingRow, type Row } from "./_report.js";
import { bunBinary, CACHE, denoBinary, ensureTools, nodeBinary, nodeLabels, type Binary } from "./_tools.js";
import { runWorkerd } from "./_workerd.js";

const credentials = { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET };

/** The environment of a runtime under test: none of this process's loaders or ASPOSE_CLOUD_ variables. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([name]) => !name.startsWith("ASPOSE_CLOUD_") && name !== "NODE_OPTIONS" && !name.startsWith("TSX_"));
  return { ...Object.fromEntries(kept), NO_COLOR: "1", ...extra };
}

/** Runs `script` of the consumer project with the config of a fresh emulator. */
async function runScript(runtime: string, binary: Binary, consumer: string, toArgs: (config: string) => string[], extra: object = {}, env?: NodeJS.ProcessEnv): Promise<Row> {
  if ("missing" in binary) return missingRow(runtime, binary.missing);
  const bench = await startBench();
  try {
    const config = JSON.stringify({ ...credentials, baseUrl: bench.server.baseUrl, control: bench.control, ...extra });
    const run: ProcessRun = { runtime, command: binary.path, args: toArgs(config), cwd: consumer, env: env ?? cleanEnv() };
    return await runProcess(run);
  } finally {
    await bench.close();
  }
}

/** One row for a runtime that ran two programs: the checks of both, the time of both. */
function joinRows(first: Row, second: Row): Row {
  const problem = [first.problem, second.problem].filter(Boolean).join("; ");
  return {
    runtime: first.runtime,
    version: first.version,
    passed: first.passed + second.passed,
    total: first.total + second.total,
    ms: first.ms + second.ms,
    lines: [...first.lines, ...second.lines],
    ...(problem === "" ? {} : { problem }),
  };
}

async function nodeRow(label: string, consumer: string, redis: RedisServer): Promise<Row> {
  const node = nodeBinary(label);
  const conformance = await runScript(`node ${label}`, node, consumer, (config) => ["cli.mjs", config]);
  const store = await runScript(`node ${label}`, node, consumer, (config) => ["redis.mjs", config], { redisUrl: redis.url });
  return joinRows(conformance, store);
}

/** The runtimes, in the order of the table; each gets its own emulator. */
async function runners(consumer: string, redis: RedisServer): Promise<Array<[string, () => Promise<Row>]>> {
  const deno = ["run", "--no-prompt", "--no-lock", "--allow-net=127.0.0.1", `--allow-read=${consumer}`, "cli.mjs"];
  const denoEnv = cleanEnv({ DENO_DIR: join(CACHE, "deno"), DENO_NO_UPDATE_CHECK: "1" });
  const worker = (runtime: string, nodejsCompat: boolean) => async () => {
    const bench = await startBench();
    try {
      return await runWorkerd(runtime, consumer, { ...credentials, baseUrl: bench.server.baseUrl, control: bench.control }, nodejsCompat);
    } finally {
      await bench.close();
    }
  };
  return [
    ...(await nodeLabels()).map((label): [string, () => Promise<Row>] => [`node ${label}`, () => nodeRow(label, consumer, redis)]),
    ["bun", () => runScript("bun", bunBinary(), consumer, (config) => ["cli.mjs", config])],
    ["deno", () => runScript("deno", denoBinary(), consumer, (config) => [...deno, config], {}, denoEnv)],
    ["workerd", worker("workerd", false)],
    ["workerd nodejs_compat", worker("workerd nodejs_compat", true)],
    ["chromium", () => runChromium("chromium", consumer, credentials)],
  ];
}

async function main(): Promise<number> {
  const { only, tarball } = parseArgs({ options: { only: { type: "string" }, tarball: { type: "string" } } }).values;
  const started = performance.now();
  const tools = await ensureTools();
  const consumer = await prepareConsumer(tarball === undefined ? undefined : resolve(tarball));
  const what = tarball === undefined ? "package packed" : `${tarball} copied`;
  console.log(`tools: ${tools} (${CACHE}); ${what} and installed into ${consumer} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const redis = await startRedis();
  const rows: Row[] = [];
  try {
    const all = await runners(consumer, redis);
    const selected = all.filter(([runtime]) => only === undefined || runtime.includes(only));
    if (selected.length === 0) throw new Error(`--only ${only} matches none of: ${all.map(([runtime]) => runtime).join(", ")}`);
    for (const [, run] of selected) rows.push(await run());
  } finally {
    await redis.close();
  }

  for (const row of rows) {
    console.log(`\n${row.runtime} ${row.version}`);
    for (const line of row.lines) console.log(`  ${line}`);
    if (row.problem !== undefined) console.log(`  PROBLEM ${row.problem}`);
  }
  console.log(`\n${formatTable(rows)}\n`);
  const green = rows.filter(isGreen).length;
  const passed = rows.reduce((sum, row) => sum + row.passed, 0);
  // A red row counts at least one failure, even when it ran no check (no binary, a crash).
  const failed = rows.reduce((sum, row) => sum + Math.max(row.total - row.passed, isGreen(row) ? 0 : 1), 0);
  console.log(`runtimes: ${green} green, ${rows.length - green} red (${((performance.now() - started) / 1000).toFixed(1)} s in all)`);
  console.log(`checks: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
