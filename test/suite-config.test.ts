// How the suite is run (.mocharc.json, package.json scripts): one file can be run alone, with the
// same setup as the whole run, and the whole run builds once, before the first file.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { TOOLCHAIN_TIMEOUT_MS } from "./_spec-run.js";
import { repoRoot } from "./_spec-workspace.js";

const run = promisify(execFile);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

describe("the test setup (.mocharc.json, npm test, npm run test:file)", function () {
  this.timeout(TOOLCHAIN_TIMEOUT_MS);

  it("npm run test:file -- FILE selects that file's tests alone, with the reporter's closing line", async () => {
    // --dry-run: mocha selects and reports the tests without running them, so that a regression (the
    // whole suite added to the file) shows as a count, not as a whole run inside this one.
    const { stdout } = await run(npm, ["run", "--silent", "test:file", "--", "--dry-run", "test/fixtures/suite/two-tests.ts"], { cwd: repoRoot, timeout: 120_000 });
    expect(stdout.trim().split("\n").at(-1)).to.equal("2 passed, 0 failed");
  });

  it("lists no files in .mocharc.json (mocha would add them to the ones named), and builds once in the global setup", async () => {
    const config = JSON.parse(await readFile(path.join(repoRoot, ".mocharc.json"), "utf8")) as Record<string, unknown>;
    expect(config).not.to.have.property("spec");
    expect(config["require"]).to.deep.equal(["test/_global-setup.ts"]);
  });

  it("npm test runs every test file, in one process, after the build", async () => {
    const { scripts } = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const steps = scripts["test"]?.split(" && ") ?? [];
    // One process: mocha's parallel workers each load tsx and the modules again (measured: 56 s more CPU time in all).
    expect(steps.at(-1)).to.equal('mocha "test/**/*.test.ts"');
    expect(steps.indexOf("npm run build")).to.be.within(0, steps.length - 2);
    expect(scripts["test:file"]).to.equal("mocha");
  });
});
