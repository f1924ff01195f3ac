// aspose-cells-cloud-auth/otel: the spans and metrics of a token client, read back through the
// SDK's in-memory exporters, with a real emulator on 127.0.0.1 and virtual time.
import { DiagLogLevel, SpanKind, SpanStatusCode, diag, metrics, trace } from "@opentelemetry/api";
import type { HistogramMetricData } from "@opentelemetry/sdk-metrics";
import { ATTR_ERROR_TYPE, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT } from "@opentelemetry/semantic-conventions";
import { expect } from "chai";
import { createMemoryTokenStore, createTokenClient, type AccessToken, type TokenClientOptions, type TokenEvent, type TokenStore } from "../src/index.js";
import { combineListeners, openTelemetry } from "../src/otel/index.js";
import { startTokenServer, type TokenServer } from "../src/testing/index.js";
import { eventually, rejectionOf } from "./_async.js";
import { inMemoryTelemetry, includes, total, type Telemetry } from "./_otel.js";
import { canary, leakedSpellings } from "./_secret-spellings.js";
import { virtualTime, type VirtualTime } from "./_token-client.js";

const SECRET = canary("otel");
const HOUR_MS = 3_600_000;

describe("aspose-cells-cloud-auth/otel", function () {
  this.timeout(60_000);
  let server: TokenServer;
  let telemetry: Telemetry;
  let time: VirtualTime;

  beforeEach(async () => {
    time = virtualTime();
    server = await startTokenServer({ clientSecret: SECRET, now: time.now });
    telemetry = inMemoryTelemetry();
  });
  afterEach(async () => {
    await server.close();
    await telemetry.shutdown();
  });

  /** A token client of the emulator on virtual time, reporting to `telemetry` (or `onEvent` when given). */
  const client = (options: TokenClientOptions = {}) =>
    createTokenClient({
      clientId: server.clientId,
      clientSecret: SECRET,
      baseUrl: server.baseUrl,
      now: time.now,
      monotonicNow: time.monotonicNow,
      retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 20 },
      onEvent: openTelemetry({ tracerProvider: telemetry.tracerProvider, meterProvider: telemetry.meterProvider }),
      ...options,
    });

  it("a cold flight: one INTERNAL span with the outcome, attempts, fingerprint and server; a request counted, its duration in seconds; warm calls add nothing", async () => {
    const tokens = client();
    const token = await tokens.getToken();
    for (let i = 0; i < 1_000; i++) await tokens.getToken();
    const [span, ...more] = telemetry.spans();
    expect(more).to.have.length(0);
    expect(span!.name).to.equal("aspose.cells.token");
    expect(span!.kind).to.equal(SpanKind.INTERNAL);
    expect(span!.instrumentationScope.name).to.equal("aspose-cells-cloud-auth");
    expect(span!.status.code).to.equal(SpanStatusCode.UNSET);
    expect(span!.attributes).to.include({
      [ATTR_SERVER_ADDRESS]: "127.0.0.1",
      [ATTR_SERVER_PORT]: server.port,
      "aspose.cells.token.mode": "cold",
      "aspose.cells.token.outcome": "issued",
      "aspose.cells.token.attempts": 1,
      "aspose.cells.token.expires_in": 3600,
    });
    expect(span!.attributes["aspose.cells.token.fingerprint"]).to.be.a("string").and.not.equal(token.accessToken);
    const requests = await telemetry.points("aspose.cells.token.requests");
    expect(requests.map((point) => [point.attributes, point.value])).to.deep.equal([
      [{ [ATTR_SERVER_ADDRESS]: "127.0.0.1", [ATTR_SERVER_PORT]: server.port, "aspose.cells.token.mode": "cold", "aspose.cells.token.outcome": "issued" }, 1],
    ]);
    const duration = (await telemetry.metrics()).find((metric) => metric.descriptor.name === "aspose.cells.token.request.duration") as HistogramMetricData;
    expect(duration.descriptor.unit).to.equal("s");
    expect(duration.dataPoints[0]!.value.count).to.equal(1);
    expect(duration.dataPoints[0]!.value.buckets.boundaries).to.include.members([0.005, 10, 60]);
  });

  it("retries are span events with their reason, status and delay; the attempts count them", async () => {
    server.inject({ kind: "status", status: 503 }, { times: 2 });
    await client().getToken();
    const [span] = telemetry.spans();
    const retries = span!.events.filter((event) => event.name === "retry");
    expect(retries.map((event) => event.attributes)).to.have.length(2);
    retries.forEach((event, index) => {
      expect(event.attributes).to.include({ "aspose.cells.token.attempt": index + 1, "aspose.cells.token.retry.reason": "status", [ATTR_HTTP_RESPONSE_STATUS_CODE]: 503 });
      expect(event.attributes!["aspose.cells.token.retry.delay"]).to.be.a("number").within(0, 0.02);
    });
    expect(span!.attributes).to.include({ "aspose.cells.token.attempts": 3, "aspose.cells.token.outcome": "issued" });
  });

  it("a failed flight: ERROR status, error.type the CellsAuthError code, the HTTP status; counted as failed", async () => {
    const error = await rejectionOf(client({ clientSecret: "wrong-secret-of-this-test" }).getToken());
    expect(error.code).to.equal("oauth_error");
    const [span] = telemetry.spans();
    expect(span!.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: "oauth_error" });
    expect(span!.attributes).to.include({ [ATTR_ERROR_TYPE]: "oauth_error", [ATTR_HTTP_RESPONSE_STATUS_CODE]: 401, "aspose.cells.token.outcome": "failed", "aspose.cells.token.attempts": 1 });
    const requests = await telemetry.points("aspose.cells.token.requests");
    expect(total(requests, { "aspose.cells.token.outcome": "failed", [ATTR_ERROR_TYPE]: "oauth_error" })).to.equal(1);
  });

  it("a background refresh: a soft span with the time left, the time-left histogram; a failed one counts as a refresh failure", async () => {
    const tokens = client({ retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 20 } });
    await tokens.getToken();
    time.advance(HOUR_MS - 299_000); // in the refresh window (300 s and its jitter before the end)
    await tokens.getToken();
    await eventually(() => telemetry.spans().length === 2, "the background refresh's span");
    const soft = telemetry.spans()[1]!;
    expect(soft.attributes).to.include({ "aspose.cells.token.mode": "soft", "aspose.cells.token.outcome": "issued", "aspose.cells.token.time_left": 299 });
    const timeLeft = (await telemetry.metrics()).find((metric) => metric.descriptor.name === "aspose.cells.token.refresh.time_left") as HistogramMetricData;
    expect(timeLeft.descriptor.unit).to.equal("s");
    expect(timeLeft.dataPoints.map((point) => [point.attributes["aspose.cells.token.mode"], point.value.count, point.value.sum])).to.deep.equal([["soft", 1, 299]]);

    server.inject({ kind: "status", status: 503 });
    time.advance(HOUR_MS - 299_000);
    await tokens.getToken();
    await eventually(() => telemetry.spans().length === 3, "the failed refresh's span");
    expect(telemetry.spans()[2]!.status.code).to.equal(SpanStatusCode.ERROR);
    expect(total(await telemetry.points("aspose.cells.token.refresh.failures"), { [ATTR_ERROR_TYPE]: "http_error" })).to.equal(1);
  });

  it("counts invalidations, and store errors by operation (a store whose every method throws)", async () => {
    const broken = (): never => {
      throw new Error("store down");
    };
    const tokens = client({ store: { get: broken, set: broken, delete: broken } });
    const token = await tokens.getToken();
    await eventually(async () => total(await telemetry.points("aspose.cells.token.store.errors"), { "aspose.cells.token.store.operation": "set" }) === 1, "the failed set");
    await tokens.invalidate(token.accessToken);
    expect(total(await telemetry.points("aspose.cells.token.invalidations"))).to.equal(1);
    const storeErrors = await telemetry.points("aspose.cells.token.store.errors");
    expect(total(storeErrors, { "aspose.cells.token.store.operation": "get" })).to.equal(2); // the flight's, then invalidate's
    expect(total(storeErrors, { "aspose.cells.token.store.operation": "delete" })).to.equal(1);
    const [span] = telemetry.spans();
    expect(span!.events.map((event) => [event.name, event.attributes?.["aspose.cells.token.store.operation"]])).to.deep.equal([["store_error", "get"]]);
  });

  it("the store lease outcome: an attribute and a span event of the flight; a token from the store is outcome stored", async () => {
    const memory = createMemoryTokenStore(time.now);
    let stored = 0;
    const leasing: TokenStore = {
      ...memory,
      set: async (key, token, ttlMs) => {
        await memory.set(key, token, ttlMs);
        stored++;
      },
      lease: async () => ({ status: "acquired", lease: { release: async () => undefined } }),
    };
    await client({ store: leasing }).getToken();
    const [leased] = telemetry.spans();
    expect(leased!.attributes).to.include({ "aspose.cells.token.store_lease": "acquired", "aspose.cells.token.outcome": "issued" });
    expect(leased!.events.filter((event) => event.name === "store_lease").map((event) => event.attributes)).to.deep.equal([{ "aspose.cells.token.store_lease": "acquired" }]);
    await eventually(() => stored === 1, "the token stored");
    await client({ store: leasing }).getToken();
    expect(telemetry.spans()[1]!.attributes).to.include({ "aspose.cells.token.outcome": "stored", "aspose.cells.token.attempts": 0 });
  });

  it("combineListeners: your listener and openTelemetry() get every event; one that throws breaks neither the others nor the client", async () => {
    const mine: TokenEvent[] = [];
    const onEvent = combineListeners(
      (event) => mine.push(event),
      () => {
        throw new Error("a broken listener");
      },
      undefined,
      openTelemetry({ tracerProvider: telemetry.tracerProvider, meterProvider: telemetry.meterProvider }),
    );
    const token = await client({ onEvent }).getToken();
    expect(token.tokenType).to.equal("Bearer");
    expect(mine.map((event) => event.type)).to.deep.equal(["token_flight_started", "token_requested", "token_issued", "token_flight_landed"]);
    expect(telemetry.spans()).to.have.length(1);
    expect(() => combineListeners((() => undefined) as never, "log" as never)).to.throw().with.property("code", "invalid_config");
  });

  it("uses the providers given, else the global ones, looked up at the first event", async () => {
    const global = inMemoryTelemetry();
    const listener = openTelemetry(); // made before the global providers are set
    try {
      trace.setGlobalTracerProvider(global.tracerProvider);
      metrics.setGlobalMeterProvider(global.meterProvider);
      await client({ onEvent: listener }).getToken();
      await client().getToken();
      expect(global.spans()).to.have.length(1);
      expect(total(await global.points("aspose.cells.token.requests"))).to.equal(1);
      expect(telemetry.spans()).to.have.length(1);
      expect(total(await telemetry.points("aspose.cells.token.requests"))).to.equal(1);
    } finally {
      trace.disable();
      metrics.disable();
      await global.shutdown();
    }
  });

  it("one listener per client: two clients' concurrent flights do not mix; a listener shared by two clients warns once", async () => {
    const other = await startTokenServer({ clientSecret: SECRET, now: time.now });
    const warnings: string[] = [];
    diag.setLogger({ warn: (message: string) => warnings.push(message), error: () => undefined, info: () => undefined, debug: () => undefined, verbose: () => undefined }, DiagLogLevel.WARN);
    try {
      server.inject({ kind: "delay", ms: 200 });
      other.inject({ kind: "status", status: 400 });
      const results = await Promise.allSettled([client().getToken(), client({ baseUrl: other.baseUrl }).getToken()]);
      expect(results.map((result) => result.status)).to.deep.equal(["fulfilled", "rejected"]);
      const byPort = Object.fromEntries(telemetry.spans().map((span) => [span.attributes[ATTR_SERVER_PORT] as number, span]));
      expect(byPort[server.port]!.attributes).to.include({ "aspose.cells.token.outcome": "issued", "aspose.cells.token.attempts": 1 });
      expect(byPort[other.port]!.attributes).to.include({ "aspose.cells.token.outcome": "failed", [ATTR_HTTP_RESPONSE_STATUS_CODE]: 400 });
      expect(warnings).to.deep.equal([]);

      const shared = openTelemetry({ tracerProvider: telemetry.tracerProvider, meterProvider: telemetry.meterProvider });
      await client({ onEvent: shared }).getToken();
      await client({ onEvent: shared, baseUrl: other.baseUrl }).getToken();
      await client({ onEvent: shared }).getToken();
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.contain("give each client its own");
    } finally {
      diag.disable();
      await other.close();
    }
  });

  it("refuses bad options with invalid_config", () => {
    for (const options of ["global", { tracerProvider: {} }, { meterProvider: { getMeter: "no" } }]) {
      expect(() => openTelemetry(options as never), JSON.stringify(options)).to.throw().with.property("code", "invalid_config");
    }
  });

  it("never puts the client secret or an access token in a span or a metric (every span and point read, every spelling the scrubber covers)", async () => {
    const tokens: AccessToken[] = [];
    // A store whose errors quote the secret and the last token: the events carry the message, the telemetry must not.
    const leaky = (): never => {
      throw new Error(`store down: ${SECRET} ${tokens.at(-1)?.accessToken ?? ""}`);
    };
    const store: TokenStore = { get: leaky, set: leaky, delete: leaky, lease: leaky };
    const first = client({ store });
    server.inject({ kind: "status", status: 503 });
    tokens.push(await first.getToken());
    tokens.push(await first.getToken({ forceRefresh: true }));
    await first.invalidate(tokens.at(-1)!.accessToken);
    tokens.push(await first.getToken());
    time.advance(HOUR_MS - 299_000);
    await first.getToken();
    await eventually(() => telemetry.spans().length === 4, "the background refresh");
    await rejectionOf(client({ clientSecret: `${SECRET}-wrong` }).getToken());
    server.inject({ kind: "html", status: 502 }, { times: 10 });
    await rejectionOf(client({ retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 } }).getToken());

    const spans = telemetry.spans();
    expect(spans).to.have.length(6);
    const everything = JSON.stringify({
      spans: spans.map((span) => ({ name: span.name, attributes: span.attributes, events: span.events.map(({ name, attributes }) => ({ name, attributes })), status: span.status, links: span.links, resource: span.resource.attributes })),
      metrics: (await telemetry.metrics()).map((metric) => ({ descriptor: metric.descriptor, points: metric.dataPoints.map((point) => point.attributes) })),
    });
    expect(everything).to.contain("aspose.cells.token.store.operation"); // the store errors are there, without their message
    expect(leakedSpellings(everything, [SECRET, `${SECRET}-wrong`, ...tokens.map((token) => token.accessToken)])).to.deep.equal([]);
  });
});

/** Pins `includes` (used by `total`) so that a broken helper cannot make the counts above pass. */
describe("test/_otel.ts", () => {
  it("total sums the points whose attributes include the match", () => {
    const points = [{ attributes: { a: 1, b: "x" }, value: 2 }, { attributes: { a: 1 }, value: 3 }] as never;
    expect(total(points, { a: 1 })).to.equal(5);
    expect(total(points, { b: "x" })).to.equal(2);
    expect(includes({ a: 1 }, { a: 2 })).to.equal(false);
  });
});
