// Cloudflare's workerd, through miniflare: the conformance Worker is bundled the way wrangler
// bundles a user's Worker (esbuild, resolving the package through its `exports` with the worker
// conditions), then run in workerd by drivers/workerd.mjs under the pinned Node 24.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { missingRow, rowFromResults, type CheckResult, type Row } from "./_report.js";
import { nodeBinary, ROOT, toolModule, toolVersion } from "./_tools.js";

const run = promisify(execFile);
const DRIVER = join(ROOT, "test", "runtimes", "drivers", "workerd.mjs");
const RUN_LIMIT_MS = 180_000;

/** Bundles a Worker entry of the consumer project into one ES module; returns its path. */
async function bundleWorker(consumer: string, entry: string): Promise<string> {
  const outfile = join(consumer, entry.replace(/\.mjs$/, ".bundle.mjs"));
  await build({
    absWorkingDir: consumer,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["node:util"],
    logLevel: "error",
  });
  return outfile;
}

/**
 * Runs the conformance Worker: with no compatibility flags (no Node globals at all), or with
 * `nodejs_compat` (what many Workers turn on), which also gives the check node:util's inspect.
 */
export async function runWorkerd(runtime: string, consumer: string, config: object, nodejsCompat: boolean): Promise<Row> {
  const node = nodeBinary("24");
  if ("missing" in node) return missingRow(runtime, `miniflare needs Node 22+: ${node.missing}`);
  const started = performance.now();
  const script = await bundleWorker(consumer, nodejsCompat ? "worker-nodejs-compat.mjs" : "worker.mjs");
  const flags = nodejsCompat ? ["nodejs_compat"] : [];
  const input = { miniflare: toolModule("miniflare"), workerd: toolModule("workerd"), script, flags, config };
  const version = await toolVersion("workerd");
  let output: string;
  try {
    ({ stdout: output } = await run(node.path, [DRIVER, JSON.stringify(input)], { timeout: RUN_LIMIT_MS, killSignal: "SIGKILL", maxBuffer: 16 * 1024 * 1024 }));
  } catch (error) {
    const { stderr = "", message } = error as { stderr?: string; message: string };
    return { ...missingRow(runtime, `the driver failed: ${(stderr.trim().split("\n").slice(-5).join("\n") || message)}`), version };
  }
  const ms = performance.now() - started;
  const answer = JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as { status: number; body: string };
  if (answer.status !== 200) return { ...missingRow(runtime, `the Worker answered ${answer.status}: ${answer.body.slice(0, 500)}`), version, ms };
  const { results, total } = JSON.parse(answer.body) as { results: CheckResult[]; total: number };
  return rowFromResults(runtime, version, results, total, ms);
}
