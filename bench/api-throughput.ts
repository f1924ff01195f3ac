// 3. Authenticated API calls: createCellsClient against openapi-fetch with a fixed Authorization
// header and against bare fetch, same endpoint (GET /cells/status/check) of the same local server.
// The emulator runs in a child process, so the figures compare the client side.
import createClient from "openapi-fetch";
import type { paths } from "../generated/cells-status.js";
import { createCellsClient, postAccessToken } from "../src/index.js";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "../src/testing/index.js";
import { startRemoteEmulator } from "../test/reliability/_remote-emulator.js";
import { fixed, interleaved, median, nowMs, ratioRow, type BenchOptions, type Measurement } from "./_stats.js";

const CONCURRENCY = 32;

/** Calls per second of `call`, made `total` times by CONCURRENCY workers. */
async function throughput(total: number, call: () => Promise<boolean>): Promise<number> {
  let next = 0;
  let failed = 0;
  const start = nowMs();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < total) if (!(await call())) failed += 1;
    }),
  );
  const elapsed = nowMs() - start;
  if (failed > 0) throw new Error(`api-throughput: ${failed} calls failed`);
  return (total / elapsed) * 1000;
}

export async function run({ quick }: BenchOptions): Promise<Measurement> {
  const calls = quick ? 800 : 4000;
  const rounds = quick ? 5 : 11;
  const server = await startRemoteEmulator({ maxRecordedRequests: 0 });
  try {
    const credentials = { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, baseUrl: server.baseUrl };
    const ours = createCellsClient<paths>(credentials);
    const { accessToken } = await postAccessToken(credentials);
    const authorization = `Bearer ${accessToken}`;
    const plain = createClient<paths>({ baseUrl: server.baseUrl, headers: { Authorization: authorization } });
    const url = `${server.baseUrl}/cells/status/check`;

    const samples = await interleaved(rounds, {
      createCellsClient: () => throughput(calls, async () => (await ours.GET("/cells/status/check")).data?.status === "OK"),
      openapiFetch: () => throughput(calls, async () => (await plain.GET("/cells/status/check")).data?.status === "OK"),
      bareFetch: () =>
        throughput(calls, async () => {
          const response = await fetch(url, { headers: { Authorization: authorization } });
          return ((await response.json()) as { status?: string }).status === "OK";
        }),
    });
    const stats = await server.stats();
    if (stats.apiCallsRejected !== 0) throw new Error(`api-throughput: ${stats.apiCallsRejected} calls were rejected`);

    const cells = median(samples.createCellsClient);
    const openapi = median(samples.openapiFetch);
    const bare = median(samples.bareFetch);
    const detail = (other: number, name: string) =>
      `${fixed(cells, 0)} vs ${fixed(other, 0)} calls/s (${name}); ${calls} calls x ${CONCURRENCY} concurrent, median of ${rounds} rounds`;
    return {
      rows: [
        ratioRow("api-throughput-openapi-fetch", "API call throughput: `createCellsClient` vs openapi-fetch + fixed header", cells / openapi, { min: 0.9 }, detail(openapi, "openapi-fetch")),
        ratioRow("api-throughput-fetch", "API call throughput: `createCellsClient` vs bare `fetch`", cells / bare, {}, detail(bare, "bare fetch")),
      ],
      data: { calls, rounds, concurrency: CONCURRENCY, createCellsClient: samples.createCellsClient, openapiFetch: samples.openapiFetch, bareFetch: samples.bareFetch, tokenRequests: stats.tokenRequests },
    };
  } finally {
    await server.close();
  }
}
