/**
 * `aspose-cells-cloud-auth/client`: the entry for code that never holds the client secret (a
 * browser page, an edge worker). A token source over any async function (`createTokenSource`,
 * e.g. your backend's token route), the typed API client over it, and the error class. No client
 * secret handling and no scrubber: whatever ships to a page is small.
 */
export { createTokenSource } from "./token/token-source.js";
export type { TokenSourceOptions, TokenSourceResult } from "./token/token-source.js";
export { createCellsClientWithTokens as createCellsClient } from "./api/cells-client-with-tokens.js";
export type { ApiClientOptions, CellsClient, CellsClientWithTokensOptions } from "./api/cells-client-with-tokens.js";
export { authMiddleware } from "./api/auth-middleware.js";
export { authenticatedFetch } from "./api/authenticated-fetch.js";
export type { GetTokenOptions, TokenClient } from "./token/token-cache.js";
export type { AccessToken } from "./token/token-shape.js";
export { CellsAuthError, isCellsAuthError } from "./errors.js";
export type { CellsAuthErrorCode, CellsAuthErrorDetails } from "./errors.js";
export type { LeaseResult, TokenLease, TokenStore, TokenStoreBinding } from "./store/token-store.js";
export type { TokenEvent, TokenEventListener } from "./token/events.js";
export type { FlightMode } from "./token/cache-rules.js";
export type { CacheOptions, RetryOptions } from "./options.js";
export { DEFAULT_BASE_URL } from "./defaults.js";
export type { CellsPaths } from "./spec.js";
