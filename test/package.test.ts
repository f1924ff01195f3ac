// The package as a consumer gets it: built, packed, linted, installed into a fresh project and
// imported with both `import` and `require`.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = new URL("..", import.meta.url).pathname;
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const bin = (name: string) => join(root, "node_modules", ".bin", name);

describe("the published package", function () {
  this.timeout(120_000);
  let work: string;
  let tarball: string;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "cells-auth-pack-"));
    await run(npm, ["run", "build"], { cwd: root });
    const { stdout } = await run(npm, ["pack", "--ignore-scripts", "--pack-destination", work], { cwd: root });
    tarball = join(work, stdout.trim().split("\n").at(-1) as string);
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

  it("keeps the core entry free of node: imports (browsers, edge runtimes)", async () => {
    for (const file of ["index.js", "index.cjs"]) {
      const code = await readFile(join(root, "dist", file), "utf8");
      expect(code, file).not.to.match(/["']node:|require\(["'](fs|http|https|crypto|util|net|os|path)["']\)/);
    }
    const shipped = await readdir(join(root, "dist"));
    expect(shipped).to.include("index.js");
  });

  it("installs into a fresh project and imports with both import and require", async () => {
    const project = join(work, "consumer");
    await run("mkdir", ["-p", project]);
    await writeFile(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "1.0.0" }));
    await run(npm, ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline", tarball], { cwd: project });
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
