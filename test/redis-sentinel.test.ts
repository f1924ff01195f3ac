// The Redis store on a real Sentinel setup (a master, a replica, 3 sentinels;
// test/_redis-cluster.ts), shared by real processes (test/_redis-worker.ts) with node-redis
// Sentinel clients.
import { expect } from "chai";
import { createClient, createSentinel } from "redis";
import { createTokenClient, isCellsAuthError } from "../src/index.js";
import { createRedisTokenStore } from "../src/redis/index.js";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startTokenServer, type TokenServer } from "../src/testing/index.js";
import { command, startRedisSentinel, waitUntil, type RedisSentinelServers } from "./_redis-cluster.js";
import { roundsThroughFailover, runFleet, startWorker, type Worker } from "./_redis-fleet.js";
import type { WorkerConfig } from "./_redis-worker.js";
import { expectSharedThroughFailover, reportFailover } from "./_redis-failover.js";

describe("the Redis store behind Redis Sentinel (a master, a replica, 3 sentinels; child processes)", function () {
  this.timeout(300_000);
  let servers: RedisSentinelServers;
  let emulator: TokenServer;
  let workers: Worker[] = [];
  const config = (overrides: Partial<WorkerConfig> = {}): WorkerConfig => ({
    baseUrl: emulator.baseUrl,
    clientId: DEFAULT_CLIENT_ID,
    clientSecret: DEFAULT_CLIENT_SECRET,
    callers: 100,
    sentinel: { name: servers.name, sentinelRootNodes: [...servers.sentinelRootNodes] },
    ...overrides,
  });

  before(async () => {
    servers = await startRedisSentinel(1);
  });
  after(async () => {
    await servers?.close();
  });
  beforeEach(async () => {
    const master = createClient({ url: servers.master.url });
    master.on("error", () => undefined);
    await master.connect();
    await master.flushAll();
    master.destroy();
    emulator = await startTokenServer();
    workers = [];
  });
  afterEach(async () => {
    for (const worker of workers) worker.kill();
    await emulator?.close();
  });

  it("4 processes x 100 concurrent getToken() with Sentinel clients, cold: one token request, one token everywhere", async () => {
    emulator.inject({ kind: "delay", ms: 300 });
    const results = await runFleet(4, config());
    expect(results.flatMap((result) => result.failures)).to.deep.equal([]);
    expect(emulator.stats.tokenRequests).to.equal(1);
    expect(new Set(results.flatMap((result) => result.tokens)).size).to.equal(1);
  });

  it("refuses a lease from a Sentinel client's acquire() (it ends when released), taking the Sentinel client itself", async () => {
    const sentinel = createSentinel({ name: servers.name, sentinelRootNodes: [...servers.sentinelRootNodes] });
    sentinel.on("error", () => undefined);
    await sentinel.connect();
    const lease = await sentinel.acquire();
    try {
      const refused = (() => {
        try {
          createRedisTokenStore({ client: lease as never });
        } catch (error) {
          return isCellsAuthError(error) && error.code;
        }
        return "taken";
      })();
      expect(refused).to.equal("invalid_config");
      const store = createRedisTokenStore({ client: sentinel });
      const token = await createTokenClient({ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, baseUrl: emulator.baseUrl, store }).getToken();
      await store.close();
      expect(token.accessToken).to.be.a("string");
    } finally {
      lease.release();
      await sentinel.destroy();
    }
  });

  it("with a replica pool, still reads and writes on the master (a replica may not have the last write yet)", async () => {
    const sentinel = createSentinel({ name: servers.name, sentinelRootNodes: [...servers.sentinelRootNodes], replicaPoolSize: 1 });
    sentinel.on("error", () => undefined);
    await sentinel.connect();
    try {
      await Promise.all(servers.replicas.map((replica) => command(replica, ["CLIENT", "PAUSE", "5000", "ALL"])));
      const errors: string[] = [];
      const tokenClient = () => {
        const store = createRedisTokenStore({ client: sentinel }, { commandTimeoutMs: 1_000 });
        return { store, tokens: createTokenClient({ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, baseUrl: emulator.baseUrl, store, onEvent: (event) => event.type === "store_error" && errors.push(event.message) }) };
      };
      const first = tokenClient();
      const token = await first.tokens.getToken();
      await first.store.close();
      const second = tokenClient();
      expect((await second.tokens.getToken()).accessToken).to.equal(token.accessToken);
      await second.store.close();
      expect(errors).to.deep.equal([]);
      expect(emulator.stats.tokenRequests).to.equal(1);
    } finally {
      await sentinel.destroy();
      await waitUntil(async () => (await Promise.all(servers.replicas.map((replica) => command(replica, ["PING"])))).every((answer) => answer === "PONG"), 30_000, "the replica to answer again");
    }
  });

  it("the master killed mid-run: no caller fails or waits past the bound, and sharing resumes once the replica took over", async () => {
    emulator.inject({ kind: "delay", ms: 200 }, { times: Infinity });
    const store = { commandTimeoutMs: 300, waitMs: 1_000 }; // a bound of 1.9 s: a call left pending past it would show
    workers = Array.from({ length: 4 }, () => startWorker(config({ callers: 20, rounds: true, store })));
    await Promise.all(workers.map((worker) => worker.ready));
    const run = await roundsThroughFailover(workers, () => emulator.stats.tokenRequests, {
      async kill() {
        await servers.master.kill();
        return async () => {
          await servers.failedOver(servers.master, 120_000);
        };
      },
    });
    for (const worker of workers) worker.quit();
    reportFailover("Sentinel", run);
    expectSharedThroughFailover(run, { ...store, requestMs: 200 });
  });
});
