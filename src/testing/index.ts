/**
 * `aspose-cells-cloud-auth/testing`: a local Aspose.Cells Cloud emulator for offline tests (Node only).
 * @module
 */
export { startTokenServer } from "./start-token-server.js";
export type { DefinedMethod, HttpMethod, MethodOf, PathOf, RequestHandler, TokenServer, TokenServerStats } from "./server-types.js";
export { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "./options.js";
export type { TokenServerOptions } from "./options.js";
export type {
  DelayFault,
  Fault,
  HangFault,
  HtmlFault,
  InjectOptions,
  MalformedFault,
  OversizedFault,
  ResetFault,
  StatusFault,
} from "./faults.js";
export type { AuthResult, RecordedEndpoint, RecordedRequest, RequestOutcome } from "./request-log.js";
