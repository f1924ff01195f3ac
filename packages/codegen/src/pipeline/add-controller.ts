import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { renderAllPaths } from "./all-paths.js";
import { parseControllers, type ControllerConfig, type ControllerEntry } from "./controllers.js";
import { displayPath } from "./display-path.js";
import { errorCode, PipelineError } from "./errors.js";
import { resolveSource } from "./fetch-document.js";
import { generateTypes, readWithPending, type TypesHeader } from "./generate-types.js";
import { isJsonObject, type JsonObject } from "./json.js";
import { PUBLISHED_SPEC_URL } from "./published-spec.js";
import { pullEntries } from "./pull.js";
import type { FileOutput } from "./write-atomic.js";

/** Where a new entry's files go, relative to the data file's folder (`/`-separated). */
export interface EntryFiles {
  readonly extract?: string;
  readonly provenance?: string;
  /** Where an overlay for the entry would be: the entry gets it when the file exists. */
  readonly overlay: string;
  readonly spec: string;
  readonly types: string;
}

/** How a data file lays out its entries: the repository's, or a user's project. */
export interface EntryLayout {
  /** The files of the entry named `name`; `raw` is the data file as parsed (or a new, empty one). */
  files(name: string, raw: JsonObject): EntryFiles;
  /** How to pull an entry that is there already, for the message that refuses to add it twice. */
  pullAgain(name: string): string;
  /** What the header of generated types names; undefined: the repository's. */
  readonly typesHeader?: TypesHeader | undefined;
  /** The data file to start from when there is none yet; undefined: a missing data file is an error. */
  readonly emptyConfig?: JsonObject | undefined;
}

/**
 * The repository's layout (openapi/controllers.json): the extract and its provenance under
 * `upstream/`, overlays under `overlays/`, the spec beside the data file, the types beside the
 * allPaths module.
 */
export const REPOSITORY_LAYOUT: EntryLayout = {
  files: (name, raw) => ({
    extract: `upstream/${name}.yaml`,
    provenance: `upstream/${name}.provenance.json`,
    overlay: `overlays/${name}.overlay.yaml`,
    spec: `${name}.yaml`,
    types: path.posix.join(path.posix.dirname(String(raw.allPaths)), `${name}.ts`),
  }),
  pullAgain: (name) => `npm run spec:pull -- --only ${name} pulls it again`,
};

/** What `controller:add` (or `aspose-cells-codegen add`) was asked to do. */
export interface AddOptions {
  /** The data file. */
  readonly config: string;
  /** The controller's tag in the upstream document. */
  readonly tag: string;
  /** The entry's name; derived from the tag when absent. */
  readonly name?: string | undefined;
  /** Read the upstream document from this URL or file (relative to the working directory), and record it as the entry's upstream. */
  readonly from?: string | undefined;
  /** The upstream to record instead (a file relative to the data file, or a URL). */
  readonly upstream?: string | undefined;
  /** Where the entry's files go. */
  readonly layout: EntryLayout;
}

/** What adding a controller computed: the new entry and every file to write. */
export interface Addition {
  readonly entry: ControllerEntry;
  readonly config: ControllerConfig;
  /** The data file with the entry, then the extract and provenance (if the layout has them), spec, types and allPaths module (if the data file has one). */
  readonly outputs: FileOutput[];
  /** True when the recorded upstream is the local file `from` named. */
  readonly recordedFile: boolean;
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
 * only when the layout's overlay file exists), its pull (extract and provenance where the layout
 * has them, corrected spec), its generated types and, when the data file names one, the allPaths
 * module that joins every entry. The entry records where the document came from: `upstream`,
 * else the file or URL `from` names, else the published spec. Nothing is written.
 * @throws {PipelineError} `USAGE` for a tag or name already in the data file, `CONFIG`, or any pull or generation failure
 */
export async function addController(options: AddOptions): Promise<Addition> {
  const file = path.resolve(options.config);
  const dir = path.dirname(file);
  const raw = await readRaw(file, options.layout.emptyConfig);
  const existing = Array.isArray(raw.controllers) && raw.controllers.length > 0 ? parseControllers(raw, file) : undefined;
  const entries = existing?.entries ?? [];
  const name = options.name ?? nameFromTag(options.tag);
  const sameTag = entries.find((entry) => entry.tag === options.tag);
  if (sameTag !== undefined) {
    throw new PipelineError("USAGE", `${options.tag} is already in ${displayPath(file)} as ${sameTag.name}: ${options.layout.pullAgain(sameTag.name)}`);
  }
  if (entries.some((entry) => entry.name === name)) {
    throw new PipelineError("USAGE", `${displayPath(file)} already has an entry named "${name}": pass another --name`);
  }
  const { overlay, ...files } = options.layout.files(name, raw);
  const hasOverlay = await access(path.join(dir, overlay)).then(
    () => true,
    () => false,
  );
  const from = options.from === undefined ? undefined : resolveSource(options.from, process.cwd());
  const recordedFile = options.upstream === undefined && from?.kind === "file";
  const upstream =
    options.upstream ??
    (from === undefined ? PUBLISHED_SPEC_URL : from.kind === "url" ? from.given : posixRelative(dir, from.file));
  const added: JsonObject = {
    name,
    tag: options.tag,
    upstream,
    ...(files.extract === undefined ? {} : { extract: files.extract }),
    ...(files.provenance === undefined ? {} : { provenance: files.provenance }),
    ...(hasOverlay ? { overlay } : {}),
    spec: files.spec,
    types: files.types,
  };
  const updated = { ...raw, controllers: [...(Array.isArray(raw.controllers) ? raw.controllers : []), added] };
  const config = parseControllers(updated, file);
  const entry = config.entries.at(-1) as ControllerEntry;
  const outputs: FileOutput[] = [{ file, content: `${JSON.stringify(updated, null, 2)}\n` }];
  outputs.push(...(await pullEntries(config, [entry], { from: options.from })));
  const read = readWithPending(outputs);
  outputs.push({ file: entry.types, content: await generateTypes(config, entry, read, options.layout.typesHeader) });
  if (config.allPaths !== undefined) outputs.push({ file: config.allPaths, content: await renderAllPaths(config, config.allPaths, read) });
  return { entry, config, outputs, recordedFile };
}

async function readRaw(file: string, empty: JsonObject | undefined): Promise<JsonObject> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    if (empty !== undefined && errorCode(error) === "ENOENT") return empty;
    throw new PipelineError("CONFIG", `cannot read the data file ${displayPath(file)}: ${errorCode(error) ?? (error as Error).message}`, { cause: error });
  }
  if (!isJsonObject(raw)) throw new PipelineError("CONFIG", `invalid data file ${displayPath(file)}: expected an object`);
  return raw;
}

/** `to` relative to `from`, with `/` separators: how a data file records a path. */
function posixRelative(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join("/");
}
