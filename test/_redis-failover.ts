// What the fleet specs on a cluster, on Sentinel and on one node check of a skewed fleet and of
// a failover (test/_redis-fleet.ts runs them), in one place.
import { expect } from "chai";
import { DEFAULTS } from "../src/defaults.js";
import type { RoundFigures, SkewOutcome } from "./_redis-fleet.js";

/**
 * One token request per refresh: every token one process used, the others used too, and there
 * were no more requests than refreshes can happen in the run. A token of `lifetimeMs` is
 * refreshed from half its lifetime before expiry (the refresh window), with up to a tenth of
 * that added at random: so at most one refresh per `lifetimeMs - window - jitter`.
 */
export function expectOneRequestPerRefresh(outcome: SkewOutcome, lifetimeMs: number): void {
  expect(outcome.results.flatMap((result) => result.failures)).to.deep.equal([]);
  expect(outcome.unshared, "tokens one process used and another never did").to.deep.equal([]);
  const windowMs = lifetimeMs / 2;
  const refreshEveryMs = lifetimeMs - windowMs - windowMs * DEFAULTS.refreshJitterRatio;
  const elapsedMs = Math.max(...outcome.results.map((result) => result.elapsedMs));
  // The cold start, one per refresh, and one that may be on its way when the run ends.
  expect(outcome.requests, `token requests in ${elapsedMs} ms`).to.be.at.most(2 + Math.floor(elapsedMs / refreshEveryMs));
}

export interface FailoverRun {
  readonly rounds: RoundFigures[];
  readonly takeoverMs: number;
  readonly resumedAfterMs: number;
}

/**
 * No caller failed; none waited longer than the documented bound (Redis adds at most
 * `waitMs + 3 × commandTimeoutMs`; the token request takes `requestMs`; 2 s more for a busy
 * machine); one token request per round before the kill, and again after the takeover.
 */
export function expectSharedThroughFailover(run: FailoverRun, { commandTimeoutMs, waitMs, requestMs }: { commandTimeoutMs: number; waitMs: number; requestMs: number }): void {
  expect(run.rounds.flatMap((round) => round.failures), "failed getToken() calls").to.deep.equal([]);
  const boundMs = waitMs + 3 * commandTimeoutMs + requestMs + 2_000;
  expect(Math.max(...run.rounds.map((round) => round.longestMs)), "the longest getToken(), ms").to.be.at.most(boundMs);
  expect(run.rounds.filter((round) => round.phase === "before").map((round) => round.requests)).to.deep.equal([1, 1, 1]);
  expect(run.resumedAfterMs, "ms from the takeover until rounds shared one request again").to.be.a("number").and.not.NaN;
  const after = run.rounds.filter((round) => round.phase === "after");
  expect(after.slice(-4).map((round) => round.requests), "the last rounds after the takeover").to.deep.equal([1, 1, 1, 1]);
}

/** One line with the failover's figures, for the reader of the test output. */
export function reportFailover(setup: string, run: FailoverRun): void {
  const phase = (name: RoundFigures["phase"]) => run.rounds.filter((round) => round.phase === name);
  const describe = (name: RoundFigures["phase"]) => {
    const rounds = phase(name);
    return `${name}: ${rounds.length} rounds, requests ${rounds.map((round) => round.requests).join(",")}, longest ${Math.max(...rounds.map((round) => round.longestMs))} ms`;
  };
  const errors = run.rounds.reduce((sum, round) => sum + round.failures.length, 0);
  process.stdout.write(`      [${setup} failover] takeover ${run.takeoverMs} ms, sharing resumed ${run.resumedAfterMs} ms later; ${describe("before")}; ${describe("during")}; ${describe("after")}; errors ${errors}\n`);
}
