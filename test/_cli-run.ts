// Runs the real aspose-cells-token process for test/cli.test.ts: the built bin, dist/cli.js, as the
// package ships it (built once per test run, and again only when src/ changed: _dist.ts). A spawn
// of the built bin takes a fifth of the CPU time of one through tsx.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ensureBuilt } from "./_dist.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliRunOptions {
  /** Extra environment; the parent's ASPOSE_CLOUD_* variables are never inherited. */
  env?: Record<string, string>;
  /** Written to the process's standard input, which is then closed (closed at once without it). */
  stdin?: string;
  /** The process is killed after this long (a test liveness guard). @default 10000 */
  killAfterMs?: number;
  /** Close the read end of the process's standard output at once, as `| head -c0` does. */
  closeStdout?: boolean;
  /** Called with the child process once it is spawned (to send it a signal). */
  onSpawn?: (child: ChildProcess) => void;
}

/** Spawns `node dist/cli.js ...args` in the repository root and collects its output. */
export async function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliResult> {
  await ensureBuilt();
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith("ASPOSE_CLOUD_")) env[name] = value;
  }
  Object.assign(env, options.env);
  const startedAt = Date.now();
  const child = spawn(process.execPath, ["dist/cli.js", ...args], {
    cwd: ROOT,
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  if (options.closeStdout) child.stdout.destroy();
  else child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdin.on("error", () => {}); // the CLI may exit without reading its input
  child.stdin.end(options.stdin ?? "");
  options.onSpawn?.(child);
  const guard = setTimeout(() => child.kill("SIGKILL"), options.killAfterMs ?? 10_000);
  return new Promise((resolve, reject) => {
    child.once("error", (error) => {
      clearTimeout(guard);
      reject(error);
    });
    child.once("close", (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - startedAt });
    });
  });
}
