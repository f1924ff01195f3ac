import type { Client, ClientOptions } from "openapi-fetch";
import { CellsAuthError } from "../errors.js";
import { tokenOptionKeys } from "../token/cache-options.js";
import type { TokenClient } from "../token/token-cache.js";
import { normalizeBaseUrl } from "../util/base-url.js";
import type { CellsPaths } from "../spec.js";
import { authenticatedFetch } from "./authenticated-fetch.js";
import { checkTokenClient } from "./authorize.js";
import { createClient } from "./openapi-fetch.js";

/**
 * The typed openapi-fetch client `createCellsClient` returns. Without a type argument it knows
 * every path of every controller the package ships; `CellsClient<paths>` narrows it to one
 * controller's generated `paths`.
 */
export type CellsClient<Paths extends {} = CellsPaths> = Client<Paths>;

/** What `createCellsClient` takes besides its tokens: openapi-fetch's client options, and these. */
export type ApiClientOptions = Omit<ClientOptions, "baseUrl"> & {
  /** API base URL. @default the token client's baseUrl (ASPOSE_CLOUD_API_URL, else https://api.aspose.cloud/v4.0) */
  baseUrl?: string;
  /** Allow http:// to a host that is not loopback (tokens then travel unencrypted). @default false */
  allowInsecureHttp?: boolean;
};

/** The options of `createCellsClient` from `aspose-cells-cloud-auth/client`: `tokens` is required. */
export type CellsClientWithTokensOptions = ApiClientOptions & {
  /** Where the tokens come from: `createTokenSource()` (or, where the secret is, `createTokenClient()`). */
  tokens: TokenClient;
};

/**
 * A typed openapi-fetch client for Aspose.Cells Cloud that authenticates every request with a
 * token from `tokens`, in its fetch, after all middlewares (see `authenticatedFetch`), and replays
 * a request once after a 401. Token client options beside `tokens` are refused (they could not
 * configure it). Without a type argument the client is typed for every controller the package
 * ships; `createCellsClient<paths>()` narrows it to one controller.
 */
export function createCellsClientWithTokens<Paths extends {} = CellsPaths>(options: CellsClientWithTokensOptions): CellsClient<Paths> {
  const { tokens, allowInsecureHttp = false, ...clientOptions } = copyOptions(options);
  checkTokenClient(tokens);
  const mixed = tokenOptionKeys().filter((key) => key in clientOptions);
  if (mixed.length > 0) {
    throw new CellsAuthError("invalid_config", `Pass either tokens or token client options, not both (got ${mixed.join(", ")}).`);
  }
  const baseUrl = clientOptions.baseUrl === undefined ? tokens.baseUrl : normalizeBaseUrl(clientOptions.baseUrl, allowInsecureHttp);
  const baseFetch = clientOptions.fetch ?? ((input: Request, init?: RequestInit) => globalThis.fetch(input, init));
  return createClient<Paths>({ ...clientOptions, baseUrl, fetch: authenticatedFetch(tokens, baseFetch) });
}

/** A copy of a caller's options object, read once: a Proxy or a getter that throws is a config error, not a raw one. */
export function copyOptions<T extends object>(options: T): T {
  if (typeof options !== "object" || options === null) {
    throw new CellsAuthError("invalid_config", "options must be an object.");
  }
  try {
    return { ...options };
  } catch (error) {
    throw new CellsAuthError("invalid_config", "options could not be read: reading them threw.", { cause: error });
  }
}
