import path from "node:path";
import { addController } from "../pipeline/add-controller.js";
import { uncorrectedNote } from "../pipeline/build-spec.js";
import { parseCommandLine, reportWrites } from "../pipeline/cli.js";
import { loadControllers, type ControllerConfig } from "../pipeline/controllers.js";
import { displayPath } from "../pipeline/display-path.js";
import { errorCode, isPipelineError, PipelineError } from "../pipeline/errors.js";
import { generateTypes, readWithPending } from "../pipeline/generate-types.js";
import { validateWhenJava } from "../pipeline/openapi-generator.js";
import { pullEntries } from "../pipeline/pull.js";
import { staleFiles, writeFilesAtomic, type FileOutput } from "../pipeline/write-atomic.js";
import { CONFIG_FILE, DEFAULT_OUT, findProject, PROGRAM, projectLayout, type Project } from "./project.js";

/** `aspose-cells-codegen add TAG [--from FILE_OR_URL] [--out DIR] [--name NAME]`; resolves with the exit code. */
export async function runAdd(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, { from: { type: "string" }, out: { type: "string" }, name: { type: "string" } }, ["TAG"]);
  const tag = positionals[0] as string;
  const project = await findProject(process.cwd());
  const layout = projectLayout(project, values.out ?? path.join(project.root, DEFAULT_OUT));
  const { entry, outputs, recordedFile } = await addController({ config: project.config, tag, name: values.name, from: values.from, layout });
  const note = await validateWhenJava(outputs.filter(({ file }) => file === entry.spec));
  reportWrites(outputs, await writeFilesAtomic(outputs));
  if (note !== undefined) process.stdout.write(`${note}\n`);
  if (entry.overlay === undefined) process.stdout.write(`${uncorrectedNote(entry)}\n`);
  if (recordedFile) process.stdout.write(`recorded ${entry.upstream} as its source: ${PROGRAM} generate reads it from there\n`);
  process.stdout.write(
    `added ${entry.name} (${entry.tag}): import type { paths } from "./${displayPath(entry.types, project.root).replace(/\.ts$/, ".js")}" (relative to the project); ` +
      `serve it offline with startTokenServer({ specs: ["${displayPath(entry.spec, project.root)}"] })\n`,
  );
  return 0;
}

/** `aspose-cells-codegen generate [--check]`; resolves with the exit code. */
export async function runGenerate(args: readonly string[]): Promise<number> {
  const { values } = parseCommandLine(args, { check: { type: "boolean" } }, []);
  const project = await findProject(process.cwd());
  const config = await loadProject(project);
  const outputs: FileOutput[] = await pullEntries(config, config.entries, {});
  const read = readWithPending([...outputs]);
  for (const entry of config.entries) outputs.push({ file: entry.types, content: await generateTypes(config, entry, read, project.header) });
  const stale = await staleFiles(outputs);
  if (values.check === true) {
    if (stale.length > 0) {
      throw new PipelineError("STALE", `stale: ${stale.map((file) => displayPath(file)).join(", ")} (run ${PROGRAM} generate)`);
    }
    process.stdout.write(`up to date: ${outputs.map(({ file }) => displayPath(file)).join(", ")}\n`);
    return 0;
  }
  const specs = new Set(config.entries.map((entry) => entry.spec));
  const note = await validateWhenJava(outputs.filter(({ file }) => specs.has(file) && stale.includes(file)));
  reportWrites(outputs, await writeFilesAtomic(outputs));
  if (note !== undefined) process.stdout.write(`${note}\n`);
  return 0;
}

/** The project's recorded controllers. */
async function loadProject(project: Project): Promise<ControllerConfig> {
  try {
    return await loadControllers(project.config);
  } catch (error) {
    if (isPipelineError(error) && errorCode(error.cause) === "ENOENT") {
      throw new PipelineError("CONFIG", `no ${CONFIG_FILE} in ${displayPath(project.root) || "."}/: ${PROGRAM} add TAG records the first controller`, { cause: error });
    }
    throw error;
  }
}
