import type { Middleware } from "openapi-fetch";
import type { TokenClient } from "./token-client.js";
import { canReplay } from "./replayable-body.js";

interface Sent {
  /** The access token the request went out with. */
  readonly token: string;
  /** An unsent copy for one replay after a 401, when the body allows it. */
  readonly replay: Request | undefined;
}

/**
 * openapi-fetch middleware that authenticates every request with a token from `tokens`:
 * sets `Authorization: Bearer <token>` (unless the request has an Authorization header already),
 * and after a 401 drops that token and replays the request once with a fresh one, when its body
 * can be sent again. A second 401 is returned as it is. Token failures reject with the token
 * client's `CellsAuthError`.
 */
export function authMiddleware(tokens: TokenClient): Middleware {
  const sent = new WeakMap<Request, Sent>();
  return {
    async onRequest({ request }) {
      if (request.headers.has("authorization")) return undefined;
      const { accessToken } = await tokens.getToken({ signal: request.signal });
      // A bodyless request can be sent again as it is; one with a body needs an unsent copy.
      const replay = request.body === null ? request : canReplay(request) ? request.clone() : undefined;
      request.headers.set("Authorization", `Bearer ${accessToken}`);
      sent.set(request, { token: accessToken, replay });
      return request;
    },
    async onResponse({ request, response, options }) {
      if (response.status !== 401) return undefined;
      const first = sent.get(request);
      if (!first?.replay) return undefined;
      sent.delete(request);
      await tokens.invalidate(first.token);
      const { accessToken } = await tokens.getToken({ signal: request.signal });
      await response.body?.cancel().catch(() => undefined);
      first.replay.headers.set("Authorization", `Bearer ${accessToken}`);
      return options.fetch(first.replay);
    },
  };
}
