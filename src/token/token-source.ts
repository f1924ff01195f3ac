import { DEFAULT_BASE_URL, ENV } from "../defaults.js";
import { CellsAuthError, isCellsAuthError } from "../errors.js";
import type { CacheOptions, RequestOptions, RetryOptions } from "../options.js";
import { normalizeBaseUrl } from "../util/base-url.js";
import { optional, readOptions } from "../util/checks.js";
import { readEnv } from "../util/env.js";
import { fingerprint } from "../util/fingerprint.js";
import { untilAborted } from "../util/signals.js";
import { CACHE_KEYS, COMMON_KEYS, resolveCacheOptions, resolveCommonOptions } from "./cache-options.js";
import { emit } from "./events.js";
import { requestOnly } from "./acquisition.js";
import { createTokenCache, type TokenClient } from "./token-cache.js";
import { BEARER_TOKEN, isLifetime, MAX_EXPIRES_IN_S, type AccessToken } from "./token-shape.js";

/** What `fetchToken` resolves to: a bearer token and when it expires (`expiresIn`, `expiresAt`, or both). */
export interface TokenSourceResult {
  /** The bearer token. */
  readonly accessToken: string;
  /** Seconds it stays valid from now (OAuth's `expires_in`), from 1 to ten years. */
  readonly expiresIn?: number | undefined;
  /** Epoch milliseconds at which it expires. With `expiresIn` too, the earlier of the two counts. */
  readonly expiresAt?: number | undefined;
  /** `"Bearer"` in any case, or left out. */
  readonly tokenType?: string | undefined;
}

/** Options of `createTokenSource`: `fetchToken`, and the token cache's options without a store. */
export interface TokenSourceOptions extends CacheOptions, Pick<RequestOptions, "onEvent" | "now" | "monotonicNow"> {
  /**
   * Gets a token from wherever it is made: your own backend, a secret manager, a sidecar. Called
   * once for all concurrent callers, in the background before the cached token expires, and after
   * `invalidate`. `signal` aborts when the call runs over `timeoutMs`. It resolves to a
   * `TokenSourceResult`; anything else is an `invalid_response`, a rejection a `network` error
   * (with the rejection as `cause`; a `CellsAuthError` passes as it is).
   */
  fetchToken: (context: { readonly signal: AbortSignal }) => Promise<TokenSourceResult>;
  /** The API base URL these tokens are for, including the version. @default ASPOSE_CLOUD_API_URL where there is an environment, else "https://api.aspose.cloud/v4.0" */
  baseUrl?: string | undefined;
  /** Allow an http:// base URL to a host that is not loopback. @default false */
  allowInsecureHttp?: boolean | undefined;
  /** Time limit of each `fetchToken` call, in milliseconds. @default 10000 */
  timeoutMs?: number | undefined;
  /** The cool-down after a failed `fetchToken` (it is not retried at once): its first ceiling and its longest wait. */
  retry?: Pick<RetryOptions, "baseDelayMs" | "maxDelayMs"> | undefined;
}

const SOURCE_KEYS = ["fetchToken", "baseUrl", "allowInsecureHttp", "store", ...COMMON_KEYS, ...CACHE_KEYS] as const;

/**
 * A `TokenClient` whose tokens come from `fetchToken`, any async function: the token cache of
 * `createTokenClient` (single flight, background refresh with jitter, never an expired token,
 * `minTtlMs`, `invalidate` with its hold, a bounded cool-down after failures, abort per caller,
 * events) with no secret. For a browser page or an edge worker that asks your backend for tokens.
 * Options are checked now: a missing `fetchToken` or a bad option throws `invalid_config`.
 */
export function createTokenSource(options: TokenSourceOptions): TokenClient {
  const o = readOptions(options, SOURCE_KEYS);
  const given = optional<TokenSourceOptions["fetchToken"]>(o.fetchToken, "function", "fetchToken");
  if (!given) throw new CellsAuthError("invalid_config", "fetchToken is missing: pass the function that gets a token, e.g. from your backend.");
  const fetchToken = given;
  if (o.store !== undefined) throw new CellsAuthError("invalid_config", "A token source has no store: share its tokens where fetchToken gets them.");
  const allowInsecureHttp = optional<boolean>(o.allowInsecureHttp, "boolean", "allowInsecureHttp") ?? false;
  const baseUrlOption = optional<string>(o.baseUrl, "string", "baseUrl");
  const baseUrl = normalizeBaseUrl(baseUrlOption ?? readEnv(ENV.baseUrl, "options.baseUrl") ?? DEFAULT_BASE_URL, allowInsecureHttp, baseUrlOption === undefined ? ENV.baseUrl : "baseUrl");
  const common = resolveCommonOptions(o);
  const { onEvent, now, timeoutMs } = common;

  async function fromSource(): Promise<AccessToken> {
    emit(onEvent, { type: "token_requested", attempt: 1 });
    const call = new AbortController();
    const timer = setTimeout(() => call.abort(), timeoutMs);
    let result: unknown;
    try {
      result = await untilAborted(Promise.resolve().then(() => fetchToken({ signal: call.signal })), call.signal);
    } catch (error) {
      if (call.signal.aborted) throw new CellsAuthError("timeout", `fetchToken took over ${timeoutMs} ms.`, { retryable: true });
      if (isCellsAuthError(error)) throw error;
      throw new CellsAuthError("network", `fetchToken failed (${error instanceof Error ? error.name : typeof error}); the cause holds its error.`, { retryable: true, cause: error });
    } finally {
      clearTimeout(timer);
    }
    const token = tokenFrom(result, now());
    emit(onEvent, { type: "token_issued", fingerprint: fingerprint(token.accessToken), expiresIn: token.expiresIn, expiresAt: token.expiresAt, attempts: 1 });
    return token;
  }

  const settings = { ...common, ...resolveCacheOptions(o), baseUrl };
  return createTokenCache(settings, requestOnly(settings, fromSource), "TokenSource", { baseUrl });
}

/** A frozen `AccessToken` from what `fetchToken` resolved to, each field read once; else `invalid_response` naming what is wrong (never quoting the token). */
function tokenFrom(result: unknown, wallNow: number): AccessToken {
  const invalid = (what: string, cause?: unknown) => new CellsAuthError("invalid_response", `fetchToken resolved ${what}; it must resolve to { accessToken, expiresIn or expiresAt }.`, { cause });
  let accessToken: unknown, expiresIn: unknown, expiresAt: unknown, tokenType: unknown;
  try {
    ({ accessToken, expiresIn, expiresAt, tokenType } = result as Record<string, unknown>);
  } catch (error) {
    throw invalid(result == null ? String(result) : "an object that threw when read", error);
  }
  if (typeof accessToken !== "string" || !BEARER_TOKEN.test(accessToken)) throw invalid("no accessToken (an RFC 6750 b64token)");
  if (tokenType !== undefined && (typeof tokenType !== "string" || tokenType.toLowerCase() !== "bearer")) throw invalid("a tokenType other than Bearer");
  if (expiresIn !== undefined && !isLifetime(expiresIn)) throw invalid(`an expiresIn that is not seconds from 1 to ${MAX_EXPIRES_IN_S}`);
  if (expiresAt !== undefined && !Number.isFinite(expiresAt)) throw invalid("an expiresAt that is not epoch milliseconds");
  if (expiresIn === undefined && expiresAt === undefined) throw invalid("neither expiresIn nor expiresAt");
  const at = Math.min(expiresIn === undefined ? Number.POSITIVE_INFINITY : wallNow + expiresIn * 1000, (expiresAt as number | undefined) ?? Number.POSITIVE_INFINITY);
  return Object.freeze({ accessToken, tokenType: "Bearer", expiresIn: expiresIn ?? (at - wallNow) / 1000, expiresAt: at });
}
