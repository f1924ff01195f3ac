import { execFile } from "node:child_process";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { PipelineError } from "../../packages/codegen/src/pipeline/errors.js";

/** The packed tarballs of the two packages (absolute paths). */
export interface ConsumerTarballs {
  /** aspose-cells-cloud-auth's tarball. */
  readonly core: string;
  /** aspose-cells-codegen's tarball. */
  readonly codegen: string;
}

/** How a consumer project installs: no scripts run, the local cache first. */
export const CONSUMER_INSTALL = ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline"] as const;

/**
 * Writes the package.json of a consumer project that installs both tarballs as a user does: the
 * core as a dependency, aspose-cells-codegen as a devDependency (one `npm install`, which fails if
 * the codegen version is outside the core's peer range).
 * @param dir the project (created if missing)
 */
export async function writeConsumerProject(dir: string, tarballs: ConsumerTarballs): Promise<void> {
  await mkdir(dir, { recursive: true });
  const manifest = {
    name: "consumer",
    private: true,
    type: "module",
    dependencies: { "aspose-cells-cloud-auth": `file:${tarballs.core}` },
    devDependencies: { "aspose-cells-codegen": `file:${tarballs.codegen}` },
  };
  await writeFile(path.join(dir, "package.json"), JSON.stringify(manifest));
}

/** What the check runs after the install, against what `add` wrote. */
const SERVE = `import { createCellsClient, createTokenClient } from "aspose-cells-cloud-auth";
import { startTokenServer, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "aspose-cells-cloud-auth/testing";

const server = await startTokenServer({ specs: [process.argv[2]] });
try {
  const tokens = createTokenClient({ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, baseUrl: server.baseUrl });
  const { response } = await createCellsClient({ tokens }).GET(process.argv[3]);
  if (response.status !== 200) throw new Error("GET " + process.argv[3] + " answered " + response.status);
} finally {
  await server.close();
}
`;

/** What the check adds: a controller's tag, its spec file, and a path of it with no parameter to fill. */
export interface ConsumerFixture {
  /** The tag to add, e.g. `CellsWorksheetsController`. */
  readonly tag: string;
  /** The spec document it is added from (absolute). */
  readonly from: string;
  /** A GET path of that controller, as sent, that the emulator answers with 200. */
  readonly get: string;
}

function step(name: string, file: string, args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { cwd, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error === null) resolve(`ok: ${name}`);
      else reject(new PipelineError("TOOL_FAILED", `${name} failed (exit ${String(error.code)}):\n${(stdout + stderr).trim()}`, { cause: error }));
    });
  });
}

/**
 * The release's consumer check of aspose-cells-codegen, in `dir` (empty or missing): both tarballs
 * installed in one project, `aspose-cells-codegen add <tag> --from <fixture>`, `generate --check`,
 * and the core's emulator serving what `add` wrote (the core loads the codegen's `/emulator`).
 * @returns one line per step that passed
 * @throws {PipelineError} `TOOL_FAILED` naming the step that failed, with its output
 */
export async function checkCodegenConsumer(dir: string, tarballs: ConsumerTarballs, fixture: ConsumerFixture): Promise<string[]> {
  await writeConsumerProject(dir, tarballs);
  const lines = [await step("npm install of both tarballs", "npm", CONSUMER_INSTALL, dir)];
  const from = path.join("fixtures", path.basename(fixture.from));
  await mkdir(path.join(dir, "fixtures"));
  await copyFile(fixture.from, path.join(dir, from));
  const bin = path.join(dir, "node_modules", ".bin", "aspose-cells-codegen");
  lines.push(await step(`aspose-cells-codegen add ${fixture.tag} --from ${from}`, bin, ["add", fixture.tag, "--from", from], dir));
  lines.push(await step("aspose-cells-codegen generate --check", bin, ["generate", "--check"], dir));
  const config = JSON.parse(await readFile(path.join(dir, "aspose-cells-codegen.json"), "utf8")) as { controllers: Array<{ spec: string }> };
  const spec = config.controllers[0]?.spec ?? "";
  await writeFile(path.join(dir, "serve.mjs"), SERVE);
  lines.push(await step(`startTokenServer({ specs: ["${spec}"] }) answers GET ${fixture.get}`, process.execPath, ["serve.mjs", spec, fixture.get], dir));
  return lines;
}
