/**
 * Every name and default of the OpenTelemetry entry, in one place: the instrumentation scope, the
 * span name, the attribute keys (the semantic conventions' where they exist) and the metrics with
 * their units and histogram buckets. README's "Observability" section documents each.
 */

/** The instrumentation scope (tracer and meter name). */
export const SCOPE = "aspose-cells-cloud-auth";

/** The name of a flight's span. */
export const SPAN_NAME = "aspose.cells.token";

/** Attribute keys: the semantic conventions' first (stable ones), then this library's, under one prefix. */
export const ATTR = /* @__PURE__ */ Object.freeze({
  httpStatus: "http.response.status_code",
  serverAddress: "server.address",
  serverPort: "server.port",
  errorType: "error.type",
  mode: "aspose.cells.token.mode",
  outcome: "aspose.cells.token.outcome",
  attempts: "aspose.cells.token.attempts",
  fingerprint: "aspose.cells.token.fingerprint",
  expiresIn: "aspose.cells.token.expires_in",
  timeLeft: "aspose.cells.token.time_left",
  storeLease: "aspose.cells.token.store_lease",
  storeOperation: "aspose.cells.token.store.operation",
  attempt: "aspose.cells.token.attempt",
  retryReason: "aspose.cells.token.retry.reason",
  retryDelay: "aspose.cells.token.retry.delay",
} as const);

/** The span events a flight's span carries. */
export const SPAN_EVENT = /* @__PURE__ */ Object.freeze({ retry: "retry", storeLease: "store_lease", storeError: "store_error" } as const);

/** Request durations in seconds: the HTTP semantic conventions' buckets, and two more for retries under backoff. */
const DURATION_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60];
/** Life left on a token when its refresh starts, in seconds: from "ended already" (0) to an hour. */
const TIME_LEFT_BUCKETS_S = [0, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];

/** The metrics, their units (UCUM, as OpenTelemetry wants them) and, for histograms, their buckets. */
export const METRIC = /* @__PURE__ */ Object.freeze({
  requests: { name: "aspose.cells.token.requests", unit: "{request}", description: "Token requests (flights: one per token the client needed, shared by every waiting caller), by outcome." },
  duration: {
    name: "aspose.cells.token.request.duration",
    unit: "s",
    description: "How long a token request (flight) took, retries and store included.",
    buckets: DURATION_BUCKETS_S,
  },
  refreshFailures: { name: "aspose.cells.token.refresh.failures", unit: "{failure}", description: "Background refreshes that failed (callers kept the cached token)." },
  invalidations: { name: "aspose.cells.token.invalidations", unit: "{invalidation}", description: "Tokens dropped by invalidate() after the API rejected them." },
  storeErrors: { name: "aspose.cells.token.store.errors", unit: "{error}", description: "Token store calls that failed or timed out (the client then requested on its own)." },
  timeLeft: {
    name: "aspose.cells.token.refresh.time_left",
    unit: "s",
    description: "Life left on the cached token when a request to replace it started (0: it had ended).",
    buckets: TIME_LEFT_BUCKETS_S,
  },
} as const);
