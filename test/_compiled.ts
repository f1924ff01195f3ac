// The repository's TypeScript (scripts/, src/, generated/) compiled to JavaScript once per test
// process, file by file, with esbuild: the compiler tsx runs, without tsx's loader, which costs
// about 0.45 s of CPU per process (measured: `node --import tsx` of an empty file 0.6 s, plain
// `node` 0.15 s). The pipeline tests start dozens of script processes; they run these files.
// The layout is the repository's, inside it (`.tmp/compiled/<pid>/`), so that relative imports and
// node_modules resolve as they do from the sources; the scripts read their data relative to the
// working directory, which stays the repository root.
import { rmSync } from "node:fs";
import { copyFile, mkdir, readdir } from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";
import { repoRoot } from "./_spec-workspace.js";

const SOURCES = ["scripts", "src", "generated"];

let compiled: Promise<string> | undefined;

/** The files under `dir`. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(repoRoot, dir), { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/** The folder that holds the compiled copy of the repository's TypeScript (made on the first call of this process). */
export function compiledRoot(): Promise<string> {
  compiled ??= (async () => {
    const out = path.join(repoRoot, ".tmp", "compiled", String(process.pid));
    rmSync(out, { recursive: true, force: true });
    process.once("exit", () => rmSync(out, { recursive: true, force: true }));
    const files = (await Promise.all(SOURCES.map(filesUnder))).flat();
    const entryPoints = files.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"));
    await build({ entryPoints, outdir: out, outbase: repoRoot, format: "esm", platform: "node", target: "node20", bundle: false, logLevel: "silent" });
    // JavaScript modules as they are (scripts/preflight.mjs), and the package.json src/cli/version.ts imports.
    const copied = [...files.filter((file) => file.endsWith(".mjs")), path.join(repoRoot, "package.json")];
    for (const file of copied) {
      const target = path.join(out, path.relative(repoRoot, file));
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(file, target);
    }
    return out;
  })();
  return compiled;
}
