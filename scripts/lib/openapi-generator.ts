import { execFile } from "node:child_process";
import { access } from "node:fs/promises";
import { createRequire } from "node:module";
import { displayPath } from "./display-path.js";
import { errorCode, PipelineError } from "./errors.js";
import { INSTALL } from "../preflight.mjs";

const jar = createRequire(import.meta.url).resolve("@openapitools/openapi-generator-cli/bin/openapi-generator.jar");

/**
 * Validates a spec with OpenAPI Generator (`openapi-generator validate -i SPEC`), run offline from
 * the JAR that `@openapitools/openapi-generator-cli` 1.0.18-4.3.1 ships, with `java` from the PATH.
 * Errors and warnings both count as issues.
 * @param spec path of the spec
 * @returns the first issue, or undefined when there is none
 * @throws {PipelineError} `UNREADABLE` when the spec is missing, `TOOL_FAILED` when Java cannot be started
 */
export async function openapiGeneratorIssue(spec: string): Promise<string | undefined> {
  await access(spec).catch((error: unknown) => {
    throw new PipelineError("UNREADABLE", `cannot read the spec ${displayPath(spec)}: ${errorCode(error) ?? String(error)}`, { cause: error });
  });
  return new Promise((resolve, reject) => {
    execFile("java", ["-jar", jar, "validate", "-i", spec], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code === "string") {
        const { debian, macos } = INSTALL.java;
        const hint = error.code === "ENOENT" ? `: no java on the PATH; install a Java runtime: ${debian} (Debian/Ubuntu) or ${macos} (macOS)` : "";
        reject(new PipelineError("TOOL_FAILED", `cannot run java for openapi-generator (${error.code})${hint}`, { cause: error }));
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
