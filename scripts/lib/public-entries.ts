import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadControllers } from "../../packages/codegen/src/pipeline/controllers.js";
import { PipelineError } from "../../packages/codegen/src/pipeline/errors.js";
import { isJsonObject, type JsonObject } from "../../packages/codegen/src/pipeline/json.js";

/**
 * One public entry of a package of the workspace: what a user imports, the declarations the build writes for it
 * (the API report reads them) and the source they come from (the reference docs read it).
 */
export interface PublicEntry {
  /** What users import: `aspose-cells-cloud-auth`, `aspose-cells-cloud-auth/testing`, ... */
  readonly specifier: string;
  /** Its key in `package.json` `exports`: `.`, `./testing`, `./generated/cells-status`. */
  readonly subpath: string;
  /** The built declaration file (absolute), from the `types` condition of the export. */
  readonly types: string;
  /** The source file the build turns into it (absolute), from the build's entry map. */
  readonly source: string;
  /** The name of the package that exports it (`package.json` `name`). */
  readonly packageName: string;
  /** The folder of the package that exports it (absolute): the root, or a workspace package's. */
  readonly packageRoot: string;
  /**
   * Its committed API report (absolute): `api-report/<subpath without ./, or index>.api.md` for the
   * root package, `api-report/<folder>/...` for a workspace package (`api-report/codegen/emulator.api.md`).
   */
  readonly report: string;
  /** True for the types generated from a spec (a `controllers.json` entry): their documentation is the spec. */
  readonly generated: boolean;
}

/** The API reports live here, one file per entry. */
export const REPORT_DIR = "api-report";

/** What the build (tsdown.config.ts) says it turns into `dist/`: entry name -> source file. */
export type BuildEntries = ReadonlyMap<string, string>;

/** What `publicEntries` needs, read from the repository by `loadPublicEntries`. */
export interface EntrySources {
  /** The package's folder (absolute): the repository, or a workspace package's. */
  readonly root: string;
  /** Where its API reports go (absolute). @default `<root>/api-report` */
  readonly reportDir?: string;
  /** The parsed package.json. */
  readonly manifest: JsonObject;
  /** The build's entries with their output folder. */
  readonly build: { readonly outDir: string; readonly entries: BuildEntries };
  /** Names of the `controllers.json` entries, each shipped as `./generated/<name>`; undefined without that file. */
  readonly controllers: readonly string[] | undefined;
}

const fail = (what: string): never => {
  throw new PipelineError("CONFIG", what);
};

/** The declaration file of an export: the first `types` condition, depth first (`import` before `require`). */
function typesTarget(value: unknown): string | undefined {
  if (typeof value === "string") return /\.d\.[cm]?ts$/.test(value) ? value : undefined;
  if (!isJsonObject(value)) return undefined;
  if (typeof value.types === "string") return value.types;
  for (const nested of Object.values(value)) {
    const found = typesTarget(nested);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** True for an export of data rather than code (`./package.json`): it has no API to report. */
function isData(value: unknown): boolean {
  return typeof value === "string" && value.endsWith(".json");
}

/** `./dist/generated/cells-status.d.ts` -> `generated/cells-status`, the build entry that writes it. */
function buildEntryName(types: string, outDir: string): string | undefined {
  const relative = path.posix.normalize(types).replace(/^\.\//, "");
  const prefix = `${outDir.replace(/^\.\//, "").replace(/\/$/, "")}/`;
  if (!relative.startsWith(prefix)) return undefined;
  return relative.slice(prefix.length).replace(/\.d\.[cm]?ts$/, "");
}

/**
 * Every public entry of the package, from `package.json` `exports`: each subpath with a `types`
 * condition is one entry, and a wildcard subpath (`./generated/*`) stands for every build entry
 * its pattern matches, which for `./generated/*` must be exactly the `controllers.json` entries.
 * Nothing is listed by hand, so a new export is an entry at once.
 * @throws {PipelineError} `CONFIG` naming the export that cannot be mapped (no types, no build entry)
 */
export function publicEntries(sources: EntrySources): PublicEntry[] {
  const { root, manifest, build, controllers } = sources;
  const reportDir = sources.reportDir ?? path.join(root, REPORT_DIR);
  const name = typeof manifest.name === "string" ? manifest.name : fail("package.json has no name");
  if (!isJsonObject(manifest.exports)) return fail('package.json has no "exports" map: the public entries are read from it');
  const entries: PublicEntry[] = [];
  const entry = (subpath: string, types: string, buildName: string, generated: boolean): PublicEntry => {
    const source = build.entries.get(buildName);
    if (source === undefined) {
      return fail(`package.json exports "${subpath}" declares ${types}, which no entry of the build (tsdown.config.ts) writes: add "${buildName}" to its entries`);
    }
    const reportName = subpath === "." ? "index" : subpath.slice(2);
    return {
      specifier: subpath === "." ? name : `${name}/${subpath.slice(2)}`,
      subpath,
      types: path.resolve(root, types),
      source: path.resolve(root, source),
      packageName: name,
      packageRoot: root,
      report: path.join(reportDir, `${reportName}.api.md`),
      generated,
    };
  };
  for (const [subpath, value] of Object.entries(manifest.exports)) {
    if (isData(value)) continue;
    const types = typesTarget(value) ?? fail(`package.json exports "${subpath}" has no "types" condition: every public entry ships its declarations`);
    const buildName = buildEntryName(types, build.outDir) ?? fail(`package.json exports "${subpath}" declares ${types}, outside the build's ${build.outDir}/`);
    if (!subpath.includes("*")) {
      entries.push(entry(subpath, types, buildName, false));
      continue;
    }
    const pattern = new RegExp(`^${buildName.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("([^/]+)")}$`);
    const matched = [...build.entries.keys()].flatMap((candidate) => pattern.exec(candidate)?.[1] ?? []).sort();
    if (subpath === "./generated/*") {
      const expected = [...(controllers ?? fail('package.json exports "./generated/*" but openapi/controllers.json is missing'))].sort();
      if (matched.join() !== expected.join()) {
        fail(`package.json exports "./generated/*" should be the controllers.json entries (${expected.join(", ")}), but the build writes ${matched.join(", ") || "none"}`);
      }
    }
    if (matched.length === 0) fail(`package.json exports "${subpath}" matches no entry of the build (tsdown.config.ts)`);
    for (const stem of matched) {
      entries.push(entry(subpath.replace("*", stem), types.replace("*", stem), buildName.replace("*", stem), subpath === "./generated/*"));
    }
  }
  if (entries.length === 0) fail('package.json "exports" has no entry with types');
  return entries;
}

/** The build's entries: every `entry` map of tsdown.config.ts that writes declarations (`dts`). */
async function loadBuild(root: string): Promise<EntrySources["build"]> {
  const module = (await import(pathToFileURL(path.join(root, "tsdown.config.ts")).href)) as { default: unknown };
  const configs = (Array.isArray(module.default) ? module.default : [module.default]) as Array<{ entry?: unknown; dts?: unknown; outDir?: unknown }>;
  const outDirs = new Set(configs.map((config) => (typeof config.outDir === "string" ? config.outDir : "dist")));
  if (outDirs.size !== 1) fail(`tsdown.config.ts writes to more than one folder (${[...outDirs].join(", ")})`);
  const entries = new Map<string, string>();
  for (const config of configs) {
    if (config.dts !== true || !isJsonObject(config.entry)) continue;
    for (const [key, source] of Object.entries(config.entry)) if (typeof source === "string") entries.set(key, source);
  }
  return { outDir: [...outDirs][0] as string, entries };
}

async function readManifest(root: string): Promise<JsonObject> {
  const manifest: unknown = JSON.parse(await readFile(path.join(root, "package.json"), "utf8"));
  return isJsonObject(manifest) ? manifest : fail(`${path.join(root, "package.json")} is not an object`);
}

/** The public entries of one package: its package.json, tsdown.config.ts and openapi/controllers.json. */
async function loadPackageEntries(root: string, reportDir: string): Promise<PublicEntry[]> {
  const manifest = await readManifest(root);
  const controllersFile = path.join(root, "openapi", "controllers.json");
  const controllers = await loadControllers(controllersFile).then(
    (config) => config.entries.map((entry) => entry.name),
    (error: unknown) => ((error as { cause?: { code?: string } }).cause?.code === "ENOENT" ? undefined : Promise.reject(error)),
  );
  return publicEntries({ root, reportDir, manifest, build: await loadBuild(root), controllers });
}

/**
 * The public entries of every package of the workspace (see `publicEntries`): the root package's,
 * then those of each folder its `workspaces` names (other than `.`, the root itself), whose reports
 * go under `api-report/<folder name>/`. Workspace packages marked `private` publish nothing and
 * have none.
 * @param root the repository (absolute); tsdown.config.ts resolves controllers.json against it
 */
export async function loadPublicEntries(root: string): Promise<PublicEntry[]> {
  const manifest = await readManifest(root);
  const entries = await loadPackageEntries(root, path.join(root, REPORT_DIR));
  const workspaces = Array.isArray(manifest.workspaces) ? manifest.workspaces : [];
  for (const workspace of workspaces) {
    if (typeof workspace !== "string" || workspace.includes("*")) fail(`package.json "workspaces" lists ${JSON.stringify(workspace)}: name each package's folder`);
    const dir = path.resolve(root, workspace as string);
    if (dir === path.resolve(root) || (await readManifest(dir)).private === true) continue;
    entries.push(...(await loadPackageEntries(dir, path.join(root, REPORT_DIR, path.basename(dir)))));
  }
  return entries;
}
