// Runs test/_redis-worker.ts processes and reads what they report (for the Redis store's specs
// and bench/fleet.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { TokenEvent } from "../src/index.js";
import { compiledFile } from "./_compiled.js";
import type { WorkerConfig, WorkerMessage } from "./_redis-worker.js";

const WORKER = fileURLToPath(new URL("./_redis-worker.ts", import.meta.url));

export type WorkerResult = Extract<WorkerMessage, { type: "done" }>;

export interface Worker {
  readonly child: ChildProcess;
  readonly events: TokenEvent[];
  /** Resolves when the worker has its store connected and waits (with `barrier`) for go(). */
  readonly ready: Promise<void>;
  /** Resolves with the worker's report; rejects if it exits without one. */
  readonly done: Promise<WorkerResult>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** Resolves when an event matching `predicate` has been reported. */
  eventSeen(predicate: (event: TokenEvent) => boolean): Promise<TokenEvent>;
  go(): void;
  kill(): void;
}

export function startWorker(config: WorkerConfig): Worker {
  // The worker compiled once per process (_compiled.ts): tsx's loader would cost each worker more CPU time than its work.
  const child = spawn(process.execPath, [compiledFile(WORKER), JSON.stringify(config)], { stdio: ["pipe", "pipe", "pipe"] });
  const events: TokenEvent[] = [];
  const watchers: Array<{ predicate: (event: TokenEvent) => boolean; resolve: (event: TokenEvent) => void }> = [];
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  let onReady: () => void = () => undefined;
  const signalled = new Promise<void>((resolve) => (onReady = resolve));
  const done = new Promise<WorkerResult>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      let message: WorkerMessage;
      try {
        message = JSON.parse(line) as WorkerMessage;
      } catch {
        return;
      }
      if (message.type === "ready") onReady();
      else if (message.type === "done") resolve(message);
      else {
        events.push(message.event);
        for (const watcher of [...watchers]) {
          if (watcher.predicate(message.event)) {
            watchers.splice(watchers.indexOf(watcher), 1);
            watcher.resolve(message.event);
          }
        }
      }
    });
    child.once("exit", (code, signal) => reject(new Error(`worker exited (${signal ?? code}) without a report${stderr ? `: ${stderr.slice(0, 2000)}` : ""}`)));
  });
  done.catch(() => undefined);
  const ready = Promise.race([signalled, done.then(() => undefined)]);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  reapOnExit(child);
  return {
    child,
    events,
    ready,
    done,
    exited,
    eventSeen(predicate) {
      const seen = events.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => watchers.push({ predicate, resolve }));
    },
    go() {
      child.stdin?.write("go\n");
    },
    kill() {
      child.kill("SIGKILL");
    },
  };
}

/** Starts `count` workers, waits until all are ready, then lets them all go at once. */
export async function runFleet(count: number, config: WorkerConfig): Promise<WorkerResult[]> {
  const workers = Array.from({ length: count }, () => startWorker({ ...config, barrier: true }));
  await Promise.all(workers.map((worker) => worker.ready));
  for (const worker of workers) worker.go();
  const results = await Promise.all(workers.map((worker) => worker.done));
  await Promise.all(workers.map((worker) => worker.exited));
  return results;
}

// A crashed test run must not leave workers behind (one process listener for all of them).
const running = new Set<ChildProcess>();
process.once("exit", () => running.forEach((child) => child.kill("SIGKILL")));

function reapOnExit(child: ChildProcess): void {
  running.add(child);
  child.once("exit", () => running.delete(child));
}
