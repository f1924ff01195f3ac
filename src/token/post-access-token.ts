import type { Client } from "openapi-fetch";
import { createClient } from "../api/openapi-fetch.js";
import { DEFAULTS, TOKEN_PATH } from "../defaults.js";
import { CellsAuthError, isCellsAuthError, toCellsAuthError, withAttempts } from "../errors.js";
import { boundedFetch } from "./bounded-body.js";
import { interpretTokenResponse, parseBody, type AccessToken } from "./access-token.js";
import { backoffDelay } from "./backoff.js";
import { emit } from "./events.js";
import { fingerprint } from "../util/fingerprint.js";
import { resolvePostAccessTokenOptions, type PostAccessTokenOptions, type ResolvedRequestOptions } from "../options.js";
import { abortedError, follow, sleep, untilAborted } from "../util/signals.js";
import type { CellsAuthorityPaths, TokenRequestBody } from "../spec.js";

type TokenHttpClient = Client<CellsAuthorityPaths>;

/**
 * One token request, no cache: `POST {baseUrl}/cells/connect/token` with the client-credentials
 * form, retried on network errors, timeouts and 408/429/5xx. Use `createTokenClient` to cache.
 */
export async function postAccessToken(options?: PostAccessTokenOptions): Promise<AccessToken> {
  const { config, signal } = resolvePostAccessTokenOptions(options);
  const followed = follow(signal);
  try {
    return await requestToken(config, createTokenHttpClient(config), followed.signal);
  } finally {
    followed.release();
  }
}

/** The generated PostAccessToken call, bound to a base URL, with bodies capped and redirects refused. */
export function createTokenHttpClient(config: ResolvedRequestOptions): TokenHttpClient {
  return createClient<CellsAuthorityPaths>({
    baseUrl: config.baseUrl,
    fetch: boundedFetch(config.fetch, DEFAULTS.maxResponseBytes),
  });
}

/** Requests a token, with the retry policy of `config`. `signal` cancels the request and any wait. */
export async function requestToken(
  config: ResolvedRequestOptions,
  client: TokenHttpClient,
  signal: AbortSignal | undefined,
): Promise<AccessToken> {
  for (let attempt = 1; ; attempt++) {
    emit(config.onEvent, { type: "token_requested", attempt });
    let error: CellsAuthError;
    try {
      const token = await attemptOnce(config, client, signal);
      emit(config.onEvent, {
        type: "token_issued",
        fingerprint: fingerprint(token.accessToken),
        expiresIn: token.expiresIn,
        expiresAt: token.expiresAt,
        attempts: attempt,
      });
      return token;
    } catch (caught) {
      error = toCellsAuthError(caught);
    }
    const retryAfterTooLong = error.retryAfterMs !== undefined && error.retryAfterMs > config.retry.maxDelayMs;
    if (!error.retryable || attempt > config.retry.maxRetries || retryAfterTooLong) throw withAttempts(error, attempt);
    const delayMs = error.retryAfterMs ?? backoffDelay(attempt, config.retry);
    emit(config.onEvent, {
      type: "retry",
      attempt,
      delayMs,
      reason: error.code === "timeout" ? "timeout" : error.code === "network" ? "network" : "status",
      status: error.status,
    });
    try {
      await sleep(delayMs, signal);
    } catch (aborted) {
      throw withAttempts(aborted as CellsAuthError, attempt);
    }
  }
}

/** One HTTP attempt with its own timeout. Throws only `CellsAuthError`. */
async function attemptOnce(config: ResolvedRequestOptions, client: TokenHttpClient, signal: AbortSignal | undefined): Promise<AccessToken> {
  if (signal?.aborted) throw abortedError();
  const startedAt = config.now();
  const attempt = new AbortController();
  const timer = setTimeout(() => attempt.abort(), config.timeoutMs);
  const onAbort = () => attempt.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  const secret = config.clientSecret.reveal();
  try {
    const body: TokenRequestBody = { grant_type: "client_credentials", client_id: config.clientId, client_secret: secret };
    const sent = client.POST(TOKEN_PATH, {
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      signal: attempt.signal,
      redirect: "manual",
      parseAs: "text",
    });
    const { data, error, response } = await untilAborted(sent, attempt.signal);
    const parsed = response.ok ? parseBody(data ?? "") : (error as unknown);
    const token = interpretTokenResponse(response.status, response.headers, parsed, { startedAt, now: config.now, secrets: [secret], url: config.tokenUrl });
    const arrivedAt = config.now();
    if (token.expiresAt <= arrivedAt) {
      // Never hand out a token that is dead on arrival: a slow answer is retried like a timeout.
      throw new CellsAuthError("timeout", `The token response took ${Math.round(arrivedAt - startedAt)} ms, longer than the token's lifetime (${token.expiresIn} s): it arrived expired.`, { retryable: true });
    }
    return token;
  } catch (caught) {
    if (isCellsAuthError(caught)) throw caught;
    if (signal?.aborted) throw abortedError();
    if (attempt.signal.aborted) {
      throw new CellsAuthError("timeout", `The token request to ${config.tokenUrl} took longer than ${config.timeoutMs} ms.`, { retryable: true });
    }
    const reason = networkReason(caught);
    throw new CellsAuthError(
      "network",
      `Could not reach ${config.tokenUrl}${reason ? ` (${reason})` : ""}. Check the network connection and baseUrl.`,
      { retryable: true, cause: caught },
    );
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

/** What made fetch fail: the system error code (ECONNREFUSED, ENOTFOUND, ...) or the innermost cause's message. */
function networkReason(error: unknown): string | undefined {
  let reason: string | undefined;
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === "string") return code;
    if (depth > 0 && typeof message === "string" && message !== "") reason = message.slice(0, 100);
    current = cause;
  }
  return reason;
}
