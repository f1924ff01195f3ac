import type { Client, ClientOptions } from "openapi-fetch";
import { createClient } from "./openapi-fetch.js";
import { CellsAuthError } from "../errors.js";
import { authenticatedFetch } from "./authenticated-fetch.js";
import { checkTokenClient } from "./authorize.js";
import { normalizeBaseUrl } from "../util/base-url.js";
import { createTokenClient, type TokenClient } from "../token/token-client.js";
import { CLIENT_KEYS, type TokenClientOptions } from "../options.js";
import type { CellsPaths } from "../spec.js";

/**
 * The typed openapi-fetch client `createCellsClient` returns. Without a type argument it knows
 * every path of every controller the package ships; `CellsClient<paths>` narrows it to one
 * controller's generated `paths`.
 */
export type CellsClient<Paths extends {} = CellsPaths> = Client<Paths>;

/**
 * Options of `createCellsClient`: openapi-fetch's client options (but `baseUrl`, which defaults to
 * the token client's), and either `tokens` or the options of a token client to make.
 */
export type CellsClientOptions = Omit<ClientOptions, "baseUrl"> & {
  /** API base URL. @default the token client's baseUrl (ASPOSE_CLOUD_API_URL, else https://api.aspose.cloud/v4.0) */
  baseUrl?: string;
  /** Allow http:// to a host that is not loopback (tokens then travel unencrypted). @default false */
  allowInsecureHttp?: boolean;
} & (
    | {
        /** The token client to authenticate with; share one per client id. */
        tokens: TokenClient;
      }
    | (TokenClientOptions & {
        /** Without `tokens`, the client makes its own token client from these options. */
        tokens?: undefined;
      })
  );

/**
 * Options that configure a token client (with `tokens` given they would be ignored, so they are
 * refused): the token client's own, less those the API client shares with it.
 */
const tokenOptionKeys = () => CLIENT_KEYS.filter((key) => key !== "baseUrl" && key !== "fetch" && key !== "allowInsecureHttp");

/**
 * A typed openapi-fetch client for Aspose.Cells Cloud. Every request is authenticated in the
 * client's fetch, after all middlewares (see `authenticatedFetch`). Pass a token client as
 * `tokens`, or token client options to make one. Without a type argument the client is typed for
 * every controller the package ships; `createCellsClient<paths>()` narrows it to one controller.
 */
export function createCellsClient<Paths extends {} = CellsPaths>(options: CellsClientOptions = {}): CellsClient<Paths> {
  if (typeof options !== "object" || options === null) {
    throw new CellsAuthError("invalid_config", "options must be an object.");
  }
  let copy: CellsClientOptions;
  try {
    copy = { ...options }; // read once: a Proxy or a getter that throws is a config error, not a raw one
  } catch (error) {
    throw new CellsAuthError("invalid_config", "options could not be read: reading them threw.", { cause: error });
  }
  const { tokens: given, ...rest } = copy;
  let tokens: TokenClient;
  const clientOptions: ClientOptions = { ...rest };
  if (given !== undefined) {
    checkTokenClient(given);
    const mixed = tokenOptionKeys().filter((key) => key in rest);
    if (mixed.length > 0) {
      throw new CellsAuthError("invalid_config", `Pass either tokens or token client options, not both (got ${mixed.join(", ")}).`);
    }
    tokens = given;
  } else {
    const tokenOptions = rest as TokenClientOptions;
    tokens = createTokenClient(tokenOptions);
    for (const key of tokenOptionKeys()) delete (clientOptions as Record<string, unknown>)[key];
  }
  const { allowInsecureHttp = false } = copy;
  const baseUrl = clientOptions.baseUrl === undefined ? tokens.baseUrl : normalizeBaseUrl(clientOptions.baseUrl, allowInsecureHttp);
  delete (clientOptions as Record<string, unknown>).allowInsecureHttp;
  const baseFetch = clientOptions.fetch ?? ((input: Request, init?: RequestInit) => globalThis.fetch(input, init));
  return createClient<Paths>({ ...clientOptions, baseUrl, fetch: authenticatedFetch(tokens, baseFetch) });
}
