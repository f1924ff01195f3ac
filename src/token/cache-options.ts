import { DEFAULTS } from "../defaults.js";
import { abortSignal, clock, duration, monotonicClock, optional, readOptions } from "../util/checks.js";
import type { BackoffPolicy } from "./backoff.js";
import type { TokenEventListener } from "./events.js";

/**
 * The resolvers of the options that hold no secret: those every token source shares (time limit,
 * backoff, events, clocks), the cache's own, and `getToken()`'s. The `/client` entry uses these
 * only; `../options.ts` adds the credentials of `createTokenClient` and `postAccessToken`.
 */

/** Options read by every token source: `createTokenClient`, `postAccessToken` and `createTokenSource`. */
export const COMMON_KEYS = ["timeoutMs", "retry", "onEvent", "now", "monotonicNow"] as const;
/** The token cache's own options. */
export const CACHE_KEYS = ["refreshWindowMs", "expirySkewMs"] as const;
/**
 * The options of `createTokenClient`, the token options first: all but the last three (which an
 * API client shares with it) configure how it gets tokens, and `createCellsClient` refuses them
 * beside `tokens`. A function, so that a bundle without either drops it.
 */
export const tokenClientKeys = () => ["clientId", "clientSecret", "store", ...CACHE_KEYS, ...COMMON_KEYS, "baseUrl", "fetch", "allowInsecureHttp"] as const;

/** The options of `createTokenClient` that configure how it gets tokens: refused by `createCellsClient` beside `tokens`. */
export const tokenOptionKeys = () => tokenClientKeys().slice(0, -3);

export interface ResolvedCommonOptions {
  readonly timeoutMs: number;
  readonly retry: BackoffPolicy;
  readonly onEvent: TokenEventListener | undefined;
  readonly now: () => number;
  readonly monotonicNow: () => number;
}

export interface ResolvedCacheOptions {
  readonly refreshWindowMs: number;
  readonly expirySkewMs: number;
}

/**
 * `timeoutMs`, `retry.baseDelayMs` / `retry.maxDelayMs`, `onEvent`, `now` and `monotonicNow`, with
 * their defaults; `retry` is the caller's `retry` already read, when the caller reads more of it.
 */
export function resolveCommonOptions(
  o: Partial<Record<(typeof COMMON_KEYS)[number], unknown>>,
  retry: Partial<Record<"baseDelayMs" | "maxDelayMs", unknown>> = readOptions(o.retry, ["baseDelayMs", "maxDelayMs"], "retry"),
): ResolvedCommonOptions {
  return {
    timeoutMs: duration(o.timeoutMs, "timeoutMs", DEFAULTS.timeoutMs, 1),
    retry: {
      baseDelayMs: duration(retry.baseDelayMs, "retry.baseDelayMs", DEFAULTS.retry.baseDelayMs, 0),
      maxDelayMs: duration(retry.maxDelayMs, "retry.maxDelayMs", DEFAULTS.retry.maxDelayMs, 0),
    },
    onEvent: optional<TokenEventListener>(o.onEvent, "function", "onEvent"),
    now: clock(o.now, "options.now") ?? Date.now,
    monotonicNow: clock(o.monotonicNow, "options.monotonicNow") ?? monotonicClock(),
  };
}

/** `refreshWindowMs` and `expirySkewMs`, with their defaults. */
export function resolveCacheOptions(o: Partial<Record<(typeof CACHE_KEYS)[number], unknown>>): ResolvedCacheOptions {
  return {
    refreshWindowMs: duration(o.refreshWindowMs, "refreshWindowMs", DEFAULTS.refreshWindowMs, 0),
    expirySkewMs: duration(o.expirySkewMs, "expirySkewMs", DEFAULTS.expirySkewMs, 0),
  };
}

/** The options of one `getToken()` call, resolved. */
export interface ResolvedGetTokenOptions {
  readonly forceRefresh: boolean;
  readonly minTtlMs: number;
  readonly signal: AbortSignal | undefined;
}

const PLAIN_CALL: ResolvedGetTokenOptions = Object.freeze({ forceRefresh: false, minTtlMs: 0, signal: undefined });

/**
 * The options of one `getToken()` call. Called for every API request of an authenticated client
 * (each passes its signal), so the common shapes are checked without allocating: a platform
 * `AbortSignal` is taken as it is, only an option that is given is checked.
 */
export function resolveGetTokenOptions(options: unknown): ResolvedGetTokenOptions {
  if (options === undefined || options === null) return PLAIN_CALL;
  const { forceRefresh, minTtlMs, signal } = readOptions(options, ["forceRefresh", "minTtlMs", "signal"], "getToken() options");
  return {
    forceRefresh: forceRefresh === undefined ? false : optional<boolean>(forceRefresh, "boolean", "forceRefresh")!,
    minTtlMs: minTtlMs === undefined ? 0 : duration(minTtlMs, "minTtlMs", 0, 0),
    signal: signal === undefined || (typeof AbortSignal === "function" && signal instanceof AbortSignal) ? (signal as AbortSignal | undefined) : abortSignal(signal),
  };
}
