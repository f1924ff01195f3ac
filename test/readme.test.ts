// Every snippet in README.md runs here, so the README cannot rot: TypeScript blocks are
// type-checked against the built package and executed against the emulator; shell blocks are run
// line by line, except the few lines NOT_RUN names with the reason.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { startTokenServer, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, type TokenServer } from "../src/testing/index.js";
import { BROWSER_PATTERN, blockStartingWith, readmeBlocks, type Block } from "./_readme.js";
import { startRedis, type RedisServer } from "./_redis.js";

const run = promisify(execFile);
const root = new URL("..", import.meta.url).pathname;
const work = join(root, ".tmp", "readme");

const NOT_RUN: Record<string, string> = {
  "npm test": "it is this test run",
  "npm install aspose-cells-cloud-auth": "installs from the registry; test/package.test.ts installs the packed tarball the same way",
  "npm run spec:apply": "rewrites openapi/; test/spec-apply.test.ts runs it on a copy",
  "npm run test:runtimes": "downloads runtimes and drives Chromium for minutes; .ci/run runs it after npm test",
  "npm run controller:add -- --tag CellsWorksheetsController": "fetches the live spec, unreachable offline; the worked example below is the same command with --from",
  "npm run controller:add -- --tag CellsWorkbookController --from test/fixtures/spec/upstream-swagger2.json":
    "adds a controller to openapi/ and generated/; test/controller-add-ships.test.ts runs it on a copy of the repository, then builds, packs and installs it",
  "sudo apt-get install -y openjdk-17-jre-headless redis-server": "installs system packages; test/preflight.test.ts pins that the preflight prints this command",
  "brew install --cask temurin@17 && brew install redis": "macOS only; test/preflight.test.ts pins that the preflight prints these commands",
};

/** TypeScript blocks that are type-checked here but run elsewhere, by their first line. */
const RUN_ELSEWHERE: Record<string, string> = {
  [BROWSER_PATTERN.page]: "browser code (fetches a relative URL): npm run test:runtimes runs it in Chromium with the server block as its route",
};

const runsHere = (block: Block) => !Object.keys(RUN_ELSEWHERE).some((firstLine) => block.code.startsWith(firstLine));

/** A README shell line as it runs here: `npm ci` was done by the setup, `npx aspose-cells-token` and `npx aspose-cells-emulator` are the built bins. */
function asRunHere(line: string): string {
  return line
    .replace(/^npm ci && /, "")
    .replaceAll("npx aspose-cells-token", `${process.execPath} dist/cli.js`)
    .replaceAll("npx aspose-cells-emulator", `${process.execPath} dist/emulator.js`);
}

describe("README.md snippets", function () {
  this.timeout(120_000);
  let server: TokenServer;
  let redis: RedisServer;
  let env: NodeJS.ProcessEnv;
  let blocks: Block[];

  before(async () => {
    blocks = await readmeBlocks();
    server = await startTokenServer();
    redis = await startRedis();
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("ASPOSE_CLOUD_")));
    env = { ...inherited, ASPOSE_CLOUD_CLIENT_ID: DEFAULT_CLIENT_ID, ASPOSE_CLOUD_CLIENT_SECRET: DEFAULT_CLIENT_SECRET, ASPOSE_CLOUD_API_URL: server.baseUrl, REDIS_URL: redis.url };
    await run("npm", ["run", "build"], { cwd: root });
    await rm(work, { recursive: true, force: true });
    await mkdir(work, { recursive: true });
  });
  after(async () => {
    await server?.close();
    await redis?.close();
    await rm(work, { recursive: true, force: true });
  });

  it("starts with the two commands: set up and run the main job, run the tests", () => {
    expect(blocks[0]).to.deep.equal({ lang: "sh", code: "npm ci && npm start\nnpm test\n" });
  });

  it("states the Node.js versions package.json declares, and no others", async () => {
    const text = await readFile(join(root, "README.md"), "utf8");
    const manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { engines: { node: string }; devEngines: { runtime: { version: string } } };
    const redis = JSON.parse(await readFile(join(root, "node_modules", "redis", "package.json"), "utf8")) as { engines: { node: string } };
    const rows = [...text.matchAll(/^\| (use the package|use `aspose-cells-cloud-auth\/redis`|develop this repository).*? \| `(.+?)` \|/gm)];
    const stated = Object.fromEntries(rows.map(([, who = "", range = ""]) => [who, range.replaceAll("\\|", "|")]));
    expect(stated).to.deep.equal({
      "use the package": manifest.engines.node,
      "use `aspose-cells-cloud-auth/redis`": `>=${/^>= ?(\d+)\.0\.0$/.exec(redis.engines.node)?.[1]}`,
      "develop this repository": manifest.devEngines.runtime.version,
    });
    expect(text.match(/Node(\.js)? \d+(\.\d+)* or later|Node(\.js)? \d+\+/g)).to.deep.equal(["Node.js 18.7 or later", "Node.js 20 or later"]);
    expect(manifest.engines.node).to.equal(">=18.7");
  });

  it("type-checks every TypeScript snippet against the built package", async () => {
    const snippets = blocks.filter((block) => block.lang === "ts");
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
      const file = join(work, `run-${index}.ts`);
      await writeFile(file, block.code);
      const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", file], { cwd: root, env });
      expect(stdout + stderr, `snippet ${index}`).not.to.contain(DEFAULT_CLIENT_SECRET);
    }
    expect(server.stats.tokenRequests).to.be.at.least(snippets.length);
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
    expect(runnable.length).to.be.at.least(6);
    for (const line of runnable) {
      const { stdout, stderr } = await run("bash", ["-euo", "pipefail", "-c", asRunHere(line)], { cwd: root, env });
      expect(stdout + stderr, line).not.to.contain(DEFAULT_CLIENT_SECRET);
    }
  });
});
