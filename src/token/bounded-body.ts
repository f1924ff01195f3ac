import { CellsAuthError } from "../errors.js";

function tooLarge(maxBytes: number): CellsAuthError {
  return new CellsAuthError("invalid_response", `The token response is over ${maxBytes} bytes; refused unread.`);
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
