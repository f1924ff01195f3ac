import { execFile } from "node:child_process";
import { PipelineError } from "./errors.js";

/** The outcome of comparing two folders. */
export interface FolderDiff {
  readonly identical: boolean;
  /** Unified diff, without colour; empty when identical. */
  readonly diff: string;
}

/**
 * Compares two folders with `git diff --no-index --no-color` (no repository needed).
 * Pass paths relative to `cwd`: they become the file names in the diff headers.
 * @param cwd the folder both paths are relative to
 * @param before the old side
 * @param after the new side
 * @throws {PipelineError} `TOOL_FAILED` when git is missing or fails
 */
export function diffFolders(cwd: string, before: string, after: string): Promise<FolderDiff> {
  const args = ["diff", "--no-index", "--no-color", "--", before, after];
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) resolve({ identical: true, diff: "" });
      else if (error.code === 1) resolve({ identical: false, diff: stdout });
      else reject(new PipelineError("TOOL_FAILED", `git diff failed: ${stderr.trim() || error.message}`, { cause: error }));
    });
  });
}
