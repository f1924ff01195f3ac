import { execFile } from "node:child_process";
import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { displayPath } from "./display-path.js";
import { errorCode, isPipelineError, PipelineError } from "./errors.js";
import type { FileOutput } from "./write-atomic.js";

const jar = createRequire(import.meta.url).resolve("@openapitools/openapi-generator-cli/bin/openapi-generator.jar");

/**
 * Validates a spec with OpenAPI Generator (`openapi-generator validate -i SPEC`), run offline from
 * the JAR that `@openapitools/openapi-generator-cli` 1.0.18-4.3.1 ships, with `java` from the PATH.
 * Errors and warnings both count as issues.
 * @param spec path of the spec
 * @returns the first issue, or undefined when there is none
 * @throws {PipelineError} `UNREADABLE` when the spec is missing, `NO_JAVA` when there is no `java`
 *   on the PATH, `TOOL_FAILED` when Java cannot be started for another reason
 */
export async function openapiGeneratorIssue(spec: string): Promise<string | undefined> {
  await access(spec).catch((error: unknown) => {
    throw new PipelineError("UNREADABLE", `cannot read the spec ${displayPath(spec)}: ${errorCode(error) ?? String(error)}`, { cause: error });
  });
  return new Promise((resolve, reject) => {
    execFile("java", ["-jar", jar, "validate", "-i", spec], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code === "string") {
        reject(
          error.code === "ENOENT"
            ? new PipelineError("NO_JAVA", "cannot run java for openapi-generator (ENOENT): no java on the PATH", { cause: error })
            : new PipelineError("TOOL_FAILED", `cannot run java for openapi-generator (${error.code})`, { cause: error }),
        );
        return;
      }
      if (error === null && stdout.includes("No validation issues detected.")) {
        resolve(undefined);
        return;
      }
      resolve(firstIssue(`${stdout}\n${stderr}`) ?? `openapi-generator rejected ${displayPath(spec)} without naming an issue`);
    });
  });
}

/**
 * Validates specs that are computed but not written yet with OpenAPI Generator, when Java is
 * there: each goes to a temporary file first.
 * @param specs the specs, by the path they will be written to
 * @returns a one-line note when there is no `java` on the PATH (nothing was validated), else undefined
 * @throws {PipelineError} `INVALID_RESULT` naming the spec and its first issue, `TOOL_FAILED`
 */
export async function validateWhenJava(specs: readonly FileOutput[]): Promise<string | undefined> {
  if (specs.length === 0) return undefined;
  const temp = await mkdtemp(path.join(os.tmpdir(), "aspose-cells-codegen-"));
  try {
    for (const [index, { file, content }] of specs.entries()) {
      const copy = path.join(temp, `${index}-${path.basename(file)}`);
      await writeFile(copy, content);
      let issue: string | undefined;
      try {
        issue = await openapiGeneratorIssue(copy);
      } catch (error) {
        if (isPipelineError(error) && error.code === "NO_JAVA") {
          return "no java on the PATH: skipped the OpenAPI Generator validation (install a Java runtime to run it)";
        }
        throw error;
      }
      if (issue !== undefined) throw new PipelineError("INVALID_RESULT", `OpenAPI Generator rejects ${displayPath(file)}: ${issue}`);
    }
    return undefined;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/** The first "- ..." item under "Errors:" or "Warnings:", joined onto one line. */
function firstIssue(output: string): string | undefined {
  const lines = output.split("\n");
  const start = lines.findIndex((line) => /^\t- /.test(line));
  if (start === -1) return lines.find((line) => /\[error\]|Exception/.test(line))?.trim();
  const continuation = lines.slice(start + 1).findIndex((line) => !/^\t  /.test(line));
  const end = continuation === -1 ? lines.length : start + 1 + continuation;
  return lines
    .slice(start, end)
    .map((line) => line.trim().replace(/^- /, ""))
    .join(" ");
}
