import path from "node:path";

/** `file` relative to the working directory with `/` separators, for messages and headers. */
export function displayPath(file: string, from: string = process.cwd()): string {
  return path.relative(from, file).split(path.sep).join("/");
}
