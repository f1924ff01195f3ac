import openapiFetch from "openapi-fetch";

/**
 * openapi-fetch's `createClient`, the same from our ESM and CommonJS builds. The CommonJS build
 * imports openapi-fetch's CommonJS file with Node's interop, which hands over the whole
 * `exports` object (the function is on its `.default`) instead of the function itself. Resolved
 * when called, not at import, so that a bundle without `createCellsClient` drops openapi-fetch.
 */
export const createClient: typeof openapiFetch = (options) =>
  (typeof openapiFetch === "function" ? openapiFetch : (openapiFetch as unknown as { default: typeof openapiFetch }).default)(options);
