// OpenTelemetry SDK providers that keep what they get in memory (outside the spec glob): the spans
// finished, and the metric points read on demand, for test/otel.test.ts.
import type { Attributes } from "@opentelemetry/api";
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type DataPoint, type MetricData } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";

export interface Telemetry {
  readonly tracerProvider: BasicTracerProvider;
  readonly meterProvider: MeterProvider;
  /** Every span finished so far. */
  spans(): ReadableSpan[];
  /** Every metric exported now (cumulative: all points since the start). */
  metrics(): Promise<MetricData[]>;
  /** The points of the metric `name` (none when it was never recorded). */
  points(name: string): Promise<Array<DataPoint<unknown>>>;
  shutdown(): Promise<void>;
}

export function inMemoryTelemetry(): Telemetry {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // Exports when asked (forceFlush); the interval is never reached within a test.
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const metrics = async () => {
    await reader.forceFlush();
    return (metricExporter.getMetrics().at(-1)?.scopeMetrics ?? []).flatMap((scope) => scope.metrics);
  };
  return {
    tracerProvider,
    meterProvider,
    spans: () => spanExporter.getFinishedSpans(),
    metrics,
    points: async (name) => ((await metrics()).find((metric) => metric.descriptor.name === name)?.dataPoints ?? []) as Array<DataPoint<unknown>>,
    shutdown: async () => {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/** The sum of a counter's points whose attributes include `match`. */
export function total(points: ReadonlyArray<DataPoint<unknown>>, match: Attributes = {}): number {
  return points.filter((point) => includes(point.attributes, match)).reduce((sum, point) => sum + (point.value as number), 0);
}

/** Does `attributes` hold every entry of `match`? */
export function includes(attributes: Attributes, match: Attributes): boolean {
  return Object.entries(match).every(([key, value]) => attributes[key] === value);
}
