// aspose-cells-codegen as a user gets it: both packed tarballs installed in a fresh consumer project
// (one npm install), add from a Swagger 2.0 and an OpenAPI 3 fixture, typed calls type-checked, the
// emulator serving the generated specs, generate --check catching a changed source; and a second
// project with the core alone, whose runtime install holds openapi-fetch and nothing else.
// Slow (a build, two packs, two installs): all of it runs once, in `before`.
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { Ajv } from "ajv";
import type formats from "ajv-formats";
import { expect } from "chai";
import { parse } from "yaml";
import { checkCodegenConsumer, CONSUMER_INSTALL, writeConsumerProject } from "../scripts/lib/codegen-consumer.js";
import { packedTarballs } from "./_packed.js";
import { fixturesDir } from "./_spec-workspace.js";

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

function exec(file: string, args: readonly string[], cwd: string): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(file, [...args], { cwd, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr, ms: performance.now() - started });
    });
  });
}

const TYPED_CALLS = `import { createCellsClient, createTokenClient } from "aspose-cells-cloud-auth";
import { startTokenServer } from "aspose-cells-cloud-auth/testing";
import type { paths as Worksheets } from "./src/aspose-cells/cells-worksheets.js";
import type { paths as Conversion } from "./src/aspose-cells/cells-conversion.js";

export async function calls(): Promise<void> {
  const cells = createCellsClient<Worksheets & Conversion>({ tokens: createTokenClient() });
  const { data } = await cells.GET("/cells/{name}/worksheets", { params: { path: { name: "book.xlsx" }, query: { folder: "in" } } });
  const visibility: "Visible" | "Hidden" | "VeryHidden" | undefined = data?.Worksheets.WorksheetList[0]?.Visibility;
  void visibility;
  await cells.POST("/cells/{name}/worksheets/{sheetName}/protection", { params: { path: { name: "b", sheetName: "S" } }, body: { ProtectionType: "All" } });
  await cells.PUT("/cells/convert", { params: { query: { format: "pdf" } }, body: "bytes", bodySerializer: (body) => body });
  // README's overlay section: a spec whose error responses are untyped (no overlay adds them) types \`error\` undefined.
  const { error } = await cells.GET("/cells/convert/formats");
  const untyped: undefined = error;
  void untyped;
  // @ts-expect-error: a wrong path
  await cells.GET("/cells/{name}/worksheet", { params: { path: { name: "book.xlsx" } } });
  // @ts-expect-error: a wrong parameter (the folder is "folder")
  await cells.GET("/cells/{name}/worksheets", { params: { path: { name: "book.xlsx" }, query: { directory: "in" } } });
  // @ts-expect-error: a body outside the enum
  await cells.POST("/cells/{name}/worksheets/{sheetName}/protection", { params: { path: { name: "b", sheetName: "S" } }, body: { ProtectionType: "Everything" } });
  // @ts-expect-error: a value outside the query parameter's enum
  await cells.PUT("/cells/convert", { params: { query: { format: "docx" } }, body: "bytes" });

  const server = await startTokenServer<Worksheets>({ specs: ["src/aspose-cells/cells-worksheets.yaml"] });
  server.handle("GET", "/cells/{name}/worksheets", () => Response.json({}));
  server.handle("put", "/cells/{name}/worksheets/{sheetName}", () => Response.json({}));
  // @ts-expect-error: the spec has no such path
  server.handle("GET", "/cells/{name}/sheets", () => Response.json({}));
  // @ts-expect-error: the path takes no DELETE
  server.handle("DELETE", "/cells/{name}/worksheets", () => Response.json({}));
  await server.close();
}
`;

const AGAINST_THE_EMULATOR = `import { createCellsClient, createTokenClient } from "aspose-cells-cloud-auth";
import { startTokenServer, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "aspose-cells-cloud-auth/testing";

const server = await startTokenServer({ specs: ["src/aspose-cells/cells-worksheets.yaml", "src/aspose-cells/cells-conversion.yaml"] });
const tokens = createTokenClient({ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, baseUrl: server.baseUrl });
const cells = createCellsClient({ tokens });
const out = {};
const ok = await cells.GET("/cells/{name}/worksheets", { params: { path: { name: "book.xlsx" } } });
out.ok = { status: ok.response.status, body: ok.data };
out.noToken = (await fetch(server.baseUrl + "/cells/book.xlsx/worksheets")).status;
const missingParameter = await cells.GET("/cells/{name}/worksheets/{sheetName}/image", { params: { path: { name: "b", sheetName: "S" } } });
out.missingParameter = { status: missingParameter.response.status, message: missingParameter.error.Error.Message };
const missingField = await cells.POST("/cells/{name}/worksheets/{sheetName}/protection", { params: { path: { name: "b", sheetName: "S" } }, body: { Password: "p" } });
out.missingField = { status: missingField.response.status, message: missingField.error.Error.Message };
const formats = await cells.GET("/cells/convert/formats");
out.formats = formats.data;
server.handle("GET", "/cells/{name}/worksheets", (request) => Response.json({ Code: 200, Status: "from the override", Worksheets: { WorksheetList: [{ Name: new URL(request.url).pathname, Visibility: "Hidden" }] } }));
out.override = (await cells.GET("/cells/{name}/worksheets", { params: { path: { name: "book.xlsx" } } })).data;
out.stats = server.stats;
await server.close();
console.log(JSON.stringify(out));
`;

describe("aspose-cells-codegen in a consumer project (packed tarballs)", function () {
  this.timeout(900_000);
  let work: string;
  let project: string;
  const bin = () => path.join(project, "node_modules", ".bin", "aspose-cells-codegen");
  const results: Record<string, Run> = {};
  let releaseCheck: string[] | Error | undefined;

  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "codegen-consumer-"));
    const tarballs = await packedTarballs(work);
    project = path.join(work, "consumer");
    const runtime = path.join(work, "runtime-only");
    await mkdir(path.join(project, "fixtures"), { recursive: true });
    await mkdir(runtime);
    await writeConsumerProject(project, tarballs);
    await writeFile(path.join(runtime, "package.json"), JSON.stringify({ name: "runtime-only", private: true, type: "module", dependencies: { "aspose-cells-cloud-auth": `file:${tarballs.core}` } }));
    const [installed, runtimeInstalled] = await Promise.all([exec("npm", CONSUMER_INSTALL, project), exec("npm", [...CONSUMER_INSTALL, "--omit=dev"], runtime)]);
    results.install = installed;
    results.runtimeInstall = runtimeInstalled;
    // The release workflow's check of the same tarballs (scripts/codegen-consumer.ts), in a project of its own.
    releaseCheck = await checkCodegenConsumer(path.join(work, "release-check"), tarballs, {
      tag: "CellsWorksheetsController",
      from: path.join(fixturesDir, "worksheets-swagger2.json"),
      get: "/cells/book.xlsx/worksheets",
    }).catch((error: unknown) => error as Error);
    results.runtimeTree = await exec("npm", ["ls", "--all", "--omit=dev", "--parseable"], runtime);
    await writeFile(path.join(runtime, "specs.mjs"), 'import { startTokenServer } from "aspose-cells-cloud-auth/testing";\nawait startTokenServer({ specs: ["x.yaml"] });\n');
    results.runtimeSpecs = await exec(process.execPath, ["specs.mjs"], runtime);

    await copyFile(path.join(fixturesDir, "worksheets-swagger2.json"), path.join(project, "fixtures", "worksheets-swagger2.json"));
    await copyFile(path.join(fixturesDir, "conversion-openapi3.yaml"), path.join(project, "fixtures", "conversion-openapi3.yaml"));
    results.addSwagger2 = await exec(bin(), ["add", "CellsWorksheetsController", "--from", "fixtures/worksheets-swagger2.json"], project);
    results.addOpenApi3 = await exec(bin(), ["add", "CellsConversionController", "--from", "fixtures/conversion-openapi3.yaml"], project);

    await writeFile(path.join(project, "typed.ts"), TYPED_CALLS);
    const tsconfig = { compilerOptions: { strict: true, target: "ES2022", lib: ["ES2022", "DOM"], module: "NodeNext", moduleResolution: "NodeNext", noEmit: true, types: [] }, files: ["typed.ts"] };
    await writeFile(path.join(project, "tsconfig.json"), JSON.stringify(tsconfig));
    results.tsc = await exec(process.execPath, [path.join(project, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], project);

    await writeFile(path.join(project, "emulator.mjs"), AGAINST_THE_EMULATOR);
    results.emulator = await exec(process.execPath, ["emulator.mjs"], project);

    results.checkFresh = await exec(bin(), ["generate", "--check"], project);
    const fixture = path.join(project, "fixtures", "worksheets-swagger2.json");
    await writeFile(fixture, (await readFile(fixture, "utf8")).replace('"enum": ["Worksheet", "Chart", "Dialog"]', '"enum": ["Worksheet", "Chart", "Dialog", "Macro"]'));
    results.checkChanged = await exec(bin(), ["generate", "--check"], project);
    results.generate = await exec(bin(), ["generate"], project);
    results.checkAgain = await exec(bin(), ["generate", "--check"], project);
  });

  after(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it("installs from the two tarballs in one npm install", () => {
    expect(results.install?.code, results.install?.stderr).to.equal(0);
  });

  it("passes the release workflow's consumer check (scripts/codegen-consumer.ts): one install, add, generate --check, the core serving the spec", () => {
    expect(releaseCheck instanceof Error ? releaseCheck.message : releaseCheck).to.deep.equal([
      "ok: npm install of both tarballs",
      "ok: aspose-cells-codegen add CellsWorksheetsController --from fixtures/worksheets-swagger2.json",
      "ok: aspose-cells-codegen generate --check",
      'ok: startTokenServer({ specs: ["src/aspose-cells/cells-worksheets.yaml"] }) answers GET /cells/book.xlsx/worksheets',
    ]);
  });

  it("adds a controller from a Swagger 2.0 fixture and one from an OpenAPI 3 fixture, recording both", async () => {
    for (const name of ["addSwagger2", "addOpenApi3"]) expect(results[name]?.code, results[name]?.stderr).to.equal(0);
    expect(results.addSwagger2?.stdout).to.match(/^wrote aspose-cells-codegen\.json\nwrote src\/aspose-cells\/cells-worksheets\.yaml\nwrote src\/aspose-cells\/cells-worksheets\.ts\n/);
    const config = JSON.parse(await readFile(path.join(project, "aspose-cells-codegen.json"), "utf8")) as { controllers: Record<string, string>[] };
    expect(config.controllers.map(({ name, upstream, spec, types }) => ({ name, upstream, spec, types }))).to.deep.equal([
      { name: "cells-worksheets", upstream: "fixtures/worksheets-swagger2.json", spec: "src/aspose-cells/cells-worksheets.yaml", types: "src/aspose-cells/cells-worksheets.ts" },
      { name: "cells-conversion", upstream: "fixtures/conversion-openapi3.yaml", spec: "src/aspose-cells/cells-conversion.yaml", types: "src/aspose-cells/cells-conversion.ts" },
    ]);
  });

  it("types the calls: a wrong path, a wrong parameter and a value outside an enum are type errors, and so is handle() on what the spec lacks", () => {
    expect(results.tsc?.stdout).to.equal("");
    expect(results.tsc?.code).to.equal(0);
  });

  it("serves the generated specs: 200 with a schema-valid body, 401 without a token, 400 on a missing parameter or field, an override's answer", async () => {
    expect(results.emulator?.stderr).to.equal("");
    const out = JSON.parse(results.emulator?.stdout ?? "{}") as Record<string, { status: number; body: unknown; message: string } & Record<string, number>>;
    expect(out.ok?.status).to.equal(200);
    const spec = parse(await readFile(path.join(project, "src", "aspose-cells", "cells-worksheets.yaml"), "utf8")) as Record<string, unknown>;
    const ajv = new Ajv({ strict: false, validateSchema: false, logger: false });
    (createRequire(import.meta.url)("ajv-formats") as typeof formats.default)(ajv);
    ajv.addSchema(spec, "worksheets");
    expect(ajv.validate({ $ref: "worksheets#/components/schemas/WorksheetsResponse" }, out.ok?.body), ajv.errorsText()).to.equal(true);
    expect(out.noToken).to.equal(401);
    expect(out.missingParameter).to.deep.equal({ status: 400, message: 'GET /cells/{name}/worksheets/{sheetName}/image: the query parameter "format" is required.' });
    expect(out.missingField).to.deep.equal({ status: 400, message: 'POST /cells/{name}/worksheets/{sheetName}/protection: the request body is missing the required property "ProtectionType".' });
    expect(out.formats).to.deep.equal({ Formats: ["pdf", "xlsx", "csv", "html"] });
    expect(out.override).to.deep.equal({ Code: 200, Status: "from the override", Worksheets: { WorksheetList: [{ Name: "/v4.0/cells/book.xlsx/worksheets", Visibility: "Hidden" }] } });
    expect(out.stats).to.include({ apiCalls: 6, missingTokenCalls: 1 });
  });

  it("generate --check fails when the source changed, generate takes the change, and --check passes again", async () => {
    expect(results.checkFresh?.code, results.checkFresh?.stderr).to.equal(0);
    expect(results.checkChanged?.code).to.equal(1);
    expect(results.checkChanged?.stderr).to.equal("aspose-cells-codegen generate: stale: src/aspose-cells/cells-worksheets.yaml, src/aspose-cells/cells-worksheets.ts (run aspose-cells-codegen generate)\n");
    expect(results.generate?.code, results.generate?.stderr).to.equal(0);
    expect(results.generate?.stdout).to.contain("wrote src/aspose-cells/cells-worksheets.ts\n");
    expect(await readFile(path.join(project, "src", "aspose-cells", "cells-worksheets.ts"), "utf8")).to.contain('"Macro"');
    expect(results.checkAgain?.code, results.checkAgain?.stderr).to.equal(0);
  });

  it("installs the core alone with openapi-fetch (and its own dependency) and nothing else at runtime", () => {
    expect(results.runtimeInstall?.code, results.runtimeInstall?.stderr).to.equal(0);
    const packages = (results.runtimeTree?.stdout ?? "").trim().split("\n").slice(1).map((line) => line.split("node_modules/").at(-1));
    expect(packages.sort()).to.deep.equal(["aspose-cells-cloud-auth", "openapi-fetch", "openapi-typescript-helpers"]);
  });

  it("tells a user of startTokenServer({ specs }) without aspose-cells-codegen how to install it", () => {
    expect(results.runtimeSpecs?.code).to.equal(1);
    expect(results.runtimeSpecs?.stderr).to.contain("TypeError: options.specs needs the package aspose-cells-codegen, which serves OpenAPI specs (validation and sampling); install it: npm install --save-dev aspose-cells-codegen");
  });

  it("reports how long add and generate took (for the record, not a limit)", () => {
    const seconds = (name: string) => ((results[name]?.ms ?? 0) / 1000).toFixed(1);
    console.log(`      add (Swagger 2.0): ${seconds("addSwagger2")} s, add (OpenAPI 3): ${seconds("addOpenApi3")} s, generate (2 controllers): ${seconds("generate")} s, generate --check: ${seconds("checkAgain")} s`);
  });
});
