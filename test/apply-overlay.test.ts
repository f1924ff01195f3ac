import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { applyOverlay, loadOverlay } from "../packages/codegen/src/pipeline/apply-overlay.js";
import { isPipelineError } from "../packages/codegen/src/pipeline/errors.js";
import { rejectionOf } from "./_async.js";

const DOCUMENT = {
  openapi: "3.0.1",
  info: { title: "t", version: "1" },
  paths: { "/token": { post: { responses: { "200": { description: "ok" } } } } },
};

describe("loadOverlay and applyOverlay", () => {
  let dir: string;
  async function overlayFile(text: string): Promise<string> {
    const file = path.join(dir, `overlay-${Math.random().toString(36).slice(2)}.yaml`);
    await writeFile(file, text);
    return file;
  }

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "apply-overlay-test-"));
  });
  after(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("applies every action to a copy of the document", async () => {
    const overlay = await loadOverlay(
      await overlayFile(`overlay: 1.0.0
info: { title: t, version: 1.0.0 }
actions:
  - target: $.paths['/token'].post
    description: The call that gets a token needs none.
    update: { security: [] }
`),
    );
    const original = structuredClone(DOCUMENT);
    const corrected = await applyOverlay(DOCUMENT, overlay);
    expect(corrected).to.have.nested.property("paths./token.post.security").that.deep.equals([]);
    expect(DOCUMENT).to.deep.equal(original);
  });

  it("fails with OVERLAY_TARGET_MISSING naming every target that matched nothing", async () => {
    const overlay = await loadOverlay(
      await overlayFile(`overlay: 1.0.0
info: { title: t, version: 1.0.0 }
actions:
  - target: $.paths['/token'].post
    description: Matches.
    update: { security: [] }
  - target: $.paths['/renamed'].post
    description: Matches nothing.
    update: { security: [] }
  - target: $.paths['/token'].get
    description: Matches nothing either.
    remove: true
`),
    );
    const error = await rejectionOf(applyOverlay(DOCUMENT, overlay), isPipelineError);
    expect(error.code).to.equal("OVERLAY_TARGET_MISSING");
    expect(error.message).to.match(/^overlay target missing: \$\.paths\['\/renamed'\]\.post, \$\.paths\['\/token'\]\.get matched nothing \(/);
  });

  for (const [title, text, message] of [
    ["is not Overlay 1.0", "overlay: 2.0.0\nactions: []\n", /expected an OpenAPI Overlay 1\.0 document/],
    ["has no actions", "overlay: 1.0.0\nactions: []\n", /no actions/],
    ["has an action without a description", "overlay: 1.0.0\nactions:\n  - target: $\n    update: {}\n", /action #1 \(\$\) needs a description/],
    ["has an action that neither updates nor removes", "overlay: 1.0.0\nactions:\n  - target: $\n    description: d\n", /action #1 \(\$\) needs update or remove: true/],
    ["has a target that is not a JSONPath", "overlay: 1.0.0\nactions:\n  - target: paths\n    description: d\n    remove: true\n", /action #1 needs a target starting with \$/],
  ] as const) {
    it(`refuses an overlay that ${title} (OVERLAY_INVALID)`, async () => {
      const error = await rejectionOf(loadOverlay(await overlayFile(text)), isPipelineError);
      expect(error.code).to.equal("OVERLAY_INVALID");
      expect(error.message).to.match(message);
    });
  }
});
