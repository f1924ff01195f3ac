import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { Application, LogLevel, OptionDefaults, ReflectionKind, type DeclarationReflection, type ProjectReflection, type TypeDocOptions } from "typedoc";
import { PipelineError } from "../../packages/codegen/src/pipeline/errors.js";
import type { PublicEntry } from "./public-entries.js";

/** Where `npm run docs` writes the site (ignored by git; the release workflow publishes it). */
export const DOCS_DIR = "docs";

/** What a docs run found. */
export interface DocsRun {
  /** TypeDoc's warnings and errors after it read its options (every one fails the run), as it printed them. */
  readonly problems: readonly string[];
}

/**
 * Names a module after what users import (`aspose-cells-cloud-auth/testing`) rather than after
 * its file.
 */
function nameModules(project: ProjectReflection, entries: readonly PublicEntry[]): void {
  for (const module of project.getChildrenByKind(ReflectionKind.Module)) {
    const file = module.sources?.[0]?.fullFileName;
    const entry = entries.find((candidate) => path.resolve(candidate.source) === (file === undefined ? undefined : path.resolve(file)));
    if (entry === undefined) throw new PipelineError("TOOL_FAILED", `TypeDoc made a module "${module.name}" that is no public entry (${file ?? "no source"})`);
    module.name = entry.specifier;
  }
}

/**
 * The types generated from a spec (openapi-typescript) carry the spec's descriptions where it has
 * them and nothing elsewhere; they are never edited by hand, so their undocumented declarations
 * are exempt from TypeDoc's "every export documented" check. Returns their full names, as
 * TypeDoc's check looks them up: the kinds it requires to be documented, outside parameters.
 */
function undocumentedGenerated(project: ProjectReflection, generatedFiles: ReadonlySet<string>, required: readonly string[]): string[] {
  const kinds = required.reduce((all, kind) => all | (ReflectionKind[kind as keyof typeof ReflectionKind] as number), 0);
  const names = new Set<string>();
  for (const reflection of project.getReflectionsByKind(kinds) as DeclarationReflection[]) {
    const file = reflection.sources?.[0]?.fullFileName;
    if (file === undefined || !generatedFiles.has(path.resolve(file)) || reflection.hasComment()) continue;
    let parent = reflection.parent;
    while (parent !== undefined && !parent.kindOf(ReflectionKind.Parameter)) parent = parent.parent;
    if (parent === undefined) names.add(reflection.getFriendlyFullName());
  }
  return [...names];
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/**
 * Builds the reference docs of the public entries with TypeDoc, from their sources, in one
 * TypeScript program that holds only the entries and what they import. Every warning counts as a
 * failure: an undocumented export, a link that does not resolve, a type used but not exported.
 * @param root the repository (absolute): its tsconfig.json gives the compiler options, README.md the front page
 * @param entries the public entries (see `loadPublicEntries`)
 * @param options `out`: write the site there; without it, check only (no HTML written);
 *   `intentionallyNotExported`: names of types used by the API but deliberately not exported
 */
export async function buildDocs(root: string, entries: readonly PublicEntry[], options: { out?: string; intentionallyNotExported?: readonly string[] } = {}): Promise<DocsRun> {
  const readme = path.join(root, "README.md");
  const typedocOptions: TypeDocOptions = {
    entryPoints: entries.map((entry) => entry.source),
    tsconfig: path.join(root, "tsconfig.json"),
    readme: (await exists(readme)) ? readme : "none",
    // openapi-typescript writes the spec's descriptions as @description.
    blockTags: [...OptionDefaults.blockTags, "@description"],
    validation: { notExported: true, invalidLink: true, notDocumented: true },
    // Every package of the workspace that has an entry: TypeDoc checks only the first otherwise
    // (the one whose package.json it finds first), and would let aspose-cells-codegen's exports go
    // undocumented.
    packagesRequiringDocumentation: [...new Set(entries.map((entry) => entry.packageName))],
    intentionallyNotExported: [...(options.intentionallyNotExported ?? [])],
    treatWarningsAsErrors: true,
    // npm run typecheck type-checks the sources; TypeDoc only reads them.
    skipErrorChecking: true,
    excludePrivate: true,
    excludeInternal: true,
    githubPages: true,
    // Source links from package.json's repository, not from the git remote: a clone made from a
    // local path (CI's) has none TypeDoc knows, a warning. Without a repository, links are relative.
    disableGit: true,
    sourceLinkTemplate: await sourceLinkTemplate(root),
    logLevel: "Warn",
  };
  const app = await Application.bootstrapWithPlugins(typedocOptions);
  if (app.logger.hasErrors() || app.logger.hasWarnings()) throw new PipelineError("TOOL_FAILED", "TypeDoc refused its options (see above)");
  const problems: string[] = [];
  const print = app.logger.log.bind(app.logger);
  app.logger.log = (message: string, level: LogLevel): void => {
    if (level >= LogLevel.Warn) problems.push(message);
    print(message, level);
  };
  // The program holds the entries and what they import, not the whole repository of tsconfig.json.
  app.options.setCompilerOptions(
    entries.map((entry) => entry.source),
    app.options.getCompilerOptions(app.logger),
    undefined,
  );
  const project = await app.convert();
  if (project === undefined) throw new PipelineError("TOOL_FAILED", "TypeDoc could not convert the public entries (see above)");
  nameModules(project, entries);
  const generatedFiles = new Set(entries.filter((entry) => entry.generated).map((entry) => path.resolve(entry.source)));
  app.options.setValue("intentionallyNotDocumented", undocumentedGenerated(project, generatedFiles, app.options.getValue("requiredToBeDocumented")));
  app.validate(project);
  if (options.out !== undefined && problems.length === 0) await app.generateDocs(project, options.out);
  return { problems };
}

/** `{path}#L{line}` under package.json's GitHub repository on main, or relative when it names none. */
async function sourceLinkTemplate(root: string): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as { repository?: string | { url?: string } };
  const url = typeof manifest.repository === "string" ? manifest.repository : manifest.repository?.url;
  const github = url === undefined ? undefined : /github\.com[/:]([^/]+\/[^/.]+)/.exec(url)?.[1];
  return github === undefined ? "{path}#L{line}" : `https://github.com/${github}/blob/main/{path}#L{line}`;
}
