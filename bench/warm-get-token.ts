// 1. Warm getToken(): the cost of asking a client that holds a valid token, against the physical
// floor of any async API, awaiting a promise that is already resolved; the same for a token source
// (`createTokenSource` of aspose-cells-cloud-auth/client), which shares the client's cache.
import { createTokenSource } from "../src/client.js";
import { createTokenClient, postAccessToken } from "../src/index.js";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startTokenServer } from "../src/testing/index.js";
import { fixed, interleaved, median, nowNs, ratioRow, type BenchOptions, type Measurement } from "./_stats.js";

export async function run({ quick }: BenchOptions): Promise<Measurement> {
  const iterations = quick ? 100_000 : 500_000;
  const rounds = quick ? 5 : 15;
  const server = await startTokenServer();
  try {
    const credentials = { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, baseUrl: server.baseUrl };
    const tokens = createTokenClient(credentials);
    const token = await tokens.getToken();
    const source = createTokenSource({ baseUrl: server.baseUrl, fetchToken: () => postAccessToken(credentials) });
    await source.getToken();
    const resolved = Promise.resolve(token);
    let sink = 0;

    const samples = await interleaved(
      rounds,
      {
        floor: async () => {
          const start = nowNs();
          for (let i = 0; i < iterations; i++) sink += (await resolved).expiresIn;
          return (nowNs() - start) / iterations;
        },
        getToken: async () => {
          const start = nowNs();
          for (let i = 0; i < iterations; i++) sink += (await tokens.getToken()).expiresIn;
          return (nowNs() - start) / iterations;
        },
        source: async () => {
          const start = nowNs();
          for (let i = 0; i < iterations; i++) sink += (await source.getToken()).expiresIn;
          return (nowNs() - start) / iterations;
        },
      },
      2,
    );
    if (sink === 0 || server.stats.tokenRequests !== 2) throw new Error("warm-get-token: the client or the source did not stay warm");

    const floorNs = median(samples.floor);
    const getTokenNs = median(samples.getToken);
    const sourceNs = median(samples.source);
    return {
      rows: [
        ratioRow(
          "warm-get-token",
          "Warm `getToken()` vs awaiting a resolved promise",
          getTokenNs / floorNs,
          { max: 2 },
          `${fixed(getTokenNs, 1)} ns vs ${fixed(floorNs, 1)} ns per call (median of ${rounds} rounds x ${iterations} calls)`,
        ),
        ratioRow(
          "warm-get-token-source",
          "Warm `getToken()` of a token source (`/client`) vs awaiting a resolved promise",
          sourceNs / floorNs,
          { max: 2 },
          `${fixed(sourceNs, 1)} ns vs ${fixed(floorNs, 1)} ns per call (same rounds, interleaved with the line above)`,
        ),
      ],
      data: { iterations, rounds, floorNs: samples.floor, getTokenNs: samples.getToken, sourceNs: samples.source },
    };
  } finally {
    await server.close();
  }
}
