import type { Attributes, Meter } from "@opentelemetry/api";
import type { TokenEvent } from "../token/events.js";
import { ATTR, METRIC } from "./defaults.js";
import { outcomeOf } from "./spans.js";

/**
 * The metrics of a token client, from its events (names, units and buckets in `./defaults.ts`).
 * `server` holds `server.address` and `server.port` of the client's base URL, put on every point.
 */
export type RecordMetrics = (event: TokenEvent, server: Attributes) => void;

/** Creates the instruments on `meter`; the function it returns records the events that count. */
export function tokenMetrics(meter: Meter): RecordMetrics {
  const requests = meter.createCounter(METRIC.requests.name, { unit: METRIC.requests.unit, description: METRIC.requests.description });
  const duration = meter.createHistogram(METRIC.duration.name, {
    unit: METRIC.duration.unit,
    description: METRIC.duration.description,
    advice: { explicitBucketBoundaries: [...METRIC.duration.buckets] },
  });
  const refreshFailures = meter.createCounter(METRIC.refreshFailures.name, { unit: METRIC.refreshFailures.unit, description: METRIC.refreshFailures.description });
  const invalidations = meter.createCounter(METRIC.invalidations.name, { unit: METRIC.invalidations.unit, description: METRIC.invalidations.description });
  const storeErrors = meter.createCounter(METRIC.storeErrors.name, { unit: METRIC.storeErrors.unit, description: METRIC.storeErrors.description });
  const timeLeft = meter.createHistogram(METRIC.timeLeft.name, {
    unit: METRIC.timeLeft.unit,
    description: METRIC.timeLeft.description,
    advice: { explicitBucketBoundaries: [...METRIC.timeLeft.buckets] },
  });

  return (event, server) => {
    switch (event.type) {
      case "token_flight_started":
        if (event.timeLeftMs !== undefined) timeLeft.record(event.timeLeftMs / 1000, { ...server, [ATTR.mode]: event.mode });
        break;
      case "token_flight_landed":
      case "token_flight_failed": {
        const attributes: Attributes = { ...server, [ATTR.mode]: event.mode, [ATTR.outcome]: outcomeOf(event) };
        if (event.type === "token_flight_failed") attributes[ATTR.errorType] = event.code;
        requests.add(1, attributes);
        duration.record(Math.max(0, event.durationMs) / 1000, attributes);
        break;
      }
      case "refresh_failed":
        refreshFailures.add(1, { ...server, [ATTR.errorType]: event.code });
        break;
      case "token_invalidated":
        invalidations.add(1, server);
        break;
      case "store_error":
        storeErrors.add(1, { ...server, [ATTR.storeOperation]: event.operation });
        break;
      default:
        break;
    }
  };
}
