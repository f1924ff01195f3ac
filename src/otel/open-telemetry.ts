import { diag, metrics, trace, type Attributes, type Tracer } from "@opentelemetry/api";
import type { TokenEventListener } from "../token/events.js";
import { SCOPE } from "./defaults.js";
import { tokenMetrics, type RecordMetrics } from "./metrics.js";
import { resolveOpenTelemetryOptions, type OpenTelemetryOptions } from "./options.js";
import { annotateFlightSpan, endFlightSpan, serverAttributes, startFlightSpan, type FlightSpan } from "./spans.js";

/**
 * An `onEvent` listener that turns one token client's events into OpenTelemetry spans (one per
 * flight: each time the client needs a token) and metrics. Give each client its own: the events of
 * a flight's request are put on the span of that client's newest flight in the air, so one
 * listener shared by two clients would mix their flights (it says so once, through `diag.warn`).
 * The providers are the global ones unless given, looked up at the first event (the global meter
 * provider has no proxy: instruments made before the SDK starts would record nothing). Combine it
 * with a listener of your own with `combineListeners`. Throws `invalid_config` for a bad option.
 */
export function openTelemetry(options?: OpenTelemetryOptions): TokenEventListener {
  const resolved = resolveOpenTelemetryOptions(options);
  let providers: { readonly tracer: Tracer; readonly record: RecordMetrics } | undefined;
  /** The flights in the air, oldest first, by their number. */
  const flights = new Map<number, FlightSpan>();
  let server: Attributes = {};
  let lastFlight = 0;
  let warned = false;

  return (event) => {
    providers ??= lookUp(resolved);
    switch (event.type) {
      case "token_flight_started":
        if (event.flight <= lastFlight && !warned) {
          warned = true;
          diag.warn(`${SCOPE}: one openTelemetry() listener receives the events of two token clients; give each client its own, or their flights mix.`);
        }
        lastFlight = event.flight;
        server = serverAttributes(event.baseUrl);
        flights.set(event.flight, startFlightSpan(providers.tracer, event, server));
        break;
      case "token_flight_landed":
      case "token_flight_failed": {
        const flight = flights.get(event.flight);
        flights.delete(event.flight);
        if (flight) endFlightSpan(flight, event);
        break;
      }
      default: {
        const newest = [...flights.values()].at(-1);
        if (newest) annotateFlightSpan(newest, event);
      }
    }
    providers.record(event, server);
  };
}

/** The tracer and the instruments, from the providers given or the global ones. */
function lookUp({ tracerProvider, meterProvider }: OpenTelemetryOptions): { readonly tracer: Tracer; readonly record: RecordMetrics } {
  return {
    tracer: (tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE),
    record: tokenMetrics((meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE)),
  };
}
