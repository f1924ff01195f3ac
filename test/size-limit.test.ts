// The size budgets (`npm run size`, .size-limit.mjs) run as real size-limit processes against a copy
// of the project (package.json, .size-limit.mjs and the built dist/ (_dist.ts), node_modules linked), so
// that a copy can be made to grow: the figures are the budget's own definition, and a check over its
// limit fails the run and is named.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFile, copyFile, cp, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { expect } from "chai";
import { build } from "esbuild";
import { ensureBuilt } from "./_dist.js";
import { repoRoot } from "./_spec-workspace.js";

const SIZE_LIMIT = path.join(path.dirname(createRequire(import.meta.url).resolve("size-limit/package.json")), "bin.js");

/** The four imports of issue 13's table, the two of issue 19's (`/client`) and the two of `/otel` (issue 20), as one-line entries, by the name of their check. */
const ENTRIES = {
  "{ createTokenClient }": 'export { createTokenClient } from "aspose-cells-cloud-auth";',
  "{ postAccessToken }": 'export { postAccessToken } from "aspose-cells-cloud-auth";',
  "{ createCellsClient, createTokenClient }": 'export { createCellsClient, createTokenClient } from "aspose-cells-cloud-auth";',
  "everything the core entry exports": 'export * from "aspose-cells-cloud-auth";',
  "/client { createTokenSource }": 'export { createTokenSource } from "aspose-cells-cloud-auth/client";',
  "/client { createCellsClient, createTokenSource }": 'export { createCellsClient, createTokenSource } from "aspose-cells-cloud-auth/client";',
  "/otel { openTelemetry }": 'export { openTelemetry } from "aspose-cells-cloud-auth/otel";',
  "/otel { openTelemetry, combineListeners }": 'export { openTelemetry, combineListeners } from "aspose-cells-cloud-auth/otel";',
};

/** The /otel checks measure our bytes only: the peer dependency stays an import. */
function externalFor(entry: string): string[] {
  return entry.includes('"aspose-cells-cloud-auth/otel"') ? ["@opentelemetry/api"] : [];
}

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

interface Check {
  readonly name: string;
  readonly size: number;
  readonly sizeLimit: number;
  readonly passed: boolean;
}

function sizeLimit(cwd: string, ...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SIZE_LIMIT, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr });
    });
  });
}

/** The definition, computed here on its own: esbuild --bundle --platform=browser --format=esm --minify, gzip level 9. */
async function gzippedBundle(project: string, entry: string): Promise<number> {
  const result = await build({
    external: externalFor(entry),
    stdin: { contents: entry, resolveDir: project, sourcefile: "entry.js" },
    bundle: true,
    platform: "browser",
    format: "esm",
    minify: true,
    write: false,
    logLevel: "silent",
  });
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).byteLength;
}

describe("size budgets (npm run size, .size-limit.mjs)", function () {
  this.timeout(120_000);
  let work: string;

  /** A copy of what size-limit reads; `withDist: false` leaves the build out. */
  async function project(name: string, { withDist = true } = {}): Promise<string> {
    const dir = path.join(work, name);
    await mkdir(dir, { recursive: true });
    await copyFile(path.join(repoRoot, "package.json"), path.join(dir, "package.json"));
    await copyFile(path.join(repoRoot, ".size-limit.mjs"), path.join(dir, ".size-limit.mjs"));
    await symlink(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
    // All of dist/, not only index.js: the core entry may import chunks beside it.
    if (withDist) await cp(path.join(repoRoot, "dist"), path.join(dir, "dist"), { recursive: true });
    return dir;
  }

  before(async () => {
    await ensureBuilt();
    work = await mkdtemp(path.join(os.tmpdir(), "size-limit-test-"));
  });
  after(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it("checks the issues' eight imports, each measured as the budget defines it (no allowance subtracted), /otel without @opentelemetry/api", async () => {
    const dir = await project("as-built");
    // A limit above any size, so that the run passes whatever the core weighs today.
    const run = await sizeLimit(dir, "--json", "--limit", "1 MB");
    expect(run.code, run.stderr).to.equal(0);
    const checks = JSON.parse(run.stdout) as Check[];
    expect(checks.map((check) => check.name)).to.deep.equal(Object.keys(ENTRIES));
    for (const check of checks) {
      const entry = ENTRIES[check.name as keyof typeof ENTRIES];
      expect(check.size, check.name).to.equal(await gzippedBundle(dir, entry));
    }
  });

  it("fails with exit code 1 and names every check over its limit when the entries grow", async () => {
    const dir = await project("grown");
    // 24 KiB that gzip cannot shrink, kept by every bundle (a top-level side effect) of each entry:
    // each check is then well over its limit (16 kB at the most), however small the rest gets.
    for (const entry of ["index.js", "client.js", "otel.js"]) {
      await appendFile(path.join(dir, "dist", entry), `\nglobalThis.sizeLimitTestPadding = "${randomBytes(24 * 1024).toString("base64")}";\n`);
    }

    const run = await sizeLimit(dir);
    expect(run.code, run.stderr).to.equal(1);
    for (const name of Object.keys(ENTRIES)) {
      expect(run.stdout).to.match(new RegExp(`^  ${name.replace(/[{}/]/g, "\\$&")}\\n  Package size limit has exceeded by [\\d.]+ kB\\n`, "m"));
    }
    expect(run.stdout).to.contain("Try to reduce size or increase limit at .size-limit.mjs");

    const report = JSON.parse((await sizeLimit(dir, "--json")).stdout) as Check[];
    for (const check of report) {
      expect(check.passed, check.name).to.equal(false);
      expect(check.size, check.name).to.be.greaterThan(check.sizeLimit);
    }

    // The same copy passes under a limit above its size: the exit code follows the sizes.
    expect((await sizeLimit(dir, "--limit", "1 MB")).code).to.equal(0);
  });

  it("fails, naming the check, when the core bundles OpenTelemetry code", async () => {
    const dir = await project("core-imports-otel");
    await appendFile(path.join(dir, "dist", "index.js"), '\nimport "@opentelemetry/api";\n');
    const run = await sizeLimit(dir, "--limit", "1 MB");
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain('only "aspose-cells-cloud-auth/otel" may bundle OpenTelemetry code, and these checks do: "{ createTokenClient }" (@opentelemetry/api);');
    expect(run.stderr).to.contain('"everything the core entry exports" (@opentelemetry/api)');
    expect(run.stderr).not.to.contain("/client {");
  });

  it("says to build first when dist/index.js is missing", async () => {
    const run = await sizeLimit(await project("unbuilt", { withDist: false }));
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain("dist/index.js is missing: run `npm run build` first");
  });
});
