// Every snippet in README.md runs here, so the README cannot rot: TypeScript blocks are
// type-checked against the built package (built once per test run: _dist.ts) and executed against
// the emulator; `sh` blocks are run line by line, except the few lines NOT_RUN names with the
// reason, and `bash` blocks run whole, as one script.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { transform } from "esbuild";
import { startTokenServer, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, type TokenServer } from "../src/testing/index.js";
import { ensureBuilt } from "./_dist.js";
import { closedPort } from "./_http.js";
import { ANY_ENDPOINT, BROWSER_PATTERN, blockStartingWith, readmeBlocks, type Block } from "./_readme.js";
import { startRedis, type RedisServer } from "./_redis.js";
import { startRedisCluster, startRedisSentinel, type RedisClusterServers, type RedisSentinelServers } from "./_redis-cluster.js";
import { TOOLCHAIN_TIMEOUT_MS } from "./_spec-run.js";

const run = promisify(execFile);
const root = new URL("..", import.meta.url).pathname;
const work = join(root, ".tmp", "readme");

/** The reason of the lines that are steps of `npm test` itself: a failing one fails the run before any test. */
const NPM_TEST_STEP = "a step of npm test (package.json scripts.test), which runs it before the tests";

const NOT_RUN: Record<string, string> = {
  "npm test": "it is this test run",
  "npm run build": NPM_TEST_STEP,
  "npm run generate:check": NPM_TEST_STEP,
  "npm run spec:validate": NPM_TEST_STEP,
  "npm install aspose-cells-cloud-auth": "installs from the registry; test/package.test.ts installs the packed tarball the same way",
  "npm run spec:apply": "rewrites openapi/; test/spec-apply.test.ts runs it on a copy",
  "npm run test:runtimes": "downloads runtimes and drives Chromium for minutes; .ci/run runs it after npm test",
  "npm run controller:add -- --tag CellsWorksheetsController": "fetches the live spec, unreachable offline; the worked example below is the same command with --from",
  "npm install --save-dev aspose-cells-codegen": "installs from the registry; test/codegen-consumer.test.ts installs both packed tarballs the same way",
  [ANY_ENDPOINT.add]: "fetches the live spec and writes into the project it runs in: the Any endpoint test below runs it with --from a fixture in its own project",
  "npm run controller:add -- --tag CellsWorkbookController --from test/fixtures/spec/upstream-swagger2.json":
    "adds a controller to openapi/ and generated/; test/controller-add-ships.test.ts runs it on a copy of the repository, then builds, packs and installs it",
};

/** TypeScript blocks that are type-checked here but run elsewhere, by their first line. */
const RUN_ELSEWHERE: Record<string, string> = {
  [BROWSER_PATTERN.page]: "browser code (fetches a relative URL): npm run test:runtimes runs it in Chromium with the server block as its route",
};

/** Blocks that import what `aspose-cells-codegen add` wrote: the Any endpoint test checks and runs them in a project of their own. */
const IN_A_PROJECT: ReadonlySet<string> = new Set([ANY_ENDPOINT.snippet]);
const inGeneralRun = (block: Block) => !IN_A_PROJECT.has(block.code.split("\n")[0] ?? "");

const runsHere = (block: Block) => inGeneralRun(block) && !Object.keys(RUN_ELSEWHERE).some((firstLine) => block.code.startsWith(firstLine));

/**
 * README shell code as it runs here: `npm ci` was done by the setup, `npx aspose-cells-token` and
 * `npx aspose-cells-emulator` are the built bins (test/package.test.ts runs them through npx from
 * the installed package).
 */
function asRunHere(code: string): string {
  return code
    .replace(/^npm ci && /, "")
    .replaceAll("npx aspose-cells-token", `${process.execPath} ${join(root, "dist", "cli.js")}`)
    .replaceAll("npx aspose-cells-emulator", `${process.execPath} ${join(root, "dist", "emulator.js")}`);
}

describe("README.md snippets", function () {
  this.timeout(TOOLCHAIN_TIMEOUT_MS);
  let server: TokenServer;
  let redis: RedisServer;
  let cluster: RedisClusterServers;
  let sentinel: RedisSentinelServers;
  let env: NodeJS.ProcessEnv;
  /** The environment without the emulator's variables: a bash block sets its own. */
  let inherited: NodeJS.ProcessEnv;
  let blocks: Block[];

  before(async () => {
    blocks = await readmeBlocks();
    server = await startTokenServer();
    redis = await startRedis();
    cluster = await startRedisCluster(); // for the Redis Cluster and Sentinel snippets
    sentinel = await startRedisSentinel(1);
    inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("ASPOSE_CLOUD_")));
    env = {
      ...inherited,
      ASPOSE_CLOUD_CLIENT_ID: DEFAULT_CLIENT_ID,
      ASPOSE_CLOUD_CLIENT_SECRET: DEFAULT_CLIENT_SECRET,
      ASPOSE_CLOUD_API_URL: server.baseUrl,
      REDIS_URL: redis.url,
      REDIS_CLUSTER_NODES: cluster.rootNodes.map((node) => node.url).join(","),
      REDIS_SENTINELS: sentinel.sentinelRootNodes.map((node) => `${node.host}:${node.port}`).join(","),
      REDIS_SENTINEL_NAME: sentinel.name,
    };
    await ensureBuilt();
    await rm(work, { recursive: true, force: true });
    await mkdir(work, { recursive: true });
  });
  after(async () => {
    await server?.close();
    await redis?.close();
    await cluster?.close();
    await sentinel?.close();
    await rm(work, { recursive: true, force: true });
  });

  it("starts with the two commands: set up and run the main job, run the tests", () => {
    expect(blocks[0]).to.deep.equal({ lang: "sh", code: "npm ci && npm start\nnpm test\n" });
  });

  it("states the Node.js versions package.json declares, and no others (README.md for users, CONTRIBUTING.md for contributors)", async () => {
    const text = await readFile(join(root, "README.md"), "utf8");
    const contributing = await readFile(join(root, "CONTRIBUTING.md"), "utf8");
    const manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { engines: { node: string }; devEngines: { runtime: { version: string } } };
    const redis = JSON.parse(await readFile(join(root, "node_modules", "redis", "package.json"), "utf8")) as { engines: { node: string } };
    const rows = [...`${text}\n${contributing}`.matchAll(/^\| (use the package|use `aspose-cells-cloud-auth\/redis`|develop this repository).*? \| `(.+?)` \|/gm)];
    const stated = Object.fromEntries(rows.map(([, who = "", range = ""]) => [who, range.replaceAll("\\|", "|")]));
    expect(stated).to.deep.equal({
      "use the package": manifest.engines.node,
      "use `aspose-cells-cloud-auth/redis`": `>=${/^>= ?(\d+)\.0\.0$/.exec(redis.engines.node)?.[1]}`,
      "develop this repository": manifest.devEngines.runtime.version,
    });
    expect(text.match(/Node(\.js)? \d+(\.\d+)* or later|Node(\.js)? \d+\+/g)).to.deep.equal(["Node.js 18.7 or later", "Node.js 20 or later"]);
    expect(manifest.engines.node).to.equal(">=18.7");
  });

  it("names every event type onEvent receives, and no other (src/token/events.ts)", async () => {
    const readme = await readFile(join(root, "README.md"), "utf8");
    const events = await readFile(join(root, "src", "token", "events.ts"), "utf8");
    // Each member of the TokenEvent union, written `{ type: "x"; ... }` or with `type: "x";` on a line of its own.
    const declared = [...events.matchAll(/^\s*(?:\| \{ )?type: "(\w+)"/gm)].map(([, type]) => type);
    const row = /^\| `onEvent` \|.*$/m.exec(readme)?.[0] ?? "";
    const named = [...(row.split(" | ")[2] ?? "").matchAll(/`(\w+)`/g)].map(([, type]) => type);
    expect(declared.length).to.be.at.least(7);
    expect([...named].sort()).to.deep.equal([...declared].sort());
  });

  it("compares with asposecellscloud in figures BENCHMARKS.md measured", async () => {
    const readme = await readFile(join(root, "README.md"), "utf8");
    const benchmarks = await readFile(join(root, "BENCHMARKS.md"), "utf8");
    const row = (label: string) => {
      const cells = new RegExp(`^\\| ${label} \\| (.+?) \\| (.+?) \\|$`, "m").exec(readme);
      if (cells === null) throw new Error(`README.md has no row "${label}"`);
      return [cells[1]!, cells[2]!] as const;
    };
    const [, sdkLong] = row("token requests, 1-hour tokens");
    expect(benchmarks).to.contain(`| ${row("token requests, 1-hour tokens")[0]} vs ${sdkLong.split(" ")[0]} (SDK`);
    expect(benchmarks).to.contain(`| ${row("token requests, 60-second tokens").join(" vs ")} (SDK`);
    expect(benchmarks).to.contain(`| ${row("API calls sent with an expired token, 60-second tokens").join(" vs ")} |`);
    const [oursHung, sdkHung] = row("API calls that never settled, 60-second tokens");
    expect(benchmarks).to.contain(`ours: 800/800 calls OK, 0 failed, ${oursHung} never settled; SDK: 637/800 calls OK, 0 failed, ${sdkHung.split(" ")[0]} never settled, ${sdkHung.split(" ")[0]} unhandled rejections`);
    const [oursImport, sdkImport] = row("import overhead \\(cold start\\)");
    expect(benchmarks).to.contain(`ours ${oursImport} (import`);
    expect(benchmarks).to.contain(`asposecellscloud ${sdkImport} (import`);
    const [oursBundle] = row("bundles for a browser");
    const bytes = /everything the core entry exports \| (\d+) B/.exec(benchmarks)?.[1];
    expect(oursBundle).to.contain(`${(Number(bytes) / 1000).toFixed(1)} kB gzipped`);
    expect(benchmarks).to.contain("asposecellscloud cannot be bundled for the browser");
  });

  it("type-checks every TypeScript snippet against the built package", async () => {
    const snippets = blocks.filter((block) => block.lang === "ts" && inGeneralRun(block));
    expect(snippets.length).to.be.at.least(6);
    await Promise.all(snippets.map((block, index) => writeFile(join(work, `snippet-${index}.ts`), block.code)));
    const tsconfig = {
      compilerOptions: { strict: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", types: ["node"], noEmit: true, skipLibCheck: true },
      include: ["*.ts"],
    };
    await writeFile(join(work, "tsconfig.json"), JSON.stringify(tsconfig));
    const tsc = await run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(work, "tsconfig.json")], { cwd: root }).catch(
      (failure: { stdout: string }) => ({ stdout: failure.stdout, failed: true }),
    );
    expect(tsc.stdout).to.equal("");
  });

  it("has the browser pattern's server and page blocks, once each (test:runtimes runs them in Chromium)", () => {
    expect(blockStartingWith(blocks, BROWSER_PATTERN.server).code).to.contain("export async function");
    expect(blockStartingWith(blocks, BROWSER_PATTERN.page).code).to.contain("createCellsClient");
  });

  it("runs every TypeScript snippet but browser code against the emulator, printing no secret", async () => {
    const snippets = blocks.filter((block) => block.lang === "ts" && runsHere(block));
    for (const [index, block] of snippets.entries()) {
      // The types were checked above; the code runs as tsx would run it: esbuild strips the types.
      const file = join(work, `run-${index}.mjs`);
      await writeFile(file, (await transform(block.code, { loader: "ts", format: "esm", target: "es2022" })).code);
      const { stdout, stderr } = await run(process.execPath, [file], { cwd: root, env });
      expect(stdout + stderr, `snippet ${index}`).not.to.contain(DEFAULT_CLIENT_SECRET);
    }
    // Each snippet gets a token: from this emulator, or from the one it starts itself.
    expect(server.stats.tokenRequests).to.be.at.least(snippets.filter((block) => !block.code.includes("startTokenServer(")).length);
  });

  it("has the Redis snippet report a wrong REDIS_URL, and still get a token", async () => {
    const block = blocks.find((candidate) => candidate.lang === "ts" && candidate.code.includes('from "aspose-cells-cloud-auth/redis"'));
    expect(block, "the Redis snippet").to.not.equal(undefined);
    const file = join(work, "redis-wrong-url.mjs");
    await writeFile(file, (await transform(block!.code, { loader: "ts", format: "esm", target: "es2022" })).code);
    const { stdout, stderr } = await run(process.execPath, [file], { cwd: root, env: { ...env, REDIS_URL: `redis://127.0.0.1:${await closedPort()}` } });
    expect(stdout).to.equal("Bearer\n");
    expect(stderr).to.match(/^token store \w+: /m);
  });

  it("Any endpoint: the add command, then the snippet type-checked and run against the emulator, in a project of their own", async () => {
    const project = join(work, "any-endpoint");
    await mkdir(project, { recursive: true });
    await writeFile(join(project, "package.json"), JSON.stringify({ name: "any-endpoint", private: true, type: "module" }));
    // The built package, as an install would put it (test/codegen-consumer.test.ts installs the packed tarballs).
    await mkdir(join(project, "node_modules"), { recursive: true });
    await symlink(root, join(project, "node_modules", "aspose-cells-cloud-auth"), "dir");
    const lines = blocks.filter((block) => block.lang === "sh").flatMap((block) => block.code.trim().split("\n"));
    expect(lines).to.include(ANY_ENDPOINT.add);
    // The README's command, from the fixture instead of the published spec, through the workspace's aspose-cells-codegen.
    const [, , command, tag] = ANY_ENDPOINT.add.split(" ");
    const fixture = join(root, "test", "fixtures", "spec", "worksheets-swagger2.json");
    await run(process.execPath, ["--import", "tsx", join(root, "packages", "codegen", "src", "cli", "main.ts"), command as string, tag as string, "--from", fixture], { cwd: project });
    const snippet = blockStartingWith(blocks, ANY_ENDPOINT.snippet);
    await writeFile(join(project, "worksheets.ts"), snippet.code);
    const tsconfig = { compilerOptions: { strict: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", types: ["node"], noEmit: true, skipLibCheck: true }, files: ["worksheets.ts"] };
    await writeFile(join(project, "tsconfig.json"), JSON.stringify(tsconfig));
    const tsc = await run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(project, "tsconfig.json")], { cwd: root }).catch(
      (failure: { stdout: string }) => ({ stdout: failure.stdout }),
    );
    expect(tsc.stdout).to.equal("");
    const { stdout } = await run(process.execPath, ["--import", "tsx", "worksheets.ts"], { cwd: project, env });
    expect(stdout.trim()).to.match(/^\[ '.+' \]$/);
  });

  it("runs the Observability snippet: it prints the span of the flight, the metrics and your listener's events, and no secret", async () => {
    const block = blockStartingWith(blocks, 'import { metrics } from "@opentelemetry/api";');
    const file = join(work, "observability.ts");
    await writeFile(file, block.code);
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", file], { cwd: root, env });
    expect(stdout).to.contain("name: 'aspose.cells.token'").and.contain("'aspose.cells.token.outcome': 'issued'");
    expect(stdout).to.contain("aspose.cells.token.requests").and.contain("aspose.cells.token.request.duration");
    expect(stdout).to.contain("token_flight_started").and.contain("token_flight_landed");
    expect(stdout + stderr).not.to.contain(DEFAULT_CLIENT_SECRET);
  });

  it("runs every shell line that can run offline", async () => {
    const lines = blocks.filter((block) => block.lang === "sh").flatMap((block) => block.code.trim().split("\n"));
    const runnable = lines.filter((line) => !(line in NOT_RUN));
    expect(runnable.length).to.be.at.least(4);
    for (const line of runnable) {
      const { stdout, stderr } = await run("bash", ["-euo", "pipefail", "-c", asRunHere(line)], { cwd: root, env });
      expect(stdout + stderr, line).not.to.contain(DEFAULT_CLIENT_SECRET);
    }
  });

  it("has npm test run, as its own steps, the README lines it does not run here", async () => {
    const manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const steps = manifest.scripts["test"]?.split(" && ") ?? [];
    const lines = new Set(blocks.filter((block) => block.lang === "sh").flatMap((block) => block.code.trim().split("\n")));
    for (const [line, reason] of Object.entries(NOT_RUN)) {
      if (reason === NPM_TEST_STEP) expect(steps, line).to.include(line);
      expect(lines.has(line), `NOT_RUN names a line the README does not have: ${line}`).to.equal(true);
    }
  });

  it("runs every bash block whole, as one script, from a folder of its own", async () => {
    const scripts = blocks.filter((block) => block.lang === "bash");
    expect(scripts.length).to.be.at.least(1);
    for (const [index, block] of scripts.entries()) {
      const cwd = join(work, `script-${index}`);
      await mkdir(cwd, { recursive: true });
      // A liveness guard: a script that waits for something that never comes is killed, and fails.
      const { stdout, stderr } = await run("bash", ["-euo", "pipefail", "-c", asRunHere(block.code)], { cwd, env: inherited, timeout: 60_000 });
      expect(stdout + stderr, block.code).not.to.contain(DEFAULT_CLIENT_SECRET);
    }
  });
});
