// `npm run bench [-- --quick] [-- --only <id>[,<id>]]`: runs every measurement in turn, writes
// bench/results.json and prints the results table (Markdown, as BENCHMARKS.md shows it).
import { writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import type { BenchOptions, Measurement, Row } from "./_stats.js";
import * as apiThroughput from "./api-throughput.js";
import * as bundleSize from "./bundle-size.js";
import * as coldStampede from "./cold-stampede.js";
import * as coldStart from "./cold-start.js";
import * as fleet from "./fleet.js";
import * as officialSdk from "./official-sdk.js";
import * as scrubber from "./scrubber.js";
import * as uploadMemory from "./upload-memory.js";
import * as warmGetToken from "./warm-get-token.js";

const MEASUREMENTS: Record<string, (options: BenchOptions) => Promise<Measurement>> = {
  "warm-get-token": warmGetToken.run,
  "cold-stampede": coldStampede.run,
  "api-throughput": apiThroughput.run,
  "official-sdk": officialSdk.run,
  "cold-start": coldStart.run,
  "bundle-size": bundleSize.run,
  fleet: fleet.run,
  scrubber: scrubber.run,
  "upload-memory": uploadMemory.run,
};

function parseArgs(argv: readonly string[]): { quick: boolean; only: string[] } {
  const quick = argv.includes("--quick");
  const at = argv.indexOf("--only");
  const only = at >= 0 ? (argv[at + 1] ?? "").split(",").filter(Boolean) : Object.keys(MEASUREMENTS);
  const unknown = only.filter((name) => !(name in MEASUREMENTS));
  if (unknown.length > 0) throw new Error(`unknown measurement ${unknown.join(", ")}; known: ${Object.keys(MEASUREMENTS).join(", ")}`);
  return { quick, only };
}

function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}

const escape = (text: string) => text.replace(/\|/g, "\\|");

function table(rows: readonly Row[]): string {
  const status = (row: Row) => (row.met === undefined ? "-" : row.met ? "met" : "**missed**");
  const lines = [
    "| Measurement | Result | Target | Status | Detail |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map((row) => `| ${escape(row.what)} | ${escape(row.result)} | ${escape(row.target)} | ${status(row)} | ${escape(row.detail)} |`),
  ];
  return lines.join("\n");
}

async function main(): Promise<void> {
  const { quick, only } = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const results: { id: string; seconds: number; rows: readonly Row[]; data: Record<string, unknown> }[] = [];
  for (const id of only) {
    process.stderr.write(`bench: ${id}...`);
    const start = performance.now();
    const { rows, data } = await MEASUREMENTS[id]!({ quick });
    const seconds = (performance.now() - start) / 1000;
    process.stderr.write(` ${seconds.toFixed(1)} s\n`);
    results.push({ id, seconds, rows, data });
  }
  const rows = results.flatMap((result) => result.rows);
  const command = `npm run bench${quick ? " -- --quick" : ""}`;
  const output = {
    startedAt: startedAt.toISOString(),
    mode: quick ? "quick" : "full",
    command,
    machine: machine(),
    totalSeconds: (Date.now() - startedAt.getTime()) / 1000,
    rows,
    measurements: results,
  };
  const file = fileURLToPath(new URL("./results.json", import.meta.url));
  writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
  const m = output.machine;
  process.stdout.write(`\n${table(rows)}\n\n`);
  process.stdout.write(`${command}: ${output.totalSeconds.toFixed(1)} s on Node ${m["node"]}, ${m["cores"]} x ${m["cpu"]}; wrote bench/results.json\n`);
  const missed = rows.filter((row) => row.met === false).length;
  if (missed > 0) process.stdout.write(`${missed} target(s) missed: see the Detail column.\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
