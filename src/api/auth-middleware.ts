import type { Middleware } from "openapi-fetch";
import { authorize, checkTokenClient, replayAfter401, type Authorized } from "./authorize.js";
import type { TokenClient } from "../token/token-cache.js";
import { fetchFailure, sent } from "./fetch-failure.js";

/**
 * openapi-fetch middleware that authenticates every request with a token from `tokens`:
 * sets `Authorization: Bearer <token>` (unless the request has an Authorization header already),
 * and after a 401 drops that token and replays the request once with a fresh one, when its body
 * can be sent again. A second 401 is returned as it is. Token failures reject with the token
 * client's `CellsAuthError`; a rejection of the fetch (the request's, or the replay's) becomes a
 * `CellsAuthError` (`network`, or `aborted` when the request's signal aborted), the original kept as
 * `cause`.
 *
 * Register it after middlewares that replace the Request, so it sees the request that goes out,
 * and so that middlewares registered before it see the replayed response. `createCellsClient`
 * needs no such care: it authenticates in its fetch, after every middleware.
 */
export function authMiddleware(tokens: TokenClient): Middleware {
  const client = checkTokenClient(tokens);
  const authorized = new WeakMap<Request, Authorized>();
  return {
    async onRequest({ request }) {
      const done = await authorize(client, request);
      if (done) authorized.set(request, done);
      return undefined;
    },
    async onResponse({ request, response, options }) {
      const done = authorized.get(request);
      if (!done) return undefined;
      authorized.delete(request);
      return replayAfter401(client, done, request, response, (replay) => sent(replay, options.fetch));
    },
    onError({ request, error }) {
      return fetchFailure(error, request);
    },
  };
}
