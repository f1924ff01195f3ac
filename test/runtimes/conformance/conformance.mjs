// The conformance checks: plain ESM for any runtime with fetch (Node, Bun, Deno, workerd, a
// browser), no test framework. It imports the built package by its name, as a user does, and talks
// to the emulator that the harness (test/runtimes/run.ts) runs in Node beside the runtime:
// `config.baseUrl` is the emulator's API, `config.control` the harness's control endpoint (emulator
// stats, revoking a token). Credentials come in `config`: there is no process.env in a Worker.
// Three entries are checked: the core, the lean `/client` (a token source, and its API client), and
// `/otel` with only "@opentelemetry/api" installed (no SDK), on the API's no-op providers and on
// in-memory ones written against its interfaces (./otel.mjs).
// "@opentelemetry/api" is imported (evaluated) before the watch of Node-only globals starts: the
// watch is of our entries. Deno loads that package's CommonJS build (its exports map gives ESM
// only under "module"), and Deno's CommonJS loader reads `process` for any CommonJS module.
import { trace } from "@opentelemetry/api";
import { stopWatching } from "./guard.mjs";
import * as auth from "aspose-cells-cloud-auth";
import * as lean from "aspose-cells-cloud-auth/client";
import * as otel from "aspose-cells-cloud-auth/otel";
import { memoryMeterProvider, memoryTracerProvider } from "./otel.mjs";

const importWatch = stopWatching();

/** A check that takes longer than this fails instead of hanging the run. */
const CHECK_LIMIT_MS = 30_000;
const CONCURRENT_CALLERS = 50;

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function control(config, path, body) {
  const init = body === undefined ? undefined : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const response = await fetch(new URL(path, config.control), init);
  assert(response.ok, `control ${path} answered ${response.status}`);
  return response.json();
}

const stats = (config) => control(config, "stats");

/** What changed in the emulator's counters between two snapshots. */
function delta(before, after) {
  return Object.fromEntries(Object.keys(after).map((key) => [key, after[key] - before[key]]));
}

function credentials(config) {
  return { clientId: config.clientId, clientSecret: config.clientSecret, baseUrl: config.baseUrl };
}

function isAuthError(error, code) {
  return auth.isCellsAuthError(error) && error instanceof auth.CellsAuthError && error.code === code;
}

/**
 * `listener` as an onEvent that keeps what it throws in `thrown` (the token client swallows a
 * listener's errors, so a failing one would go unseen), combined with a listener of the caller's
 * own that counts the events, as `combineListeners` is meant to be used.
 */
function watchedListener(listener) {
  const seen = { events: 0, thrown: [] };
  const guarded = (event) => {
    try {
      listener(event);
    } catch (error) {
      seen.thrown.push(`${event.type}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
  };
  return { seen, onEvent: otel.combineListeners(guarded, () => (seen.events += 1)) };
}

/** A client whose token request fails (a wrong secret, no retry): a failed flight. */
async function failedFlight(config, onEvent) {
  const tokens = auth.createTokenClient({ ...credentials(config), clientSecret: "conformance-otel-wrong-secret", retry: { maxRetries: 0 }, onEvent });
  const error = await tokens.getToken().then(() => undefined, (caught) => caught);
  assert(isAuthError(error, "oauth_error"), `the wrong secret gave ${error?.code ?? error}`);
}

const checks = [
  [
    "importing the package (the core, /client and /otel) touches no Node-only global",
    async () => {
      assert(importWatch.touched.length === 0, `touched ${importWatch.touched.join(", ")}`);
      return importWatch.watched.length === 0 ? "none could be watched" : `watched ${importWatch.watched.length}`;
    },
  ],
  [
    `${CONCURRENT_CALLERS} concurrent getToken() on a cold client make 1 token request`,
    async (config) => {
      const before = await stats(config);
      const tokens = auth.createTokenClient(credentials(config));
      const got = await Promise.all(Array.from({ length: CONCURRENT_CALLERS }, () => tokens.getToken()));
      const change = delta(before, await stats(config));
      assert(change.tokenRequests === 1, `${change.tokenRequests} token requests`);
      assert(new Set(got.map((token) => token.accessToken)).size === 1, "callers got different tokens");
      return `${got.length} callers, 1 request, 1 token`;
    },
  ],
  [
    "createCellsClient calls GET /cells/status/check with the bearer token: 200",
    async (config) => {
      const cells = auth.createCellsClient({ tokens: auth.createTokenClient(credentials(config)) });
      const before = await stats(config);
      const { data, response } = await cells.GET("/cells/status/check");
      const change = delta(before, await stats(config));
      assert(response.status === 200, `status ${response.status}`);
      assert(data?.status === "OK", `body status ${data?.status}`);
      assert(change.apiCalls === 1 && change.apiCallsRejected === 0, `${change.apiCalls} API calls, ${change.apiCallsRejected} rejected`);
      return `status ${data.status}`;
    },
  ],
  [
    "a revoked token gives one refresh and one replay, then 200",
    async (config) => {
      const tokens = auth.createTokenClient(credentials(config));
      const cells = auth.createCellsClient({ tokens });
      const first = await tokens.getToken();
      const { revoked } = await control(config, "revoke", { token: first.accessToken });
      assert(revoked === true, "the emulator did not know the token");
      const before = await stats(config);
      const { response } = await cells.GET("/cells/status/check");
      const change = delta(before, await stats(config));
      assert(response.status === 200, `status ${response.status}`);
      assert(change.tokenRequests === 1, `${change.tokenRequests} token requests`);
      assert(change.apiCalls === 2 && change.revokedTokenCalls === 1, `${change.apiCalls} API calls, ${change.revokedTokenCalls} with the revoked token`);
      assert((await tokens.getToken()).accessToken !== first.accessToken, "the revoked token is still cached");
      return "401, 1 refresh, 1 replay, 200";
    },
  ],
  [
    "a wrong secret rejects with oauth_error and the secret appears nowhere",
    async (config, { inspect, inspectName }) => {
      const wrongSecret = `conformance-wrong-secret-${Math.random().toString(36).slice(2)}`;
      const tokens = auth.createTokenClient({ ...credentials(config), clientSecret: wrongSecret, retry: { maxRetries: 0 } });
      const error = await tokens.getToken().then(
        () => undefined,
        (caught) => caught,
      );
      assert(isAuthError(error, "oauth_error"), `rejected with ${error?.code ?? error}`);
      const views = { message: error.message, stack: String(error.stack), String: String(error), "JSON.stringify": JSON.stringify(error) };
      views["JSON.stringify(client)"] = JSON.stringify(tokens);
      if (inspect) {
        views[inspectName] = inspect(error, { depth: 10, showHidden: true });
        views[`${inspectName}(client)`] = inspect(tokens, { depth: 10, showHidden: true });
      }
      for (const [view, text] of Object.entries(views)) {
        assert(!text.includes(wrongSecret) && !text.includes(config.clientSecret), `the secret is in ${view}`);
      }
      return `${error.status} ${error.oauthError}; clean: ${Object.keys(views).join(", ")}`;
    },
  ],
  [
    "an aborted signal rejects that call only, with aborted",
    async (config) => {
      const tokens = auth.createTokenClient(credentials(config));
      const before = await stats(config);
      const caller = new AbortController();
      const aborted = tokens.getToken({ signal: caller.signal });
      const other = tokens.getToken();
      caller.abort();
      const [mine, theirs] = await Promise.allSettled([aborted, other]);
      const change = delta(before, await stats(config));
      assert(mine.status === "rejected" && isAuthError(mine.reason, "aborted"), `the aborted call ${mine.status === "rejected" ? `rejected with ${mine.reason?.code ?? mine.reason}` : "resolved"}`);
      assert(theirs.status === "fulfilled" && theirs.value.accessToken.length > 0, `the other call ${theirs.status === "rejected" ? `rejected with ${theirs.reason?.code ?? theirs.reason}` : "got no token"}`);
      assert(change.tokenRequests === 1, `${change.tokenRequests} token requests`);
      return "aborted caller rejected, shared request went on";
    },
  ],
  [
    `/client: a token source makes 1 fetchToken call for ${CONCURRENT_CALLERS} concurrent getToken(), and its createCellsClient gets 200`,
    async (config) => {
      assert(typeof lean.createTokenSource === "function" && typeof lean.createCellsClient === "function", "/client lacks createTokenSource or createCellsClient");
      let calls = 0;
      const tokens = lean.createTokenSource({
        baseUrl: config.baseUrl,
        fetchToken: async ({ signal }) => {
          calls += 1;
          const { accessToken, expiresIn } = await auth.postAccessToken({ ...credentials(config), signal });
          return { accessToken, expiresIn };
        },
      });
      const got = await Promise.all(Array.from({ length: CONCURRENT_CALLERS }, () => tokens.getToken()));
      assert(calls === 1, `${calls} fetchToken calls`);
      assert(new Set(got).size === 1 && Object.isFrozen(got[0]), "callers got different or unfrozen tokens");
      const before = await stats(config);
      const { data, response } = await lean.createCellsClient({ tokens }).GET("/cells/status/check");
      const change = delta(before, await stats(config));
      assert(response.status === 200 && data?.status === "OK", `status ${response.status}`);
      assert(change.apiCalls === 1 && change.apiCallsRejected === 0 && change.tokenRequests === 0, `${change.apiCalls} API calls, ${change.tokenRequests} token requests`);
      const error = await lean.createTokenSource({ baseUrl: config.baseUrl, fetchToken: async () => ({ accessToken: "x" }) }).getToken().then(() => undefined, (caught) => caught);
      assert(lean.isCellsAuthError(error) && error.code === "invalid_response", `a result without expiry gave ${error?.code ?? error}`);
      return `1 fetchToken call, status ${data.status}, bad result: invalid_response`;
    },
  ],
  [
    "/otel with @opentelemetry/api alone (no SDK): openTelemetry() on a token client throws nothing, tokens come as without it",
    async (config) => {
      assert(typeof otel.openTelemetry === "function" && typeof otel.combineListeners === "function", "/otel lacks openTelemetry or combineListeners");
      assert(!trace.getTracer("conformance").startSpan("probe").isRecording(), "a tracer provider is registered: this check wants the API's no-op one");
      const { seen, onEvent } = watchedListener(otel.openTelemetry());
      const tokens = auth.createTokenClient({ ...credentials(config), onEvent });
      const before = await stats(config);
      const got = await Promise.all(Array.from({ length: 5 }, () => tokens.getToken()));
      const warm = await tokens.getToken();
      const change = delta(before, await stats(config));
      assert(change.tokenRequests === 1, `${change.tokenRequests} token requests`);
      assert(got.every((token) => token.accessToken === warm.accessToken), "callers got different tokens");
      await failedFlight(config, onEvent);
      assert(seen.thrown.length === 0, `the listener threw: ${seen.thrown.join("; ")}`);
      assert(seen.events > 0, "the client emitted no event");
      return `1 token request, ${seen.events} events (a landed and a failed flight), nothing thrown`;
    },
  ],
  [
    "/otel with in-memory providers (the API's interfaces, no SDK): one ended span aspose.cells.token per flight, ERROR on failure, no token or secret in them",
    async (config) => {
      const traces = memoryTracerProvider();
      const meters = memoryMeterProvider();
      const { seen, onEvent } = watchedListener(otel.openTelemetry({ tracerProvider: traces.provider, meterProvider: meters.provider }));
      const tokens = auth.createTokenClient({ ...credentials(config), onEvent });
      const got = await Promise.all(Array.from({ length: 5 }, () => tokens.getToken()));
      await tokens.getToken();
      assert(seen.thrown.length === 0, `the listener threw: ${seen.thrown.join("; ")}`);
      const [landed, ...more] = traces.spans;
      assert(landed !== undefined && more.length === 0, `${traces.spans.length} spans for one flight`);
      assert(landed.name === "aspose.cells.token" && landed.ends === 1, `span ${landed.name} ended ${landed.ends} times`);
      assert(landed.attributes["aspose.cells.token.outcome"] === "issued" && landed.status.code !== 2, `outcome ${landed.attributes["aspose.cells.token.outcome"]}, status ${landed.status.code}`);
      const requests = meters.points.filter((point) => point.name === "aspose.cells.token.requests");
      assert(requests.length === 1 && requests[0].attributes["aspose.cells.token.outcome"] === "issued", `${requests.length} points of aspose.cells.token.requests`);

      const failing = memoryTracerProvider();
      const failedListener = watchedListener(otel.openTelemetry({ tracerProvider: failing.provider, meterProvider: memoryMeterProvider().provider }));
      await failedFlight(config, failedListener.onEvent);
      assert(failedListener.seen.thrown.length === 0, `the listener threw: ${failedListener.seen.thrown.join("; ")}`);
      const [failed] = failing.spans;
      assert(failing.spans.length === 1 && failed.name === "aspose.cells.token" && failed.ends === 1, `${failing.spans.length} spans for a failed flight`);
      assert(failed.status.code === 2 && failed.attributes["error.type"] === "oauth_error", `status ${failed.status.code}, error.type ${failed.attributes["error.type"]}`);

      const recorded = JSON.stringify([traces.spans, meters.points, failing.spans]);
      for (const secret of [got[0].accessToken, config.clientSecret, "conformance-otel-wrong-secret"]) {
        assert(!recorded.includes(secret), "a token or a secret is in a span or a metric");
      }
      return `spans: ${landed.name} (issued, ${landed.attributes["aspose.cells.token.attempts"]} attempt), ${failed.name} (ERROR ${failed.attributes["error.type"]}); ${meters.points.length} metric points`;
    },
  ],
  [
    // The harness sets no ASPOSE_CLOUD_* variable. Where there is no process.env (workerd, a page) or it cannot be read (Deno
    // without --allow-env throws NotCapable), the error is still a CellsAuthError naming the credential.
    "no credentials given and none in the environment (or no access to it): createTokenClient throws invalid_config naming clientId",
    async (config) => {
      let error;
      try {
        auth.createTokenClient({ baseUrl: config.baseUrl });
      } catch (caught) {
        error = caught;
      }
      assert(isAuthError(error, "invalid_config"), `threw ${error?.code ?? error}`);
      assert(/clientId|ASPOSE_CLOUD_CLIENT_ID/.test(error.message), `the message names neither: ${error.message}`);
      // Deno runs without --allow-env here: the refusal itself must be what is reported.
      if (globalThis.Deno !== undefined) assert(error.message.includes("could not be read"), `Deno: ${error.message}`);
      return error.message;
    },
  ],
  [
    "postAccessToken returns a Bearer token with a future expiresAt",
    async (config) => {
      const token = await auth.postAccessToken(credentials(config));
      assert(token.tokenType === "Bearer", `tokenType ${token.tokenType}`);
      assert(Number.isFinite(token.expiresAt) && token.expiresAt > Date.now(), `expiresAt ${token.expiresAt}`);
      assert(typeof token.accessToken === "string" && token.accessToken.length > 0, "no access token");
      return `expires in ${token.expiresIn} s`;
    },
  ],
];

function withinLimit(work, name) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: no answer within ${CHECK_LIMIT_MS} ms`)), CHECK_LIMIT_MS);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/**
 * Runs every check in order; never rejects. `inspect` is the runtime's own inspect where it has
 * one (named by `inspectName`): the secret must not show in it either.
 * @returns {Promise<Array<{ name: string, ok: boolean, detail: string }>>}
 */
export async function runConformance(config, { inspect, inspectName = "inspect" } = {}) {
  const results = [];
  for (const [name, check] of checks) {
    try {
      const detail = await withinLimit(check(config, { inspect, inspectName }), name);
      results.push({ name, ok: true, detail });
    } catch (error) {
      results.push({ name, ok: false, detail: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}

/** How many checks runConformance runs: a run that reports fewer did not finish. */
export const CHECK_COUNT = checks.length;
