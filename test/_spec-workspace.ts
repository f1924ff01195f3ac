// A throw-away copy of openapi/ and generated/ in the OS temp folder, so pipeline tests never touch the real ones.
import { createHash } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderAllPaths } from "../packages/codegen/src/pipeline/all-paths.js";
import { loadControllers } from "../packages/codegen/src/pipeline/controllers.js";

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));
export const fixturesDir = path.join(repoRoot, "test", "fixtures", "spec");

export interface Workspace {
  readonly root: string;
  readonly openapi: string;
  /** The copied data file. */
  readonly config: string;
  /** A file in the copy, by its path relative to the copied openapi/ folder. */
  file(relative: string): string;
}

/**
 * Copies the real openapi/ and generated/ into a new temporary folder. The copied data file keeps
 * only the cells-authority entry: pipeline tests state their own scenario, and a test that wants
 * more entries adds them. The copied allPaths module is rewritten to match that one entry.
 */
export async function createWorkspace(): Promise<Workspace> {
  const root = await mkdtemp(path.join(os.tmpdir(), "spec-pipeline-test-"));
  await cp(path.join(repoRoot, "openapi"), path.join(root, "openapi"), { recursive: true });
  await cp(path.join(repoRoot, "generated"), path.join(root, "generated"), { recursive: true });
  const openapi = path.join(root, "openapi");
  const config = path.join(openapi, "controllers.json");
  const data = JSON.parse(await readFile(config, "utf8")) as { controllers: Array<{ name: string }> };
  data.controllers = data.controllers.filter((entry) => entry.name === "cells-authority");
  await writeFile(config, `${JSON.stringify(data, null, 2)}\n`);
  const loaded = await loadControllers(config);
  await writeFile(loaded.allPaths as string, await renderAllPaths(loaded, loaded.allPaths as string));
  return { root, openapi, config, file: (relative) => path.join(openapi, relative) };
}

/** Deletes a workspace. */
export async function removeWorkspace(workspace: Workspace): Promise<void> {
  await rm(workspace.root, { recursive: true, force: true });
}

/** Every file under `dir` (relative path -> sha256 of its bytes), temporary files included. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const files = await readdir(dir, { recursive: true, withFileTypes: true });
  const entries = await Promise.all(
    files
      .filter((entry) => entry.isFile())
      .map(async (entry) => {
        const file = path.join(entry.parentPath, entry.name);
        return [path.relative(dir, file), createHash("sha256").update(await readFile(file)).digest("hex")] as const;
      }),
  );
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}
