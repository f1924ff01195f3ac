// Runs Stoplight Prism (`prism mock --errors`) on a spec, for test/contract-prism.test.ts.
import { spawn } from "node:child_process";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const LISTENING = /Prism is listening on (http:\/\/\S+)/;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

export interface PrismServer {
  /** `http://127.0.0.1:PORT`, as Prism reports it. */
  readonly origin: string;
  /** Prism's process id. */
  readonly pid: number;
  /** Everything Prism printed so far (its request log), for diagnostics. */
  output(): string;
  /** Stops Prism and waits until the process has exited. Safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Starts `prism mock <spec> --host 127.0.0.1 --port 0 --errors` (Prism picks a free port and prints
 * it) and resolves once it listens, or rejects after `startupMs` (a liveness guard sized for a busy
 * machine) with what it printed.
 */
export async function startPrism(specPath: string, startupMs = 120_000): Promise<PrismServer> {
  // The bin's real file, run by this Node: no PATH or shell involved.
  const bin = realpathSync(`${ROOT}node_modules/.bin/prism`);
  const child = spawn(process.execPath, [bin, "mock", specPath, "--host", "127.0.0.1", "--port", "0", "--errors"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // If the test run dies before close(), do not leave Prism running.
  const killOnExit = (): void => void child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const close = async (): Promise<void> => {
    process.off("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    const origin = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Prism did not start within ${startupMs} ms:\n${output}`)), startupMs);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString("utf8").replace(ANSI, "");
        if (output.length > 1_000_000) output = output.slice(-500_000);
        const match = LISTENING.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`Prism exited (${signal ?? code}) before listening:\n${output}`));
      });
    });
    return { origin, pid: child.pid ?? -1, output: () => output, close };
  } catch (error) {
    await close();
    throw error;
  }
}
