// The package as a consumer gets it: built (once per test run, shared: _dist.ts), packed, linted,
// installed into a fresh project and imported with both `import` and `require`.
import { expect } from "chai";
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { loadControllers, type ControllerEntry } from "../packages/codegen/src/pipeline/controllers.js";
import { ensureBuilt } from "./_dist.js";
import { within } from "./_testing-kit.js";

const run = promisify(execFile);
const root = new URL("..", import.meta.url).pathname;
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const bin = (name: string) => join(root, "node_modules", ".bin", name);

describe("the published package", function () {
  this.timeout(180_000);
  let work: string;
  let tarball: string;
  let project: string;
  let controllers: ControllerEntry[];

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "cells-auth-pack-"));
    controllers = [...(await loadControllers(join(root, "openapi", "controllers.json"))).entries];
    await ensureBuilt();
    const { stdout } = await run(npm, ["pack", "--ignore-scripts", "--pack-destination", work], { cwd: root });
    tarball = join(work, stdout.trim().split("\n").at(-1) as string);
    project = join(work, "consumer");
    await mkdir(project);
    await writeFile(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "1.0.0" }));
    await run(npm, ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline", tarball], { cwd: project });
  });
  after(() => work && rm(work, { recursive: true, force: true }));

  it("passes publint", async () => {
    const { stdout } = await run(bin("publint"), ["--strict"], { cwd: root });
    expect(stdout).to.contain("All good");
  });

  it("passes @arethetypeswrong/cli for node16 and bundlers", async () => {
    // node10 resolution cannot see subpath exports at all; Node >= 18 (our floor) and bundlers can.
    const { stdout } = await run(bin("attw"), [tarball, "--profile", "node16", "--format", "json"], { cwd: root });
    const report = JSON.parse(stdout) as { analysis: { problems: Array<{ resolutionKind?: string }> } };
    expect(report.analysis.problems.filter((problem) => problem.resolutionKind !== "node10")).to.deep.equal([]);
  });

  it("ships only the allow-listed files", async () => {
    const { stdout } = await run("tar", ["-tzf", tarball]);
    const files = stdout.trim().split("\n").map((file) => file.replace(/^package\//, ""));
    for (const file of files) expect(file, file).to.match(/^(dist\/|openapi\/[^/]+\.yaml$|README\.md$|LICENSE$|package\.json$)/);
    expect(files).to.include.members(["dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts", "package.json"]);
  });

  it("keeps the core, /client and /otel entries, and every chunk they load, free of node: imports (browsers, edge runtimes)", async () => {
    const seen = new Set<string>();
    const visit = async (file: string): Promise<void> => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = await readFile(join(root, "dist", file), "utf8");
      expect(code, file).not.to.match(/["']node:|require\(["'](fs|http|https|crypto|util|net|os|path)["']\)/);
      for (const [, chunk] of code.matchAll(/(?:from|require\()\s*["']\.\/([^"']+)["']/g)) await visit(chunk!);
    };
    for (const entry of ["index.js", "index.cjs", "client.js", "client.cjs", "otel.js", "otel.cjs"]) await visit(entry);
    expect(seen.size).to.be.at.least(4);
    const shipped = await readdir(join(root, "dist"));
    expect(shipped).to.include.members(["index.js", "client.js"]);
  });

  it("loads @opentelemetry/api only from /otel: the core and /client never name it; /otel imports and requires with it installed", async () => {
    for (const file of ["index.js", "index.cjs", "client.js", "client.cjs"]) expect(await readFile(join(root, "dist", file), "utf8"), file).not.to.contain("@opentelemetry");
    const api = (JSON.parse(await readFile(join(root, "node_modules", "@opentelemetry", "api", "package.json"), "utf8")) as { version: string }).version;
    await run(npm, ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline", `@opentelemetry/api@${api}`], { cwd: project });
    await writeFile(join(project, "otel.mjs"), 'import { openTelemetry, combineListeners } from "aspose-cells-cloud-auth/otel"; console.log(typeof combineListeners(openTelemetry()));');
    await writeFile(join(project, "otel.cjs"), 'const { openTelemetry, combineListeners } = require("aspose-cells-cloud-auth/otel"); console.log(typeof combineListeners(openTelemetry()));');
    expect((await run(process.execPath, ["otel.mjs"], { cwd: project })).stdout).to.equal("function\n");
    expect((await run(process.execPath, ["otel.cjs"], { cwd: project })).stdout).to.equal("function\n");
  });

  it("ships every controller of openapi/controllers.json: its spec, and its types as generated/<name>", async () => {
    const { stdout } = await run("tar", ["-tzf", tarball]);
    const files = stdout.trim().split("\n").map((file) => file.replace(/^package\//, ""));
    expect(controllers.map((entry) => entry.name)).to.include.members(["cells-authority", "cells-status"]);
    for (const entry of controllers) {
      const shipped = ["js", "cjs", "d.ts", "d.cts"].map((ext) => `dist/generated/${entry.name}.${ext}`);
      expect(files, entry.name).to.include.members([...shipped, relative(root, entry.spec)]);
    }
    const names = JSON.stringify(controllers.map((entry) => entry.name));
    const esm = `for (const name of ${names}) await import("aspose-cells-cloud-auth/generated/" + name); console.log("ok");`;
    const cjs = `for (const name of ${names}) require("aspose-cells-cloud-auth/generated/" + name); console.log("ok");`;
    await writeFile(join(project, "controllers.mjs"), esm);
    await writeFile(join(project, "controllers.cjs"), cjs);
    expect((await run(process.execPath, ["controllers.mjs"], { cwd: project })).stdout).to.equal("ok\n");
    expect((await run(process.execPath, ["controllers.cjs"], { cwd: project })).stdout).to.equal("ok\n");
  });

  it("type-checks a consumer's TypeScript, ESM JavaScript and CommonJS JavaScript (JSDoc) calls", async () => {
    const typed = [
      'import { createCellsClient, createTokenClient, type CellsClient } from "aspose-cells-cloud-auth";',
      ...controllers.map((entry, index) => `import type { paths as P${index} } from "aspose-cells-cloud-auth/generated/${entry.name}";`),
      `export type Each = [${controllers.map((_, index) => `keyof P${index}`).join(", ")}];`,
      "export async function calls(): Promise<string | undefined> {",
      "  const cells = createCellsClient({ tokens: createTokenClient() });",
      '  const { data } = await cells.GET("/cells/status/check", { params: { query: { detail: true } } });',
      "  const named: CellsClient = cells;",
      '  // @ts-expect-error: no shipped controller has this path',
      '  await named.GET("/cells/status/chek");',
      "  return data?.status;",
      "}",
      "",
    ].join("\n");
    const esm = [
      "// @ts-check",
      'import { createCellsClient } from "aspose-cells-cloud-auth";',
      "export async function calls() {",
      '  const cells = createCellsClient({ clientId: "id", clientSecret: "secret" });',
      '  const { data } = await cells.GET("/cells/status/check", { params: { query: { detail: true } } });',
      '  // @ts-expect-error: `detail` is a boolean',
      '  await cells.GET("/cells/status/check", { params: { query: { detail: "yes" } } });',
      "  return data?.status;",
      "}",
      "",
    ].join("\n");
    const cjs = [
      "// @ts-check",
      'const { createCellsClient, createTokenClient } = require("aspose-cells-cloud-auth");',
      '/** @param {import("aspose-cells-cloud-auth").CellsClient} cells */',
      "async function status(cells) {",
      '  const { data } = await cells.GET("/cells/status/check");',
      "  return data?.status;",
      "}",
      "async function calls() {",
      "  const cells = createCellsClient({ tokens: createTokenClient() });",
      '  await cells.GET("/cells");',
      '  // @ts-expect-error: no shipped controller has this path',
      '  await cells.GET("/cells/status/chek");',
      "  return status(cells);",
      "}",
      "module.exports = { calls };",
      "",
    ].join("\n");
    await writeFile(join(project, "typed.ts"), typed);
    await writeFile(join(project, "typed.mjs"), esm);
    await writeFile(join(project, "typed.cjs"), cjs);
    const tsconfig = {
      compilerOptions: { strict: true, target: "ES2022", lib: ["ES2022", "DOM"], module: "NodeNext", moduleResolution: "NodeNext", allowJs: true, checkJs: true, noEmit: true, types: [] },
      files: ["typed.ts", "typed.mjs", "typed.cjs"],
    };
    await writeFile(join(project, "tsconfig.json"), JSON.stringify(tsconfig));
    const tsc = await run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(project, "tsconfig.json")]).catch(
      (failure: { stdout: string }) => failure,
    );
    expect(tsc.stdout).to.equal("");
  });

  it("installs both executables: npx aspose-cells-emulator -- npx aspose-cells-token gets a token", async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("ASPOSE_CLOUD_")));
    const { stdout, stderr } = await run("npx", ["--no-install", "aspose-cells-emulator", "--", "npx", "--no-install", "aspose-cells-token", "--json"], { cwd: project, env });
    expect(stderr).to.equal("");
    expect(JSON.parse(stdout)).to.include({ tokenType: "Bearer", expiresIn: 3600 });
  });

  it("stops the emulator started with npx when npx gets SIGTERM (npm passes it to its shell only)", async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("ASPOSE_CLOUD_")));
    // In a process group of its own, so that whatever is left of it can be killed at the end, whatever happens.
    const npx = spawn("npx", ["--no-install", "aspose-cells-emulator"], { cwd: project, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const serving = new Promise<string>((resolve) => {
      npx.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
        const url = /^ASPOSE_CLOUD_API_URL=(\S+)$/m.exec(stdout)?.[1];
        if (url !== undefined && stdout.includes("ASPOSE_CLOUD_CLIENT_SECRET=")) resolve(url);
      });
    });
    npx.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    // The pipes close once every process that holds them has exited: npx, its shell and the emulator.
    const closed = Promise.all([once(npx.stdout, "close"), once(npx.stderr, "close")]);
    try {
      const baseUrl = await within(serving, 60_000, `the emulator's variables (stderr: ${stderr})`);
      expect((await fetch(`${baseUrl}/cells/status/check`)).status, "serving").to.equal(401);
      npx.kill("SIGTERM");
      await within(closed, 60_000, "the end of the emulator started through npx");
      expect(stderr).to.contain("aspose-cells-emulator: stopped (SIGTERM)");
      const after = await fetch(`${baseUrl}/cells/status/check`).then(
        (response) => `answered ${response.status}`,
        (error: { cause?: { code?: string } }) => error.cause?.code,
      );
      expect(after, "after SIGTERM").to.equal("ECONNREFUSED");
    } finally {
      try {
        process.kill(-(npx.pid as number), "SIGKILL");
      } catch {
        // Nothing is left of it.
      }
    }
  });

  it("installs into a fresh project and imports with both import and require", async () => {
    const esm = `
      import { createTokenClient, postAccessToken, isCellsAuthError, CellsAuthError } from "aspose-cells-cloud-auth";
      import { startTokenServer } from "aspose-cells-cloud-auth/testing";
      const server = await startTokenServer();
      const token = await postAccessToken({ clientId: "test-client-id", clientSecret: "test-client-secret", baseUrl: server.baseUrl });
      let code;
      try { createTokenClient({ clientId: "x", clientSecret: "y", baseUrl: "http://example.com" }); } catch (e) { code = isCellsAuthError(e) && e instanceof CellsAuthError && e.code; }
      await server.close();
      console.log(JSON.stringify({ type: token.tokenType, code }));
    `;
    const cjs = `
      const { createTokenClient, isCellsAuthError } = require("aspose-cells-cloud-auth");
      const { startTokenServer } = require("aspose-cells-cloud-auth/testing");
      (async () => {
        const server = await startTokenServer();
        const tokens = createTokenClient({ clientId: "test-client-id", clientSecret: "test-client-secret", baseUrl: server.baseUrl });
        const header = await tokens.getAuthorizationHeader();
        await server.close();
        console.log(JSON.stringify({ bearer: header.startsWith("Bearer "), guard: typeof isCellsAuthError }));
      })();
    `;
    await writeFile(join(project, "esm.mjs"), esm);
    await writeFile(join(project, "cjs.cjs"), cjs);
    const fromEsm = await run(process.execPath, ["esm.mjs"], { cwd: project });
    expect(JSON.parse(fromEsm.stdout)).to.deep.equal({ type: "Bearer", code: "insecure_url" });
    const fromCjs = await run(process.execPath, ["cjs.cjs"], { cwd: project });
    expect(JSON.parse(fromCjs.stdout)).to.deep.equal({ bearer: true, guard: "function" });
  });
});
