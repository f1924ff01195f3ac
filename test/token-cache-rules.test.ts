// The token cache's rules as pure functions, with plain numbers: a token's instants, the backoff
// record, and the predicates the cache decides by.
import { expect } from "chai";
import { CellsAuthError } from "../src/errors.js";
import { createBackoff } from "../src/token/backoff.js";
import { adopts, coolingDownMs, held, holdsRejected, mayRefresh, takesShared, takesStored, type CacheState, type Flight, type Held } from "../src/token/cache-rules.js";
import { isUsable, lifeLeft, lifetime, refreshDue, serves } from "../src/token/lifetime.js";
import type { AccessToken } from "../src/token/token-shape.js";

const margins = { expirySkewMs: 30_000, refreshWindowMs: 300_000 };
const HOUR = 3_600_000;

describe("token cache rules", () => {
  describe("a token's instants (lifetime)", () => {
    it("a fresh hour-long token: usable until 30 s before its end, refreshed from 5 min before (plus up to 30 s of jitter)", () => {
      expect(lifetime(1_000, HOUR, HOUR, true, margins, 0)).to.deep.equal({ endsAt: 1_000 + HOUR, usableUntil: 1_000 + HOUR - 30_000, refreshAt: 1_000 + HOUR - 300_000, minTtlCapMs: HOUR - 30_000 - 300_000 });
      expect(lifetime(1_000, HOUR, HOUR, true, margins, 1).refreshAt).to.equal(1_000 + HOUR - 330_000);
    });

    it("scales the margins down for a short life: the skew to a tenth, the window to half", () => {
      expect(lifetime(0, 3_000, 3_000, true, margins, 0)).to.deep.equal({ endsAt: 3_000, usableUntil: 2_700, refreshAt: 1_500, minTtlCapMs: 3_000 - 300 - 1_500 });
    });

    it("caps minTtlMs from the arrival for a fresh token, from the issue for a stored one, and never below 0", () => {
      expect(lifetime(0, HOUR / 2, HOUR, true, margins, 0).minTtlCapMs).to.equal(HOUR / 2 - 330_000);
      expect(lifetime(0, HOUR / 2, HOUR, false, margins, 0).minTtlCapMs).to.equal(HOUR - 330_000);
      expect(lifetime(0, 500, 2_000, true, { expirySkewMs: 0, refreshWindowMs: 0 }, 0).minTtlCapMs).to.equal(0);
    });

    it("usable, serving minTtlMs, due for refresh: plain comparisons on the monotonic clock", () => {
      const life = lifetime(0, HOUR, HOUR, true, margins, 0);
      expect([isUsable(life, HOUR - 30_001), isUsable(life, HOUR - 30_000)]).to.deep.equal([true, false]);
      expect([serves(life, 60_000, HOUR - 90_001), serves(life, 60_000, HOUR - 90_000)]).to.deep.equal([true, false]);
      // A minTtlMs beyond the cap asks for the cap only.
      expect(serves(life, 10 * HOUR, life.usableUntil - life.minTtlCapMs - 1)).to.equal(true);
      expect([refreshDue(life, HOUR - 300_001), refreshDue(life, HOUR - 300_000)]).to.deep.equal([false, true]);
    });

    it("the life left on arrival: what expiresAt says on the wall clock, never more than the bound", () => {
      expect(lifeLeft(10_000, 4_000, 60_000)).to.equal(6_000);
      expect(lifeLeft(70_000, 4_000, 3_000)).to.equal(3_000);
      expect(lifeLeft(1_000, 4_000, 3_000)).to.equal(-3_000);
    });
  });

  describe("the backoff record", () => {
    const policy = { baseDelayMs: 1_000, maxDelayMs: 5_000 };

    it("fail() starts a wait that grows with failures in a row (equal jitter), up to maxDelayMs; left() counts it down", () => {
      const backoff = createBackoff(policy, () => 0);
      expect([backoff.fail(0), backoff.fail(0), backoff.fail(0), backoff.fail(0)]).to.deep.equal([500, 1_000, 2_000, 2_500]);
      expect([backoff.left(0), backoff.left(2_000), backoff.left(2_500), backoff.left(9_999)]).to.deep.equal([2_500, 500, 0, 0]);
    });

    it("a server's longer wait wins, within maxDelayMs", () => {
      expect(createBackoff(policy, () => 0).fail(0, 3_000)).to.equal(3_000);
      expect(createBackoff(policy, () => 0).fail(0, 86_400_000)).to.equal(5_000);
    });

    it("reset() ends the wait and the run of failures", () => {
      const backoff = createBackoff(policy, () => 1);
      backoff.fail(0);
      backoff.fail(0);
      backoff.reset();
      expect(backoff.left(0)).to.equal(0);
      expect(backoff.fail(0)).to.equal(1_000);
    });

    it("a clock that went back past the wait's start leaves no wait", () => {
      const backoff = createBackoff(policy, () => 1);
      backoff.fail(10_000);
      expect([backoff.left(10_500), backoff.left(9_999)]).to.deep.equal([500, 0]);
    });
  });

  describe("the predicates on the cache's state", () => {
    const token = (accessToken: string, expiresIn = 3_600): AccessToken => ({ accessToken, tokenType: "Bearer", expiresIn, expiresAt: 0 });
    const at = (accessToken: string, arrivedAt: number, lifeMs: number, fresh = false): Held => held(token(accessToken), arrivedAt, lifeMs, fresh, margins);
    const state = (patch: Partial<CacheState> = {}): CacheState => ({
      current: undefined,
      flight: undefined,
      revoked: undefined,
      cooldown: createBackoff({ baseDelayMs: 1_000, maxDelayMs: 5_000 }, () => 1),
      lastFailure: undefined,
      rejections: createBackoff({ baseDelayMs: 1_000, maxDelayMs: 5_000 }, () => 1),
      ...patch,
    });
    const current = (accessToken: string, arrivedAt: number, lifeMs: number) => ({ ...at(accessToken, arrivedAt, lifeMs, true), resolved: Promise.resolve(token(accessToken)) });
    const flying = { id: 1, mode: "cold", startedAt: 0, landed: new Promise<never>(() => undefined), token: new Promise<never>(() => undefined) } as Flight;

    it("coolingDownMs: the wait left after a failure, none while a flight is in the air or after no failure", () => {
      const failed = state({ lastFailure: new CellsAuthError("http_error", "down") });
      failed.cooldown.fail(0);
      expect([coolingDownMs(failed, 400), coolingDownMs({ ...failed, flight: flying }, 400), coolingDownMs(state(), 400)]).to.deep.equal([600, 0, 0]);
    });

    it("mayRefresh: no flight in the air, and no cool-down", () => {
      const cooling = state();
      cooling.cooldown.fail(0);
      expect([mayRefresh(state(), 0), mayRefresh(state({ flight: flying }), 0), mayRefresh(cooling, 0), mayRefresh(cooling, 1_000)]).to.deep.equal([true, false, false, true]);
    });

    it("takesStored: a usable token, not revoked; for a background refresh, one that ends later and is not due itself", () => {
      const cached = state({ current: current("mine", 0, HOUR) });
      const later = at("theirs", 1_000, HOUR);
      expect(takesStored(cached, later, "cold", 2_000)).to.equal(true);
      expect(takesStored(cached, later, "soft", 2_000)).to.equal(true);
      expect(takesStored(cached, at("theirs", 0, HOUR - 1_000), "soft", 2_000)).to.equal(false);
      expect(takesStored(cached, later, "soft", HOUR - 200_000)).to.equal(false);
      expect(takesStored(cached, at("theirs", 0, 20_000), "cold", 0)).to.equal(false);
      expect(takesStored(state({ revoked: "theirs" }), later, "cold", 2_000)).to.equal(false);
    });

    it("takesShared: a forced flight takes only a token no older than itself", () => {
      const now = 10_000;
      const fresh = at("new", now, HOUR); // issued now: age 0
      const older = at("old", now, HOUR - 20_000); // issued 20 s ago
      expect(takesShared(state(), fresh, { mode: "force", startedAt: now - 5_000 }, now)).to.equal(true);
      expect(takesShared(state(), older, { mode: "force", startedAt: now - 5_000 }, now)).to.equal(false);
      expect(takesShared(state(), older, { mode: "cold", startedAt: now - 5_000 }, now)).to.equal(true);
    });

    it("adopts: always a fresh token; a stored one only when it ends later, and never one revoked or held already", () => {
      const cached = state({ current: current("mine", 0, HOUR) });
      expect(adopts(cached, at("short", 0, 60_000, true))).to.equal(true);
      expect(adopts(cached, at("theirs", 0, HOUR + 1))).to.equal(true);
      expect(adopts(cached, at("theirs", 0, HOUR - 1))).to.equal(false);
      expect(adopts(cached, at("mine", 0, 2 * HOUR))).to.equal(false);
      expect(adopts(state({ revoked: "theirs" }), at("theirs", 0, HOUR))).to.equal(false);
      expect(adopts(state(), at("theirs", 0, HOUR))).to.equal(true);
    });

    it("holdsRejected: while the hold after the last 401 lasts", () => {
      const held401 = state();
      held401.rejections.fail(0);
      expect([holdsRejected(held401, 999), holdsRejected(held401, 1_000), holdsRejected(state(), 0)]).to.deep.equal([true, false, false]);
    });
  });
});
