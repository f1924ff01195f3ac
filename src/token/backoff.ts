/** How long waits may grow: the first ceiling, and the longest single wait. */
export interface BackoffPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Exponential backoff with full jitter for retry number `retry` (1-based). */
export function backoffDelay(retry: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Delay before retrying a failed background refresh: exponential with equal jitter, so that it is
 * never close to zero (callers keep the still-valid token meanwhile, and must not retry per call).
 */
export function refreshRetryDelay(failures: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, Math.max(1, policy.baseDelayMs) * 2 ** (failures - 1));
  return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * A wait after failures in a row, on the monotonic clock: the cache's cool-down after a failed
 * token request, and its hold after a token was dropped for a 401.
 */
export interface Backoff {
  /** What is left of the wait at `now`; none if the clock went back past its start (a broken clock must not lock the client out). */
  left(now: number): number;
  /**
   * One more failure, at `now`: starts a wait (`refreshRetryDelay`, or `serverAskedMs` when
   * longer), never longer than `maxDelayMs`. Returns its length.
   */
  fail(now: number, serverAskedMs?: number): number;
  /** No failure in a row any more, and no wait. */
  reset(): void;
}

export function createBackoff(policy: BackoffPolicy, random: () => number = Math.random): Backoff {
  let count = 0;
  let from = 0;
  let until = Number.NEGATIVE_INFINITY;
  return {
    left: (now) => (now < from ? 0 : Math.max(0, until - now)),
    fail(now, serverAskedMs = 0) {
      count += 1;
      const waitMs = Math.min(policy.maxDelayMs, Math.max(refreshRetryDelay(count, policy, random), serverAskedMs));
      from = now;
      until = now + waitMs;
      return waitMs;
    },
    reset() {
      count = 0;
      until = Number.NEGATIVE_INFINITY;
    },
  };
}
