import { CellsAuthError, isCellsAuthError } from "../errors.js";
import { corsHint } from "../util/cors-hint.js";

/**
 * What an API call rejects with when its fetch rejects: `aborted` when the request's own signal
 * aborted, else `network` (retryable). The message is the library's own and names the request's
 * method, origin and path, never its query (which may hold anything); the fetch's error is kept as
 * it is in `cause`, which is not enumerable (`JSON.stringify` leaves it out). A `CellsAuthError`
 * (from another authenticated fetch) is passed on as it is.
 */
export function fetchFailure(error: unknown, request: Request): CellsAuthError {
  if (isCellsAuthError(error)) return error;
  const url = new URL(request.url);
  const what = `${request.method} ${url.origin}${url.pathname}`;
  if (request.signal.aborted) return new CellsAuthError("aborted", `${what} was aborted by its signal.`, { cause: error });
  return new CellsAuthError("network", `${what} failed: the request did not get an answer. Check the network and baseUrl.${corsHint(request.url, error)}`, {
    retryable: true,
    cause: error,
  });
}

/** `send(request)`, with a rejection turned into `fetchFailure`. */
export async function sent(request: Request, send: (request: Request) => Promise<Response>): Promise<Response> {
  try {
    return await send(request);
  } catch (error) {
    throw fetchFailure(error, request);
  }
}
