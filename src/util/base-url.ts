import { DEFAULT_BASE_URL } from "../defaults.js";
import { CellsAuthError } from "../errors.js";

/**
 * Checks a base URL and returns it without trailing slashes. Refuses anything but http(s),
 * credentials, a query or a fragment (even an empty one), and plain http to a host that is not
 * loopback unless `allowInsecureHttp` is set: requests to it carry a token, or the secret. (Where
 * a client secret is at hand, `../options.ts` first refuses a URL that holds it.)
 */
export function normalizeBaseUrl(value: string, allowInsecureHttp: boolean, optionName = "baseUrl"): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CellsAuthError("invalid_config", `${optionName} is not a valid absolute URL (like ${DEFAULT_BASE_URL}).`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new CellsAuthError("invalid_config", `${optionName} must use https:// (got ${url.protocol}).`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new CellsAuthError("invalid_config", `${optionName} must not hold credentials; pass clientId and clientSecret.`);
  }
  // On the text, not on `url.search`: an empty "?" or "#" parses to "" and would shift the token path.
  if (/[?#]/.test(value)) {
    throw new CellsAuthError("invalid_config", `${optionName} must not have a query or fragment.`);
  }
  if (url.protocol === "http:" && !allowInsecureHttp && !isLoopback(url.hostname)) {
    throw new CellsAuthError(
      "insecure_url",
      `${optionName} uses http:// to ${url.host}: the secret would travel in clear. Use https://, or allowInsecureHttp on a trusted network.`,
    );
  }
  return url.href.replace(/\/+$/, "");
}

/** `localhost`, `127.0.0.0/8` and `[::1]`. */
export function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
