// The repository's TypeScript (scripts/, src/, generated/, test/, the codegen package's src/) compiled to JavaScript once per
// test process, file by file, with esbuild: the compiler tsx runs, without tsx's loader, whose hooks
// see every module a process imports, node_modules included (measured: a pipeline script takes
// about 0.7 s less CPU time this way, an empty file 0.45 s). The tests that start dozens of
// processes of the repository's code (the pipeline scripts, the Redis fleet's workers, the
// emulator of the real-time soak) run these files. The layout is the repository's, inside it
// (`.tmp/compiled/<pid>/`), so that relative imports and node_modules resolve as they do from the
// sources; the scripts read their data relative to the working directory, the repository root.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { buildSync } from "esbuild";
import { repoRoot } from "./_spec-workspace.js";

const SOURCES = ["scripts", "src", "generated", "test", "packages/codegen/src"];
/** node_modules folders below the root (npm leaves a workspace's conflicting versions there): linked into the copy. */
const NESTED_MODULES = ["packages/codegen/node_modules"];

let compiled: string | undefined;

/** The files under `dir`. */
function filesUnder(dir: string): string[] {
  const entries = readdirSync(path.join(repoRoot, dir), { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/** The folder that holds the compiled copy of the repository's TypeScript (made on the first call of this process, removed when it exits). */
export function compiledRoot(): string {
  if (compiled !== undefined) return compiled;
  const out = path.join(repoRoot, ".tmp", "compiled", String(process.pid));
  rmSync(out, { recursive: true, force: true });
  process.once("exit", () => rmSync(out, { recursive: true, force: true }));
  const files = SOURCES.flatMap(filesUnder);
  const entryPoints = files.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"));
  buildSync({ entryPoints, outdir: out, outbase: repoRoot, format: "esm", platform: "node", target: "node20", bundle: false, logLevel: "silent" });
  // JavaScript modules as they are (scripts/preflight.mjs), and the package.json files the executables read their version from.
  for (const file of [...files.filter((name) => name.endsWith(".mjs")), ...["package.json", "packages/codegen/package.json"].map((name) => path.join(repoRoot, name))]) {
    const target = path.join(out, path.relative(repoRoot, file));
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
  for (const modules of NESTED_MODULES.filter((dir) => existsSync(path.join(repoRoot, dir)))) {
    mkdirSync(path.dirname(path.join(out, modules)), { recursive: true });
    symlinkSync(path.join(repoRoot, modules), path.join(out, modules), "dir");
  }
  compiled = out;
  return out;
}

/** The compiled counterpart of a TypeScript file of the repository, given by its absolute path. */
export function compiledFile(file: string): string {
  return path.join(compiledRoot(), path.relative(repoRoot, file)).replace(/\.ts$/, ".js");
}
