// 4. The official Node SDK (asposecellscloud) and this library side by side, same workload, same
// emulator: 200 concurrent API calls on a cold start, then 10 minutes of simulated time with one
// call every second. Time is simulated, not waited for: see _virtual-clock.ts.
import { createRequire } from "node:module";
import type * as AsposeSdk from "asposecellscloud";
import type { paths } from "../generated/cells-status.js";
import { createCellsClient } from "../src/index.js";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startTokenServer, type TokenServerStats } from "../src/testing/index.js";
import { startPathProxy } from "./_path-proxy.js";
import { fixed, nowMs, pause, type BenchOptions, type Measurement, type Row } from "./_stats.js";
import { useVirtualDate, virtualClock, type VirtualClock } from "./_virtual-clock.js";

const COLD_CALLS = 200;
const SIMULATED_SECONDS = 600;
/** Real time given to each call before the next simulated second starts (loopback answers in ~1 ms). */
const PACE_MS = 20;
/** Real time left at the end for late calls; a call still pending after it never settles (see the SDK's 401 path). */
const GRACE_MS = 1000;

type Library = "ours" | "sdk";

interface RunResult {
  readonly library: Library;
  readonly lifetimeSeconds: number;
  readonly stats: TokenServerStats;
  readonly calls: number;
  readonly ok: number;
  readonly failed: number;
  readonly hung: number;
  readonly unhandledRejections: number;
  readonly tokenPathRewrites: number;
  readonly realMs: number;
}

/** One API call (GET /v4.0/cells/status/check) through a library bound to `origin` and `clock`. */
type Call = () => Promise<unknown>;

function oursCall(origin: string, clock: VirtualClock): Call {
  const client = createCellsClient<paths>({
    clientId: DEFAULT_CLIENT_ID,
    clientSecret: DEFAULT_CLIENT_SECRET,
    baseUrl: `${origin}/v4.0`,
    now: clock.now,
  });
  return async () => {
    const { response } = await client.GET("/cells/status/check");
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  };
}

function sdkCall(origin: string): Call {
  // The SDK is CommonJS; its constructor is (clientId, clientSecret, apiVersion, baseUrl, debugMode).
  // baseUrl is the host without the version: API paths are built as `${baseUrl}/v4.0/cells/...`.
  const sdk = createRequire(import.meta.url)("asposecellscloud") as typeof AsposeSdk;
  const api = new sdk.CellsApi(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, "v4.0", origin);
  return () => api.checkCloudServiceHealth(new sdk.CheckCloudServiceHealthRequest());
}

async function runWorkload(library: Library, lifetimeSeconds: number, seconds: number): Promise<RunResult> {
  const clock = virtualClock();
  const server = await startTokenServer({ now: clock.now, tokenLifetimeSeconds: lifetimeSeconds, maxRecordedRequests: 0 });
  const proxy = await startPathProxy(new URL(server.baseUrl).origin, "/connect/token", "/v4.0/cells/connect/token");
  let unhandledRejections = 0;
  const onUnhandled = () => {
    unhandledRejections += 1;
  };
  process.on("unhandledRejection", onUnhandled);
  const restoreDate = library === "sdk" ? useVirtualDate(clock) : () => {};
  const outcomes = { ok: 0, failed: 0, pending: 0 };
  const start = nowMs();
  try {
    const call = library === "sdk" ? sdkCall(proxy.origin) : oursCall(proxy.origin, clock);
    const track = (): Promise<void> => {
      outcomes.pending += 1;
      return call().then(
        () => {
          outcomes.pending -= 1;
          outcomes.ok += 1;
        },
        () => {
          outcomes.pending -= 1;
          outcomes.failed += 1;
        },
      );
    };
    const paced = (promise: Promise<void>) => Promise.race([promise, pause(PACE_MS)]);
    await paced(Promise.all(Array.from({ length: COLD_CALLS }, track)).then(() => undefined));
    for (let second = 1; second <= seconds; second++) {
      clock.advance(1000);
      await paced(track());
    }
    for (let waited = 0; outcomes.pending > 0 && waited < GRACE_MS; waited += 10) await pause(10);
  } finally {
    restoreDate();
    process.off("unhandledRejection", onUnhandled);
  }
  const realMs = nowMs() - start;
  const stats = server.stats;
  await proxy.close();
  await server.close();
  return {
    library,
    lifetimeSeconds,
    stats,
    calls: COLD_CALLS + seconds,
    ok: outcomes.ok,
    failed: outcomes.failed,
    hung: outcomes.pending,
    unhandledRejections,
    tokenPathRewrites: proxy.rewritten,
    realMs,
  };
}

function rows(lifetimeSeconds: number, ours: RunResult, sdk: RunResult): Row[] {
  const label = `Official SDK side by side, ${COLD_CALLS} cold calls + ${SIMULATED_SECONDS} s at 1 call/s, token lifetime ${lifetimeSeconds} s`;
  const describe = (run: RunResult) =>
    `${run.ok}/${run.calls} calls OK, ${run.failed} failed, ${run.hung} never settled` +
    (run.unhandledRejections > 0 ? `, ${run.unhandledRejections} unhandled rejections` : "");
  const requestRatio = sdk.stats.tokenRequests / Math.max(1, ours.stats.tokenRequests);
  return [
    {
      id: `official-sdk-${lifetimeSeconds}s-token-requests`,
      what: `${label}: token requests, ours vs SDK`,
      result: `${ours.stats.tokenRequests} vs ${sdk.stats.tokenRequests} (SDK ${fixed(requestRatio, 0)}x)`,
      ratio: requestRatio,
      target: "- (report)",
      detail: `ours: ${describe(ours)}; SDK: ${describe(sdk)}; tokens issued ${ours.stats.tokensIssued} vs ${sdk.stats.tokensIssued}`,
    },
    {
      id: `official-sdk-${lifetimeSeconds}s-expired`,
      what: `${label}: API calls sent with an expired token, ours vs SDK`,
      result: `${ours.stats.expiredTokenCalls} vs ${sdk.stats.expiredTokenCalls}`,
      target: "- (report; ours must be 0)",
      met: ours.stats.expiredTokenCalls === 0 ? undefined : false,
      detail: `emulator stats.expiredTokenCalls; API calls ${ours.stats.apiCalls} vs ${sdk.stats.apiCalls}, rejected ${ours.stats.apiCallsRejected} vs ${sdk.stats.apiCallsRejected}`,
    },
  ];
}

export async function run({ quick }: BenchOptions): Promise<Measurement> {
  const results: RunResult[] = [];
  const table: Row[] = [];
  // 3600 s is what the API issues. 60 s stands for a server that issues short tokens: it shows who reads expires_in.
  for (const lifetimeSeconds of [3600, 60]) {
    const ours = await runWorkload("ours", lifetimeSeconds, SIMULATED_SECONDS);
    const sdk = await runWorkload("sdk", lifetimeSeconds, SIMULATED_SECONDS);
    results.push(ours, sdk);
    table.push(...rows(lifetimeSeconds, ours, sdk));
  }
  table.push({
    id: "google-auth-library",
    what: "google-auth-library (10.9) through the same workload",
    result: "not run",
    target: "- (does not fit)",
    detail:
      "it has no client-credentials client: its caching clients send refresh_token (OAuth2Client, UserRefreshClient, " +
      "ExternalAccountAuthorizedUserClient) or jwt-bearer (JWT) grants; only StsCredentials.exchangeToken could post " +
      "grant_type=client_credentials, and it neither caches nor shares a token (it compares with postAccessToken, not a token client)",
  });
  return { rows: table, data: { quick, coldCalls: COLD_CALLS, simulatedSeconds: SIMULATED_SECONDS, paceMs: PACE_MS, runs: results } };
}
