import { arrivedExpired } from "../errors.js";
import { held, type CacheState, type FlightPlan, type Held } from "./cache-rules.js";
import type { ResolvedCommonOptions } from "./cache-options.js";
import { lifeLeft, type Margins } from "./lifetime.js";
import type { AccessToken } from "./token-shape.js";

/** What a cache is made of, resolved: its options and the base URL its tokens are for. */
export interface CacheSettings extends ResolvedCommonOptions, Margins {
  readonly baseUrl: string;
}

/** Where a cache's tokens come from: one request (with whatever retries it makes itself), never aborted by a caller. */
export type Origin = () => Promise<AccessToken>;

/**
 * How a cache's flights get a token, and how it forgets one the API rejected. It takes everything
 * as parameters: the cache's state (read, never written) and the flight. It resolves with the token
 * and its instants; the cache decides whether to adopt it.
 */
export interface Acquisition {
  acquire(state: CacheState, flight: FlightPlan): Promise<Held>;
  /** After `invalidate` dropped `accessToken`: a store forgets it too. */
  forget?(accessToken: string): Promise<void>;
}

/** Every flight requests a token from `origin` (a cache without a store). */
export function requestOnly(settings: CacheSettings, origin: Origin): Acquisition {
  return { acquire: () => request(settings, origin) };
}

/**
 * One request: the token (frozen), its life counted on the monotonic clock from when the request
 * was sent (never more than its `expiresAt` says on the wall clock, read once, on arrival). A token
 * that arrives with no life left is refused like a timeout.
 */
export async function request(settings: CacheSettings, origin: Origin): Promise<Held> {
  const sentAt = settings.monotonicNow();
  const token = Object.freeze(await origin());
  const now = settings.monotonicNow();
  const lifeMs = lifeLeft(token.expiresAt, settings.now(), token.expiresIn * 1000 - (now - sentAt));
  if (!(lifeMs > 0)) {
    throw arrivedExpired(now - sentAt, token.expiresIn);
  }
  return held(token, now, lifeMs, true, settings);
}
