import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { renderAllPaths } from "./all-paths.js";
import { parseControllers, type ControllerConfig, type ControllerEntry } from "./controllers.js";
import { displayPath } from "./display-path.js";
import { errorCode, PipelineError } from "./errors.js";
import { generateTypes, readWithPending } from "./generate-types.js";
import { isJsonObject, type JsonObject } from "./json.js";
import { pullEntries } from "./pull.js";
import type { FileOutput } from "./write-atomic.js";

/** What `controller:add` was asked to do. */
export interface AddOptions {
  /** The data file. */
  readonly config: string;
  /** The controller's tag in the upstream document. */
  readonly tag: string;
  /** The entry's name; derived from the tag when absent. */
  readonly name?: string | undefined;
  /** Read the upstream document from this URL or file (relative to the working directory) this time. */
  readonly from?: string | undefined;
  /** The entry's upstream; when absent, the one every existing entry reads. */
  readonly upstream?: string | undefined;
}

/** What adding a controller computed: the new entry and every file to write. */
export interface Addition {
  readonly entry: ControllerEntry;
  readonly config: ControllerConfig;
  /** The data file with the entry, then the extract, provenance, spec, types and allPaths module. */
  readonly outputs: FileOutput[];
}

/**
 * `CellsWorksheetsController` -> `cells-worksheets`, `CellsPDFController` -> `cells-pdf`.
 * @throws {PipelineError} `USAGE` when the tag gives no usable name
 */
export function nameFromTag(tag: string): string {
  const words = tag
    .replace(/Controller$/, "")
    .split(/(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|[^A-Za-z0-9]+/)
    .filter((word) => word !== "");
  const name = words.join("-").toLowerCase();
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new PipelineError("USAGE", `cannot make an entry name out of the tag "${tag}": pass --name NAME`);
  return name;
}

/**
 * Adds a controller to the data file, in memory: the entry (named after `name`, with an overlay
 * only when `overlays/<name>.overlay.yaml` exists), its pull (extract, provenance, corrected
 * spec), its generated types and the allPaths module that joins every entry. Nothing is written.
 * @throws {PipelineError} `USAGE` for a tag or name already in the data file, `CONFIG`, or any pull or generation failure
 */
export async function addController(options: AddOptions): Promise<Addition> {
  const file = path.resolve(options.config);
  const dir = path.dirname(file);
  const raw = await readRaw(file);
  const existing = parseControllers(raw, file);
  const name = options.name ?? nameFromTag(options.tag);
  const sameTag = existing.entries.find((entry) => entry.tag === options.tag);
  if (sameTag !== undefined) {
    throw new PipelineError("USAGE", `${options.tag} is already in ${displayPath(file)} as ${sameTag.name}: npm run spec:pull -- --only ${sameTag.name} pulls it again`);
  }
  if (existing.entries.some((entry) => entry.name === name)) {
    throw new PipelineError("USAGE", `${displayPath(file)} already has an entry named "${name}": pass another --name`);
  }
  const overlay = `overlays/${name}.overlay.yaml`;
  const hasOverlay = await access(path.join(dir, overlay)).then(
    () => true,
    () => false,
  );
  const typesDir = path.posix.dirname(raw.allPaths as string);
  const added: JsonObject = {
    name,
    tag: options.tag,
    upstream: options.upstream ?? sharedUpstream(existing),
    extract: `upstream/${name}.yaml`,
    provenance: `upstream/${name}.provenance.json`,
    ...(hasOverlay ? { overlay } : {}),
    spec: `${name}.yaml`,
    types: path.posix.join(typesDir, `${name}.ts`),
  };
  const updated = { ...raw, controllers: [...(raw.controllers as unknown[]), added] };
  const config = parseControllers(updated, file);
  const entry = config.entries.at(-1) as ControllerEntry;
  const outputs: FileOutput[] = [{ file, content: `${JSON.stringify(updated, null, 2)}\n` }];
  outputs.push(...(await pullEntries(config, [entry], { from: options.from })));
  const read = readWithPending(outputs);
  outputs.push({ file: entry.types, content: await generateTypes(config, entry, read) });
  outputs.push({ file: config.allPaths, content: await renderAllPaths(config, read) });
  return { entry, config, outputs };
}

async function readRaw(file: string): Promise<JsonObject> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new PipelineError("CONFIG", `cannot read the data file ${displayPath(file)}: ${errorCode(error) ?? (error as Error).message}`, { cause: error });
  }
  if (!isJsonObject(raw)) throw new PipelineError("CONFIG", `invalid data file ${displayPath(file)}: expected an object`);
  return raw;
}

/** The upstream every entry reads; the new entry reads it too. */
function sharedUpstream(config: ControllerConfig): string {
  const upstreams = [...new Set(config.entries.map((entry) => entry.upstream))];
  if (upstreams.length !== 1) {
    throw new PipelineError("USAGE", `the entries of ${displayPath(config.file)} read ${upstreams.length} upstream documents (${upstreams.join(", ")}): pass --upstream URL`);
  }
  return upstreams[0] as string;
}
