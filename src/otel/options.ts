import type { MeterProvider, TracerProvider } from "@opentelemetry/api";
import { CellsAuthError } from "../errors.js";
import { readOptions } from "../util/checks.js";

/** Options of `openTelemetry()`. */
export interface OpenTelemetryOptions {
  /** Where the spans go. @default the global tracer provider (`trace.getTracerProvider()`), looked up at the first event */
  tracerProvider?: TracerProvider | undefined;
  /** Where the metrics go. @default the global meter provider (`metrics.getMeterProvider()`), looked up at the first event */
  meterProvider?: MeterProvider | undefined;
}

/** The providers given to `openTelemetry()`, checked: each undefined or an object with its `getTracer` / `getMeter`. Throws `invalid_config`. */
export function resolveOpenTelemetryOptions(options: unknown): Readonly<OpenTelemetryOptions> {
  const { tracerProvider, meterProvider } = readOptions(options, ["tracerProvider", "meterProvider"], "openTelemetry() options");
  return Object.freeze({
    tracerProvider: provider<TracerProvider>(tracerProvider, "tracerProvider", "getTracer"),
    meterProvider: provider<MeterProvider>(meterProvider, "meterProvider", "getMeter"),
  });
}

function provider<T>(value: unknown, name: string, method: string): T | undefined {
  if (value === undefined) return undefined;
  let found: unknown;
  try {
    found = (value as Record<string, unknown>)[method];
  } catch (error) {
    throw new CellsAuthError("invalid_config", `openTelemetry() options.${name}.${method} threw when read.`, { cause: error });
  }
  if (typeof found !== "function") {
    throw new CellsAuthError("invalid_config", `openTelemetry() options.${name} must be an OpenTelemetry ${name === "tracerProvider" ? "TracerProvider" : "MeterProvider"} (with ${method}()).`);
  }
  return value as T;
}
