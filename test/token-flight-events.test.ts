// The flight events of the token cache: each flight (cold, soft, force) starts and ends with an
// event, failed ones too, numbered per client, with the life left on the token it replaces.
import { expect } from "chai";
import { eventually } from "./_async.js";
import { sendJson } from "./_http.js";
import { HOUR_S, useClientBench } from "./_token-client.js";

describe("token client flight events", () => {
  const bench = useClientBench();

  it("a cold flight: started (no timeLeftMs), the request's events, landed with source, fingerprint and duration on the monotonic clock", async () => {
    const tokens = bench.client();
    const token = await tokens.getToken();
    expect(bench.events.map((event) => event.type)).to.deep.equal(["token_flight_started", "token_requested", "token_issued", "token_flight_landed"]);
    expect(bench.events[0]).to.deep.equal({ type: "token_flight_started", flight: 1, mode: "cold", baseUrl: bench.server.baseUrl });
    expect(bench.events[3]).to.deep.include({ type: "token_flight_landed", flight: 1, mode: "cold", source: "request", durationMs: 0 });
    expect(bench.events[3]).to.have.property("fingerprint").that.is.a("string").and.not.equal(token.accessToken);
  });

  it("a failed cold flight ends with token_flight_failed: its code, status and attempts", async () => {
    bench.server.handle((_request, res) => sendJson(res, 503, "down"));
    const tokens = bench.client();
    await tokens.getToken().catch(() => undefined);
    expect(bench.eventsOf("token_flight_failed")).to.deep.equal([{ type: "token_flight_failed", flight: 1, mode: "cold", code: "http_error", status: 503, attempts: 1, durationMs: 0 }]);
  });

  it("a soft flight (background refresh) and a forced one: numbered on, with the life left on the cached token", async () => {
    const tokens = bench.client();
    await tokens.getToken();
    bench.time.advance(HOUR_S * 1000 - 299_000); // in the refresh window (300 s and its jitter before the end)
    await tokens.getToken();
    await eventually(() => bench.eventsOf("token_flight_landed").length === 2, "the background refresh");
    await tokens.getToken({ forceRefresh: true });
    const started = bench.eventsOf("token_flight_started");
    expect(started.map(({ flight, mode }) => [flight, mode])).to.deep.equal([[1, "cold"], [2, "soft"], [3, "force"]]);
    expect(started[1]?.timeLeftMs).to.equal(299_000);
    expect(started[2]?.timeLeftMs).to.equal(HOUR_S * 1000);
  });
});
