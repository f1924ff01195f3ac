import { tokenOptionKeys } from "../token/cache-options.js";
import { createTokenClient } from "../token/token-client.js";
import type { TokenClient } from "../token/token-cache.js";
import type { TokenClientOptions } from "../options.js";
import type { CellsPaths } from "../spec.js";
import { copyOptions, createCellsClientWithTokens, type ApiClientOptions, type CellsClient } from "./cells-client-with-tokens.js";

export type { CellsClient } from "./cells-client-with-tokens.js";

/**
 * Options of `createCellsClient`: the API client's options (see `ApiClientOptions`), and either
 * `tokens` or the options of a token client to make.
 */
export type CellsClientOptions = ApiClientOptions &
  (
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
 * A typed openapi-fetch client for Aspose.Cells Cloud. Every request is authenticated in the
 * client's fetch, after all middlewares (see `authenticatedFetch`). Pass a token client as
 * `tokens`, or token client options to make one. Without a type argument the client is typed for
 * every controller the package ships; `createCellsClient<paths>()` narrows it to one controller.
 */
export function createCellsClient<Paths extends {} = CellsPaths>(options: CellsClientOptions = {}): CellsClient<Paths> {
  const copy = copyOptions(options);
  if (copy.tokens !== undefined) return createCellsClientWithTokens<Paths>(copy);
  // No tokens: a token client made from the options, which shares baseUrl, fetch and allowInsecureHttp with the API client.
  const { tokens: _none, ...rest } = copy;
  const tokens = createTokenClient(rest as TokenClientOptions);
  const apiOptions: Record<string, unknown> = { ...rest };
  for (const key of tokenOptionKeys()) delete apiOptions[key];
  return createCellsClientWithTokens<Paths>({ ...(apiOptions as ApiClientOptions), tokens });
}
