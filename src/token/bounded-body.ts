import { CellsAuthError } from "../errors.js";

function tooLarge(maxBytes: number): CellsAuthError {
  return new CellsAuthError("invalid_response", `The token response body is larger than ${maxBytes} bytes; refused without reading it whole.`);
}

/**
 * Reads a response body as UTF-8 text, but no more than `maxBytes`: a larger body is cancelled
 * as soon as the limit is passed (or at once when `Content-Length` says so).
 */
export async function readBoundedText(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(maxBytes);
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/**
 * Wraps a fetch so that whoever reads the response (openapi-fetch reads error bodies whole)
 * only ever sees a body of at most `maxBytes`, and so that redirects are errors: the request
 * carries the client secret and must not travel to a host nobody configured.
 */
export function boundedFetch(
  fetchImpl: (input: Request) => Promise<Response>,
  maxBytes: number,
): (input: Request) => Promise<Response> {
  return async (request) => {
    const response = await fetchImpl(request);
    if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
      await response.body?.cancel().catch(() => undefined);
      throw new CellsAuthError(
        "http_error",
        `The token endpoint answered with a redirect (${response.status || "opaque"}), which is not followed: credentials only go to the configured host. Check baseUrl.`,
        { status: response.status || undefined },
      );
    }
    if (response.status < 200 || response.status > 599) {
      await response.body?.cancel().catch(() => undefined);
      throw new CellsAuthError("http_error", `The token endpoint answered with HTTP status ${response.status}, which is not a valid final status.`, {
        status: response.status,
      });
    }
    const text = await readBoundedText(response, maxBytes);
    return new Response(text === "" ? null : text, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
