// End to end, the way a contributor adds a controller and a user gets it: in a temporary copy of
// the repository, `npm run controller:add` from the Swagger 2.0 fixture, `npm run build`,
// `npm pack`, install the tarball in a consumer project, and type-check calls to the new path.
// Slow (a build, a pack, an install, a compile): everything is done once, in `before`.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { renderAllPaths } from "../packages/codegen/src/pipeline/all-paths.js";
import { loadControllers } from "../packages/codegen/src/pipeline/controllers.js";
import { SWAGGER2 } from "./_spec-fixtures.js";
import { fixturesDir, repoRoot } from "./_spec-workspace.js";

const run = promisify(execFile);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** What the copy needs to add, build (both packages of the workspace) and pack; node_modules is linked, not copied. */
const COPIED = ["package.json", "tsconfig.json", "tsdown.config.ts", "README.md", "LICENSE", "src", "generated", "openapi", "scripts", ...["package.json", "tsdown.config.ts", "README.md", "LICENSE", "src"].map((name) => `packages/codegen/${name}`)];

const TAG = "CellsWorkbookController";

/**
 * Takes the controller with `tag` out of the copy (its entry, its files, its paths in the allPaths
 * module) when the working tree has it already (after README's worked example, say), so that the
 * test adds it the same way whatever the working tree holds.
 */
async function withoutTag(configFile: string, tag: string): Promise<void> {
  const config = await loadControllers(configFile);
  const entry = config.entries.find((candidate) => candidate.tag === tag);
  if (entry === undefined) return;
  for (const file of [entry.extract, entry.provenance, entry.spec, entry.types]) if (file !== undefined) await rm(file, { force: true });
  const raw = JSON.parse(await readFile(configFile, "utf8")) as { controllers: { tag: string }[] };
  raw.controllers = raw.controllers.filter((candidate) => candidate.tag !== tag);
  await writeFile(configFile, `${JSON.stringify(raw, null, 2)}\n`);
  const kept = await loadControllers(configFile);
  if (kept.allPaths !== undefined) await writeFile(kept.allPaths, await renderAllPaths(kept, kept.allPaths));
}

const CONSUMER_CHECK = `import { createCellsClient, createTokenClient } from "aspose-cells-cloud-auth";
import type { paths } from "aspose-cells-cloud-auth/generated/cells-workbook";

export async function calls(): Promise<void> {
  const tokens = createTokenClient();
  const workbooks = createCellsClient<paths>({ tokens });
  const { data } = await workbooks.GET("/cells/{name}/workbook", { params: { path: { name: "book.xlsx" }, query: { folder: "in" } } });
  const status: string | undefined = data?.status;
  void status;
  // @ts-expect-error: the path is /cells/{name}/workbook
  await workbooks.GET("/cells/{name}/workbooks", { params: { path: { name: "book.xlsx" } } });
  // @ts-expect-error: the name is a required path parameter
  await workbooks.GET("/cells/{name}/workbook", {});

  // Without a type argument, the client knows the new controller along with the shipped ones.
  const cells = createCellsClient({ tokens });
  await cells.GET("/cells/{name}/workbook", { params: { path: { name: "book.xlsx" } } });
  await cells.GET("/cells/status/check");
  // @ts-expect-error: no controller has this path
  await cells.GET("/cells/{name}/workbooks", { params: { path: { name: "book.xlsx" } } });
}
`;

describe("controller:add ships what it adds (copy of the repository, build, pack, install)", function () {
  this.timeout(600_000);
  let work: string;
  let added: { stdout: string; stderr: string };
  let files: string[];
  let imported: string;
  let tsc: { stdout: string };

  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "controller-add-ships-"));
    const copy = path.join(work, "repo");
    for (const name of COPIED) await cp(path.join(repoRoot, name), path.join(copy, name), { recursive: true });
    await symlink(path.join(repoRoot, "node_modules"), path.join(copy, "node_modules"), "dir");
    await withoutTag(path.join(copy, "openapi", "controllers.json"), TAG);

    added = await run(npm, ["run", "--silent", "controller:add", "--", "--tag", TAG, "--from", path.join(fixturesDir, SWAGGER2)], { cwd: copy });
    await run(npm, ["run", "build"], { cwd: copy });
    const packed = await run(npm, ["pack", "--ignore-scripts", "--pack-destination", work], { cwd: copy });
    const tarball = path.join(work, packed.stdout.trim().split("\n").at(-1) as string);
    files = (await run("tar", ["-tzf", tarball])).stdout.trim().split("\n").map((file) => file.replace(/^package\//, ""));

    const consumer = path.join(work, "consumer");
    await mkdir(consumer);
    await writeFile(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "1.0.0" }));
    await run(npm, ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline", tarball], { cwd: consumer });
    await writeFile(path.join(consumer, "import.mjs"), 'await import("aspose-cells-cloud-auth/generated/cells-workbook"); console.log("imported");\n');
    imported = await run(process.execPath, ["import.mjs"], { cwd: consumer }).then(
      ({ stdout }) => stdout,
      (failure: { stderr: string }) => failure.stderr,
    );
    await writeFile(path.join(consumer, "check.ts"), CONSUMER_CHECK);
    const tsconfig = {
      compilerOptions: { strict: true, target: "ES2022", lib: ["ES2022", "DOM"], module: "NodeNext", moduleResolution: "NodeNext", noEmit: true, types: [] },
      files: ["check.ts"],
    };
    await writeFile(path.join(consumer, "tsconfig.json"), JSON.stringify(tsconfig));
    const compiler = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
    tsc = await run(process.execPath, [compiler, "-p", path.join(consumer, "tsconfig.json")]).catch((failure: { stdout: string }) => failure);
  });

  after(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it("adds the controller in one command", () => {
    expect(added.stderr).to.equal("");
    expect(added.stdout).to.match(/^added cells-workbook \(CellsWorkbookController\)/m);
  });

  it("packs its spec and its types, with no other edit", () => {
    expect(files).to.include.members([
      "openapi/cells-workbook.yaml",
      "dist/generated/cells-workbook.js",
      "dist/generated/cells-workbook.cjs",
      "dist/generated/cells-workbook.d.ts",
      "dist/generated/cells-workbook.d.cts",
    ]);
  });

  it("is importable from the installed package as aspose-cells-cloud-auth/generated/cells-workbook", () => {
    expect(imported).to.equal("imported\n");
  });

  it("types calls to the new path, and a wrong path is a type error", () => {
    expect(tsc.stdout).to.equal("");
  });
});
