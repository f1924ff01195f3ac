// aspose-cells-codegen's command line with wrong input, as a real child process in a project of its
// own: one line on stderr, the documented exit code, nothing written. And what a command loads: the
// help and the commands that fail before generating never load openapi-typescript (and with it
// the TypeScript compiler, about 2 s of CPU), which a resolve hook records.
// The same pipeline's failures on hostile documents are covered through controller:add
// (controller-add.test.ts); the happy path from the packed tarballs in codegen-consumer.test.ts.
import { execFile } from "node:child_process";
import { access, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "chai";
import { compiledFile } from "./_compiled.js";
import { lines, TOOLCHAIN_TIMEOUT_MS, type RunResult } from "./_spec-run.js";
import { OPENAPI3 } from "./_spec-fixtures.js";
import { fixturesDir, repoRoot, snapshot } from "./_spec-workspace.js";

/** Registers a resolve hook that appends every module URL of openapi-typescript or typescript to $LOADED_LOG. */
const REGISTER = `import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n`;
const HOOKS = `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (/\\/node_modules\\/(openapi-typescript|typescript)\\//.test(resolved.url)) appendFileSync(process.env.LOADED_LOG, resolved.url + "\\n");
  return resolved;
}
`;

interface Outcome extends RunResult {
  /** Whether the process loaded openapi-typescript or the TypeScript compiler. */
  readonly loadedTypeScript: boolean;
}

describe("aspose-cells-codegen with wrong input (child processes, a project of its own)", function () {
  this.timeout(TOOLCHAIN_TIMEOUT_MS);
  let work: string;
  let project: string;
  let runs = 0;

  /** Runs the CLI in `cwd` (the project by default), recording what it loaded. */
  async function codegen(args: readonly string[], cwd = project): Promise<Outcome> {
    const log = path.join(work, `loaded-${runs++}.log`);
    await writeFile(log, "");
    const result = await new Promise<RunResult>((resolve) => {
      execFile(
        process.execPath,
        ["--import", pathToFileURL(path.join(work, "register.mjs")).href, compiledFile(path.join(repoRoot, "packages", "codegen", "src", "cli", "main.ts")), ...args],
        { cwd, env: { ...process.env, NO_COLOR: "1", LOADED_LOG: log } },
        (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr }),
      );
    });
    return { ...result, loadedTypeScript: (await readFile(log, "utf8")) !== "" };
  }

  let added: Outcome;
  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "codegen-cli-"));
    await writeFile(path.join(work, "register.mjs"), REGISTER);
    await writeFile(path.join(work, "hooks.mjs"), HOOKS);
    project = path.join(work, "project");
    await mkdir(path.join(project, "fixtures"), { recursive: true });
    await writeFile(path.join(project, "package.json"), JSON.stringify({ name: "project", private: true }));
    await copyFile(path.join(fixturesDir, OPENAPI3), path.join(project, "fixtures", OPENAPI3));
    await writeFile(path.join(project, "fixtures", "recursive.yaml"), "openapi: 3.0.1\npaths: &loop\n  /x: *loop\n");
    // One controller added, so that the project has a name and a tag to collide with.
    added = await codegen(["add", "CellsWorkbookController", "--from", `fixtures/${OPENAPI3}`]);
  });
  after(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it("adds a controller, loading openapi-typescript to generate its types (the hook sees it)", () => {
    expect(added.stderr).to.equal("");
    expect(added.code).to.equal(0);
    expect(added.stdout).to.match(/^added cells-workbook \(CellsWorkbookController\)/m);
    expect(added.loadedTypeScript).to.equal(true);
  });

  it("prints its help on --help (exit 0) and on no command (stderr, exit 2), without loading openapi-typescript", async () => {
    const help = await codegen(["--help"]);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/^Usage: aspose-cells-codegen add TAG/);
    expect(help.loadedTypeScript).to.equal(false);
    const none = await codegen([]);
    expect(none.code).to.equal(2);
    expect(none.stdout).to.equal("");
    expect(none.stderr).to.equal(help.stdout);
  });

  it("prints the version of its package.json", async () => {
    const manifest = JSON.parse(await readFile(path.join(repoRoot, "packages", "codegen", "package.json"), "utf8")) as { version: string };
    const version = await codegen(["--version"]);
    expect(version).to.include({ code: 0, stdout: `${manifest.version}\n`, stderr: "" });
  });

  describe("fails with one line, writes nothing and loads no openapi-typescript, when", () => {
    const cases: Array<{ title: string; args: string[]; cwd?: () => Promise<string>; code: number; message: RegExp }> = [
      { title: "the command is unknown", args: ["frobnicate"], code: 2, message: /^aspose-cells-codegen: unknown command \(commands: add, generate; see --help\)$/ },
      { title: "add has no TAG", args: ["add"], code: 2, message: /^aspose-cells-codegen add: TAG is required \(see --help\)$/ },
      { title: "add has one argument too many", args: ["add", "CellsStatusController", "extra"], code: 2, message: /^aspose-cells-codegen add: unexpected argument "extra" \(see --help\)$/ },
      { title: "an option is unknown", args: ["add", "CellsStatusController", "--bogus"], code: 2, message: /^aspose-cells-codegen add: .*'--bogus'.* \(see --help\)$/ },
      {
        title: "--out is outside the project",
        args: ["add", "CellsStatusController", "--from", `fixtures/${OPENAPI3}`, "--out", "../elsewhere"],
        code: 2,
        message: /^aspose-cells-codegen add: --out \.\.\/elsewhere is outside the project \(\S+\): pick a folder inside it \(see --help\)$/,
      },
      {
        title: "the tag is not in the document, naming the closest tags",
        args: ["add", "CellsWorksheetsController", "--from", `fixtures/${OPENAPI3}`],
        code: 1,
        message: /^aspose-cells-codegen add: tag "CellsWorksheetsController" not found in \S+; closest tags: CellsWorkbookController, CellsStatusController, CellsAuthorityController \(3 in all\)$/,
      },
      {
        title: "the tag was added already",
        args: ["add", "CellsWorkbookController", "--from", `fixtures/${OPENAPI3}`],
        code: 2,
        message: /^aspose-cells-codegen add: CellsWorkbookController is already in \S*aspose-cells-codegen\.json as cells-workbook: aspose-cells-codegen generate pulls it again \(see --help\)$/,
      },
      {
        title: "the name is taken",
        args: ["add", "CellsStatusController", "--name", "cells-workbook", "--from", `fixtures/${OPENAPI3}`],
        code: 2,
        message: /^aspose-cells-codegen add: \S*aspose-cells-codegen\.json already has an entry named "cells-workbook": pass another --name \(see --help\)$/,
      },
      {
        title: "the document is a recursive YAML alias",
        args: ["add", "CellsStatusController", "--from", "fixtures/recursive.yaml"],
        code: 1,
        message: /^aspose-cells-codegen add: \S*recursive\.yaml refers to itself \(a recursive YAML alias at \/paths\/\/x\): not an OpenAPI document this tool reads$/,
      },
      {
        title: "the --from file does not exist",
        args: ["add", "CellsStatusController", "--from", "fixtures/missing.yaml"],
        code: 1,
        message: /^aspose-cells-codegen add: .*missing\.yaml.*ENOENT/,
      },
      {
        title: "generate runs where nothing was added",
        args: ["generate", "--check"],
        cwd: async () => {
          const empty = path.join(work, "empty");
          await mkdir(empty, { recursive: true });
          await writeFile(path.join(empty, "package.json"), "{}");
          return empty;
        },
        code: 1,
        message: /^aspose-cells-codegen generate: no aspose-cells-codegen\.json in \S+\/: aspose-cells-codegen add TAG records the first controller$/,
      },
    ];
    // Each case is a process start: they run one after another (they share the project), in `before`.
    const outcomes = new Map<string, { outcome: Outcome; before: Record<string, string>; after: Record<string, string> }>();
    before(async () => {
      for (const testCase of cases) {
        const cwd = (await testCase.cwd?.()) ?? project;
        const before = await snapshot(cwd);
        const outcome = await codegen(testCase.args, cwd);
        outcomes.set(testCase.title, { outcome, before, after: await snapshot(cwd) });
      }
    });
    for (const testCase of cases) {
      it(testCase.title, () => {
        const recorded = outcomes.get(testCase.title);
        if (recorded === undefined) throw new Error(`no outcome for ${testCase.title}`);
        const { outcome, before, after } = recorded;
        expect(outcome.code, outcome.stderr).to.equal(testCase.code);
        expect(lines(outcome.stderr), outcome.stderr).to.have.lengthOf(1);
        expect(outcome.stderr.trim()).to.match(testCase.message);
        expect(outcome.stdout).to.equal("");
        expect(after).to.deep.equal(before);
        expect(outcome.loadedTypeScript).to.equal(false);
      });
    }
    it("--out outside the project: nothing is written there either", async () => {
      const outside = await access(path.join(work, "elsewhere")).then(
        () => true,
        () => false,
      );
      expect(outside).to.equal(false);
    });
  });
});
