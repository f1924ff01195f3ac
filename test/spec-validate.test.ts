import { writeFile } from "node:fs/promises";
import { expect } from "chai";
import { lines, runScript, TOOLCHAIN_TIMEOUT_MS } from "./_spec-run.js";
import { createWorkspace, removeWorkspace, type Workspace } from "./_spec-workspace.js";

describe("spec:validate", function () {
  this.timeout(TOOLCHAIN_TIMEOUT_MS);
  let ws: Workspace;
  beforeEach(async () => {
    ws = await createWorkspace();
  });
  afterEach(async () => {
    if (ws !== undefined) await removeWorkspace(ws);
  });

  it("passes the committed spec through OpenAPI Generator", async () => {
    const result = await runScript("spec-validate.ts", ["--config", ws.config]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/^no issues: \S*openapi\/cells-authority\.yaml\n$/);
  });

  it("fails on a warning, naming the spec and the issue", async () => {
    const spec = [
      "openapi: 3.0.1",
      "info: { title: t, version: '1' }",
      "paths:",
      "  /a:",
      "    get:",
      "      responses:",
      "        '200': { description: ok }",
      "components:",
      "  schemas:",
      "    Orphan: { type: object }",
      "",
    ].join("\n");
    await writeFile(ws.file("cells-authority.yaml"), spec);
    const result = await runScript("spec-validate.ts", ["--config", ws.config]);
    expect(result.code).to.equal(1);
    expect(lines(result.stderr)[0]).to.match(/^spec:validate: \S*openapi\/cells-authority\.yaml: Unused model: Orphan$/);
  });

  it("without java on the PATH, says how to install it", async () => {
    const result = await runScript("spec-validate.ts", ["--config", ws.config], { PATH: ws.root });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(
      "spec:validate: cannot run java for openapi-generator (ENOENT): no java on the PATH; install a Java runtime: " +
        "sudo apt-get install -y openjdk-17-jre-headless (Debian/Ubuntu) or brew install --cask temurin@17 (macOS)\n",
    );
  });
});
