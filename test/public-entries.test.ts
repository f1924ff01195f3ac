// The public entries are read from package.json "exports" (the generated/* ones from
// controllers.json), never listed by hand: the API report and the docs cover a new export at once.
import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { loadControllers } from "../packages/codegen/src/pipeline/controllers.js";
import { isPipelineError } from "../packages/codegen/src/pipeline/errors.js";
import { loadPublicEntries, publicEntries, type EntrySources } from "../scripts/lib/public-entries.js";
import { repoRoot } from "./_spec-workspace.js";

const root = "/repo";
const dual = (name: string) => ({ import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` }, require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` } });

function sources(exports: Record<string, unknown>, build: Record<string, string>, controllers?: string[]): EntrySources {
  return { root, manifest: { name: "pkg", exports }, build: { outDir: "dist", entries: new Map(Object.entries(build)) }, controllers };
}

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isPipelineError(error) && error.code === "CONFIG") return error.message;
    throw error;
  }
  throw new Error("expected a CONFIG error");
}

describe("public entries", () => {
  it("are every export with types, generated/* expanded to the controllers.json entries; ./package.json is data", () => {
    const entries = publicEntries(
      sources(
        { ".": dual("index"), "./testing": dual("testing"), "./generated/*": dual("generated/*"), "./package.json": "./package.json" },
        { index: "src/index.ts", testing: "src/testing/index.ts", "generated/a": "generated/a.ts", "generated/b": "generated/b.ts", cli: "src/cli/main.ts" },
        ["b", "a"],
      ),
    );
    expect(entries.map(({ specifier, subpath, generated }) => ({ specifier, subpath, generated }))).to.deep.equal([
      { specifier: "pkg", subpath: ".", generated: false },
      { specifier: "pkg/testing", subpath: "./testing", generated: false },
      { specifier: "pkg/generated/a", subpath: "./generated/a", generated: true },
      { specifier: "pkg/generated/b", subpath: "./generated/b", generated: true },
    ]);
    expect(entries[1]).to.include({ types: "/repo/dist/testing.d.ts", source: "/repo/src/testing/index.ts", report: "/repo/api-report/testing.api.md" });
    expect(entries[0]?.report).to.equal("/repo/api-report/index.api.md");
    expect(entries[2]?.report).to.equal("/repo/api-report/generated/a.api.md");
  });

  it("a new export is an entry at once (here ./client, as another branch adds it)", () => {
    const entries = publicEntries(sources({ ".": dual("index"), "./client": dual("client") }, { index: "src/index.ts", client: "src/client/index.ts" }));
    expect(entries.map((entry) => entry.specifier)).to.deep.equal(["pkg", "pkg/client"]);
  });

  it("an export the build does not write fails, naming the export and the build entry to add", () => {
    const message = failure(() => publicEntries(sources({ ".": dual("index"), "./otel": dual("otel") }, { index: "src/index.ts" })));
    expect(message).to.contain('exports "./otel"').and.contain("./dist/otel.d.ts").and.contain('add "otel"');
  });

  it("an export without a types condition fails", () => {
    const message = failure(() => publicEntries(sources({ ".": dual("index"), "./raw": { import: "./dist/raw.js" } }, { index: "src/index.ts", raw: "src/raw.ts" })));
    expect(message).to.contain('exports "./raw" has no "types" condition');
  });

  it("generated/* must be exactly the controllers.json entries", () => {
    const build = { index: "src/index.ts", "generated/a": "generated/a.ts" };
    const exports = { ".": dual("index"), "./generated/*": dual("generated/*") };
    expect(failure(() => publicEntries(sources(exports, build, ["a", "b"])))).to.contain("should be the controllers.json entries (a, b), but the build writes a");
    expect(failure(() => publicEntries(sources(exports, build)))).to.contain("openapi/controllers.json is missing");
  });

  it("this workspace: every export of the root package.json, one generated entry per controllers.json entry, and aspose-cells-codegen's exports with reports under api-report/codegen/", async () => {
    const manifest = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as { name: string; exports: Record<string, unknown> };
    const controllers = await loadControllers(path.join(repoRoot, "openapi", "controllers.json"));
    const entries = await loadPublicEntries(repoRoot);
    const plain = Object.keys(manifest.exports).filter((subpath) => !subpath.includes("*") && !subpath.endsWith(".json"));
    const generated = controllers.entries.map((entry) => `./generated/${entry.name}`);
    const core = entries.filter((entry) => entry.packageName === manifest.name);
    expect(core.map((entry) => entry.subpath)).to.have.members([...plain, ...generated]);
    for (const entry of entries) expect(entry.source.startsWith(repoRoot), entry.subpath).to.equal(true);
    const codegen = entries.filter((entry) => entry.packageName === "aspose-cells-codegen");
    expect(codegen.map(({ specifier, report, packageRoot, source }) => ({ specifier, report, packageRoot, source }))).to.deep.equal([
      {
        specifier: "aspose-cells-codegen/emulator",
        report: path.join(repoRoot, "api-report", "codegen", "emulator.api.md"),
        packageRoot: path.join(repoRoot, "packages", "codegen"),
        source: path.join(repoRoot, "packages", "codegen", "src", "emulator", "index.ts"),
      },
    ]);
    expect(entries.length).to.equal(core.length + codegen.length);
  });
});
