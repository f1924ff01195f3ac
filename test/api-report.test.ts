// The API report gate (npm run api:check in npm test; npm run api:update accepts a change), on a
// small package of its own: built declarations written here, API Extractor run for real. The
// fixture lives under .tmp/ in the repository, so its declarations resolve @types/node from it.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { runApiReport } from "../scripts/lib/api-report.js";
import { isPipelineError } from "../packages/codegen/src/pipeline/errors.js";
import { publicEntries, type PublicEntry } from "../scripts/lib/public-entries.js";
import { repoRoot } from "./_spec-workspace.js";

const run = promisify(execFile);

const INDEX = `/** Says hello. */\nexport declare function hello(name: string): string;\n`;
const EXTRA = `/** Counts. */\nexport declare const count: number;\n`;

interface Fixture {
  readonly root: string;
  entries(): PublicEntry[];
  write(file: string, text: string): Promise<void>;
}

/** A package with exports "." and "./extra", built declarations in dist/, and the build's entry map in tsdown.config.ts. */
async function createFixture(): Promise<Fixture> {
  await mkdir(path.join(repoRoot, ".tmp"), { recursive: true });
  const root = await mkdtemp(path.join(repoRoot, ".tmp", "api-report-"));
  const exports = { ".": { import: { types: "./dist/index.d.ts" } }, "./extra": { import: { types: "./dist/extra.d.ts" } }, "./package.json": "./package.json" };
  const build = { index: "src/index.ts", extra: "src/extra.ts" };
  const write = async (file: string, text: string) => {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  };
  await write("package.json", JSON.stringify({ name: "fixture-pkg", version: "1.0.0", type: "module", exports }));
  await write("tsdown.config.ts", `export default [{ entry: ${JSON.stringify(build)}, dts: true }];\n`);
  await write("dist/index.d.ts", INDEX);
  await write("dist/extra.d.ts", EXTRA);
  const manifest = { name: "fixture-pkg", exports };
  return { root, write, entries: () => publicEntries({ root, manifest, build: { outDir: "dist", entries: new Map(Object.entries(build)) }, controllers: undefined }) };
}

describe("API report gate", function () {
  this.timeout(120_000);
  let fixture: Fixture;
  beforeEach(async () => {
    fixture = await createFixture();
  });
  afterEach(async () => {
    if (fixture !== undefined) await rm(fixture.root, { recursive: true, force: true });
  });

  it("fails on a deliberately added export with the diff, leaves the committed report alone; api:update accepts it, then it passes; a narrowed type fails too", async () => {
    const { root } = fixture;
    const written = await runApiReport(root, fixture.entries(), "update");
    expect(written.results.map((result) => result.status)).to.deep.equal(["missing", "missing"]);
    const committed = await readFile(path.join(root, "api-report", "index.api.md"), "utf8");
    expect(committed).to.contain("export function hello(name: string): string;");

    await fixture.write("dist/index.d.ts", `${INDEX}/** Added on purpose. */\nexport declare function added(): void;\n`);
    const check = await runApiReport(root, fixture.entries(), "check");
    expect(check.results.map((result) => result.status)).to.deep.equal(["changed", "same"]);
    expect(check.results[0]?.diff).to.contain("+export function added(): void;").and.contain("a/api-report/index.api.md");
    expect(await readFile(path.join(root, "api-report", "index.api.md"), "utf8")).to.equal(committed);

    await runApiReport(root, fixture.entries(), "update");
    expect(await readFile(path.join(root, "api-report", "index.api.md"), "utf8")).to.contain("export function added(): void;");
    expect((await runApiReport(root, fixture.entries(), "check")).results.map((result) => result.status)).to.deep.equal(["same", "same"]);

    await fixture.write("dist/index.d.ts", `${INDEX.replace("name: string", 'name: "a" | "b"')}/** Added on purpose. */\nexport declare function added(): void;\n`);
    const narrowed = await runApiReport(root, fixture.entries(), "check");
    expect(narrowed.results[0]?.diff).to.contain("-export function hello(name: string): string;").and.contain('+export function hello(name: "a" | "b"): string;');
  });

  it("an entry without a committed report, and a report whose entry is gone, fail the check; update writes the one and deletes the other", async () => {
    const { root } = fixture;
    await runApiReport(root, fixture.entries(), "update");
    await rm(path.join(root, "api-report", "extra.api.md"));
    await fixture.write("api-report/removed.api.md", "## API Report File\n");
    const check = await runApiReport(root, fixture.entries(), "check");
    expect(check.results.map((result) => result.status)).to.deep.equal(["same", "missing"]);
    expect(check.orphans).to.deep.equal([path.join(root, "api-report", "removed.api.md")]);
    await runApiReport(root, fixture.entries(), "update");
    expect((await readdir(path.join(root, "api-report"))).sort()).to.deep.equal(["extra.api.md", "index.api.md"]);
  });

  it("an unbuilt entry fails at once, naming the declaration file and npm run build", async () => {
    await rm(path.join(fixture.root, "dist", "extra.d.ts"));
    const error = await runApiReport(fixture.root, fixture.entries(), "check").then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isPipelineError(error) && error.code).to.equal("CONFIG");
    expect((error as Error).message).to.contain("dist/extra.d.ts").and.contain("npm run build");
  });

  it("npm run api:check exits 1 naming each entry without a report and npm run api:update", async () => {
    const result = await run(process.execPath, ["--import", "tsx", path.join(repoRoot, "scripts", "api-report.ts")], { cwd: fixture.root }).then(
      () => ({ code: 0, stderr: "" }),
      (failure: { code: number; stderr: string }) => failure,
    );
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain("fixture-pkg has no committed API report (api-report/index.api.md)");
    expect(result.stderr).to.contain("fixture-pkg/extra has no committed API report").and.contain("run npm run api:update and commit api-report/");
  });
});
