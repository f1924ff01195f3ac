// Runs test/_redis-worker.ts processes and reads what they report (for the Redis store's specs
// and bench/fleet.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { TokenEvent } from "../src/index.js";
import { compiledFile } from "./_compiled.js";
import type { RoundReport, WorkerConfig, WorkerMessage } from "./_redis-worker.js";

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
  /** With `rounds`: runs round `round` (a cold token client, `callers` calls) and resolves with its report. */
  round(round: number): Promise<RoundReport>;
  /** With `rounds`: ends the worker (it closes its client and exits). */
  quit(): void;
  kill(): void;
}

export function startWorker(config: WorkerConfig): Worker {
  // The worker compiled once per process (_compiled.ts): tsx's loader would cost each worker more CPU time than its work.
  const child = spawn(process.execPath, [compiledFile(WORKER), JSON.stringify(config)], { stdio: ["pipe", "pipe", "pipe"] });
  const events: TokenEvent[] = [];
  const watchers: Array<{ predicate: (event: TokenEvent) => boolean; resolve: (event: TokenEvent) => void }> = [];
  let stderr = "";
  const rounds = new Map<number, { resolve(report: RoundReport): void; reject(error: Error): void }>();
  child.once("exit", (code, signal) => {
    for (const [round, pending] of rounds) pending.reject(new Error(`worker exited (${signal ?? code}) during round ${round}${stderr ? `: ${stderr.slice(0, 2000)}` : ""}`));
    rounds.clear();
  });
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
      else if (message.type === "round") {
        rounds.get(message.round)?.resolve(message);
        rounds.delete(message.round);
      }
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
    round(round) {
      const report = new Promise<RoundReport>((resolve, reject) => {
        if (child.exitCode !== null || child.signalCode !== null) reject(new Error(`worker exited before round ${round}`));
        else rounds.set(round, { resolve, reject });
      });
      child.stdin?.write(`round ${round}\n`);
      return report;
    },
    quit() {
      child.stdin?.write("quit\n");
    },
    kill() {
      child.kill("SIGKILL");
    },
  };
}

/** Starts `count` workers, waits until all are ready, then lets them all go at once. */
export async function runFleet(count: number, config: WorkerConfig): Promise<Array<WorkerResult & { events: TokenEvent[] }>> {
  const workers = Array.from({ length: count }, () => startWorker({ ...config, barrier: true }));
  await Promise.all(workers.map((worker) => worker.ready));
  for (const worker of workers) worker.go();
  const results = await Promise.all(workers.map((worker) => worker.done));
  await Promise.all(workers.map((worker) => worker.exited));
  return results.map((result, index) => ({ ...result, events: workers[index]!.events }));
}

// A crashed test run must not leave workers behind (one process listener for all of them).
const running = new Set<ChildProcess>();
process.once("exit", () => running.forEach((child) => child.kill("SIGKILL")));

function reapOnExit(child: ChildProcess): void {
  running.add(child);
  child.once("exit", () => running.delete(child));
}

export interface SkewOutcome {
  readonly results: WorkerResult[];
  /** Token requests the emulator saw. */
  readonly requests: number;
  /** Tokens some process used that another one never did, leaving out each process's last (the others may not have switched to it yet when the run ended). */
  readonly unshared: string[];
}

/**
 * Processes whose wall clocks are `offsetsMs` ahead of the real one (one process each) call
 * getToken() every 25 ms for `durationMs`, sharing one store: with one token request per
 * refresh, every token one of them used, the others used too.
 */
export async function runSkewedFleet(offsetsMs: readonly number[], durationMs: number, config: WorkerConfig, requests: () => number): Promise<SkewOutcome> {
  const before = requests();
  const workers = offsetsMs.map((clockOffsetMs) => startWorker({ ...config, callers: 3, clockOffsetMs, run: { durationMs, everyMs: 25 }, barrier: true }));
  await Promise.all(workers.map((worker) => worker.ready));
  for (const worker of workers) worker.go();
  const results = await Promise.all(workers.map((worker) => worker.done));
  await Promise.all(workers.map((worker) => worker.exited));
  const last = new Set(results.map((result) => result.tokens.at(-1)));
  const unshared = [...new Set(results.flatMap((result) => result.tokens))].filter((token) => !last.has(token) && !results.every((result) => result.tokens.includes(token)));
  return { results, requests: requests() - before, unshared };
}

export interface RoundFigures {
  readonly round: number;
  readonly phase: "before" | "during" | "after";
  /** Token requests the emulator saw during the round. */
  readonly requests: number;
  /** The longest getToken() of any process in the round, ms. */
  readonly longestMs: number;
  readonly failures: string[];
}

/**
 * Runs rounds (every worker at once, a cold token client each, on a fresh key prefix) before a
 * master is killed, while its replica takes over, and after, until a round makes one token
 * request again and `confirm` more do too (or `resumeMs` passes).
 */
export async function roundsThroughFailover(
  workers: readonly Worker[],
  requests: () => number,
  failover: { kill(): Promise<() => Promise<void>> },
  { before = 3, confirm = 3, resumeMs = 60_000 } = {},
): Promise<{ rounds: RoundFigures[]; takeoverMs: number; resumedAfterMs: number }> {
  const rounds: RoundFigures[] = [];
  let count = 0;
  const round = async (phase: RoundFigures["phase"]) => {
    count += 1;
    const start = requests();
    const reports = await Promise.all(workers.map((worker) => worker.round(count)));
    const figures: RoundFigures = {
      round: count,
      phase,
      requests: requests() - start,
      longestMs: Math.max(...reports.map((report) => report.longestMs)),
      failures: reports.flatMap((report) => report.failures),
    };
    rounds.push(figures);
    return figures;
  };
  for (let index = 0; index < before; index++) await round("before");
  const killedAt = Date.now();
  const tookOver = await failover.kill();
  let over = false;
  let failed: unknown;
  const takeover = tookOver().then(() => (over = true), (error: unknown) => (failed = error));
  while (!over && failed === undefined) await round("during");
  await takeover;
  if (failed !== undefined) throw failed;
  const takeoverMs = Date.now() - killedAt;
  const deadline = Date.now() + resumeMs;
  let resumedAfterMs = Number.NaN;
  for (let shared = 0; shared < confirm + 1;) {
    const figures = await round("after");
    if (figures.requests !== 1) shared = 0;
    else if (shared++ === 0) resumedAfterMs = Date.now() - killedAt - takeoverMs;
    if (shared === 0 && Date.now() > deadline) break;
  }
  return { rounds, takeoverMs, resumedAfterMs };
}
