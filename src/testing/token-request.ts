import type { Credentials } from "./credentials.js";
import { MAX_BODY_BYTES } from "./http-util.js";

/** The verdict on a token request: issue a token, or answer with an OAuth-style error. */
export type TokenVerdict =
  | { readonly ok: true; readonly clientId: string }
  | { readonly ok: false; readonly status: 400 | 401 | 413; readonly error: string; readonly description: string };

export interface TokenRequestInput {
  readonly query: URLSearchParams;
  readonly contentType: string | undefined;
  /** The body text, or undefined when it was over the size limit. */
  readonly body: string | undefined;
}

const invalidRequest = (description: string): TokenVerdict => ({
  ok: false,
  status: 400,
  error: "invalid_request",
  description,
});

/** Whether the media type (parameters such as `charset` aside) is a form. */
export function isForm(contentType: string | undefined): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === "application/x-www-form-urlencoded";
}

/** Applies the token endpoint's rules in the order the spec lists them. */
export function judgeTokenRequest(input: TokenRequestInput, credentials: Credentials): TokenVerdict {
  if (input.query.has("client_id") || input.query.has("client_secret")) {
    return invalidRequest("Client credentials must be sent in the request body, never in the URL query.");
  }
  if (input.body === undefined) {
    return {
      ok: false,
      status: 413,
      error: "invalid_request",
      description: `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
    };
  }
  if (!isForm(input.contentType)) {
    return invalidRequest("The Content-Type must be application/x-www-form-urlencoded.");
  }
  const form = new URLSearchParams(input.body);
  for (const name of new Set(form.keys())) {
    if (form.getAll(name).length > 1) return invalidRequest(`The '${name}' parameter is repeated.`);
  }
  const grantType = form.get("grant_type");
  if (grantType === null || grantType === "") {
    return invalidRequest("The mandatory 'grant_type' parameter is missing.");
  }
  if (grantType !== "client_credentials") {
    return {
      ok: false,
      status: 400,
      error: "unsupported_grant_type",
      description: "The grant type is not supported; use client_credentials.",
    };
  }
  const clientId = form.get("client_id");
  if (clientId === null || clientId === "") return invalidRequest("The mandatory 'client_id' parameter is missing.");
  const clientSecret = form.get("client_secret");
  if (clientSecret === null || clientSecret === "") {
    return invalidRequest("The mandatory 'client_secret' parameter is missing.");
  }
  if (!credentials.matches(clientId, clientSecret)) {
    return { ok: false, status: 401, error: "invalid_client", description: "Client authentication failed." };
  }
  return { ok: true, clientId };
}
