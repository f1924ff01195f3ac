// Type-level test, checked by `npm run typecheck` (tsc), not run by mocha: the generated types
// accept the real token request body and reject a wrong field name or grant type.
import type { paths } from "../../generated/cells-authority.js";

type TokenRequestBody =
  paths["/cells/connect/token"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"];

export const correct: TokenRequestBody = { grant_type: "client_credentials", client_id: "id", client_secret: "secret" };

// @ts-expect-error -- the field is client_secret, not clientSecret
export const wrongFieldName: TokenRequestBody = { grant_type: "client_credentials", client_id: "id", clientSecret: "secret" };

// @ts-expect-error -- client_secret is required
export const missingField: TokenRequestBody = { grant_type: "client_credentials", client_id: "id" };

// @ts-expect-error -- only the client_credentials grant exists
export const wrongGrant: TokenRequestBody = { grant_type: "password", client_id: "id", client_secret: "secret" };
