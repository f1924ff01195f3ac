import { SpanKind, SpanStatusCode, type Attributes, type Span, type Tracer } from "@opentelemetry/api";
import type { TokenEvent } from "../token/events.js";
import { ATTR, SPAN_EVENT, SPAN_NAME } from "./defaults.js";

/**
 * The span of one flight: started by `token_flight_started`, annotated by the events of its
 * request, ended by `token_flight_landed` or `token_flight_failed`. Only fingerprints, codes,
 * numbers and the server's address: never a secret or a token.
 */

type EventOf<T extends TokenEvent["type"]> = Extract<TokenEvent, { type: T }>;

/** A flight's span and the attempts its request made so far. */
export interface FlightSpan {
  readonly span: Span;
  attempts: number;
}

/** `server.address` and `server.port` of a client's base URL (the port its scheme implies when none is written). */
export function serverAttributes(baseUrl: string): Attributes {
  const url = new URL(baseUrl);
  const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  return { [ATTR.serverAddress]: url.hostname.replace(/^\[(.*)\]$/, "$1"), [ATTR.serverPort]: port };
}

/** Starts the span of the flight `event` announces. */
export function startFlightSpan(tracer: Tracer, event: EventOf<"token_flight_started">, server: Attributes): FlightSpan {
  const attributes: Attributes = { ...server, [ATTR.mode]: event.mode };
  if (event.timeLeftMs !== undefined) attributes[ATTR.timeLeft] = event.timeLeftMs / 1000;
  return { span: tracer.startSpan(SPAN_NAME, { kind: SpanKind.INTERNAL, attributes }), attempts: 0 };
}

/** Records on the flight's span what its request reports: attempts, retries, the token's fingerprint, the store lease and store errors. */
export function annotateFlightSpan(flight: FlightSpan, event: TokenEvent): void {
  const { span } = flight;
  switch (event.type) {
    case "token_requested":
      flight.attempts = event.attempt;
      break;
    case "retry": {
      const attributes: Attributes = { [ATTR.attempt]: event.attempt, [ATTR.retryReason]: event.reason, [ATTR.retryDelay]: event.delayMs / 1000 };
      if (event.status !== undefined) attributes[ATTR.httpStatus] = event.status;
      span.addEvent(SPAN_EVENT.retry, attributes);
      break;
    }
    case "token_issued":
      flight.attempts = event.attempts;
      span.setAttributes({ [ATTR.fingerprint]: event.fingerprint, [ATTR.expiresIn]: event.expiresIn });
      break;
    case "store_lease":
      span.setAttribute(ATTR.storeLease, event.outcome);
      span.addEvent(SPAN_EVENT.storeLease, { [ATTR.storeLease]: event.outcome });
      break;
    case "store_error":
      span.addEvent(SPAN_EVENT.storeError, { [ATTR.storeOperation]: event.operation });
      break;
    default:
      break;
  }
}

/** Ends the flight's span: its outcome and attempts; on failure the ERROR status, `error.type` (the error code) and the HTTP status. */
export function endFlightSpan(flight: FlightSpan, event: EventOf<"token_flight_landed" | "token_flight_failed">): void {
  const { span } = flight;
  if (event.type === "token_flight_landed") {
    span.setAttributes({ [ATTR.outcome]: outcomeOf(event), [ATTR.attempts]: flight.attempts, [ATTR.fingerprint]: event.fingerprint });
  } else {
    const attributes: Attributes = { [ATTR.outcome]: "failed", [ATTR.attempts]: event.attempts ?? flight.attempts, [ATTR.errorType]: event.code };
    if (event.status !== undefined) attributes[ATTR.httpStatus] = event.status;
    span.setAttributes(attributes);
    span.setStatus({ code: SpanStatusCode.ERROR, message: event.code });
  }
  span.end();
}

/** `issued` (this client requested the token), `stored` (from its store) or `failed`. */
export function outcomeOf(event: EventOf<"token_flight_landed" | "token_flight_failed">): "issued" | "stored" | "failed" {
  if (event.type === "token_flight_failed") return "failed";
  return event.source === "request" ? "issued" : "stored";
}
