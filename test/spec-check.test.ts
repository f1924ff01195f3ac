import { expect } from "chai";
import { changedSummary, OPENAPI3, readFixture } from "./_spec-fixtures.js";
import { lines, runScript, TOOLCHAIN_TIMEOUT_MS, type RunResult } from "./_spec-run.js";
import { closedPort } from "./_http.js";
import { startSpecServer, type SpecServer } from "./_spec-server.js";
import { createWorkspace, removeWorkspace, snapshot, type Workspace } from "./_spec-workspace.js";

describe("spec:check", function () {
  this.timeout(TOOLCHAIN_TIMEOUT_MS);
  let server: SpecServer;
  let ws: Workspace;
  let committed: Record<string, string>;
  let identical: RunResult;
  let changed: RunResult;
  let unreachable: RunResult;

  before(async () => {
    server = await startSpecServer({
      "/spec": { body: await readFixture(OPENAPI3), type: "application/yaml" },
      "/changed/spec": { body: await changedSummary(), type: "application/yaml" },
    });
    ws = await createWorkspace();
    const pulled = await runScript("spec-pull.ts", ["--config", ws.config, "--from", server.url("/spec")]);
    expect(pulled.code, pulled.stderr).to.equal(0);
    committed = await snapshot(ws.openapi);
    const check = (from: string): Promise<RunResult> => runScript("spec-check.ts", ["--config", ws.config, "--from", from]);
    [identical, changed, unreachable] = await Promise.all([
      check(server.url("/spec")),
      check(server.url("/changed/spec")),
      check(`http://127.0.0.1:${await closedPort()}/spec`),
    ]);
  });

  after(async () => {
    await server?.close();
    if (ws !== undefined) await removeWorkspace(ws);
  });

  it("exits 0 when the pull gives the committed files", () => {
    expect(identical.code, identical.stderr).to.equal(0);
    expect(identical.stdout).to.match(/openapi is up to date with the upstream\n$/);
  });

  it("exits 1 with a readable unified diff when the upstream changed", () => {
    expect(changed.code, changed.stderr).to.equal(1);
    expect(changed.stdout).to.include("--- a/committed/openapi/upstream/cells-authority.yaml\n");
    expect(changed.stdout).to.include("+++ b/pulled/openapi/upstream/cells-authority.yaml\n");
    expect(changed.stdout).to.include("\n-      summary: Get Access Token Result\n+      summary: Get an access token\n");
    expect(changed.stdout).to.match(/^-  "sha256": "[0-9a-f]{64}",$/m);
    expect(lines(changed.stderr)).to.have.lengthOf(1);
    expect(changed.stderr).to.match(/^spec:check: \S*openapi differs from the upstream \(diff above\); run npm run spec:pull\n$/);
  });

  it("exits 2 with one line when the pull itself fails", () => {
    expect(unreachable.code).to.equal(2);
    expect(lines(unreachable.stderr)).to.have.lengthOf(1);
    expect(unreachable.stderr).to.match(/^spec:check: cannot reach host 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it("never changes the committed folder", async () => {
    expect(await snapshot(ws.openapi)).to.deep.equal(committed);
  });
});
