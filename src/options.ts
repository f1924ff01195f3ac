import { DEFAULT_BASE_URL, DEFAULTS, ENV, SDK_ENV, TOKEN_PATH } from "./defaults.js";
import { readEnv } from "./util/env.js";
import { CellsAuthError } from "./errors.js";
import { normalizeBaseUrl } from "./util/base-url.js";
import { containsSecret } from "./util/redact.js";
import { Secret } from "./util/secret.js";
import { isAbortSignal } from "./util/signals.js";
import type { TokenEventListener } from "./token/events.js";
import type { TokenStore } from "./store/token-store.js";

/** When and how often a failed token request is tried again (network errors, timeouts, 408, 429, 5xx). */
export interface RetryOptions {
  /** Retries after the first attempt. @default 3 */
  maxRetries?: number | undefined;
  /** Ceiling of the first backoff; it doubles per retry (full jitter). @default 500 */
  baseDelayMs?: number | undefined;
  /** Longest single wait; a `Retry-After` longer than this fails at once with `retryAfterMs`. @default 30000 */
  maxDelayMs?: number | undefined;
}

/** Options shared by `postAccessToken` and `createTokenClient`. */
export interface RequestOptions {
  /** Client id from the Aspose Cloud dashboard. @default process.env.ASPOSE_CLOUD_CLIENT_ID */
  clientId?: string | undefined;
  /** Client secret; only ever sent in the token request body. @default process.env.ASPOSE_CLOUD_CLIENT_SECRET */
  clientSecret?: string | undefined;
  /** API base URL including the version; a trailing slash is tolerated. @default process.env.ASPOSE_CLOUD_API_URL, else "https://api.aspose.cloud/v4.0" */
  baseUrl?: string | undefined;
  /** The fetch to use; it receives one `Request`. @default globalThis.fetch */
  fetch?: ((input: Request) => Promise<Response>) | undefined;
  /** Time limit of each HTTP attempt, in milliseconds. @default 10000 */
  timeoutMs?: number | undefined;
  /** Retry policy for network errors, timeouts and 408/429/500/502/503/504. */
  retry?: RetryOptions | undefined;
  /** Allow http:// to a host that is not loopback (the secret then travels unencrypted). @default false */
  allowInsecureHttp?: boolean | undefined;
  /** Receives `TokenEvent`s; exceptions it throws are ignored. @default undefined */
  onEvent?: TokenEventListener | undefined;
  /** Clock in epoch milliseconds, for token expiry. @default Date.now */
  now?: (() => number) | undefined;
  /**
   * Monotonic clock in milliseconds, for waits (the cool-down after a failure, the 401 hold): a
   * wall clock that jumps (NTP, a resumed VM) neither lengthens nor shortens them. Tests inject it.
   * @default performance.now
   */
  monotonicNow?: (() => number) | undefined;
}

export interface PostAccessTokenOptions extends RequestOptions {
  /** Cancels the request, and any wait between retries. */
  signal?: AbortSignal | undefined;
}

export interface TokenClientOptions extends RequestOptions {
  /** Refresh in the background once a token is this close to expiry (at most half its lifetime). @default 300000 */
  refreshWindowMs?: number | undefined;
  /** A token is treated as expired this long before `expiresAt` (at most a tenth of its lifetime). @default 30000 */
  expirySkewMs?: number | undefined;
  /** Where the token is kept; a shared store lets processes share one token. @default a new in-memory store */
  store?: TokenStore | undefined;
}

export interface ResolvedRetry {
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface ResolvedRequestOptions {
  readonly clientId: string;
  readonly clientSecret: Secret;
  readonly baseUrl: string;
  readonly tokenUrl: string;
  readonly fetch: (input: Request) => Promise<Response>;
  readonly timeoutMs: number;
  readonly retry: ResolvedRetry;
  readonly onEvent: TokenEventListener | undefined;
  readonly now: () => number;
  readonly monotonicNow: () => number;
}

export interface ResolvedTokenClientOptions extends ResolvedRequestOptions {
  readonly refreshWindowMs: number;
  readonly expirySkewMs: number;
  readonly store: TokenStore | undefined;
}

/** The options each entry point reads; nothing else of the caller's object is touched. */
const REQUEST_KEYS = ["clientId", "clientSecret", "baseUrl", "fetch", "timeoutMs", "retry", "allowInsecureHttp", "onEvent", "now", "monotonicNow"] as const;
export const CLIENT_KEYS = [...REQUEST_KEYS, "refreshWindowMs", "expirySkewMs", "store"] as const;
const RETRY_KEYS = ["maxRetries", "baseDelayMs", "maxDelayMs"] as const;

/**
 * Reads `keys` of a caller's options object, once each. A Proxy or a getter that throws is an
 * `invalid_config` naming the option, never a raw error; a primitive or an array is refused.
 */
export function readOptions<K extends string>(value: unknown, keys: readonly K[], name = "options"): Partial<Record<K, unknown>> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CellsAuthError("invalid_config", `${name} must be an object (got ${shown(value)}).`);
  }
  const read: Partial<Record<K, unknown>> = {};
  for (const key of keys) {
    try {
      read[key] = (value as Record<K, unknown>)[key];
    } catch (error) {
      throw new CellsAuthError("invalid_config", `${name}.${key} threw when read.`, { cause: error });
    }
  }
  return read;
}

/** Applies the defaults of `PostAccessTokenOptions` and checks every value. Throws `invalid_config` / `insecure_url`. */
export function resolvePostAccessTokenOptions(options: unknown): { config: ResolvedRequestOptions; signal: AbortSignal | undefined } {
  const o = readOptions(options, [...REQUEST_KEYS, "signal"]);
  return { config: requestOptions(o), signal: abortSignal(o.signal) };
}

/** Applies the defaults of `TokenClientOptions` and checks every value. */
export function resolveTokenClientOptions(options: unknown): ResolvedTokenClientOptions {
  const o = readOptions(options, CLIENT_KEYS);
  return Object.freeze({
    ...requestOptions(o),
    refreshWindowMs: duration(o.refreshWindowMs, "refreshWindowMs", DEFAULTS.refreshWindowMs, 0),
    expirySkewMs: duration(o.expirySkewMs, "expirySkewMs", DEFAULTS.expirySkewMs, 0),
    store: o.store as TokenStore | undefined, // checked where it is bound to the client
  });
}

function requestOptions(o: Partial<Record<(typeof REQUEST_KEYS)[number], unknown>>): ResolvedRequestOptions {
  const clientId = credential(o.clientId, "clientId", ENV.clientId);
  const secret = credential(o.clientSecret, "clientSecret", ENV.clientSecret);
  if (containsSecret(clientId, secret)) {
    throw new CellsAuthError("invalid_config", "clientId holds the client secret; pass the secret as clientSecret only.");
  }
  const allowInsecureHttp = optional<boolean>(o.allowInsecureHttp, "boolean", "allowInsecureHttp") ?? DEFAULTS.allowInsecureHttp;
  const baseUrlOption = optional<string>(o.baseUrl, "string", "baseUrl");
  const [rawBaseUrl, baseUrlName] = baseUrlOption !== undefined ? [baseUrlOption, "baseUrl"] : [readEnv(ENV.baseUrl) ?? DEFAULT_BASE_URL, ENV.baseUrl];
  const baseUrl = normalizeBaseUrl(rawBaseUrl, allowInsecureHttp, baseUrlName, secret);
  const fetchImpl = optional<ResolvedRequestOptions["fetch"]>(o.fetch, "function", "fetch") ?? (globalThis.fetch as ResolvedRequestOptions["fetch"] | undefined);
  if (!fetchImpl) {
    throw new CellsAuthError("invalid_config", "No global fetch here; pass options.fetch.");
  }
  const retry = readOptions(o.retry, RETRY_KEYS, "retry");
  return Object.freeze({
    clientId,
    clientSecret: new Secret(secret),
    baseUrl,
    tokenUrl: baseUrl + TOKEN_PATH,
    fetch: fetchImpl,
    timeoutMs: duration(o.timeoutMs, "timeoutMs", DEFAULTS.timeoutMs, 1),
    retry: Object.freeze({
      maxRetries: count(retry.maxRetries, "retry.maxRetries", DEFAULTS.retry.maxRetries),
      baseDelayMs: duration(retry.baseDelayMs, "retry.baseDelayMs", DEFAULTS.retry.baseDelayMs, 0),
      maxDelayMs: duration(retry.maxDelayMs, "retry.maxDelayMs", DEFAULTS.retry.maxDelayMs, 0),
    }),
    onEvent: optional<TokenEventListener>(o.onEvent, "function", "onEvent"),
    now: clock(o.now, "options.now") ?? Date.now,
    monotonicNow: clock(o.monotonicNow, "options.monotonicNow") ?? monotonic,
  });
}

/** `value` if it is undefined or behaves as an `AbortSignal`, else `invalid_config`. */
export function abortSignal(value: unknown): AbortSignal | undefined {
  if (value === undefined || isAbortSignal(value)) return value;
  throw new CellsAuthError("invalid_config", "signal must be an AbortSignal.");
}

/** `performance.now()` where the runtime has it (every one this library supports does). */
function monotonic(): number {
  return globalThis.performance?.now() ?? Date.now();
}

/**
 * A caller's clock, made safe to call anywhere: a throw or a value that is not a finite number
 * becomes an `invalid_config` (never a raw error, never a NaN deadline).
 */
export function clock(value: unknown, name: string): (() => number) | undefined {
  const read = optional<() => unknown>(value, "function", name);
  if (read === undefined) return undefined;
  return () => {
    let time: unknown;
    try {
      time = read();
    } catch (error) {
      throw new CellsAuthError("invalid_config", `${name}() threw; it must return milliseconds.`, { cause: error });
    }
    if (typeof time !== "number" || !Number.isFinite(time)) {
      throw new CellsAuthError("invalid_config", `${name}() must return finite milliseconds (got ${shown(time)}).`);
    }
    return time;
  };
}

/** A credential from its option, else from the environment; never blank, never padded with white space. */
function credential(value: unknown, name: keyof typeof ENV & keyof typeof SDK_ENV, envName: string): string {
  const given = optional<string>(value, "string", name);
  const fromEnv = given === undefined || given === "";
  const resolved = fromEnv ? readEnv(envName) : given;
  if (resolved === undefined) {
    throw new CellsAuthError("invalid_config", `${name} is missing: pass options.${name} or set ${envName}.${sdkVariableHint(name, readEnv)}`);
  }
  const source = fromEnv ? envName : `options.${name}`;
  if (resolved.replace(/[\u200b-\u200d\u2060]/g, "").trim() === "") throw new CellsAuthError("invalid_config", `${source} is blank (only white space).`);
  if (resolved.trim() !== resolved) {
    throw new CellsAuthError("invalid_config", `${source} starts or ends with white space; remove it.`);
  }
  return resolved;
}

/**
 * " CellsCloudClientId is set: ..." when the official SDK's variable for this credential is set
 * (it is only checked for presence, never used), else "".
 */
export function sdkVariableHint(name: keyof typeof SDK_ENV, env: (name: string) => string | undefined): string {
  const sdkName = SDK_ENV[name];
  if (env(sdkName) === undefined) return "";
  return ` ${sdkName} is set, the official SDK's name, not read here: rename it to ${ENV[name]}.`;
}

/** `value` if it is undefined or of `type`, else `invalid_config` naming the option. */
export function optional<T>(value: unknown, type: "string" | "boolean" | "function", name: string): T | undefined {
  if (value === undefined || typeof value === type) return value as T | undefined;
  throw new CellsAuthError("invalid_config", `${name} must be a ${type} (got ${shown(value)}).`);
}

/** The longest delay `setTimeout` takes. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A duration option in milliseconds, from `min` to `MAX_TIMER_MS`, or `fallback` when not given. */
export function duration(value: unknown, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > MAX_TIMER_MS) {
    throw new CellsAuthError("invalid_config", `${name} must be milliseconds from ${min} to ${MAX_TIMER_MS} (got ${shown(value)}).`);
  }
  return value;
}

function count(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 100) {
    throw new CellsAuthError("invalid_config", `${name} must be a whole number from 0 to 100 (got ${shown(value)}).`);
  }
  return value;
}

/** A number as written, anything else by its type: never calls into a caller's object. */
function shown(value: unknown): string {
  return typeof value === "number" ? String(value) : value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}
