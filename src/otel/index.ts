/**
 * `aspose-cells-cloud-auth/otel`: OpenTelemetry spans and metrics for the token client, as an
 * `onEvent` listener. Needs `@opentelemetry/api` (an optional peer dependency) and an OpenTelemetry
 * SDK set up by the application; README's "Observability" section has the setup and every name.
 * @module
 */
export { openTelemetry } from "./open-telemetry.js";
export type { OpenTelemetryOptions } from "./options.js";
export { combineListeners } from "./combine.js";
