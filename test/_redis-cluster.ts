// Real Redis Cluster and Sentinel setups for the Redis store's specs and bench/fleet.ts (outside
// the spec glob): every server on a free loopback port, its files in a temporary folder, nothing
// kept. A cluster is 3 masters and 3 replicas made with `redis-cli --cluster create`; a Sentinel
// setup is 1 master, its replicas and 3 sentinels. Failover is tuned to take seconds, not the
// defaults' tens of seconds, and everything waits for a condition, never for a fixed time.
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "redis";
import { checkRedisInstalled } from "./_redis.js";
import { closedPort } from "./_http.js";

const REDIS_SERVER = process.env.REDIS_SERVER ?? "redis-server";
const REDIS_CLI = process.env.REDIS_CLI ?? "redis-cli";
/** How long a node may be unreachable before the others count it failed (Redis's default is 15 s). */
const NODE_TIMEOUT_MS = 1_000;

export interface RedisNodeProcess {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Whether it still runs (false once killed). */
  readonly running: boolean;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
}

export interface RedisClusterServers {
  readonly nodes: readonly RedisNodeProcess[];
  /** `rootNodes` for `createCluster`: every node. */
  readonly rootNodes: ReadonlyArray<{ url: string }>;
  /** The running nodes that are replicas now. */
  replicas(): Promise<RedisNodeProcess[]>;
  /** Empties every running master. */
  flushAll(): Promise<void>;
  /** The keys matching `pattern` on every running master. */
  keys(pattern: string): Promise<string[]>;
  /** The node that is master of `key`'s slot now, as the running nodes see it. */
  masterOf(key: string): Promise<RedisNodeProcess>;
  /** Kills the master of `key`'s slot; resolves with it and the replica that is to take over. */
  killMasterOf(key: string): Promise<{ killed: RedisNodeProcess; replica: RedisNodeProcess }>;
  /** Resolves when `node` is a master and every running node reports `cluster_state:ok`. */
  promoted(node: RedisNodeProcess, ms: number): Promise<void>;
  close(): Promise<void>;
}

export interface RedisSentinelServers {
  /** The name the sentinels monitor the master under. */
  readonly name: string;
  readonly master: RedisNodeProcess;
  readonly replicas: readonly RedisNodeProcess[];
  readonly sentinels: readonly RedisNodeProcess[];
  /** `sentinelRootNodes` for `createSentinel`. */
  readonly sentinelRootNodes: ReadonlyArray<{ host: string; port: number }>;
  /** Resolves with the node the sentinels name as master once it is not `previous` and says it is master. */
  failedOver(previous: RedisNodeProcess, ms: number): Promise<RedisNodeProcess>;
  close(): Promise<void>;
}

/** Throws a clear message when redis-cli is missing (Debian's redis-tools, which redis-server depends on). */
function checkRedisCliInstalled(): void {
  const probe = spawnSync(REDIS_CLI, ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error(`${REDIS_CLI} is not installed: sudo apt-get install -y redis-tools (Debian/Ubuntu; redis-server depends on it) or brew install redis (macOS)`);
  }
}

/** 3 masters and 3 replicas, every slot served, the cluster state ok on every node. */
export async function startRedisCluster(): Promise<RedisClusterServers> {
  checkRedisInstalled();
  checkRedisCliInstalled();
  const { dir, remove } = await scratchDir("redis-cluster-");
  const nodes: RedisNodeProcess[] = [];
  try {
    for (let index = 0; index < 6; index++) {
      nodes.push(await startNode(dir, async (port) => ["--cluster-enabled", "yes", "--cluster-config-file", join(dir, `nodes-${port}.conf`), "--cluster-port", String(await closedPort()), "--cluster-node-timeout", String(NODE_TIMEOUT_MS)]));
    }
    await cli(["--cluster", "create", ...nodes.map((node) => `127.0.0.1:${node.port}`), "--cluster-replicas", "1", "--cluster-yes"], 120_000);
    await waitUntil(async () => (await Promise.all(nodes.map((node) => clusterState(node)))).every((state) => state === "ok"), 120_000, "the cluster state to be ok on every node");
    // A replica can take over only once it has synced with its master.
    await waitUntil(async () => (await Promise.all(nodes.map((node) => replicationReady(node)))).every(Boolean), 120_000, "every replica to sync");
  } catch (error) {
    await Promise.all(nodes.map((node) => node.kill()));
    await remove();
    throw error;
  }

  const byId = async () => {
    const running = nodes.find((node) => node.running)!;
    const text = String(await command(running, ["CLUSTER", "NODES"]));
    return text.trim().split("\n").map((line) => {
      const [id = "", address = "", flags = "", masterId = "", , , , , ...slots] = line.split(" ");
      const port = Number(/:(\d+)@/.exec(address)?.[1]);
      return { id, node: nodes.find((node) => node.port === port)!, master: flags.includes("master"), failed: flags.includes("fail"), masterId, slots };
    });
  };

  async function masterOf(key: string): Promise<RedisNodeProcess> {
    const running = nodes.find((node) => node.running)!;
    const slot = Number(await command(running, ["CLUSTER", "KEYSLOT", key]));
    const shards = await byId();
    const owner = shards.find((entry) => entry.master && !entry.failed && entry.slots.some((range) => {
      const [from, to = from] = range.split("-").map(Number) as [number, number?];
      return slot >= from && slot <= to!;
    }));
    if (!owner) throw new Error(`no master serves slot ${slot}`);
    return owner.node;
  }

  return {
    nodes,
    rootNodes: nodes.map((node) => ({ url: node.url })),
    async replicas() {
      return (await byId()).filter((entry) => !entry.master && entry.node.running).map((entry) => entry.node);
    },
    async flushAll() {
      const masters = (await byId()).filter((entry) => entry.master && entry.node.running);
      await Promise.all(masters.map(({ node }) => command(node, ["FLUSHALL"])));
    },
    async keys(pattern) {
      const masters = (await byId()).filter((entry) => entry.master && entry.node.running);
      return (await Promise.all(masters.map(async ({ node }) => (await command(node, ["KEYS", pattern])) as string[]))).flat();
    },
    masterOf,
    async killMasterOf(key) {
      const killed = await masterOf(key);
      const shards = await byId();
      const masterId = shards.find((entry) => entry.node === killed)!.id;
      const replica = shards.find((entry) => entry.masterId === masterId)?.node;
      if (!replica) throw new Error(`the master on port ${killed.port} has no replica`);
      await killed.kill();
      return { killed, replica };
    },
    async promoted(node, ms) {
      await waitUntil(async () => {
        const role = (await command(node, ["ROLE"]).catch(() => [])) as unknown[];
        if (role[0] !== "master") return false;
        const states = await Promise.all(nodes.filter((each) => each.running).map((each) => clusterState(each)));
        return states.every((state) => state === "ok");
      }, ms, `the replica on port ${node.port} to take over`);
    },
    async close() {
      await Promise.all(nodes.map((node) => node.kill()));
      await remove();
    },
  };
}

/** A master, `replicaCount` replicas of it, and 3 sentinels that know all of them (quorum 2). */
export async function startRedisSentinel(replicaCount = 1): Promise<RedisSentinelServers> {
  checkRedisInstalled();
  const { dir, remove } = await scratchDir("redis-sentinel-");
  const name = "tokens";
  const all: RedisNodeProcess[] = [];
  try {
    const master = await startNode(dir, async () => []);
    all.push(master);
    const replicas: RedisNodeProcess[] = [];
    for (let index = 0; index < replicaCount; index++) {
      const replica = await startNode(dir, async () => ["--replicaof", "127.0.0.1", String(master.port)]);
      replicas.push(replica);
      all.push(replica);
    }
    await waitUntil(async () => (await Promise.all(replicas.map((replica) => replicationReady(replica)))).every(Boolean), 120_000, "the replicas to sync");
    const sentinels: RedisNodeProcess[] = [];
    for (let index = 0; index < 3; index++) {
      const sentinel = await startNode(dir, async (port) => {
        const config = join(dir, `sentinel-${port}.conf`);
        await writeFile(config, [
          `sentinel monitor ${name} 127.0.0.1 ${master.port} 2`,
          `sentinel down-after-milliseconds ${name} ${NODE_TIMEOUT_MS}`,
          `sentinel failover-timeout ${name} 10000`,
          `sentinel parallel-syncs ${name} 1`,
          "",
        ].join("\n"));
        return { config, args: ["--sentinel"] };
      });
      sentinels.push(sentinel);
      all.push(sentinel);
    }
    // A failover needs the sentinels to know each other and the replicas first.
    await waitUntil(async () => {
      const views = await Promise.all(sentinels.map(async (sentinel) => ({
        sentinels: ((await command(sentinel, ["SENTINEL", "SENTINELS", name])) as unknown[]).length,
        replicas: ((await command(sentinel, ["SENTINEL", "REPLICAS", name])) as unknown[]).length,
      })));
      return views.every((view) => view.sentinels === 2 && view.replicas === replicaCount);
    }, 60_000, "the sentinels to discover each other and the replicas");

    return {
      name,
      master,
      replicas,
      sentinels,
      sentinelRootNodes: sentinels.map((sentinel) => ({ host: "127.0.0.1", port: sentinel.port })),
      async failedOver(previous, ms) {
        let current: RedisNodeProcess | undefined;
        await waitUntil(async () => {
          const named = await Promise.all(sentinels.filter((sentinel) => sentinel.running).map(async (sentinel) => {
            const [, port] = ((await command(sentinel, ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", name]).catch(() => [])) as string[]);
            return Number(port);
          }));
          const port = named[0];
          if (port === undefined || port === previous.port || !named.every((each) => each === port)) return false;
          current = all.find((node) => node.port === port);
          const role = current ? ((await command(current, ["ROLE"]).catch(() => [])) as unknown[]) : [];
          return role[0] === "master";
        }, ms, "the sentinels to promote a replica");
        return current!;
      },
      async close() {
        await Promise.all(all.map((node) => node.kill()));
        await remove();
      },
    };
  } catch (error) {
    await Promise.all(all.map((node) => node.kill()));
    await remove();
    throw error;
  }
}

// A crashed test run must leave neither servers nor folders behind (one process listener for all).
const atExit = new Set<() => void>();
process.once("exit", () => atExit.forEach((cleanUp) => cleanUp()));

/** A temporary folder for the servers' files, removed by `remove()` or when the process exits. */
async function scratchDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const onExit = () => rmSync(dir, { recursive: true, force: true });
  atExit.add(onExit);
  return {
    dir,
    async remove() {
      atExit.delete(onExit);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

type NodeArgs = string[] | { config: string; args: string[] };

/**
 * Starts one redis-server on a free port (another one if that port was taken meanwhile) and waits
 * until it answers PING. `extra` gives its arguments for that port, or a config file to start from.
 */
async function startNode(dir: string, extra: (port: number) => Promise<NodeArgs>): Promise<RedisNodeProcess> {
  for (let attempt = 1; ; attempt++) {
    const port = await closedPort();
    const given = await extra(port);
    const [config, more] = Array.isArray(given) ? [[], given] : [[given.config], given.args];
    const args = [...config, "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--repl-diskless-sync-delay", "0", ...more];
    const child = spawn(REDIS_SERVER, args, { stdio: "ignore" });
    const reap = () => child.kill("SIGKILL");
    atExit.add(reap);
    const exited = new Promise<void>((resolve) => child.once("exit", () => {
      atExit.delete(reap);
      resolve();
    }));
    const node: RedisNodeProcess = {
      port,
      url: `redis://127.0.0.1:${port}`,
      get running() {
        return child.exitCode === null && child.signalCode === null;
      },
      async kill() {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        await exited;
      },
    };
    const up = await Promise.race([
      waitUntil(async () => (await command(node, ["PING"]).catch(() => undefined)) === "PONG", 30_000, `redis-server on port ${port} to answer`).then(() => true),
      exited.then(() => false),
    ]);
    if (up) return node;
    if (attempt >= 5) throw new Error(`redis-server did not start (${attempt} ports tried, last ${port})`);
  }
}

/** One command on a short-lived connection (no reconnects: a dead node fails the call). */
export async function command(node: RedisNodeProcess, args: string[]): Promise<unknown> {
  const client = createClient({ url: node.url, socket: { reconnectStrategy: false, connectTimeout: 5_000 } });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await client.sendCommand(args);
  } finally {
    client.destroy();
  }
}

/** A master, or a replica whose link to its master is up (it has synced). */
async function replicationReady(node: RedisNodeProcess): Promise<boolean> {
  const info = String(await command(node, ["INFO", "replication"]));
  return info.includes("role:master") || info.includes("master_link_status:up");
}

async function clusterState(node: RedisNodeProcess): Promise<string | undefined> {
  const info = await command(node, ["CLUSTER", "INFO"]).catch(() => "");
  return /cluster_state:(\w+)/.exec(String(info))?.[1];
}

function cli(args: string[], ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(REDIS_CLI, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), ms);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`redis-cli ${args.slice(0, 2).join(" ")} exited ${code}: ${output.slice(-2000)}`));
    });
  });
}

/** Polls `predicate` every 50 ms until it holds; throws naming `what` after `ms`. */
export async function waitUntil(predicate: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await Promise.resolve().then(predicate).catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
