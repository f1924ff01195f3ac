// The allPaths module (generated/all-controllers.ts): one `paths` type joining every controller's,
// checked with the TypeScript compiler on two controllers that share a path.
import { execFile } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { renderAllPaths } from "../packages/codegen/src/pipeline/all-paths.js";
import { loadControllers } from "../packages/codegen/src/pipeline/controllers.js";
import { generateTypes } from "../packages/codegen/src/pipeline/generate-types.js";
import { isPipelineError } from "../packages/codegen/src/pipeline/errors.js";
import { rejectionOf } from "./_async.js";
import { TOOLCHAIN_TIMEOUT_MS } from "./_spec-run.js";
import { repoRoot } from "./_spec-workspace.js";

const run = promisify(execFile);

/** A minimal OpenAPI 3 document whose operations each answer a JSON object `{ from: <name> }`. */
function spec(name: string, operations: Record<string, string[]>): string {
  const paths = Object.fromEntries(
    Object.entries(operations).map(([route, methods]) => [
      route,
      Object.fromEntries(
        methods.map((method) => [
          method,
          {
            operationId: `${method}${name}${route.replace(/\W/g, "")}`,
            responses: {
              "200": {
                description: "ok",
                content: { "application/json": { schema: { type: "object", required: ["from"], properties: { from: { type: "string", enum: [name] } } } } },
              },
            },
          },
        ]),
      ),
    ]),
  );
  return JSON.stringify({ openapi: "3.0.1", info: { title: name, version: "1" }, paths });
}

describe("the allPaths module", function () {
  this.timeout(TOOLCHAIN_TIMEOUT_MS);
  // Inside the repository, so that the check file resolves openapi-fetch from node_modules.
  const work = path.join(repoRoot, ".tmp", "all-paths-test");
  const openapi = path.join(work, "openapi");

  async function project(specs: Record<string, Record<string, string[]>>) {
    await rm(work, { recursive: true, force: true });
    await mkdir(openapi, { recursive: true });
    const controllers = Object.keys(specs).map((name) => ({
      name,
      tag: name,
      upstream: "https://example.test/spec",
      extract: `upstream/${name}.yaml`,
      provenance: `upstream/${name}.json`,
      spec: `${name}.yaml`,
      types: `../generated/${name}.ts`,
    }));
    await writeFile(path.join(openapi, "controllers.json"), JSON.stringify({ allPaths: "../generated/all.ts", controllers }));
    for (const [name, operations] of Object.entries(specs)) await writeFile(path.join(openapi, `${name}.yaml`), spec(name, operations));
    return loadControllers(path.join(openapi, "controllers.json"));
  }

  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("joins two controllers that share a path method by method, and the compiler agrees", async () => {
    const config = await project({ first: { "/x": ["get"], "/only-first": ["get"] }, second: { "/x": ["post"], "/only-second": ["delete"] } });
    await mkdir(path.join(work, "generated"));
    for (const entry of config.entries) await writeFile(entry.types, await generateTypes(config, entry));
    const module = await renderAllPaths(config, config.allPaths as string);
    expect(module).to.contain('export type paths = Omit<First, "/x"> & Omit<Second, "/x"> & {\n    "/x": Pick<First["/x"], "get"> & Pick<Second["/x"], "post">;\n};\n');
    await writeFile(config.allPaths as string, module);
    const check = [
      'import type { Client } from "openapi-fetch";',
      'import type { paths } from "./generated/all.js";',
      "declare const client: Client<paths>;",
      "export async function calls(): Promise<void> {",
      '  const get: { from: "first" } | undefined = (await client.GET("/x")).data;',
      '  const post: { from: "second" } | undefined = (await client.POST("/x")).data;',
      '  const first: { from: "first" } | undefined = (await client.GET("/only-first")).data;',
      '  const second: { from: "second" } | undefined = (await client.DELETE("/only-second")).data;',
      "  void [get, post, first, second];",
      "  // @ts-expect-error: neither controller has PUT /x",
      '  await client.PUT("/x");',
      "  // @ts-expect-error: /only-first has no POST",
      '  await client.POST("/only-first");',
      "}",
      "",
    ].join("\n");
    await writeFile(path.join(work, "check.ts"), check);
    const tsconfig = {
      compilerOptions: { strict: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", noEmit: true, skipLibCheck: true, types: [] },
      files: ["check.ts"],
    };
    await writeFile(path.join(work, "tsconfig.json"), JSON.stringify(tsconfig));
    const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
    const result = await run(process.execPath, [tsc, "-p", path.join(work, "tsconfig.json")]).catch((failure: { stdout: string }) => failure);
    expect(result.stdout).to.equal("");
  });

  it("refuses two controllers that define the same operation", async () => {
    const config = await project({ first: { "/x": ["get"] }, second: { "/x": ["get", "post"] } });
    const error = await rejectionOf(renderAllPaths(config, config.allPaths as string), isPipelineError);
    expect(error.code).to.equal("CONFIG");
    expect(error.message).to.equal("second and first both define GET /x: one operation belongs to one controller");
  });
});
