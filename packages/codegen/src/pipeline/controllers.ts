import { readFile } from "node:fs/promises";
import path from "node:path";
import { displayPath } from "./display-path.js";
import { errorCode, PipelineError } from "./errors.js";
import { isJsonObject } from "./json.js";

/** Where the data file lives unless `--config` says otherwise. */
export const DEFAULT_CONFIG = "openapi/controllers.json";

/** One entry of the data file, with every path resolved against the data file's folder. */
export interface ControllerEntry {
  /** Short name, used by `--only` and in messages. */
  readonly name: string;
  /** The upstream tag whose operations are kept. */
  readonly tag: string;
  /** The upstream URL, or a file path relative to the data file, as written in the data file. */
  readonly upstream: string;
  /** The extract of the upstream document, before corrections; without one only the spec records it. */
  readonly extract: string | undefined;
  /** Where the upstream came from (JSON); optional. */
  readonly provenance: string | undefined;
  /** The OpenAPI Overlay 1.0 document with the corrections; without one the spec is the extract as published. */
  readonly overlay: string | undefined;
  /** The corrected spec. */
  readonly spec: string;
  /** The generated TypeScript types. */
  readonly types: string;
}

/** The data file, validated. */
export interface ControllerConfig {
  /** Absolute path of the data file. */
  readonly file: string;
  /** Its folder: `extract`, `provenance`, `overlay` and `spec` all live inside it. */
  readonly dir: string;
  /** The generated type that joins every entry's `paths` (what `createCellsClient()` is typed for by default), if the file names one. */
  readonly allPaths: string | undefined;
  readonly entries: readonly ControllerEntry[];
}

const PATH_FIELDS = ["extract", "provenance", "overlay", "spec", "types"] as const;
const OPTIONAL_FIELDS: ReadonlySet<string> = new Set(["overlay", "extract", "provenance"]);
const FIELDS = ["name", "tag", "upstream", ...PATH_FIELDS] as const;
const INSIDE_CONFIG_DIR = ["extract", "provenance", "overlay", "spec"] as const;
const OUTPUTS = ["extract", "provenance", "spec", "types"] as const;
const TOP_LEVEL_FIELDS = ["controllers", "allPaths"];

/**
 * Reads and validates the data file that lists the pulled controllers.
 * @param configPath path of the data file, relative to the working directory
 * @throws {PipelineError} `CONFIG` naming the file and the offending field
 */
export async function loadControllers(configPath: string): Promise<ControllerConfig> {
  const file = path.resolve(configPath);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    const reason = errorCode(error) ?? (error as Error).message;
    throw new PipelineError("CONFIG", `cannot read the data file ${displayPath(file)}: ${reason}`, { cause: error });
  }
  return parseControllers(raw, file);
}

/**
 * Validates the parsed data file.
 * @param raw the parsed JSON
 * @param file the data file's absolute path: its folder is what every path is relative to
 * @throws {PipelineError} `CONFIG` naming the file and the offending field
 */
export function parseControllers(raw: unknown, file: string): ControllerConfig {
  const dir = path.dirname(file);
  const fail = (what: string): never => {
    throw new PipelineError("CONFIG", `invalid data file ${displayPath(file)}: ${what}`);
  };
  if (!isJsonObject(raw) || !Array.isArray(raw.controllers) || raw.controllers.length === 0) {
    return fail('expected { "controllers": [ ... ] } with at least one entry');
  }
  const unknownTopLevel = Object.keys(raw).filter((key) => !TOP_LEVEL_FIELDS.includes(key) && !key.startsWith("$"));
  if (unknownTopLevel.length > 0) fail(`unknown field(s) ${unknownTopLevel.join(", ")}`);
  if (raw.allPaths !== undefined && (typeof raw.allPaths !== "string" || raw.allPaths.trim() === "")) fail("allPaths must be a non-empty string");
  const allPaths = typeof raw.allPaths === "string" ? path.resolve(dir, raw.allPaths) : undefined;
  const entries = raw.controllers.map((item: unknown, index): ControllerEntry => {
    const at = `controllers[${index}]`;
    if (!isJsonObject(item)) return fail(`${at} is not an object`);
    const unknown = Object.keys(item).filter((key) => !(FIELDS as readonly string[]).includes(key) && !key.startsWith("$"));
    if (unknown.length > 0) fail(`${at} has unknown field(s) ${unknown.join(", ")}`);
    const field = (key: (typeof FIELDS)[number]): string | undefined => {
      const value = item[key];
      if (value === undefined && OPTIONAL_FIELDS.has(key)) return undefined;
      return typeof value === "string" && value.trim() !== "" ? value : fail(`${at}.${key} must be a non-empty string`);
    };
    const required = (key: (typeof FIELDS)[number]): string => field(key) as string;
    const name = required("name");
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) fail(`${at}.name "${name}" must be lower-case letters, digits and dashes`);
    const resolved = Object.fromEntries(
      PATH_FIELDS.map((key) => {
        const value = field(key);
        return [key, value === undefined ? undefined : path.resolve(dir, value)];
      }),
    ) as Record<"spec" | "types", string> & Record<"overlay" | "extract" | "provenance", string | undefined>;
    for (const key of INSIDE_CONFIG_DIR) {
      const value = resolved[key];
      if (value === undefined) continue;
      const relative = path.relative(dir, value);
      if (relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) fail(`${at}.${key} must be inside ${displayPath(dir)}`);
    }
    return { name, tag: required("tag"), upstream: required("upstream"), ...resolved };
  });
  const seenNames = new Set<string>();
  const seenOutputs = new Map<string, string>(allPaths === undefined ? [] : [[allPaths, "allPaths"]]);
  for (const entry of entries) {
    if (seenNames.has(entry.name)) fail(`two entries are named "${entry.name}"`);
    seenNames.add(entry.name);
    for (const key of OUTPUTS) {
      const output = entry[key];
      if (output === undefined) continue;
      const owner = seenOutputs.get(output);
      if (owner !== undefined) fail(`"${entry.name}" and "${owner}" both write ${displayPath(output)}`);
      seenOutputs.set(output, entry.name);
    }
  }
  return { file, dir, allPaths, entries };
}

/**
 * The entries a command works on: all of them, or the one named by `--only`.
 * @param config the validated data file
 * @param only the entry's name, or undefined for all entries
 * @throws {PipelineError} `USAGE` when no entry has that name
 */
export function selectEntries(config: ControllerConfig, only: string | undefined): readonly ControllerEntry[] {
  if (only === undefined) return config.entries;
  const entry = config.entries.find((candidate) => candidate.name === only);
  if (entry === undefined) {
    const known = config.entries.map((candidate) => candidate.name).join(", ");
    throw new PipelineError("USAGE", `no entry named "${only}" in ${displayPath(config.file)} (entries: ${known})`);
  }
  return [entry];
}
