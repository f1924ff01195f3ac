import { DEFAULT_BASE_URL, DEFAULTS, ENV, SDK_ENV, TOKEN_PATH } from "./defaults.js";
import { peekEnv, readEnv } from "./util/env.js";
import { CellsAuthError } from "./errors.js";
import { normalizeBaseUrl } from "./util/base-url.js";
import { containsSecret, echoesSecret, redactSecrets } from "./util/redact.js";
import { Secret } from "./util/secret.js";
import { abortSignal, count, optional, readOptions } from "./util/checks.js";
import { resolveCacheOptions, resolveCommonOptions, tokenClientKeys, type CACHE_KEYS, type ResolvedCacheOptions, type ResolvedCommonOptions } from "./token/cache-options.js";
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
  /**
   * The wall clock, in epoch milliseconds: it dates a token's `expiresAt`, and is read once when a
   * token arrives (to turn a stored token's `expiresAt` into the life it has left). @default Date.now
   */
  now?: (() => number) | undefined;
  /**
   * Monotonic clock in milliseconds, for every decision over time: when a cached token expires and
   * when its refresh starts (counted from the token's arrival), the cool-down after a failure, the
   * 401 hold. A wall clock that jumps (NTP, a resumed VM) changes none of them. Tests inject it.
   * @default performance.now
   */
  monotonicNow?: (() => number) | undefined;
}

export interface PostAccessTokenOptions extends RequestOptions {
  /** Cancels the request, and any wait between retries. */
  signal?: AbortSignal | undefined;
}

/** Options of the token cache, shared by `createTokenClient` and `createTokenSource`. */
export interface CacheOptions {
  /** Refresh in the background once a token is this close to expiry (at most half its lifetime). @default 300000 */
  refreshWindowMs?: number | undefined;
  /** A token is treated as expired this long before it expires (at most a tenth of its lifetime). @default 30000 */
  expirySkewMs?: number | undefined;
}

export interface TokenClientOptions extends RequestOptions, CacheOptions {
  /**
   * Where the token is kept; a shared store lets processes share one token. A shared store should
   * hand back `expiresAt` on this host's clock (see `TokenStore`). @default none: the client keeps its token itself
   */
  store?: TokenStore | undefined;
}

export interface ResolvedRetry {
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface ResolvedRequestOptions extends ResolvedCommonOptions {
  readonly clientId: string;
  readonly clientSecret: Secret;
  readonly baseUrl: string;
  readonly tokenUrl: string;
  readonly fetch: (input: Request) => Promise<Response>;
  readonly retry: ResolvedRetry;
}

export interface ResolvedTokenClientOptions extends ResolvedRequestOptions, ResolvedCacheOptions {
  /** Checked where it is bound to the client. */
  readonly store: unknown;
}

/** The options each entry point reads; nothing else of the caller's object is touched. */
const CLIENT_KEYS = tokenClientKeys();
type RequestKey = Exclude<(typeof CLIENT_KEYS)[number], "store" | (typeof CACHE_KEYS)[number]>;
const REQUEST_KEYS = CLIENT_KEYS.filter((key): key is RequestKey => key !== "store" && key !== "refreshWindowMs" && key !== "expirySkewMs");
const RETRY_KEYS = ["maxRetries", "baseDelayMs", "maxDelayMs"] as const;

/** Applies the defaults of `PostAccessTokenOptions` and checks every value. Throws `invalid_config` / `insecure_url`. */
export function resolvePostAccessTokenOptions(options: unknown): { config: ResolvedRequestOptions; signal: AbortSignal | undefined } {
  const o = readOptions(options, [...REQUEST_KEYS, "signal"]);
  return { config: requestOptions(o), signal: abortSignal(o.signal) };
}

/** Applies the defaults of `TokenClientOptions` and checks every value. */
export function resolveTokenClientOptions(options: unknown): ResolvedTokenClientOptions {
  const o = readOptions(options, CLIENT_KEYS);
  return Object.freeze({ ...requestOptions(o), ...resolveCacheOptions(o), store: o.store });
}

function requestOptions(o: Partial<Record<RequestKey, unknown>>): ResolvedRequestOptions {
  const clientId = credential(o.clientId, "clientId", ENV.clientId);
  const secret = credential(o.clientSecret, "clientSecret", ENV.clientSecret);
  if (containsSecret(clientId, secret)) {
    throw new CellsAuthError("invalid_config", "clientId holds the client secret; pass the secret as clientSecret only.");
  }
  const allowInsecureHttp = optional<boolean>(o.allowInsecureHttp, "boolean", "allowInsecureHttp") ?? DEFAULTS.allowInsecureHttp;
  const baseUrlOption = optional<string>(o.baseUrl, "string", "baseUrl");
  const [rawBaseUrl, baseUrlName] = baseUrlOption !== undefined ? [baseUrlOption, "baseUrl"] : [readEnv(ENV.baseUrl, "options.baseUrl") ?? DEFAULT_BASE_URL, ENV.baseUrl];
  const baseUrl = normalizeBaseUrl(refuseSecretIn(rawBaseUrl, baseUrlName, secret), allowInsecureHttp, baseUrlName);
  const fetchImpl = optional<ResolvedRequestOptions["fetch"]>(o.fetch, "function", "fetch") ?? (globalThis.fetch as ResolvedRequestOptions["fetch"] | undefined);
  if (!fetchImpl) {
    throw new CellsAuthError("invalid_config", "No global fetch here; pass options.fetch.");
  }
  const retry = readOptions(o.retry, RETRY_KEYS, "retry");
  const common = resolveCommonOptions(o, retry);
  return Object.freeze({
    ...common,
    clientId,
    clientSecret: new Secret(secret),
    baseUrl,
    tokenUrl: baseUrl + TOKEN_PATH,
    fetch: fetchImpl,
    retry: Object.freeze({ ...common.retry, maxRetries: count(retry.maxRetries, "retry.maxRetries", DEFAULTS.retry.maxRetries) }),
    onEvent: scrubbedEvents(common.onEvent, secret),
  });
}

/** The listener, given `store_error` events with their message (a store's own words) scrubbed of the secret. */
function scrubbedEvents(listener: TokenEventListener | undefined, secret: string): TokenEventListener | undefined {
  return listener && ((event) => listener(event.type === "store_error" ? { ...event, message: redactSecrets(event.message, [secret]) } : event));
}

/**
 * `value`, unless it holds the client secret (or 12 characters of it), as written or as the URL
 * parser reads it (it drops tabs and line breaks): checked before `normalizeBaseUrl`, whose errors
 * quote parts of the URL.
 */
export function refuseSecretIn(value: string, optionName: string, secret: string): string {
  let parsed = "";
  try {
    parsed = new URL(value).href;
  } catch {
    // Not a URL: normalizeBaseUrl says so.
  }
  if (echoesSecret(value, secret) || echoesSecret(parsed, secret)) {
    throw new CellsAuthError("invalid_config", `${optionName} holds the client secret (pasted in the wrong field?), which errors would print; pass it as the secret only.`);
  }
  return value;
}

/** A credential from its option, else from the environment; never blank, never padded with white space. */
function credential(value: unknown, name: keyof typeof ENV & keyof typeof SDK_ENV, envName: string): string {
  const given = optional<string>(value, "string", name);
  const fromEnv = given === undefined || given === "";
  const resolved = fromEnv ? readEnv(envName, `options.${name}`) : given;
  if (resolved === undefined) {
    throw new CellsAuthError("invalid_config", `${name} is missing: pass options.${name} or set ${envName}.${sdkVariableHint(name, peekEnv)}`);
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
