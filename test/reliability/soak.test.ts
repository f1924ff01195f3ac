// Soak, on simulated time: SOAK_HOURS (default 24; `SOAK_HOURS=720 npm run test:reliability` for a
// month) of traffic through createCellsClient, against the emulator issuing production-like tokens
// (3600 s, and 1800 s every other stretch of LIFETIME_SWITCH_HOURS), in a few seconds of real time.
// One virtual clock drives the emulator and the client (`now` and `monotonicNow`): time moves only
// between rounds of calls, and only while no token request is under way (a request takes no
// simulated time, however slow the machine), so what is asserted is the library's behaviour, not
// the machine's speed. Each round moves the clock on by 1 to 120 s and makes a few
// calls at once, now and then a stampede of STAMPEDE callers. Token requests fail, two ways, queued
// when a token has just been issued (so they hit its refresh, never a call that waits for a token):
// - a single 503: the refresh's first attempt fails and its one retry gets through;
// - a burst of 503s as long as the retry policy (maxRetries + 1): the whole background refresh
//   fails (a refresh_failed event), and the client must refresh again later while serving the token.
// It asserts:
// - no API call ever carries an expired token (the emulator counts them on the same clock), no call
//   fails, and background refreshes did fail;
// - each token is replaced by the refresh policy: not before its refresh window (refreshWindowMs,
//   capped at half the lifetime, plus up to 10% of it as jitter), and before it stops being usable
//   (expiry minus expirySkewMs): 1 to 1.3 tokens per lifetime elapsed (each token's own lifetime);
// - a cold stampede makes one token request; every token request is a token issued or an injected
//   fault (no stray requests);
// - heap growth between the end of warm-up and the end of the run stays under HEAP_BOUND_BYTES
//   (both samples after a forced full GC, between rounds).
// A short real-time smoke follows: the emulator in its own process, real clocks and timers, a fixed
// number of calls (not a duration), revocations and faults on the way; its only time bounds are
// liveness guards far above what it needs.
import { expect } from "chai";
import type { paths } from "../../generated/cells-status.js";
import { DEFAULTS } from "../../src/defaults.js";
import { createCellsClient, type TokenEvent } from "../../src/index.js";
import { startTokenServer, type TokenServer } from "../../src/testing/index.js";
import { manualClock } from "../_http.js";
import { within } from "../_testing-kit.js";
import { CANARY_SECRET, CLIENT_ID, drain, everythingPrintable, watchUnhandledRejections } from "./_reliability.js";
import { startRemoteEmulator, type RemoteEmulator } from "./_remote-emulator.js";

const HOUR_MS = 3_600_000;
const SOAK_HOURS = Number(process.env["SOAK_HOURS"] ?? 24);
/** Token lifetimes the emulator alternates between, in seconds. */
const LIFETIMES_S = [3600, 1800] as const;
const LIFETIME_SWITCH_HOURS = 5;
/** How far the clock moves between two rounds of calls. */
const STEP_MS = { min: 1_000, max: 120_000 } as const;
/** Calls made at once in a round; with STAMPEDE_PROBABILITY, STAMPEDE of them. */
const CALLS_PER_ROUND = { min: 1, max: 3 } as const;
const STAMPEDE = 100;
const STAMPEDE_PROBABILITY = 0.005;
/** After each token issued, the next token request gets: a burst that fails the whole refresh, or a single 503. */
const BURST_PROBABILITY = 0.3;
const SINGLE_FAULT_PROBABILITY = 0.3;
const MAX_RETRIES = 1;
/** The client's defaults, which the per-token bounds are derived from. */
const REFRESH_WINDOW_MS = DEFAULTS.refreshWindowMs;
const EXPIRY_SKEW_MS = DEFAULTS.expirySkewMs;
/** With a forced GC (npm test and test:reliability pass --expose-gc); without it, a looser bound. */
const HEAP_BOUND_BYTES = (globalThis.gc ? 16 : 64) * 1024 * 1024;

const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

/** The heap after a full GC, taken between rounds (no call under way) after a turn of the event loop. */
async function heapAfterGc(): Promise<number> {
  await drain(20);
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

interface Issued {
  readonly expiresAt: number;
  readonly lifetimeMs: number;
}

/** When a token's request started: its life is counted from then. */
const requestedAt = (token: Issued) => token.expiresAt - token.lifetimeMs;

/** Lifetimes elapsed until `end`, each token counting in its own lifetime from its request until the next token's. */
function lifetimesElapsed(tokens: readonly Issued[], end: number): number {
  return tokens.reduce((sum, token, index) => sum + ((index + 1 < tokens.length ? requestedAt(tokens[index + 1]!) : end) - requestedAt(token)) / token.lifetimeMs, 0);
}

/** How `next` replaced `previous`, or a problem: requested before `previous`'s refresh window, or after it stopped being usable. */
function replacementProblem(previous: Issued, next: Issued): string | undefined {
  const window = Math.min(REFRESH_WINDOW_MS, previous.lifetimeMs / 2);
  const skew = Math.min(EXPIRY_SKEW_MS, previous.lifetimeMs / 10);
  const at = requestedAt(next);
  const earliest = previous.expiresAt - window * (1 + DEFAULTS.refreshJitterRatio);
  const latest = previous.expiresAt - skew;
  if (at < earliest) return `requested ${(earliest - at) / 1000} s before the refresh window`;
  if (at >= latest) return `requested ${(at - latest) / 1000} s after the token stopped being usable`;
  return undefined;
}

describe(`reliability: soak (${SOAK_HOURS} simulated hours, ${LIFETIMES_S.join(" s and ")} s tokens)`, function () {
  this.timeout(600_000);
  let server: TokenServer;
  let unhandled: ReturnType<typeof watchUnhandledRejections>;
  const clock = manualClock();

  before(async () => {
    if (!(SOAK_HOURS > 0)) throw new Error(`SOAK_HOURS must be a positive number of hours (got ${process.env["SOAK_HOURS"]})`);
    unhandled = watchUnhandledRejections();
    server = await startTokenServer({
      clientId: CLIENT_ID,
      clientSecret: CANARY_SECRET,
      tokenLifetimeSeconds: LIFETIMES_S[0],
      maxRecordedRequests: 100,
      now: clock.now,
    });
  });
  after(async () => {
    unhandled?.dispose();
    await server?.close();
  });

  it("no expired token reaches the API, each token is replaced within its refresh window, the heap stays flat", async () => {
    const counts = { rounds: 0, calls: 0, ok: 0, failed: 0, stampedes: 0, bursts: 0, singleFaults: 0, refreshFailed: 0 };
    const unavailable = { kind: "status", status: 503 } as const;
    const failures: string[] = [];
    const issued: Issued[] = [];
    /** Token requests under way (first attempts not yet ended by a token or a failed refresh), and who waits for none. */
    let requesting = 0;
    let quiet: (() => void) | undefined;
    const requestEnded = () => {
      requesting -= 1;
      if (requesting === 0) quiet?.();
    };
    const noRequestUnderWay = () => (requesting === 0 ? Promise.resolve() : new Promise<void>((resolve) => (quiet = resolve)));
    const client = createCellsClient<paths>({
      clientId: CLIENT_ID,
      clientSecret: CANARY_SECRET,
      baseUrl: server.baseUrl,
      now: clock.now,
      monotonicNow: clock.now,
      retry: { maxRetries: MAX_RETRIES, baseDelayMs: 20, maxDelayMs: 200 },
      onEvent: (event: TokenEvent) => {
        if (event.type === "token_requested" && event.attempt === 1) requesting += 1;
        if (event.type === "refresh_failed") {
          counts.refreshFailed += 1;
          requestEnded();
        }
        if (event.type !== "token_issued") return;
        requestEnded();
        issued.push({ expiresAt: event.expiresAt, lifetimeMs: event.expiresIn * 1000 });
        // No token request is in flight now: a fault queued here hits the next one, this token's refresh.
        const draw = Math.random();
        if (draw < BURST_PROBABILITY) {
          server.inject(unavailable, { times: MAX_RETRIES + 1 });
          counts.bursts += 1;
        } else if (draw < BURST_PROBABILITY + SINGLE_FAULT_PROBABILITY) {
          server.inject(unavailable, { times: 1 });
          counts.singleFaults += 1;
        }
      },
    });

    const call = async (): Promise<void> => {
      counts.calls += 1;
      try {
        const { data, response } = await client.GET("/cells/status/check");
        if (response.ok && data?.status === "OK") counts.ok += 1;
        else {
          counts.failed += 1;
          if (failures.length < 5) failures.push(`HTTP ${response.status}`);
        }
      } catch (error) {
        counts.failed += 1;
        if (failures.length < 5) failures.push(everythingPrintable(error).slice(0, 200));
      }
    };
    const round = async (calls: number): Promise<void> => {
      counts.rounds += 1;
      await Promise.all(Array.from({ length: calls }, call));
    };

    // A cold stampede: one token request for all of them.
    await round(STAMPEDE);
    expect(server.stats.tokenRequests, "token requests of a cold stampede").to.equal(1);

    const start = clock.now();
    const end = start + SOAK_HOURS * HOUR_MS;
    const warmUpEnd = start + (end - start) / 5;
    let lifetimeIndex = 0;
    let lifetimeFrom = start;
    let heapWarm = 0;
    const realStart = performance.now();
    while (clock.now() < end) {
      await within(noRequestUnderWay(), 60_000, "the end of a token request");
      clock.advance(randomInt(STEP_MS.min, STEP_MS.max));
      if (clock.now() - lifetimeFrom >= LIFETIME_SWITCH_HOURS * HOUR_MS) {
        lifetimeIndex = (lifetimeIndex + 1) % LIFETIMES_S.length;
        lifetimeFrom = clock.now();
        server.setTokenLifetime(LIFETIMES_S[lifetimeIndex]!);
      }
      const stampede = Math.random() < STAMPEDE_PROBABILITY;
      if (stampede) counts.stampedes += 1;
      await round(stampede ? STAMPEDE : randomInt(CALLS_PER_ROUND.min, CALLS_PER_ROUND.max));
      if (heapWarm === 0 && clock.now() >= warmUpEnd) heapWarm = await heapAfterGc();
    }
    const heapEnd = await heapAfterGc();
    await drain(50);

    const stats = server.stats;
    const problems = issued.slice(1).flatMap((next, index) => {
      const problem = replacementProblem(issued[index]!, next);
      return problem === undefined ? [] : [`token ${index + 2}: ${problem}`];
    });
    const lifetimes = lifetimesElapsed(issued, clock.now());
    const tokensPerLifetime = stats.tokensIssued / lifetimes;
    const report = {
      simulatedHours: SOAK_HOURS,
      realSeconds: Number(((performance.now() - realStart) / 1000).toFixed(1)),
      ...counts,
      ...stats,
      lifetimesElapsed: Number(lifetimes.toFixed(1)),
      tokensPerLifetime: Number(tokensPerLifetime.toFixed(3)),
      heapGrowthMiB: Number(((heapEnd - heapWarm) / 2 ** 20).toFixed(2)),
      heapBoundMiB: HEAP_BOUND_BYTES / 2 ** 20,
      gcExposed: globalThis.gc !== undefined,
    };
    console.log(`      soak: ${JSON.stringify(report)}`);

    expect(stats.expiredTokenCalls, "API calls with an expired token").to.equal(0);
    expect(stats.apiCallsRejected, "API calls rejected (401)").to.equal(0);
    expect(counts.failed, `failed calls, e.g. ${failures.join(" | ")}`).to.equal(0);
    expect(counts.ok).to.equal(counts.calls);
    expect(stats.apiCalls, "API calls the emulator answered").to.equal(counts.calls);
    expect(counts.stampedes, "stampedes during the run").to.be.above(0);
    expect(stats.faultsServed, "faults that hit a token request").to.be.above(0);
    expect(counts.refreshFailed, "background refreshes that failed").to.be.above(0);
    expect(stats.tokenRequests, "token requests = tokens issued + injected faults served").to.equal(stats.tokensIssued + stats.faultsServed);
    expect(problems, "tokens replaced outside their refresh window").to.deep.equal([]);
    expect(tokensPerLifetime, "tokens issued per token lifetime elapsed").to.be.within(1, 1.3);
    expect(heapEnd - heapWarm, "heap growth after warm-up (bytes)").to.be.below(HEAP_BOUND_BYTES);
    expect(unhandled.reasons, "unhandled rejections").to.deep.equal([]);
  });
});

describe("reliability: real-time smoke (the emulator in its own process, real clocks)", function () {
  /** A liveness guard: the smoke takes a few seconds on an idle machine. */
  this.timeout(300_000);
  const CALLERS = 50;
  const CALLS_EACH = 20;
  /** At this call, every token issued so far is revoked: the calls then in flight get a 401, one refresh and a replay. */
  const REVOKE_AT = (CALLERS * CALLS_EACH) / 2;
  let server: RemoteEmulator;
  let unhandled: ReturnType<typeof watchUnhandledRejections>;

  before(async () => {
    unhandled = watchUnhandledRejections();
    server = await startRemoteEmulator({ clientId: CLIENT_ID, clientSecret: CANARY_SECRET, maxRecordedRequests: 100 });
  });
  after(async () => {
    unhandled?.dispose();
    await server?.close();
  });

  it(`${CALLERS} callers x ${CALLS_EACH} calls, with a 503 on the cold start and a revocation half way: every call OK`, async () => {
    const counts = { calls: 0, ok: 0, failed: 0 };
    const failures: string[] = [];
    // The cold start's first attempt fails; its retry, after a real backoff, gets the token.
    await server.inject({ kind: "status", status: 503 }, 1);
    const client = createCellsClient<paths>({
      clientId: CLIENT_ID,
      clientSecret: CANARY_SECRET,
      baseUrl: server.baseUrl,
      retry: { maxRetries: 2, baseDelayMs: 50, maxDelayMs: 500 },
    });
    let revocation: Promise<number> | undefined;
    const callers = Array.from({ length: CALLERS }, async () => {
      for (let made = 0; made < CALLS_EACH; made++) {
        counts.calls += 1;
        if (counts.calls === REVOKE_AT) revocation = server.revokeAll();
        try {
          const { data, response } = await client.GET("/cells/status/check");
          if (response.ok && data?.status === "OK") counts.ok += 1;
          else {
            counts.failed += 1;
            if (failures.length < 5) failures.push(`HTTP ${response.status}`);
          }
        } catch (error) {
          counts.failed += 1;
          if (failures.length < 5) failures.push(everythingPrintable(error).slice(0, 200));
        }
      }
    });
    await Promise.all(callers);
    const revoked = await revocation;
    await drain(50);
    const stats = await server.stats();
    console.log(`      smoke: ${JSON.stringify({ ...counts, revoked, ...stats })}`);

    expect(counts.failed, `failed calls, e.g. ${failures.join(" | ")}`).to.equal(0);
    expect(counts.ok).to.equal(CALLERS * CALLS_EACH);
    expect(stats.expiredTokenCalls, "API calls with an expired token").to.equal(0);
    expect(stats.faultsServed, "the 503 on the cold start").to.equal(1);
    expect(revoked, "tokens revoked half way").to.equal(1);
    expect(stats.revokedTokenCalls, "calls that got a 401 for the revoked token (then replayed)").to.be.above(0);
    // One token for the cold start, one after the revocation: a 401 drops a token once, however many calls get it.
    expect(stats.tokensIssued, "tokens issued").to.equal(2);
    expect(stats.tokenRequests).to.equal(stats.tokensIssued + stats.faultsServed);
    expect(unhandled.reasons, "unhandled rejections").to.deep.equal([]);
  });
});
