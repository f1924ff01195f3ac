// Runs a pipeline script as a real child process from the repository root, as npm runs it, with
// the scripts compiled by esbuild (the compiler tsx runs) once per test process: see _compiled.ts.
import { execFile } from "node:child_process";
import path from "node:path";
import { compiledFile } from "./_compiled.js";
import { repoRoot } from "./_spec-workspace.js";

/**
 * Time given to a test or hook that starts a toolchain (tsx, the TypeScript compiler, OpenAPI
 * Generator's Java, Prism), sized for a busy 2-core machine: a liveness guard, never a speed check.
 */
export const TOOLCHAIN_TIMEOUT_MS = 300_000;

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `scripts/<script>` with `args` from the repository root, with `env` added to this process's. Asynchronous on purpose: the
 * local HTTP server the script talks to runs in this process.
 */
export function runScript(script: string, args: readonly string[], env: Record<string, string> = {}): Promise<RunResult> {
  const compiled = compiledFile(path.join(repoRoot, "scripts", script));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [compiled, ...args],
      { cwd: repoRoot, env: { ...process.env, NO_COLOR: "1", ...env } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The non-empty lines of a stream. */
export function lines(text: string): string[] {
  return text.split("\n").filter((line) => line.trim() !== "");
}
