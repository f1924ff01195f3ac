// The Redis store's basic check, for every Node version it claims (Node only: it needs the
// `redis` package):
//   node redis.mjs '{"baseUrl":…,"clientId":…,"clientSecret":…,"control":…,"redisUrl":…}'
// With WebCrypto, two token clients with their own stores (two connections, as two processes
// would have) share one token request. Without it (Node 18), creating the store must already
// fail with invalid_config naming WebCrypto, instead of failing later.
import { createTokenClient, isCellsAuthError } from "aspose-cells-cloud-auth";
import { createRedisTokenStore } from "aspose-cells-cloud-auth/redis";
import { formatResult } from "./report.mjs";

const config = JSON.parse(process.argv[2] ?? "{}");

async function stats() {
  const response = await fetch(new URL("stats", config.control));
  if (!response.ok) throw new Error(`control stats answered ${response.status}`);
  return response.json();
}

async function sharedToken() {
  const before = await stats();
  const stores = [createRedisTokenStore({ url: config.redisUrl }), createRedisTokenStore({ url: config.redisUrl })];
  try {
    const clients = stores.map((store) => createTokenClient({ clientId: config.clientId, clientSecret: config.clientSecret, baseUrl: config.baseUrl, store }));
    const tokens = await Promise.all(clients.flatMap((client) => [client.getToken(), client.getToken()]));
    const requests = (await stats()).tokenRequests - before.tokenRequests;
    if (requests !== 1) throw new Error(`${requests} token requests for two clients`);
    if (new Set(tokens.map((token) => token.accessToken)).size !== 1) throw new Error("the clients got different tokens");
    return "2 clients, 2 Redis connections, 1 token request";
  } finally {
    await Promise.all(stores.map((store) => store.close()));
  }
}

function refusedAtCreation() {
  try {
    const store = createRedisTokenStore({ url: config.redisUrl });
    void store.close();
  } catch (error) {
    if (!isCellsAuthError(error) || error.code !== "invalid_config") throw new Error(`threw ${error?.code ?? error}`);
    if (!/WebCrypto/.test(error.message)) throw new Error(`the message does not name WebCrypto: ${error.message}`);
    return "no WebCrypto: invalid_config at creation";
  }
  throw new Error("created a store without WebCrypto");
}

const name = globalThis.crypto?.subtle ? "Redis store: two clients share one token request" : "Redis store without WebCrypto: refused at creation";
let result;
try {
  result = { name, ok: true, detail: globalThis.crypto?.subtle ? await sharedToken() : refusedAtCreation() };
} catch (error) {
  result = { name, ok: false, detail: error instanceof Error ? error.message : String(error) };
}
console.log(formatResult(result));
console.log(`checks: ${result.ok ? 1 : 0}/1`);
process.exitCode = result.ok ? 0 : 1;
