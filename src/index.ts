/**
 * `aspose-cells-cloud-auth`: tokens for the Aspose.Cells Cloud REST API (cached, single-flight,
 * retried, typed and secret-safe), and clients that send them: `createCellsClient` (typed
 * openapi-fetch), `authMiddleware` and `authenticatedFetch` (any fetch-based client).
 * @module
 */
export { postAccessToken } from "./token/post-access-token.js";
export { createTokenClient } from "./token/token-client.js";
export type { GetTokenOptions, TokenClient } from "./token/token-cache.js";
export { authMiddleware } from "./api/auth-middleware.js";
export { authenticatedFetch } from "./api/authenticated-fetch.js";
export { createCellsClient } from "./api/cells-client.js";
export type { CellsClient, CellsClientOptions } from "./api/cells-client.js";
export { processTokenResponse } from "./token/access-token.js";
export type { ProcessContext } from "./token/access-token.js";
export type { AccessToken } from "./token/token-shape.js";
export { CellsAuthError, isCellsAuthError } from "./errors.js";
export type { CellsAuthErrorCode, CellsAuthErrorDetails } from "./errors.js";
export { createMemoryTokenStore } from "./store/token-store.js";
export type { LeaseResult, TokenLease, TokenStore, TokenStoreBinding } from "./store/token-store.js";
export type { TokenEvent, TokenEventListener } from "./token/events.js";
export type { FlightMode } from "./token/cache-rules.js";
export type { CacheOptions, PostAccessTokenOptions, RequestOptions, RetryOptions, TokenClientOptions } from "./options.js";
export { DEFAULT_BASE_URL } from "./defaults.js";
export type { CellsAuthorityPaths, CellsPaths, OAuthErrorBody, TokenRequestBody, TokenResponseBody } from "./spec.js";
