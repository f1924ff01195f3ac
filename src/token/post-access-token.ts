import { DEFAULTS } from "../defaults.js";
import { arrivedExpired, CellsAuthError, isCellsAuthError, withAttempts } from "../errors.js";
import { readBoundedText } from "./bounded-body.js";
import { interpretTokenResponse, parseBody } from "./access-token.js";
import type { AccessToken } from "./token-shape.js";
import { backoffDelay } from "./backoff.js";
import { emit } from "./events.js";
import { fingerprint } from "../util/fingerprint.js";
import { resolvePostAccessTokenOptions, type PostAccessTokenOptions, type ResolvedRequestOptions } from "../options.js";
import { abortedError, follow, sleep, untilAborted } from "../util/signals.js";
import { corsHint } from "../util/cors-hint.js";
import { scrub } from "../util/redact.js";
import { scrubbedError } from "../util/scrubbed-error.js";
import type { TokenRequestBody, TokenRequestContentType } from "../spec.js";

/** The content type the spec gives the token request (a spec that changes it fails type-checking here). */
const FORM: TokenRequestContentType = "application/x-www-form-urlencoded";

/**
 * One token request, no cache: `POST {baseUrl}/cells/connect/token` with the client-credentials
 * form, retried on network errors, timeouts and 408/429/5xx. Use `createTokenClient` to cache.
 */
export async function postAccessToken(options?: PostAccessTokenOptions): Promise<AccessToken> {
  const { config, signal } = resolvePostAccessTokenOptions(options);
  let followed: ReturnType<typeof follow>;
  try {
    followed = follow(signal);
  } catch (error) {
    throw scrubbedError(error, (text) => config.clientSecret.redact(text));
  }
  try {
    return await requestToken(config, followed.signal);
  } finally {
    followed.release();
  }
}

/** Requests a token, with the retry policy of `config`. `signal` cancels the request and any wait. */
export async function requestToken(config: ResolvedRequestOptions, signal: AbortSignal | undefined): Promise<AccessToken> {
  for (let attempt = 1; ; attempt++) {
    emit(config.onEvent, { type: "token_requested", attempt });
    let error: CellsAuthError;
    try {
      const token = await attemptOnce(config, signal);
      emit(config.onEvent, {
        type: "token_issued",
        fingerprint: fingerprint(token.accessToken),
        expiresIn: token.expiresIn,
        expiresAt: token.expiresAt,
        attempts: attempt,
      });
      return token;
    } catch (caught) {
      // What fetch or the caller's objects threw is kept as a cause only scrubbed of the secret.
      error = scrubbedError(caught, (text) => config.clientSecret.redact(text));
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

/**
 * One HTTP attempt with its own timeout: the PostAccessToken call of the spec (its path, form and
 * response types come from the generated code), sent with the platform's fetch. Redirects are
 * refused (the request carries the secret), the body is read up to 64 KiB. Throws only `CellsAuthError`.
 */
async function attemptOnce(config: ResolvedRequestOptions, signal: AbortSignal | undefined): Promise<AccessToken> {
  if (signal?.aborted) throw abortedError();
  const startedAt = config.now();
  const attempt = new AbortController();
  const timer = setTimeout(() => attempt.abort(), config.timeoutMs);
  const onAbort = () => attempt.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  const secret = config.clientSecret.reveal();
  try {
    const body: TokenRequestBody = { grant_type: "client_credentials", client_id: config.clientId, client_secret: secret };
    const request = new Request(config.tokenUrl, {
      method: "POST",
      headers: { "Content-Type": FORM, Accept: "application/json" },
      body: new URLSearchParams(body),
      signal: attempt.signal,
      redirect: "manual",
    });
    // Called as a plain function: browsers and workerd refuse a fetch called on another object ("Illegal invocation").
    const send = config.fetch;
    const response = await untilAborted(Promise.resolve().then(() => send(request)), attempt.signal);
    const { status } = response;
    if (response.type === "opaqueredirect" || (status >= 300 && status < 400) || status < 200 || status > 599) {
      await response.body?.cancel().catch(() => undefined);
      const redirect = response.type === "opaqueredirect" || status < 400;
      throw new CellsAuthError(
        "http_error",
        redirect
          ? `The token endpoint redirected (${status || "opaque"}); redirects are not followed: credentials go to baseUrl only.`
          : `The token endpoint answered HTTP ${status}, not a final status.`,
        { status: status || undefined },
      );
    }
    const text = await untilAborted(readBoundedText(response, DEFAULTS.maxResponseBytes), attempt.signal);
    const token = interpretTokenResponse(status, response.headers, parseBody(text), { startedAt, now: config.now, secrets: [secret], url: config.tokenUrl });
    const arrivedAt = config.now();
    if (token.expiresAt <= arrivedAt) {
      // Never hand out a token that is dead on arrival: a slow answer is retried like a timeout.
      throw arrivedExpired(arrivedAt - startedAt, token.expiresIn);
    }
    return token;
  } catch (caught) {
    if (isCellsAuthError(caught)) throw caught;
    if (signal?.aborted) throw abortedError();
    if (attempt.signal.aborted) {
      throw new CellsAuthError("timeout", `The token request to ${config.tokenUrl} took over ${config.timeoutMs} ms.`, { retryable: true });
    }
    // The reason is outside text (a custom fetch may say anything): scrubbed, like the cause (see requestToken).
    const reason = scrub(networkReason(caught) ?? "", [secret], 100);
    throw new CellsAuthError(
      "network",
      `Could not reach ${config.tokenUrl}${reason ? ` (${reason})` : ""}. Check the network and baseUrl.${corsHint(config.tokenUrl, caught)}`,
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
    if (depth > 0 && typeof message === "string" && message !== "") reason = message;
    current = cause;
  }
  return reason;
}
