import { DEFAULTS } from "../defaults.js";

/**
 * The lifetime rules of a cached token, as pure functions of plain numbers (milliseconds, the
 * instants on the monotonic clock). A token's instants are fixed once, when it arrives: after that
 * the wall clock never decides whether it is handed out, so a wall clock that steps back cannot
 * make an expired token look valid.
 */
export interface Lifetime {
  /** Its end: when it arrived plus what was left of its life then. */
  readonly endsAt: number;
  /** Not handed out from this instant on (its end minus the expiry skew). */
  readonly usableUntil: number;
  /** A background refresh starts from this instant on (its end minus the refresh window and jitter). */
  readonly refreshAt: number;
  /**
   * The largest `minTtlMs` it honours: its usable life, counted from its arrival when this cache
   * requested it (from its issue when it came from a store), minus the refresh window (at least a
   * second). So a token just requested serves any `minTtlMs` for a refresh window at least.
   */
  readonly minTtlCapMs: number;
}

/** The margins a cache keeps, from its options. */
export interface Margins {
  readonly expirySkewMs: number;
  readonly refreshWindowMs: number;
}

/**
 * What is left of a token's life when it arrives: what its `expiresAt` says on this host's wall
 * clock (the only reading of that clock), never more than `boundMs` (its lifetime, less the time
 * its request took on the monotonic clock when this cache requested it).
 */
export function lifeLeft(expiresAt: number, wallNow: number, boundMs: number): number {
  return Math.min(expiresAt - wallNow, boundMs);
}

/**
 * The instants of a token that arrived at `arrivedAt` with `lifeMs` left of a `lifetimeMs` life;
 * `fresh` when this cache requested it. The margins shrink with short lifetimes: the skew is at
 * most a tenth of the lifetime, the refresh window at most half; `random` (0 to 1) places the
 * refresh within the jitter.
 */
export function lifetime(arrivedAt: number, lifeMs: number, lifetimeMs: number, fresh: boolean, margins: Margins, random: number): Lifetime {
  const skew = Math.min(margins.expirySkewMs, lifetimeMs / 10);
  const window = Math.min(margins.refreshWindowMs, lifetimeMs / 2);
  const endsAt = arrivedAt + lifeMs;
  return {
    endsAt,
    usableUntil: endsAt - skew,
    refreshAt: endsAt - window - window * DEFAULTS.refreshJitterRatio * random,
    minTtlCapMs: Math.max(0, (fresh ? lifeMs : lifetimeMs) - skew - Math.max(window, 1_000)),
  };
}

/** May it be handed out at `now`? */
export function isUsable(life: Lifetime, now: number): boolean {
  return now < life.usableUntil;
}

/** Does it stay usable `minTtlMs` from `now` (with `minTtlMs` capped at what its lifetime can give)? */
export function serves(life: Lifetime, minTtlMs: number, now: number): boolean {
  return now < life.usableUntil - Math.min(minTtlMs, life.minTtlCapMs);
}

/** Is it time for a background refresh? */
export function refreshDue(life: Lifetime, now: number): boolean {
  return now >= life.refreshAt;
}
