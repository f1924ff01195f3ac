import { createHash } from "node:crypto";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "chai";
import {
  componentKeys,
  expectedComponents,
  OPENAPI3,
  operationsOf,
  parseYamlObject,
  readFixture,
  renamedTokenPath,
  SWAGGER2,
} from "./_spec-fixtures.js";
import { lines, runScript, TOOLCHAIN_TIMEOUT_MS, type RunResult } from "./_spec-run.js";
import { closedPort } from "./_http.js";
import { startSpecServer, type SpecServer } from "./_spec-server.js";
import { createWorkspace, fixturesDir, removeWorkspace, repoRoot, snapshot, type Workspace } from "./_spec-workspace.js";

const TOKEN_PATH = "/cells/connect/token";

/** Runs spec:pull against a workspace copy. */
function pull(workspace: Workspace, ...args: string[]): Promise<RunResult> {
  return runScript("spec-pull.ts", ["--config", workspace.config, ...args]);
}

describe("spec:pull", function () {
  this.timeout(TOOLCHAIN_TIMEOUT_MS);
  let server: SpecServer;
  const workspaces: Workspace[] = [];
  async function workspace(): Promise<Workspace> {
    const created = await createWorkspace();
    workspaces.push(created);
    return created;
  }

  before(async () => {
    server = await startSpecServer({
      "/swagger2/spec": { body: await readFixture(SWAGGER2) },
      "/openapi3/spec": { body: await readFixture(OPENAPI3), type: "application/yaml" },
      "/renamed/spec": { body: await renamedTokenPath(), type: "application/yaml" },
      "/html/spec": { body: "<html>\n<body>\n  <p>Bad gateway: {upstream: [</p>\n</body>\n</html>\n", type: "text/html" },
      "/text/spec": { body: "Service temporarily unavailable, try again later.\n", type: "text/plain" },
      "/json-not-openapi/spec": { body: '{"status": "OK", "service": "Cells"}' },
      "/server-error/spec": { status: 500, body: "boom", type: "text/plain" },
    });
  });

  after(async () => {
    await server?.close();
    await Promise.all(workspaces.map(removeWorkspace));
  });

  for (const [fixture, route, sourceFormat] of [
    [SWAGGER2, "/swagger2/spec", "swagger 2.0 (converted by swagger2openapi 7.0.8)"],
    [OPENAPI3, "/openapi3/spec", "openapi 3.0.1"],
  ] as const) {
    describe(`from a ${sourceFormat.split(" (")[0]} upstream over HTTP`, () => {
      let ws: Workspace;
      let first: RunResult;
      before(async () => {
        ws = await workspace();
        first = await pull(ws, "--from", server.url(route));
      });

      it("exits 0 and reports extract, provenance and spec", () => {
        expect(first.stderr).to.equal("");
        expect(first.code).to.equal(0);
        const reported = lines(first.stdout).map((line) => path.basename(line.split(" ")[1] ?? ""));
        expect(reported).to.deep.equal(["cells-authority.yaml", "cells-authority.provenance.json", "cells-authority.yaml"]);
        expect(first.stdout).to.match(/^wrote .*upstream\/cells-authority\.yaml$/m);
      });

      it("keeps only the tag's operations, with exactly the components they reference", async () => {
        const extract = parseYamlObject(await readFile(ws.file("upstream/cells-authority.yaml"), "utf8"));
        expect(operationsOf(extract)).to.deep.equal([`POST ${TOKEN_PATH} PostAccessToken`]);
        expect(componentKeys(extract)).to.deep.equal(expectedComponents("CellsAuthorityController", fixture));
        expect(extract.tags).to.deep.equal([{ name: "CellsAuthorityController" }]);
      });

      it("applies the overlay", async () => {
        const spec = parseYamlObject(await readFile(ws.file("cells-authority.yaml"), "utf8"));
        const operation = (spec.paths as Record<string, Record<string, Record<string, unknown>>>)[TOKEN_PATH]?.post ?? {};
        expect(operation.security).to.deep.equal([]);
        expect(operation.requestBody).to.have.nested.property(
          "content.application/x-www-form-urlencoded.schema.$ref",
          "#/components/schemas/ClientCredentialsTokenRequest",
        );
        expect(Object.keys(operation.responses as object)).to.deep.equal(["200", "400", "401", "413", "429", "500", "503"]);
        expect(spec.servers, "exactly the https server, for Swagger 2.0 (host + basePath) and OpenAPI 3 upstreams alike").to.deep.equal([{ url: "https://api.aspose.cloud/v4.0", description: "Aspose Cloud, API version 4.0" }]);
        expect(componentKeys(spec).schemas).to.deep.equal(["AccessTokenResponse", "ClientCredentialsTokenRequest", "OAuthError"]);
      });

      it("records the provenance", async () => {
        const provenance: unknown = JSON.parse(await readFile(ws.file("upstream/cells-authority.provenance.json"), "utf8"));
        const bytes = await readFile(path.join(fixturesDir, fixture));
        expect(provenance).to.deep.equal({
          controller: "cells-authority",
          tag: "CellsAuthorityController",
          source: server.url(route),
          sha256: createHash("sha256").update(bytes).digest("hex"),
          retrievedAt: new Date().toISOString().slice(0, 10),
          sourceFormat,
        });
      });

      it("gives byte-identical output on a second run, even on another day", async () => {
        const provenanceFile = ws.file("upstream/cells-authority.provenance.json");
        const provenance = JSON.parse(await readFile(provenanceFile, "utf8")) as Record<string, unknown>;
        await writeFile(provenanceFile, `${JSON.stringify({ ...provenance, retrievedAt: "2020-01-01" }, null, 2)}\n`);
        const before = await snapshot(ws.openapi);
        const second = await pull(ws, "--from", server.url(route));
        expect(second.code, second.stderr).to.equal(0);
        expect(lines(second.stdout).map((line) => line.split(" ")[0])).to.deep.equal(["unchanged", "unchanged", "unchanged"]);
        expect(await snapshot(ws.openapi)).to.deep.equal(before);
      });
    });
  }

  it("pulls every entry of the data file, fetching a shared upstream once", async () => {
    const ws = await workspace();
    const config = JSON.parse(await readFile(ws.config, "utf8")) as { controllers: Record<string, string>[] };
    const authority = { ...config.controllers[0], upstream: server.url("/openapi3/spec") };
    const status = {
      name: "cells-status",
      tag: "CellsStatusController",
      upstream: server.url("/openapi3/spec"),
      extract: "upstream/cells-status.yaml",
      provenance: "upstream/cells-status.provenance.json",
      overlay: "overlays/cells-status.overlay.yaml",
      spec: "cells-status.yaml",
      types: "../generated/cells-status.ts",
    };
    await writeFile(ws.config, JSON.stringify({ ...config, controllers: [authority, status] }));
    await copyFile(path.join(fixturesDir, "cells-status.overlay.yaml"), ws.file(status.overlay));
    const hitsBefore = server.hits("/openapi3/spec");
    const result = await runScript("spec-pull.ts", ["--config", ws.config]);
    expect(result.code, result.stderr).to.equal(0);
    expect(server.hits("/openapi3/spec") - hitsBefore).to.equal(1);
    const extract = parseYamlObject(await readFile(ws.file("upstream/cells-status.yaml"), "utf8"));
    expect(componentKeys(extract)).to.deep.equal(expectedComponents("CellsStatusController", OPENAPI3));
    const spec = parseYamlObject(await readFile(ws.file("cells-status.yaml"), "utf8"));
    expect(spec.servers).to.deep.equal([{ url: "https://api.aspose.cloud/v4.0" }]);
  });

  it("--from without --only stands in for the upstream every entry reads: one read, every entry pulled", async () => {
    const ws = await workspace();
    const config = JSON.parse(await readFile(ws.config, "utf8")) as { controllers: Record<string, string>[] };
    const status = {
      name: "cells-status",
      tag: "CellsStatusController",
      upstream: config.controllers[0]?.upstream,
      extract: "upstream/cells-status.yaml",
      provenance: "upstream/cells-status.provenance.json",
      overlay: "overlays/cells-status.overlay.yaml",
      spec: "cells-status.yaml",
      types: "../generated/cells-status.ts",
    };
    await writeFile(ws.config, JSON.stringify({ ...config, controllers: [...config.controllers, status] }));
    await copyFile(path.join(fixturesDir, "cells-status.overlay.yaml"), ws.file(status.overlay));
    const hitsBefore = server.hits("/swagger2/spec");
    const result = await pull(ws, "--from", server.url("/swagger2/spec"));
    expect(result.code, result.stderr).to.equal(0);
    expect(server.hits("/swagger2/spec") - hitsBefore).to.equal(1);
    for (const name of ["cells-authority", "cells-status"]) {
      const provenance = JSON.parse(await readFile(ws.file(`upstream/${name}.provenance.json`), "utf8")) as { source: string };
      expect(provenance.source, name).to.equal(server.url("/swagger2/spec"));
    }
    const extract = parseYamlObject(await readFile(ws.file("upstream/cells-status.yaml"), "utf8"));
    expect(operationsOf(extract)).to.deep.equal(["GET /cells GetAsposeCellsCloudStatus", "GET /cells/status/check CheckCloudServiceHealth"]);
  });

  it("pulls an entry without an overlay as published, and says that no corrections were applied", async () => {
    const ws = await workspace();
    const config = JSON.parse(await readFile(ws.config, "utf8")) as { controllers: Record<string, string>[] };
    const { overlay: _, ...bare } = config.controllers[0] as Record<string, string>;
    await writeFile(ws.config, JSON.stringify({ ...config, controllers: [bare] }));
    const result = await pull(ws, "--from", server.url("/openapi3/spec"));
    expect(result.code, result.stderr).to.equal(0);
    expect(lines(result.stdout).at(-1)).to.match(/^no overlay for cells-authority: \S*openapi\/cells-authority\.yaml is the upstream extract as published, no corrections applied$/);
    expect(await readFile(ws.file("cells-authority.yaml"), "utf8")).to.equal(await readFile(ws.file("upstream/cells-authority.yaml"), "utf8"));
  });

  it("reads a local file given with --from and records the path as given", async () => {
    const ws = await workspace();
    const given = path.relative(repoRoot, path.join(fixturesDir, OPENAPI3));
    const result = await pull(ws, "--from", given);
    expect(result.code, result.stderr).to.equal(0);
    const provenance = JSON.parse(await readFile(ws.file("upstream/cells-authority.provenance.json"), "utf8")) as { source: string };
    expect(provenance.source).to.equal(given);
  });

  describe("fails with one line, and leaves openapi/ untouched, when", () => {
    interface Case {
      readonly title: string;
      readonly args: (ws: Workspace) => Promise<string[]>;
      readonly code: number;
      readonly message: RegExp;
    }
    const cases: Case[] = [
      {
        title: "the host is unreachable",
        args: async () => ["--from", `http://127.0.0.1:${await closedPort()}/spec`],
        code: 1,
        message: /^spec:pull: cannot reach host 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
      },
      {
        title: "the upstream answers 404",
        args: async () => ["--from", server.url("/missing/spec")],
        code: 1,
        message: /^spec:pull: HTTP 404 Not Found from http:\/\/127\.0\.0\.1:\d+\/missing\/spec$/,
      },
      {
        title: "the upstream answers 500",
        args: async () => ["--from", server.url("/server-error/spec")],
        code: 1,
        message: /^spec:pull: HTTP 500 Internal Server Error from http:\/\/127\.0\.0\.1:\d+\/server-error\/spec$/,
      },
      {
        title: "the body is not JSON or YAML",
        args: async () => ["--from", server.url("/html/spec")],
        code: 1,
        message: /^spec:pull: http:\/\/127\.0\.0\.1:\d+\/html\/spec is not JSON or YAML \(/,
      },
      {
        title: "the body is plain text",
        args: async () => ["--from", server.url("/text/spec")],
        code: 1,
        message: /^spec:pull: http:\/\/127\.0\.0\.1:\d+\/text\/spec is not JSON or YAML \(it parses to a bare string\)$/,
      },
      {
        title: "the document is not OpenAPI",
        args: async () => ["--from", server.url("/json-not-openapi/spec")],
        code: 1,
        message: /is not an OpenAPI 3\.x or Swagger 2\.0 document \(no openapi or swagger field\)$/,
      },
      {
        title: "the tag is not found",
        args: async () => ["--from", server.url("/openapi3/spec"), "--tag", "CellsMissingController"],
        code: 1,
        message: /tag "CellsMissingController" not found in .*; closest tags: CellsStatusController, CellsAuthorityController, CellsWorkbookController \(3 in all\)$/,
      },
      {
        title: "an overlay target is missing upstream",
        args: async () => ["--from", server.url("/renamed/spec")],
        code: 1,
        message: /^spec:pull: overlay target missing: \$\.paths\['\/cells\/connect\/token'\]\.post, .* matched nothing \(.*cells-authority\.overlay\.yaml\)$/,
      },
      {
        title: "the result is invalid",
        args: async (ws) => {
          const overlay = await readFile(path.join(fixturesDir, "invalid-result.overlay.yaml"), "utf8");
          await writeFile(ws.file("overlays/cells-authority.overlay.yaml"), overlay);
          return ["--from", server.url("/openapi3/spec")];
        },
        code: 1,
        message: /^spec:pull: the corrected spec for cells-authority \(.*\) is invalid: Cannot resolve reference: #\/components\/schemas\/AccessTokenResponse/,
      },
      {
        title: "--from is given for entries that read different upstream documents (usage, exit 2)",
        args: async (ws) => {
          const config = JSON.parse(await readFile(ws.config, "utf8")) as { controllers: Record<string, string>[] };
          const copy = { ...config.controllers[0], name: "copy", upstream: "https://mirror.example.test/spec", extract: "x.yaml", provenance: "x.json", spec: "y.yaml", types: "z.ts" };
          await writeFile(ws.config, JSON.stringify({ ...config, controllers: [...config.controllers, copy] }));
          return ["--from", server.url("/openapi3/spec")];
        },
        code: 2,
        message: /^spec:pull: --from stands in for one upstream document, and the selected entries read 2 \(https:\/\/api\.aspose\.cloud\/v4\.0\/cells\/swagger\/spec, https:\/\/mirror\.example\.test\/spec\): add --only NAME/,
      },
      {
        title: "--tag is given for several entries (usage, exit 2)",
        args: async (ws) => {
          const config = JSON.parse(await readFile(ws.config, "utf8")) as { controllers: Record<string, string>[] };
          const copy = { ...config.controllers[0], name: "copy", extract: "x.yaml", provenance: "x.json", spec: "y.yaml", types: "z.ts" };
          await writeFile(ws.config, JSON.stringify({ ...config, controllers: [...config.controllers, copy] }));
          return ["--from", server.url("/openapi3/spec"), "--tag", "CellsStatusController"];
        },
        code: 2,
        message: /^spec:pull: --tag and --out apply to one entry: add --only NAME \(2 entries selected\)/,
      },
      {
        title: "an unknown option is given (usage, exit 2)",
        args: async () => ["--form", server.url("/openapi3/spec")],
        code: 2,
        message: /^spec:pull: Unknown option '--form'/,
      },
    ];
    const outcomes = new Map<string, { result: RunResult; before: Record<string, string>; after: Record<string, string> }>();

    /** spec:pull processes running at once: each starts a tsx toolchain, and a dozen at once overload a small machine. */
    const AT_ONCE = 3;

    before(async () => {
      const queue = [...cases];
      const runNext = async (): Promise<void> => {
        for (let testCase = queue.shift(); testCase !== undefined; testCase = queue.shift()) {
          const ws = await workspace();
          const args = await testCase.args(ws);
          const before = await snapshot(ws.openapi);
          const result = await pull(ws, ...args);
          outcomes.set(testCase.title, { result, before, after: await snapshot(ws.openapi) });
        }
      };
      await Promise.all(Array.from({ length: AT_ONCE }, runNext));
    });

    for (const testCase of cases) {
      it(testCase.title, () => {
        const outcome = outcomes.get(testCase.title);
        if (outcome === undefined) throw new Error(`no outcome for ${testCase.title}`);
        const { result, before, after } = outcome;
        expect(result.code, result.stderr).to.equal(testCase.code);
        expect(lines(result.stderr)).to.have.lengthOf(1);
        expect(result.stderr.trim()).to.match(testCase.message);
        expect(result.stderr).not.to.match(/\n\s+at /);
        expect(after).to.deep.equal(before);
      });
    }
  });
});
