import type { ServerResponse } from "node:http";
import { sendJson } from "./http-util.js";
import type { AuthResult } from "./request-log.js";
import type { TokenRegistry } from "./token-registry.js";

const REALM = 'Bearer realm="Aspose.Cells Cloud"';

/** Judges the `Authorization` header of an API call at time `now`. */
export function authenticate(header: string | undefined, registry: TokenRegistry, now: number): AuthResult {
  if (header === undefined || header.trim() === "") return "missing";
  const match = /^Bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i.exec(header);
  if (match?.[1] === undefined) return "malformed";
  return registry.check(match[1], now);
}

const REJECTIONS: Readonly<Record<Exclude<AuthResult, "valid">, readonly [string, string]>> = {
  missing: ["invalid_request", "The Authorization header with a Bearer token is missing."],
  malformed: ["invalid_request", "The Authorization header must be 'Bearer <token>'."],
  unknown: ["invalid_token", "The access token was not issued by this server."],
  expired: ["invalid_token", "The access token expired."],
  revoked: ["invalid_token", "The access token was revoked."],
};

/** 401 with an RFC 6750 `WWW-Authenticate` challenge and a JSON error body. */
export function sendUnauthorized(res: ServerResponse, auth: Exclude<AuthResult, "valid">): void {
  const [error, description] = REJECTIONS[auth];
  const challenge =
    auth === "missing" ? REALM : `${REALM}, error="${error}", error_description="${description.replace(/"/g, "'")}"`;
  sendJson(res, 401, { error, error_description: description }, { "www-authenticate": challenge });
}

/** `GET /cells/status/check`: the service health; `detail` adds emulator details. */
export function sendStatusCheck(res: ServerResponse, now: number, detail: string | null, startedAt: number): void {
  const wantsDetail = detail !== null && !/^(|0|false|no)$/i.test(detail);
  sendJson(res, 200, {
    status: "OK",
    service: "Cells",
    timestamp: new Date(now).toISOString(),
    components: { api: "Operational", storage: "Operational", conversion: "Operational" },
    ...(wantsDetail
      ? { details: { emulator: "aspose-cells-cloud-auth/testing", uptimeSeconds: Math.max(0, Math.floor((now - startedAt) / 1000)) } }
      : {}),
  });
}

/** `GET /cells`: a JSON string, as the real API returns. */
export function sendCellsStatus(res: ServerResponse): void {
  sendJson(res, 200, "Aspose.Cells Cloud is running");
}
