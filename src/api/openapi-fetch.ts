import openapiFetch from "openapi-fetch";

/**
 * openapi-fetch's `createClient`, the same from our ESM and CommonJS builds. The CommonJS build
 * imports openapi-fetch's CommonJS file with Node's interop, which hands over the whole
 * `exports` object (the function is on its `.default`) instead of the function itself.
 */
export const createClient: typeof openapiFetch =
  typeof openapiFetch === "function" ? openapiFetch : (openapiFetch as unknown as { default: typeof openapiFetch }).default;
