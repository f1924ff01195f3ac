import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { displayPath } from "./display-path.js";
import { errorCode, PipelineError } from "./errors.js";

/** A file to write, computed in memory. */
export interface FileOutput {
  readonly file: string;
  readonly content: string;
}

/** The file-system calls a commit makes; tests pass one that fails on purpose. */
export interface CommitFs {
  readonly rename: (from: string, to: string) => Promise<void>;
}

const nodeFs: CommitFs = { rename };

/**
 * Writes every output whose content changed, all or nothing. Stage: each goes to a temporary file
 * next to its target (creating missing folders). Commit: the temporary files are renamed into
 * place one by one. When anything fails, every target already renamed gets its previous content
 * back (or is removed when it did not exist), the temporary files and the folders this call
 * created are removed, and the failure is reported as one line.
 * @param outputs absolute paths and contents
 * @param fs the rename to commit with (for tests)
 * @returns the files that changed
 * @throws {PipelineError} `UNWRITABLE` naming the file that could not be written; nothing changed
 */
export async function writeFilesAtomic(outputs: readonly FileOutput[], fs: CommitFs = nodeFs): Promise<string[]> {
  const previous = new Map<string, string | undefined>();
  for (const { file } of outputs) previous.set(file, await readText(file));
  const changed = outputs.filter(({ file, content }) => previous.get(file) !== content);
  const createdDirs: string[] = [];
  const staged: { temp: string; file: string }[] = [];
  const committed: string[] = [];
  let failing = "";
  try {
    for (const { file, content } of changed) {
      failing = file;
      const created = await mkdir(path.dirname(file), { recursive: true });
      if (created !== undefined) createdDirs.push(created);
      const temp = `${file}.${randomUUID()}.tmp`;
      staged.push({ temp, file });
      await writeFile(temp, content);
    }
    for (const { temp, file } of staged) {
      failing = file;
      await fs.rename(temp, file);
      committed.push(file);
    }
  } catch (error) {
    await rollBack(committed, previous);
    await Promise.all(staged.map(({ temp }) => rm(temp, { force: true })));
    for (const dir of createdDirs.reverse()) await rm(dir, { recursive: true, force: true });
    const reason = errorCode(error) ?? (error as Error).message;
    throw new PipelineError("UNWRITABLE", `cannot write ${displayPath(failing)} (${reason}); nothing was written`, { cause: error });
  }
  return changed.map(({ file }) => file);
}

/** Puts back what the committed targets held before (or removes those that did not exist). */
async function rollBack(committed: readonly string[], previous: ReadonlyMap<string, string | undefined>): Promise<void> {
  for (const file of [...committed].reverse()) {
    const before = previous.get(file);
    if (before === undefined) {
      await rm(file, { force: true });
    } else {
      const temp = `${file}.${randomUUID()}.tmp`;
      await writeFile(temp, before);
      await rename(temp, file);
    }
  }
}

/** A file's text, or undefined when it cannot be read as one (missing, a folder). */
async function readText(file: string): Promise<string | undefined> {
  return readFile(file, "utf8").catch(() => undefined);
}

/**
 * The outputs whose file on disk differs from the computed content (or is missing).
 * @param outputs absolute paths and contents
 */
export async function staleFiles(outputs: readonly FileOutput[]): Promise<string[]> {
  const stale: string[] = [];
  for (const { file, content } of outputs) {
    if ((await readText(file)) !== content) stale.push(file);
  }
  return stale;
}
