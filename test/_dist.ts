// The built package (dist/), built once per test run and shared (outside the spec glob). `npm test`
// builds it before the tests (its `npm run build` step); the mocha global setup
// (_global-setup.ts) and the suites that read dist/ call `ensureBuilt()`, which builds only when
// dist/ is missing or older than what it is built from, so that one file run alone
// (`npm run test:file -- test/package.test.ts`) never tests a stale build, and a whole run
// never builds twice.
import { execFile } from "node:child_process";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./_spec-workspace.js";

const run = promisify(execFile);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** What `npm run build` reads (tsdown.config.ts, and the codegen package's): the sources, the generated types, the list of controllers, the manifests. */
const INPUTS = ["src", "generated", "openapi/controllers.json", "tsdown.config.ts", "package.json", "tsconfig.json", "packages/codegen/src", "packages/codegen/package.json", "packages/codegen/tsdown.config.ts"];

/** The modification times (ms) of every file under `target`, or of `target` itself; none when it is missing. */
async function modificationTimes(target: string): Promise<number[]> {
  const info = await stat(target).catch(() => undefined);
  if (info === undefined) return [];
  if (!info.isDirectory()) return [info.mtimeMs];
  const entries = await readdir(target, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
  return Promise.all(files.map(async (file) => (await stat(file)).mtimeMs));
}

/** Whether dist/ holds a build newer than every input (false when it is missing). */
export async function isBuilt(): Promise<boolean> {
  const built = (await Promise.all(["dist", "packages/codegen/dist"].map((output) => modificationTimes(path.join(repoRoot, output))))).flat();
  if (!built.some((time) => time > 0)) return false;
  const inputs = (await Promise.all(INPUTS.map((input) => modificationTimes(path.join(repoRoot, input))))).flat();
  return Math.min(...built) >= Math.max(...inputs);
}

let building: Promise<void> | undefined;

/** Runs `npm run build` when dist/ is missing or stale; once per process. */
export function ensureBuilt(): Promise<void> {
  building ??= (async () => {
    if (!(await isBuilt())) await run(npm, ["run", "build"], { cwd: repoRoot });
  })();
  return building;
}
