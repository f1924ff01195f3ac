import { CellsAuthError } from "../errors.js";
import { canReplay } from "./replayable-body.js";
import type { TokenClient } from "../token/token-cache.js";

/** What authorizing a request left for a possible replay after a 401. */
export interface Authorized {
  /** The access token the request went out with. */
  readonly token: string;
  /** false: its body is a one-shot stream (or cannot be shown not to be), so it is never replayed. */
  readonly replayable: boolean;
  /** An unsent copy of a request with a body; a bodyless request is replayed as it is. */
  readonly copy: Request | undefined;
}

/**
 * Sets `Authorization: Bearer <token>` on `request`, unless it has an Authorization header (then
 * returns undefined: the caller's own credentials are never touched or replayed).
 */
export async function authorize(tokens: TokenClient, request: Request): Promise<Authorized | undefined> {
  if (request.headers.has("authorization")) return undefined;
  const { accessToken } = await tokens.getToken({ signal: request.signal });
  const hasBody = request.body !== null;
  const replayable = !hasBody || canReplay(request);
  const copy = hasBody && replayable ? request.clone() : undefined;
  request.headers.set("Authorization", `Bearer ${accessToken}`);
  return { token: accessToken, replayable, copy };
}

/**
 * After a 401 for an authorized request: drops that token (once for many parallel 401s, see
 * `TokenClient.invalidate`) and sends the request once more with a fresh token, carrying the
 * headers of `sent` (the request as it finally went out). Returns undefined when it does not
 * replay (not a 401, a body that cannot be sent again, or no new token: the token client keeps a
 * token rejected right after the previous one, see `invalidate`). A second 401 is the caller's.
 */
export async function replayAfter401(
  tokens: TokenClient,
  authorized: Authorized,
  sent: Request,
  response: Response,
  send: (request: Request) => Promise<Response>,
): Promise<Response | undefined> {
  if (response.status !== 401 || !authorized.replayable) return undefined;
  const replay = authorized.copy ?? sent;
  if (authorized.copy) for (const [name, value] of sent.headers) replay.headers.set(name, value);
  await tokens.invalidate(authorized.token);
  const { accessToken } = await tokens.getToken({ signal: sent.signal });
  // The client kept the token (it was issued just after another was rejected): the 401 is the caller's.
  if (accessToken === authorized.token) return undefined;
  await response.body?.cancel().catch(() => undefined);
  replay.headers.set("Authorization", `Bearer ${accessToken}`);
  return send(replay);
}

/** Checks at the public boundary that `tokens` is a token client. */
export function checkTokenClient(tokens: unknown, name = "tokens"): TokenClient {
  const candidate = tokens as Partial<TokenClient> | null;
  if (typeof candidate !== "object" || candidate === null || typeof candidate.getToken !== "function" || typeof candidate.invalidate !== "function") {
    throw new CellsAuthError("invalid_config", `${name} must be a TokenClient from createTokenClient().`);
  }
  return candidate as TokenClient;
}
