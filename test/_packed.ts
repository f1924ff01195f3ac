// The packed tarballs of the two packages, for suites that install them in a consumer project.
// One function, so that a shared build-and-pack fixture can stand in for it.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { ensureBuilt } from "./_dist.js";
import { repoRoot } from "./_spec-workspace.js";

const run = promisify(execFile);

/** Absolute paths of the packed aspose-cells-cloud-auth and aspose-cells-codegen. */
export interface Tarballs {
  readonly core: string;
  readonly codegen: string;
}

/** Packs both packages, from the run's one build (`ensureBuilt`), into `destination`. */
export async function packedTarballs(destination: string): Promise<Tarballs> {
  await ensureBuilt();
  const core = await run("npm", ["pack", "--ignore-scripts", "--pack-destination", destination], { cwd: repoRoot });
  const codegen = await run("npm", ["pack", "--ignore-scripts", "--workspace", "aspose-cells-codegen", "--pack-destination", destination], { cwd: repoRoot });
  const last = (stdout: string) => path.join(destination, stdout.trim().split("\n").at(-1) as string);
  return { core: last(core.stdout), codegen: last(codegen.stdout) };
}
