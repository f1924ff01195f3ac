import type { ResolvedRetry } from "../options.js";

/** Exponential backoff with full jitter for retry number `retry` (1-based). */
export function backoffDelay(retry: number, policy: ResolvedRetry, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Delay before retrying a failed background refresh: exponential with equal jitter, so that it is
 * never close to zero (callers keep the still-valid token meanwhile, and must not retry per call).
 */
export function refreshRetryDelay(failures: number, policy: ResolvedRetry, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, Math.max(1, policy.baseDelayMs) * 2 ** (failures - 1));
  return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}
