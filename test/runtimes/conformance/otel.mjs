// OpenTelemetry providers that keep what they get in memory, written against the API's interfaces
// (TracerProvider, Tracer, Span; MeterProvider, Meter, Counter, Histogram) with no SDK: the
// conformance checks of `/otel` give them to openTelemetry() in every runtime. A tracer and a meter
// do only what the listener asks of them (startSpan; createCounter, createHistogram): a call to
// anything else throws a TypeError, which the check reports.

const INVALID_TRACE = "0".repeat(32);
const INVALID_SPAN = "0".repeat(16);

/** A span that records its name, attributes, events and status, and whether (how often) it ended. */
function recordingSpan(name, options = {}) {
  const record = { name, kind: options.kind, attributes: { ...options.attributes }, events: [], status: { code: 0 }, ends: 0 };
  const span = {
    spanContext: () => ({ traceId: INVALID_TRACE, spanId: INVALID_SPAN, traceFlags: 0 }),
    setAttribute: (key, value) => ((record.attributes[key] = value), span),
    setAttributes: (attributes) => (Object.assign(record.attributes, attributes), span),
    addEvent: (eventName, attributes) => (record.events.push({ name: eventName, attributes: { ...attributes } }), span),
    addLink: () => span,
    addLinks: () => span,
    setStatus: (status) => ((record.status = { ...status }), span),
    updateName: (newName) => ((record.name = newName), span),
    end: () => void (record.ends += 1),
    isRecording: () => record.ends === 0,
    recordException: (exception) => void record.events.push({ name: "exception", attributes: { message: String(exception?.message ?? exception) } }),
  };
  return { span, record };
}

/** A TracerProvider whose spans land in `spans` (one record each, in the order they started). */
export function memoryTracerProvider() {
  const spans = [];
  const tracer = {
    startSpan(name, options) {
      const { span, record } = recordingSpan(name, options);
      spans.push(record);
      return span;
    },
  };
  return { spans, provider: { getTracer: () => tracer } };
}

/** A MeterProvider whose counters and histograms append `{ name, value, attributes }` to `points`. */
export function memoryMeterProvider() {
  const points = [];
  const instrument = (name) => (value, attributes = {}) => void points.push({ name, value, attributes: { ...attributes } });
  const meter = {
    createCounter: (name) => ({ add: instrument(name) }),
    createHistogram: (name) => ({ record: instrument(name) }),
  };
  return { points, provider: { getMeter: () => meter } };
}
