import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/** A file to write, computed in memory. */
export interface FileOutput {
  readonly file: string;
  readonly content: string;
}

/**
 * Writes every output whose content changed: first each to a temporary file next to its target,
 * then renames them all into place. When a temporary write fails, the temporary files are removed
 * and no target has changed.
 * @param outputs absolute paths and contents
 * @returns the files that changed
 */
export async function writeFilesAtomic(outputs: readonly FileOutput[]): Promise<string[]> {
  const stale = new Set(await staleFiles(outputs));
  const changed = outputs.filter(({ file }) => stale.has(file));
  const staged: { temp: string; file: string }[] = [];
  try {
    for (const { file, content } of changed) {
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${randomUUID()}.tmp`;
      staged.push({ temp, file });
      await writeFile(temp, content);
    }
  } catch (error) {
    await Promise.all(staged.map(({ temp }) => rm(temp, { force: true })));
    throw error;
  }
  for (const { temp, file } of staged) await rename(temp, file);
  return changed.map(({ file }) => file);
}

/**
 * The outputs whose file on disk differs from the computed content (or is missing).
 * @param outputs absolute paths and contents
 */
export async function staleFiles(outputs: readonly FileOutput[]): Promise<string[]> {
  const stale: string[] = [];
  for (const { file, content } of outputs) {
    if ((await readFile(file, "utf8").catch(() => undefined)) !== content) stale.push(file);
  }
  return stale;
}
