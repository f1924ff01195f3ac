import { authorize, checkTokenClient, replayAfter401 } from "./authorize.js";
import { CellsAuthError } from "../errors.js";
import { sent } from "./fetch-failure.js";
import type { TokenClient } from "../token/token-cache.js";

/**
 * A fetch that authenticates every request with a token from `tokens` and replays it once after
 * a 401 (see `authMiddleware`). As the fetch of an openapi-fetch client it sees each request
 * after every middleware, and passes the client's extra fetch argument (`requestInitExt`, e.g. an
 * undici dispatcher) to the replay too. A rejection of `fetchImpl` becomes a `CellsAuthError`
 * (`network`, or `aborted` when the request's signal aborted) with the original as `cause`.
 */
export function authenticatedFetch(
  tokens: TokenClient,
  fetchImpl: (input: Request, init?: RequestInit) => Promise<Response>,
): (input: Request, init?: RequestInit) => Promise<Response> {
  checkTokenClient(tokens);
  if (typeof fetchImpl !== "function") throw new CellsAuthError("invalid_config", "fetch must be a function.");
  return async (request, init) => {
    const send = (outgoing: Request) => sent(outgoing, (r) => fetchImpl(r, init));
    const done = await authorize(tokens, request);
    const response = await send(request);
    if (!done) return response;
    return (await replayAfter401(tokens, done, request, response, send)) ?? response;
  };
}
