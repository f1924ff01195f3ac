import type { CellsAuthError } from "../errors.js";
import type { Backoff } from "./backoff.js";
import { isUsable, lifetime, refreshDue, type Lifetime, type Margins } from "./lifetime.js";
import type { AccessToken } from "./token-shape.js";

/**
 * The token cache's state, in one record, and its rules, stated once as named predicates on it
 * (the way Azure's token cycler states "must refresh" and "should refresh"). Every instant is on
 * the monotonic clock. The cache (`token-cache.ts`) is the only writer of the state; the rules and
 * the acquisition (`acquisition.ts`) only read it.
 */

/** A token the cache holds or weighs: the token (frozen), its instants, and how it came. */
export interface Held extends Lifetime {
  readonly token: AccessToken;
  /** When it arrived. */
  readonly arrivedAt: number;
  /** This cache requested it (it did not come from the store). */
  readonly fresh: boolean;
}

/** The cached token, and a promise already resolved with it: what a warm `getToken()` returns, allocating nothing. */
export interface Current extends Held {
  readonly resolved: Promise<AccessToken>;
}

/** Why a flight takes off: no usable token (cold), a background refresh (soft), or `forceRefresh` (force). */
export type FlightMode = "cold" | "soft" | "force";

/** One acquisition in the air: every caller that joins it gets what it brings. */
export interface Flight {
  /** Numbers the cache's flights from 1, for the events that start and end it. */
  readonly id: number;
  readonly mode: FlightMode;
  /** When it took off, on the monotonic clock. */
  readonly startedAt: number;
  /** The token it brought (fresh, or from the store), once the cache has taken it in; rejects with a `CellsAuthError`. */
  readonly landed: Promise<Held>;
  /** The same token, one promise for every plain caller (marked handled: a soft flight may have none). */
  readonly token: Promise<AccessToken>;
}

/** What an acquisition knows of its flight: why it took off, and when. */
export interface FlightPlan {
  readonly mode: FlightMode;
  readonly startedAt: number;
}

export interface CacheState {
  /** The token handed out, while it is usable. */
  current: Current | undefined;
  /** The acquisition in the air, if any. */
  flight: Flight | undefined;
  /** The last token dropped after a 401: never taken back from the store. */
  revoked: string | undefined;
  /** After a failed flight: no new request before its wait ends. */
  readonly cooldown: Backoff;
  /** The failed flight's error, for the callers that come during the cool-down. */
  lastFailure: CellsAuthError | undefined;
  /** After a token was dropped for a 401: a newer one rejected before this wait ends is kept. */
  readonly rejections: Backoff;
}

/** The instants of `token`, arrived at `now` with `lifeMs` left; `fresh` when this cache requested it. */
export function held(token: AccessToken, now: number, lifeMs: number, fresh: boolean, margins: Margins): Held {
  return { ...lifetime(now, lifeMs, token.expiresIn * 1000, fresh, margins, Math.random()), token, arrivedAt: now, fresh };
}

/** The wait left before a new request may go after a failure; 0 when one may go (or a flight is in the air already). */
export function coolingDownMs(state: CacheState, now: number): number {
  return state.flight === undefined && state.lastFailure !== undefined ? state.cooldown.left(now) : 0;
}

/** May a background refresh take off (the cached token is in its refresh window)? Not while a flight is in the air or failures cool down. */
export function mayRefresh(state: CacheState, now: number): boolean {
  return state.flight === undefined && state.cooldown.left(now) === 0;
}

/**
 * Is a token from the store worth taking instead of requesting one? It must be usable; for a
 * background refresh, it must also end later than the cached one and not be due for refresh itself.
 */
export function takesStored(state: CacheState, candidate: Held, mode: FlightMode, now: number): boolean {
  if (candidate.token.accessToken === state.revoked || !isUsable(candidate, now)) return false;
  return mode !== "soft" || (candidate.endsAt > (state.current?.endsAt ?? Number.NEGATIVE_INFINITY) && !refreshDue(candidate, now));
}

/**
 * Is a token that another process stored while this flight waited for the lease worth taking? As
 * a stored one; a forced flight takes only one requested after it took off (no older than the flight).
 */
export function takesShared(state: CacheState, candidate: Held, flight: FlightPlan, now: number): boolean {
  const ageMs = candidate.token.expiresIn * 1000 - (candidate.endsAt - now);
  return takesStored(state, candidate, flight.mode, now) && (flight.mode !== "force" || ageMs <= now - flight.startedAt + 1);
}

/** A 401 for the cached token while the hold after the last one lasts: keep the token (the 401 is the caller's). */
export function holdsRejected(state: CacheState, now: number): boolean {
  return state.rejections.left(now) > 0;
}

/**
 * Does a landed token become the cached one? Always one this cache requested (even if the server
 * now grants shorter lifetimes); one from the store only when it ends later, and never one revoked
 * or held already (a token's instants are fixed when it first arrives).
 */
export function adopts(state: CacheState, landed: Held): boolean {
  if (landed.fresh) return true;
  const current = state.current;
  if (landed.token.accessToken === state.revoked || landed.token.accessToken === current?.token.accessToken) return false;
  return current === undefined || landed.endsAt >= current.endsAt;
}
