// npm run controller:add, as a real child process on a workspace copy of openapi/ and generated/.
import { execFile } from "node:child_process";
import { copyFile, mkdir, readFile, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "chai";
import { nameFromTag } from "../packages/codegen/src/pipeline/add-controller.js";
import { thrown } from "./_spec-errors.js";
import { operationsOf, OPENAPI3, parseYamlObject, SWAGGER2 } from "./_spec-fixtures.js";
import { lines, runScript, TOOLCHAIN_TIMEOUT_MS, type RunResult } from "./_spec-run.js";
import { createWorkspace, fixturesDir, removeWorkspace, repoRoot, snapshot, type Workspace } from "./_spec-workspace.js";

function add(ws: Workspace, ...args: string[]): Promise<RunResult> {
  return runScript("controller-add.ts", ["--config", ws.config, ...args]);
}

describe("controller:add", function () {
  this.timeout(TOOLCHAIN_TIMEOUT_MS);
  const workspaces: Workspace[] = [];
  async function workspace(): Promise<Workspace> {
    const created = await createWorkspace();
    workspaces.push(created);
    return created;
  }
  after(async () => {
    await Promise.all(workspaces.map(removeWorkspace));
  });

  it("names the entry after the tag", () => {
    expect(nameFromTag("CellsWorksheetsController")).to.equal("cells-worksheets");
    expect(nameFromTag("CellsPivotTablesController")).to.equal("cells-pivot-tables");
    expect(nameFromTag("CellsPDFController")).to.equal("cells-pdf");
    expect(nameFromTag("Cells_Status")).to.equal("cells-status");
    expect(thrown(() => nameFromTag("Controller")).code).to.equal("USAGE");
  });

  describe("from a Swagger 2.0 document, with no overlay", () => {
    let ws: Workspace;
    let result: RunResult;
    const given = path.join("test", "fixtures", "spec", SWAGGER2);
    /** The fixture's path relative to the copied data file's folder, as the entry records it. */
    const recorded = (at: Workspace): string => path.relative(at.openapi, path.join(repoRoot, given)).split(path.sep).join("/");
    before(async () => {
      ws = await workspace();
      result = await add(ws, "--tag", "CellsWorkbookController", "--from", given);
    });

    it("exits 0 and reports every file it wrote, that no corrections were applied, where it recorded the upstream, and how to import the types", () => {
      expect(result.stderr).to.equal("");
      expect(result.code).to.equal(0);
      const reported = lines(result.stdout);
      expect(reported.slice(0, 6).map((line) => line.replace(/ \S*?((openapi|generated)\/\S+)$/, " $1"))).to.deep.equal([
        "wrote openapi/controllers.json",
        "wrote openapi/upstream/cells-workbook.yaml",
        "wrote openapi/upstream/cells-workbook.provenance.json",
        "wrote openapi/cells-workbook.yaml",
        "wrote generated/cells-workbook.ts",
        "wrote generated/all-controllers.ts",
      ]);
      expect(reported[6]).to.match(/^no overlay for cells-workbook: \S*openapi\/cells-workbook\.yaml is the upstream extract as published, no corrections applied$/);
      expect(reported[7]).to.equal(`recorded ${recorded(ws)} as the upstream of cells-workbook: npm run spec:pull reads it from there (--upstream URL records another)`);
      expect(reported[8]).to.match(/^added cells-workbook \(CellsWorkbookController\): import type \{ paths \} from "aspose-cells-cloud-auth\/generated\/cells-workbook" after npm run build;/);
      expect(reported).to.have.lengthOf(9);
    });

    it("appends the entry to the data file, recording the file it read as its upstream, with no overlay", async () => {
      const config = JSON.parse(await readFile(ws.config, "utf8")) as { allPaths: string; controllers: Record<string, string>[] };
      expect(config.allPaths).to.equal("../generated/all-controllers.ts");
      expect(config.controllers.map((entry) => entry.name)).to.deep.equal(["cells-authority", "cells-workbook"]);
      expect(config.controllers[1]).to.deep.equal({
        name: "cells-workbook",
        tag: "CellsWorkbookController",
        upstream: recorded(ws),
        extract: "upstream/cells-workbook.yaml",
        provenance: "upstream/cells-workbook.provenance.json",
        spec: "cells-workbook.yaml",
        types: "../generated/cells-workbook.ts",
      });
    });

    it("pulls the tag as published and records where it came from", async () => {
      const spec = parseYamlObject(await readFile(ws.file("cells-workbook.yaml"), "utf8"));
      expect(operationsOf(spec)).to.deep.equal(["GET /cells/{name}/workbook GetWorkbook", "PUT /cells/{name}/workbook PutWorkbook"]);
      expect(await readFile(ws.file("cells-workbook.yaml"), "utf8")).to.equal(await readFile(ws.file("upstream/cells-workbook.yaml"), "utf8"));
      const provenance = JSON.parse(await readFile(ws.file("upstream/cells-workbook.provenance.json"), "utf8")) as Record<string, string>;
      expect(provenance).to.include({ controller: "cells-workbook", tag: "CellsWorkbookController", source: given });
    });

    it("generates the types, and joins them into the allPaths module", async () => {
      const types = await readFile(path.join(ws.root, "generated", "cells-workbook.ts"), "utf8");
      expect(types.split("\n")[0]).to.equal("// generated by npm run generate from openapi/cells-workbook.yaml, do not edit");
      expect(types).to.contain('"/cells/{name}/workbook": {');
      const all = await readFile(path.join(ws.root, "generated", "all-controllers.ts"), "utf8");
      expect(all).to.contain('import type { paths as CellsWorkbook } from "./cells-workbook.js";');
      expect(all).to.contain("export type paths = CellsAuthority & CellsWorkbook;");
    });

    it("leaves the workspace as npm run generate --check and spec:apply would have it", async () => {
      const check = await runScript("generate.ts", ["--config", ws.config, "--check"]);
      expect(check.code, check.stderr).to.equal(0);
      const before = await snapshot(ws.root);
      const apply = await runScript("spec-apply.ts", ["--config", ws.config]);
      expect(apply.code, apply.stderr).to.equal(0);
      expect(await snapshot(ws.root)).to.deep.equal(before);
    });
  });

  it("gives the entry the overlay that waits at overlays/<name>.overlay.yaml, and applies it", async () => {
    const ws = await workspace();
    await copyFile(path.join(fixturesDir, "cells-status.overlay.yaml"), ws.file("overlays/cells-status.overlay.yaml"));
    const result = await add(ws, "--tag", "CellsStatusController", "--from", path.join(fixturesDir, OPENAPI3));
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).not.to.contain("no overlay");
    const config = JSON.parse(await readFile(ws.config, "utf8")) as { controllers: Record<string, string>[] };
    expect(config.controllers[1]).to.include({ name: "cells-status", overlay: "overlays/cells-status.overlay.yaml" });
    const spec = parseYamlObject(await readFile(ws.file("cells-status.yaml"), "utf8"));
    expect(spec.servers).to.deep.equal([{ url: "https://api.aspose.cloud/v4.0" }]);
  });

  it("takes --name and --upstream", async () => {
    const ws = await workspace();
    const upstream = "https://mirror.example.test/v4.0/cells/swagger/spec";
    const result = await add(ws, "--tag", "CellsWorkbookController", "--name", "workbooks", "--upstream", upstream, "--from", path.join(fixturesDir, OPENAPI3));
    expect(result.code, result.stderr).to.equal(0);
    const config = JSON.parse(await readFile(ws.config, "utf8")) as { controllers: Record<string, string>[] };
    expect(config.controllers[1]).to.include({ name: "workbooks", upstream, spec: "workbooks.yaml", types: "../generated/workbooks.ts" });
  });

  it("says that npm took the options when they come without -- (npm run controller:add --tag X)", async () => {
    // Run through npm itself, as a user would; it fails on its options, before reading anything.
    const result = await new Promise<RunResult>((resolve) => {
      execFile("npm", ["run", "--silent", "controller:add", "--tag", "CellsWorkbookController", "--from", "x.json"], { cwd: repoRoot }, (error, stdout, stderr) => {
        resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
      });
    });
    expect(result.code).to.equal(2);
    expect(result.stderr.trim()).to.equal(
      "controller:add: npm took --tag, --from as its own options: put -- before the script's options (npm run controller:add -- --tag ... --from ...) (see --help)",
    );
  });

  describe("fails with one line, and writes nothing, when", () => {
    const cases: Array<{ title: string; setup?: (ws: Workspace) => Promise<unknown>; args: string[] | ((ws: Workspace) => string[]); code: number; message: RegExp }> = [
      {
        title: "the tag is not in the upstream document",
        args: ["--tag", "CellsWorksheetsController", "--from", path.join(fixturesDir, OPENAPI3)],
        code: 1,
        message: /^controller:add: tag "CellsWorksheetsController" not found in .*; closest tags: CellsWorkbookController, CellsStatusController, CellsAuthorityController \(3 in all\)$/,
      },
      {
        title: "a rename fails half-way (the types path is a folder): the files already renamed are put back",
        setup: (ws) => mkdir(path.join(ws.root, "generated", "cells-workbook.ts", "inside"), { recursive: true }),
        args: ["--tag", "CellsWorkbookController", "--from", path.join(fixturesDir, OPENAPI3)],
        code: 1,
        message: /^controller:add: cannot write \S*generated\/cells-workbook\.ts \((EISDIR|ENOTEMPTY|EEXIST)\); nothing was written$/,
      },
      {
        title: "the document is a recursive YAML alias",
        setup: (ws) => writeFile(path.join(ws.root, "recursive.yaml"), "openapi: 3.0.1\npaths: &loop\n  /x: *loop\n"),
        args: (ws) => ["--tag", "CellsWorkbookController", "--from", path.join(ws.root, "recursive.yaml")],
        code: 1,
        message: /^controller:add: \S*recursive\.yaml refers to itself \(a recursive YAML alias at \/paths\/\/x\): not an OpenAPI document this tool reads$/,
      },
      {
        title: "the document is JSON 200 000 levels deep",
        setup: (ws) => writeFile(path.join(ws.root, "deep.json"), `{"openapi":"3.0.1","paths":${"[".repeat(200_000)}${"]".repeat(200_000)}}`),
        args: (ws) => ["--tag", "CellsWorkbookController", "--from", path.join(ws.root, "deep.json")],
        code: 1,
        message: /^controller:add: \S*deep\.json nests deeper than 512 levels: not an OpenAPI document this tool reads$/,
      },
      {
        title: "the tag's schemas are a $ref loop",
        setup: async (ws) => {
          const text = (await readFile(path.join(fixturesDir, OPENAPI3), "utf8")).replace(
            "    Link:\n      type: object\n      properties:\n        href:\n          type: string\n",
            '    Link:\n      $ref: "#/components/schemas/LinkAlias"\n    LinkAlias:\n      allOf:\n        - $ref: "#/components/schemas/Link"\n',
          );
          await writeFile(path.join(ws.root, "loop.yaml"), text);
        },
        args: (ws) => ["--tag", "CellsWorkbookController", "--from", path.join(ws.root, "loop.yaml")],
        code: 1,
        message: /^controller:add: \S*loop\.yaml has a \$ref loop \(#\/components\/schemas\/Link -> #\/components\/schemas\/LinkAlias -> #\/components\/schemas\/Link\): a schema that describes no value$/,
      },
      {
        title: "the document is over 64 MiB (noticed before it is read)",
        setup: async (ws) => {
          await writeFile(path.join(ws.root, "huge.json"), "");
          await truncate(path.join(ws.root, "huge.json"), 65 * 1024 * 1024); // sparse: nothing is written to disk
        },
        args: (ws) => ["--tag", "CellsWorkbookController", "--from", path.join(ws.root, "huge.json")],
        code: 1,
        message: /^controller:add: \S*huge\.json is larger than 64 MiB \(68157440 bytes\): not an OpenAPI document this tool reads$/,
      },
      {
        title: "the tag is in the data file already (usage, exit 2)",
        args: ["--tag", "CellsAuthorityController", "--from", path.join(fixturesDir, OPENAPI3)],
        code: 2,
        message: /^controller:add: CellsAuthorityController is already in \S*controllers\.json as cells-authority: npm run spec:pull -- --only cells-authority pulls it again \(see --help\)$/,
      },
      {
        title: "the name is taken (usage, exit 2)",
        args: ["--tag", "CellsWorkbookController", "--name", "cells-authority", "--from", path.join(fixturesDir, OPENAPI3)],
        code: 2,
        message: /^controller:add: \S*controllers\.json already has an entry named "cells-authority": pass another --name \(see --help\)$/,
      },
      {
        title: "the name is not lower-case letters, digits and dashes",
        args: ["--tag", "CellsWorkbookController", "--name", "Work_Books", "--from", path.join(fixturesDir, OPENAPI3)],
        code: 1,
        message: /^controller:add: invalid data file \S*controllers\.json: controllers\[1\]\.name "Work_Books" must be lower-case letters, digits and dashes$/,
      },
      {
        title: "--tag is missing (usage, exit 2)",
        args: ["--from", path.join(fixturesDir, OPENAPI3)],
        code: 2,
        message: /^controller:add: --tag TAG is required/,
      },
    ];
    // Each case is a process start (about a second): they run at once, and the tests check their outcomes.
    const outcomes = new Map<string, { result: RunResult; before: Record<string, string>; after: Record<string, string> }>();
    before(async () => {
      await Promise.all(
        cases.map(async (testCase) => {
          const ws = await workspace();
          await testCase.setup?.(ws);
          const before = await snapshot(ws.root);
          const result = await add(ws, ...(typeof testCase.args === "function" ? testCase.args(ws) : testCase.args));
          outcomes.set(testCase.title, { result, before, after: await snapshot(ws.root) });
        }),
      );
    });
    for (const testCase of cases) {
      it(testCase.title, () => {
        const outcome = outcomes.get(testCase.title);
        if (outcome === undefined) throw new Error(`no outcome for ${testCase.title}`);
        const { result, before, after } = outcome;
        expect(result.code, result.stderr).to.equal(testCase.code);
        expect(lines(result.stderr)).to.have.lengthOf(1);
        expect(result.stderr.trim()).to.match(testCase.message);
        expect(result.stdout).to.equal("");
        expect(after).to.deep.equal(before);
      });
    }
  });
});
