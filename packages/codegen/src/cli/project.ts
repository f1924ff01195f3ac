import { access } from "node:fs/promises";
import path from "node:path";
import type { EntryLayout } from "../pipeline/add-controller.js";
import { PipelineError } from "../pipeline/errors.js";
import type { TypesHeader } from "../pipeline/generate-types.js";

/** The file, at the project's root, that records every controller added and where it came from. */
export const CONFIG_FILE = "aspose-cells-codegen.json";

/** Where `add` puts a controller's spec and types unless `--out` says otherwise, relative to the project. */
export const DEFAULT_OUT = "src/aspose-cells";

/** The program's name, in messages and in the header of what it generates. */
export const PROGRAM = "aspose-cells-codegen";

/** The user's project: the nearest folder with a package.json, from the working directory up. */
export interface Project {
  readonly root: string;
  /** Its {@link CONFIG_FILE}. */
  readonly config: string;
  /** What the header of generated types names. */
  readonly header: TypesHeader;
}

/**
 * Finds the project the command runs in: the nearest folder, from `cwd` up, that holds a
 * package.json; `cwd` itself when there is none.
 */
export async function findProject(cwd: string): Promise<Project> {
  let dir = path.resolve(cwd);
  for (;;) {
    const found = await access(path.join(dir, "package.json")).then(
      () => true,
      () => false,
    );
    if (found) break;
    const parent = path.dirname(dir);
    if (parent === dir) {
      dir = path.resolve(cwd);
      break;
    }
    dir = parent;
  }
  return { root: dir, config: path.join(dir, CONFIG_FILE), header: { command: `${PROGRAM} generate`, projectDir: dir } };
}

/**
 * How a project lays out what `add` writes: the spec (`NAME.yaml`), its types (`NAME.ts`) and an
 * optional overlay (`NAME.overlay.yaml`, used when it exists) in `out`.
 * @param project the project
 * @param out the folder as given (relative to the working directory)
 * @throws {PipelineError} `USAGE` when `out` is outside the project
 */
export function projectLayout(project: Project, out: string): EntryLayout {
  const relative = path.relative(project.root, path.resolve(out));
  if (relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new PipelineError("USAGE", `--out ${out} is outside the project (${project.root}): pick a folder inside it`);
  }
  const dir = relative.split(path.sep).join("/");
  return {
    files: (name) => ({
      overlay: path.posix.join(dir, `${name}.overlay.yaml`),
      spec: path.posix.join(dir, `${name}.yaml`),
      types: path.posix.join(dir, `${name}.ts`),
    }),
    pullAgain: () => `${PROGRAM} generate pulls it again`,
    typesHeader: project.header,
    emptyConfig: {
      $comment: `What ${PROGRAM} added: one entry per controller, each pulled from its upstream (a URL, or a file relative to this file) by ${PROGRAM} generate. Paths are relative to this file; overlay is optional.`,
      controllers: [],
    },
  };
}
