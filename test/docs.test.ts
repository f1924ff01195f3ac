// npm run docs (npm test runs it with --check): TypeDoc over the public entries' sources, every
// warning a failure. On a small package of its own: one documented export, one undocumented, and
// an undocumented generated entry, which is exempt (its documentation is the spec's).
import { expect } from "chai";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildDocs } from "../scripts/lib/docs.js";
import { publicEntries } from "../scripts/lib/public-entries.js";
import { repoRoot } from "./_spec-workspace.js";

describe("reference docs", function () {
  this.timeout(120_000);
  let root: string;
  before(async () => {
    await mkdir(path.join(repoRoot, ".tmp"), { recursive: true });
    root = await mkdtemp(path.join(repoRoot, ".tmp", "docs-"));
    const files: Record<string, string> = {
      "package.json": JSON.stringify({ name: "fixture-pkg", version: "1.0.0", type: "module" }),
      "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", types: [], noEmit: true }, include: ["src", "generated"] }),
      "README.md": "# fixture-pkg\n\nThe front page.\n",
      "src/index.ts": "/** Says hello. */\nexport function hello(): string {\n  return \"hello\";\n}\n\nexport function undocumented(): number {\n  return 1;\n}\n",
      "generated/gen.ts": "// generated, do not edit\nexport interface paths {\n  \"/a\": { get: { responses: { 200: { content: string } } } };\n}\n",
    };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), text);
    }
  });
  after(async () => {
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  });

  it("fails on an undocumented export, naming it, and exempts the generated entry; writes no site then", async () => {
    const entries = publicEntries({
      root,
      manifest: { name: "fixture-pkg", exports: { ".": { types: "./dist/index.d.ts" }, "./generated/*": { types: "./dist/generated/*.d.ts" } } },
      build: { outDir: "dist", entries: new Map([["index", "src/index.ts"], ["generated/gen", "generated/gen.ts"]]) },
      controllers: ["gen"],
    });
    const out = path.join(root, "site");
    const { problems } = await buildDocs(root, entries, { out });
    expect(problems).to.have.length(1);
    expect(problems[0]).to.contain("fixture-pkg.undocumented (CallSignature)").and.contain("does not have any documentation");
    const written = await readFile(path.join(out, "index.html"), "utf8").catch(() => undefined);
    expect(written).to.equal(undefined);

    await writeFile(path.join(root, "src", "index.ts"), (await readFile(path.join(root, "src", "index.ts"), "utf8")).replace("export function undocumented", "/** Now documented. */\nexport function undocumented"));
    const fixed = await buildDocs(root, entries, { out });
    expect(fixed.problems).to.deep.equal([]);
    const modules = await readFile(path.join(out, "modules.html"), "utf8");
    expect(modules).to.contain("fixture-pkg/generated/gen").and.contain(">fixture-pkg<");
    expect(await readFile(path.join(out, "index.html"), "utf8")).to.contain("The front page.");
  });

  it("requires documentation in every package of the workspace, not only the root's (TypeDoc checks one package unless told)", async () => {
    const packageRoot = path.join(root, "packages", "second");
    await mkdir(path.join(packageRoot, "src"), { recursive: true });
    await writeFile(path.join(packageRoot, "package.json"), JSON.stringify({ name: "second-pkg", version: "1.0.0", type: "module" }));
    await writeFile(path.join(packageRoot, "src", "index.ts"), "export function bare(): number {\n  return 2;\n}\n");
    const second = publicEntries({
      root: packageRoot,
      reportDir: path.join(root, "api-report", "second"),
      manifest: { name: "second-pkg", exports: { "./thing": { types: "./dist/thing.d.ts" } } },
      build: { outDir: "dist", entries: new Map([["thing", "src/index.ts"]]) },
      controllers: undefined,
    });
    expect(second[0]).to.include({ specifier: "second-pkg/thing", packageName: "second-pkg", report: path.join(root, "api-report", "second", "thing.api.md") });
    const first = publicEntries({ root, manifest: { name: "fixture-pkg", exports: { ".": { types: "./dist/index.d.ts" } } }, build: { outDir: "dist", entries: new Map([["index", "src/index.ts"]]) }, controllers: undefined });
    const { problems } = await buildDocs(root, [...first, ...second]);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.contain("second-pkg/thing.bare (CallSignature)").and.contain("does not have any documentation");
  });
});
