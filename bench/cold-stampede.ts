// 2. Cold stampede: 10 000 concurrent getToken() on a fresh client must make exactly one token
// request, and take little more than one raw fetch of the same endpoint.
import { createTokenClient } from "../src/index.js";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startTokenServer } from "../src/testing/index.js";
import { fixed, interleaved, median, nowMs, ratioRow, type BenchOptions, type Measurement, type Row } from "./_stats.js";

const CALLERS = 10_000;
/** A round trip like one to api.aspose.cloud, for the supplementary row (the emulator answers in ~1 ms). */
const RTT_MS = 50;

export async function run({ quick }: BenchOptions): Promise<Measurement> {
  const rounds = quick ? 5 : 15;
  const server = await startTokenServer();
  const form = new URLSearchParams({ grant_type: "client_credentials", client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET }).toString();
  const rawFetch = async (): Promise<unknown> => {
    const response = await fetch(server.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form,
    });
    if (!response.ok) throw new Error(`cold-stampede: the raw fetch got ${response.status}`);
    return response.json();
  };
  const requestsPerStampede: number[] = [];
  try {
    const samples = await interleaved(rounds, {
      // The baseline of the issue: one raw fetch of the token endpoint.
      rawFetch: async () => {
        const start = nowMs();
        await rawFetch();
        return nowMs() - start;
      },
      // A floor for comparison: the same fetch, awaited by 10 000 async callers.
      sharedFetch: async () => {
        const start = nowMs();
        const shared = rawFetch();
        await Promise.all(Array.from({ length: CALLERS }, async () => shared));
        return nowMs() - start;
      },
      stampede: async () => {
        const tokens = createTokenClient({ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, baseUrl: server.baseUrl });
        const before = server.stats.tokenRequests;
        const start = nowMs();
        const all = await Promise.all(Array.from({ length: CALLERS }, () => tokens.getToken()));
        const elapsed = nowMs() - start;
        requestsPerStampede.push(server.stats.tokenRequests - before);
        if (new Set(all.map((token) => token.accessToken)).size !== 1) throw new Error("cold-stampede: callers got different tokens");
        return elapsed;
      },
      rawFetchRtt: async () => {
        server.inject({ kind: "delay", ms: RTT_MS });
        const start = nowMs();
        await rawFetch();
        return nowMs() - start;
      },
      stampedeRtt: async () => {
        const tokens = createTokenClient({ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, baseUrl: server.baseUrl });
        server.inject({ kind: "delay", ms: RTT_MS });
        const before = server.stats.tokenRequests;
        const start = nowMs();
        await Promise.all(Array.from({ length: CALLERS }, () => tokens.getToken()));
        const elapsed = nowMs() - start;
        requestsPerStampede.push(server.stats.tokenRequests - before);
        return elapsed;
      },
    });
    const raw = median(samples.rawFetch);
    const shared = median(samples.sharedFetch);
    const stampede = median(samples.stampede);
    const rawRtt = median(samples.rawFetchRtt);
    const stampedeRtt = median(samples.stampedeRtt);
    const maxRequests = Math.max(...requestsPerStampede);
    const rows: Row[] = [
      {
        id: "cold-stampede-requests",
        what: "Cold stampede: token requests for 10 000 concurrent `getToken()`",
        result: `${maxRequests} request${maxRequests === 1 ? "" : "s"}`,
        target: "exactly 1",
        met: requestsPerStampede.every((count) => count === 1),
        detail: `every one of ${requestsPerStampede.length} stampedes (warm-up included) made ${[...new Set(requestsPerStampede)].join("/")} request(s)`,
      },
      ratioRow(
        "cold-stampede-time",
        "Cold stampede: total time vs one raw `fetch` of the token endpoint",
        stampede / raw,
        { max: 1.5 },
        `${fixed(stampede)} ms vs ${fixed(raw)} ms (one raw fetch + JSON); floor ` +
          `"one fetch awaited by 10 000 async callers" ${fixed(shared)} ms = ${fixed(shared / raw)}x; median of ${rounds} rounds`,
      ),
      {
        id: "cold-stampede-time-rtt",
        what: `Cold stampede, supplementary: same, with a ${RTT_MS} ms server delay on both sides`,
        result: `${fixed(stampedeRtt / rawRtt)}x`,
        ratio: stampedeRtt / rawRtt,
        target: "- (context)",
        detail: `${fixed(stampedeRtt)} ms vs ${fixed(rawRtt)} ms: the cost of 10 000 callers is fixed, a real round trip hides most of it`,
      },
    ];
    return {
      rows,
      data: {
        rounds,
        callers: CALLERS,
        rawFetchMs: samples.rawFetch,
        sharedFetchMs: samples.sharedFetch,
        stampedeMs: samples.stampede,
        rttMs: RTT_MS,
        rawFetchRttMs: samples.rawFetchRtt,
        stampedeRttMs: samples.stampedeRtt,
        requestsPerStampede,
      },
    };
  } finally {
    await server.close();
  }
}
