import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { loadControllers, selectEntries } from "../packages/codegen/src/pipeline/controllers.js";
import { isPipelineError } from "../packages/codegen/src/pipeline/errors.js";
import { rejectionOf } from "./_async.js";
import { thrown } from "./_spec-errors.js";
import { PUBLISHED_SPEC_URL } from "../packages/codegen/src/pipeline/published-spec.js";
import { repoRoot } from "./_spec-workspace.js";

const ALL_PATHS = "../generated/all-controllers.ts";
const ENTRY = {
  name: "cells-authority",
  tag: "CellsAuthorityController",
  upstream: "https://api.aspose.cloud/v4.0/cells/swagger/spec",
  extract: "upstream/cells-authority.yaml",
  provenance: "upstream/cells-authority.provenance.json",
  overlay: "overlays/cells-authority.overlay.yaml",
  spec: "cells-authority.yaml",
  types: "../generated/cells-authority.ts",
};

describe("loadControllers", () => {
  let dir: string;
  async function config(content: unknown): Promise<string> {
    const file = path.join(dir, "openapi", `controllers-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
  }

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "controllers-test-"));
    await mkdir(path.join(dir, "openapi"));
  });
  after(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("resolves every path against the data file's folder", async () => {
    const { entries, allPaths } = await loadControllers(await config({ $comment: "c", allPaths: ALL_PATHS, controllers: [ENTRY] }));
    expect(entries).to.have.lengthOf(1);
    expect(entries[0]?.spec).to.equal(path.join(dir, "openapi", "cells-authority.yaml"));
    expect(entries[0]?.types).to.equal(path.join(dir, "generated", "cells-authority.ts"));
    expect(entries[0]?.overlay).to.equal(path.join(dir, "openapi", "overlays", "cells-authority.overlay.yaml"));
    expect(entries[0]?.upstream).to.equal(ENTRY.upstream);
    expect(allPaths).to.equal(path.join(dir, "generated", "all-controllers.ts"));
  });

  it("takes a project's data file: entries with only a spec and types, and no allPaths", async () => {
    const { name, tag, upstream } = ENTRY;
    const loaded = await loadControllers(await config({ controllers: [{ name, tag, upstream, spec: "cells-authority.yaml", types: "cells-authority.ts" }] }));
    expect(loaded.allPaths).to.equal(undefined);
    expect(loaded.entries[0]).to.include({ extract: undefined, provenance: undefined, overlay: undefined });
  });

  it("the repository's entries read the published spec, the URL the pipeline pulls from by default", async () => {
    const { entries } = await loadControllers(path.join(repoRoot, "openapi", "controllers.json"));
    expect(entries.map((entry) => [entry.name, entry.upstream]).filter(([name]) => name === "cells-authority" || name === "cells-status")).to.deep.equal([
      ["cells-authority", PUBLISHED_SPEC_URL],
      ["cells-status", PUBLISHED_SPEC_URL],
    ]);
  });

  it("takes an entry without an overlay", async () => {
    const { overlay: _, ...bare } = ENTRY;
    const { entries } = await loadControllers(await config({ allPaths: ALL_PATHS, controllers: [bare] }));
    expect(entries[0]?.overlay).to.equal(undefined);
    expect(entries[0]?.spec).to.equal(path.join(dir, "openapi", "cells-authority.yaml"));
  });

  for (const [title, content, message] of [
    ["is not JSON", "{", /cannot read the data file .*: /],
    ["has no entries", { allPaths: ALL_PATHS, controllers: [] }, /expected \{ "controllers": \[ \.\.\. \] \} with at least one entry/],
    ["has an empty allPaths", { allPaths: "", controllers: [ENTRY] }, /allPaths must be a non-empty string/],
    ["has an unknown top-level field", { allPaths: ALL_PATHS, controler: [], controllers: [ENTRY] }, /: unknown field\(s\) controler$/],
    ["misses a field", { allPaths: ALL_PATHS, controllers: [{ ...ENTRY, tag: "" }] }, /controllers\[0\]\.tag must be a non-empty string/],
    ["has an empty overlay", { allPaths: ALL_PATHS, controllers: [{ ...ENTRY, overlay: "" }] }, /controllers\[0\]\.overlay must be a non-empty string/],
    ["has an unknown field", { allPaths: ALL_PATHS, controllers: [{ ...ENTRY, overlays: "x" }] }, /controllers\[0\] has unknown field\(s\) overlays/],
    ["writes outside its folder", { allPaths: ALL_PATHS, controllers: [{ ...ENTRY, spec: "../spec.yaml" }] }, /controllers\[0\]\.spec must be inside/],
    ["repeats a name", { allPaths: ALL_PATHS, controllers: [ENTRY, { ...ENTRY, spec: "b.yaml" }] }, /two entries are named "cells-authority"/],
    [
      "has two entries writing one file",
      { allPaths: ALL_PATHS, controllers: [ENTRY, { ...ENTRY, name: "other", extract: "x.yaml", provenance: "x.json", types: "x.ts" }] },
      /"other" and "cells-authority" both write .*cells-authority\.yaml/,
    ],
    [
      "has an entry writing the allPaths module",
      { allPaths: ALL_PATHS, controllers: [{ ...ENTRY, types: ALL_PATHS }] },
      /"cells-authority" and "allPaths" both write .*all-controllers\.ts/,
    ],
  ] as const) {
    it(`refuses a data file that ${title} (CONFIG)`, async () => {
      const error = await rejectionOf(loadControllers(await config(content)), isPipelineError);
      expect(error.code).to.equal("CONFIG");
      expect(error.message).to.match(message);
    });
  }

  it("selects one entry by name, or fails with USAGE listing the names", async () => {
    const loaded = await loadControllers(await config({ allPaths: ALL_PATHS, controllers: [ENTRY] }));
    expect(selectEntries(loaded, "cells-authority")).to.deep.equal(loaded.entries);
    expect(selectEntries(loaded, undefined)).to.deep.equal(loaded.entries);
    const error = thrown(() => selectEntries(loaded, "cells-other"));
    expect(error.code).to.equal("USAGE");
    expect(error.message).to.match(/no entry named "cells-other" in .* \(entries: cells-authority\)$/);
  });
});
