import { copyFile, readFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "chai";
import { lines, runScript, TOOLCHAIN_TIMEOUT_MS } from "./_spec-run.js";
import { createWorkspace, fixturesDir, removeWorkspace, repoRoot, snapshot, type Workspace } from "./_spec-workspace.js";

describe("spec:apply", function () {
  this.timeout(TOOLCHAIN_TIMEOUT_MS);
  let ws: Workspace;
  beforeEach(async () => {
    ws = await createWorkspace();
  });
  afterEach(async () => {
    if (ws !== undefined) await removeWorkspace(ws);
  });

  it("rebuilds the committed spec from the committed extract, without touching extract or provenance", async () => {
    const committed = await snapshot(ws.openapi);
    await copyFile(ws.file("upstream/cells-authority.yaml"), ws.file("cells-authority.yaml"));
    const result = await runScript("spec-apply.ts", ["--config", ws.config]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/^wrote \S*openapi\/cells-authority\.yaml\n$/);
    expect(await snapshot(ws.openapi)).to.deep.equal(committed);
  });

  it("reports an unchanged spec on a second run", async () => {
    const result = await runScript("spec-apply.ts", ["--config", ws.config, "--only", "cells-authority"]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/^unchanged \S*openapi\/cells-authority\.yaml\n$/);
  });

  it("fails with one line and writes nothing when the overlay gives an invalid spec", async () => {
    await copyFile(path.join(fixturesDir, "invalid-result.overlay.yaml"), ws.file("overlays/cells-authority.overlay.yaml"));
    const before = await snapshot(ws.openapi);
    const result = await runScript("spec-apply.ts", ["--config", ws.config]);
    expect(result.code).to.equal(1);
    expect(lines(result.stderr)).to.have.lengthOf(1);
    expect(result.stderr).to.match(/^spec:apply: the corrected spec for cells-authority .* is invalid: Cannot resolve reference/);
    expect(await snapshot(ws.openapi)).to.deep.equal(before);
  });

  it("exits 2 for an unknown entry, naming the entries", async () => {
    const result = await runScript("spec-apply.ts", ["--config", ws.config, "--only", "cells-nothing"]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(/no entry named "cells-nothing" in \S+ \(entries: cells-authority\)/);
    expect(await readFile(ws.file("cells-authority.yaml"), "utf8")).to.equal(await readFile(path.join(repoRoot, "openapi/cells-authority.yaml"), "utf8"));
  });
});
