/**
 * Aliases of the generated PostAccessToken types: the only place `src/` names generated paths.
 */
import type { paths } from "../generated/cells-authority.js";

export type { paths as CellsAuthorityPaths } from "../generated/cells-authority.js";

/** Every path of every controller the package ships (generated from openapi/controllers.json). */
export type { paths as CellsPaths } from "../generated/all-controllers.js";

type PostAccessToken = paths["/cells/connect/token"]["post"];

/** The content type of the token request, as the spec declares it. */
export type TokenRequestContentType = keyof NonNullable<PostAccessToken["requestBody"]>["content"];

/** The form the token endpoint takes (application/x-www-form-urlencoded). */
export type TokenRequestBody = NonNullable<PostAccessToken["requestBody"]>["content"]["application/x-www-form-urlencoded"];

/** The token endpoint's 200 body, as the spec declares it (checked at run time before use). */
export type TokenResponseBody = PostAccessToken["responses"]["200"]["content"]["application/json"];

/** The OAuth error body of a 400 or 401. */
export type OAuthErrorBody = PostAccessToken["responses"]["401"]["content"]["application/json"];
