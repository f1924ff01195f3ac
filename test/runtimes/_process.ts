// Runs a conformance program in a runtime that is a command (Node, Bun, Deno).
import { spawn } from "node:child_process";
import { rowFromOutput, type Row } from "./_report.js";

/** A runtime that does not finish in this long is stopped and its row is red. */
const RUN_LIMIT_MS = 180_000;

export interface ProcessRun {
  readonly runtime: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
}

export async function runProcess({ runtime, command, args, cwd, env }: ProcessRun): Promise<Row> {
  const started = performance.now();
  const child = spawn(command, args, { cwd, env: env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), RUN_LIMIT_MS);
  const code = await new Promise<number | null>((resolve) => {
    child.once("error", (error) => {
      stderr += String(error);
      resolve(null);
    });
    child.once("close", (exitCode) => resolve(exitCode));
  });
  clearTimeout(timer);
  return rowFromOutput(runtime, { code, stdout, stderr }, performance.now() - started);
}
