// The Redis store on a real Redis Cluster (3 masters, 3 replicas, test/_redis-cluster.ts), shared
// by real processes (test/_redis-worker.ts) with node-redis cluster clients.
import { expect } from "chai";
import { createClient, createCluster } from "redis";
import { createTokenClient } from "../src/index.js";
import { createRedisTokenStore } from "../src/redis/index.js";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startTokenServer, type TokenServer } from "../src/testing/index.js";
import { command, startRedisCluster, waitUntil, type RedisClusterServers } from "./_redis-cluster.js";
import { roundsThroughFailover, runFleet, runSkewedFleet, startWorker, type Worker } from "./_redis-fleet.js";
import type { WorkerConfig } from "./_redis-worker.js";
import { expectOneRequestPerRefresh, expectSharedThroughFailover, reportFailover } from "./_redis-failover.js";

describe("the Redis store on a Redis Cluster (3 masters, 3 replicas; child processes)", function () {
  this.timeout(300_000);
  let cluster: RedisClusterServers;
  let emulator: TokenServer;
  let workers: Worker[] = [];
  const config = (overrides: Partial<WorkerConfig> = {}): WorkerConfig => ({
    baseUrl: emulator.baseUrl,
    clientId: DEFAULT_CLIENT_ID,
    clientSecret: DEFAULT_CLIENT_SECRET,
    callers: 100,
    cluster: { rootNodes: [...cluster.rootNodes] },
    ...overrides,
  });
  /** A Redis key of the emulator's client id, as a round stored it: its slot's master is the one to kill. */
  const tokenKey = async () => {
    const [key] = await cluster.keys("*{aspose-cells-cloud-auth:v1:*}");
    if (!key) throw new Error("no token stored yet");
    return key;
  };

  before(async () => {
    cluster = await startRedisCluster();
  });
  after(async () => {
    await cluster?.close();
  });
  beforeEach(async () => {
    await cluster.flushAll();
    emulator = await startTokenServer();
    workers = [];
  });
  afterEach(async () => {
    for (const worker of workers) worker.kill();
    await emulator?.close();
  });

  it("4 processes x 100 concurrent getToken() with cluster clients, cold: one token request, one token everywhere", async () => {
    emulator.inject({ kind: "delay", ms: 300 }); // the request is still on its way when the others ask
    const results = await runFleet(4, config());
    expect(results.flatMap((result) => result.failures)).to.deep.equal([]);
    expect(emulator.stats.tokenRequests).to.equal(1);
    expect(new Set(results.flatMap((result) => result.tokens)).size).to.equal(1);
  });

  it("processes whose clocks differ by minutes still make one token request per refresh (3 s tokens, 12 s, one process 2 minutes ahead)", async () => {
    emulator.setTokenLifetime(3);
    const outcome = await runSkewedFleet([0, 0, 120_000], 12_000, config(), () => emulator.stats.tokenRequests);
    expectOneRequestPerRefresh(outcome, 3_000);
  });

  it("with useReplicas, still reads and writes on the masters (a replica may not have the last write yet)", async () => {
    // CLUSTER SLOTS lists a replica once it has acknowledged some replication (within seconds).
    const listed = async () => ((await command(cluster.nodes[0]!, ["CLUSTER", "SLOTS"])) as unknown[][]).every((range) => range.length > 3);
    await waitUntil(listed, 60_000, "CLUSTER SLOTS to list the replicas");
    const client = createCluster({ rootNodes: [...cluster.rootNodes], useReplicas: true });
    client.on("error", () => undefined);
    await client.connect();
    expect(client.replicas.length, "replicas the client may read from").to.equal(3);
    try {
      // Replicas that answer nothing: a command sent to one would time out.
      await Promise.all((await cluster.replicas()).map((replica) => command(replica, ["CLIENT", "PAUSE", "5000", "ALL"])));
      const errors: string[] = [];
      const tokenClient = () => {
        const store = createRedisTokenStore({ client }, { commandTimeoutMs: 1_000 });
        return { store, tokens: createTokenClient({ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, baseUrl: emulator.baseUrl, store, onEvent: (event) => event.type === "store_error" && errors.push(event.message) }) };
      };
      const first = tokenClient();
      const token = await first.tokens.getToken();
      await first.store.close(); // its token is stored
      const second = tokenClient();
      expect((await second.tokens.getToken()).accessToken).to.equal(token.accessToken);
      await second.store.close();
      expect(errors).to.deep.equal([]);
      expect(emulator.stats.tokenRequests).to.equal(1);
    } finally {
      client.destroy();
      await waitUntil(async () => (await Promise.all((await cluster.replicas()).map((replica) => command(replica, ["PING"])))).every((answer) => answer === "PONG"), 30_000, "the replicas to answer again");
    }
  });

  it("a plain client on one cluster node: its store_error events say to pass a createCluster() client", async () => {
    // A cluster client stores the token first, so the key's master is known.
    await runFleet(1, config({ callers: 1 }));
    const owner = await cluster.masterOf(await tokenKey());
    const other = cluster.nodes.find((node) => node !== owner && node.running)!;
    const plain = createClient({ url: other.url });
    plain.on("error", () => undefined);
    await plain.connect();
    try {
      const messages: string[] = [];
      const store = createRedisTokenStore({ client: plain });
      await createTokenClient({ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, baseUrl: emulator.baseUrl, store, onEvent: (event) => event.type === "store_error" && messages.push(event.message) }).getToken();
      await store.close();
      expect(messages.length).to.be.above(0);
      expect(messages.every((message) => /MOVED .*pass a createCluster\(\) client/.test(message)), messages.join("\n")).to.equal(true);
    } finally {
      plain.destroy();
    }
  });

  it("a master killed mid-run: no caller fails or waits past the bound, and sharing resumes once its replica took over", async () => {
    emulator.inject({ kind: "delay", ms: 200 }, { times: Infinity });
    const store = { commandTimeoutMs: 300, waitMs: 1_000 }; // a bound of 1.9 s: a call left pending past it would show
    workers = Array.from({ length: 4 }, () => startWorker(config({ callers: 20, rounds: true, store })));
    await Promise.all(workers.map((worker) => worker.ready));
    const run = await roundsThroughFailover(workers, () => emulator.stats.tokenRequests, {
      async kill() {
        const { replica } = await cluster.killMasterOf(await tokenKey());
        return () => cluster.promoted(replica, 120_000);
      },
    });
    for (const worker of workers) worker.quit();
    reportFailover("cluster", run);
    expectSharedThroughFailover(run, { ...store, requestMs: 200 });
  });
});
