import { CompilerState, Extractor, ExtractorConfig, ExtractorLogLevel, type ExtractorMessage, type IExtractorMessagesConfig } from "@microsoft/api-extractor";
import { createTwoFilesPatch } from "diff";
import { access, mkdir, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { displayPath } from "../../packages/codegen/src/pipeline/display-path.js";
import { PipelineError } from "../../packages/codegen/src/pipeline/errors.js";
import { REPORT_DIR, type PublicEntry } from "./public-entries.js";

/** What happened to one entry's report. */
export interface ReportResult {
  readonly entry: PublicEntry;
  /** `same`: the build matches the committed report; `changed`/`missing`: it does not (check) or was written (update). */
  readonly status: "same" | "changed" | "missing";
  /** The unified diff from the committed report to the build's, for `changed`. */
  readonly diff?: string;
}

/** The outcome of a run: one result per entry, and the report files that belong to no entry. */
export interface ApiReportRun {
  readonly results: readonly ReportResult[];
  /** Committed reports of entries that no longer exist (deleted by `update`). */
  readonly orphans: readonly string[];
}

/**
 * What API Extractor reports besides the API itself. Documentation is TypeDoc's job (`npm run
 * docs`), the package uses no release tags, and declarations an entry uses without exporting are
 * written into its report (`includeForgottenExports`), so that the generated types behind
 * `createCellsClient()` show in the core's report too.
 */
const MESSAGES: IExtractorMessagesConfig = {
  extractorMessageReporting: {
    "ae-missing-release-tag": { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
    "ae-forgotten-export": { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
  },
  tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None, addToApiReportFile: false } },
};

/** The compiler options of the analysis: the built declarations as a consumer type-checks them. */
const COMPILER_OPTIONS = {
  target: "ES2022",
  lib: ["ES2022", "DOM", "DOM.Iterable"],
  module: "NodeNext",
  moduleResolution: "NodeNext",
  types: ["node"],
  strict: true,
  skipLibCheck: true,
};

function extractorConfig(root: string, entry: PublicEntry, all: readonly PublicEntry[], tempDir: string): ExtractorConfig {
  const relative = path.relative(path.join(root, REPORT_DIR), entry.report);
  return ExtractorConfig.prepare({
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: entry.types,
      compiler: { overrideTsconfig: { compilerOptions: COMPILER_OPTIONS, files: all.map((each) => each.types) } },
      apiReport: {
        enabled: true,
        reportFileName: path.basename(relative, ".api.md"),
        reportFolder: path.dirname(entry.report),
        reportTempFolder: path.join(tempDir, path.dirname(relative)),
        includeForgottenExports: true,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      newlineKind: "lf",
      messages: MESSAGES,
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: path.join(entry.packageRoot, "package.json"),
  });
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function reportFiles(dir: string): Promise<string[]> {
  const found = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return found.filter((name) => name.endsWith(".api.md")).map((name) => path.join(dir, name));
}

/**
 * Runs API Extractor over the built declarations of every entry in one process, with one
 * TypeScript program for all of them, and compares each report with the committed one
 * (`check`) or writes it (`update`).
 * @param root the repository (absolute)
 * @param entries the public entries (see `loadPublicEntries`)
 * @param mode `check` writes nothing under `api-report/`; `update` writes every changed report and deletes orphans
 * @throws {PipelineError} `CONFIG` when a declaration file is missing (not built), `TOOL_FAILED` on an analysis error
 */
export async function runApiReport(root: string, entries: readonly PublicEntry[], mode: "check" | "update"): Promise<ApiReportRun> {
  const missingBuild: string[] = [];
  for (const entry of entries) if (!(await exists(entry.types))) missingBuild.push(displayPath(entry.types, root));
  if (missingBuild.length > 0) throw new PipelineError("CONFIG", `not built: ${missingBuild.join(", ")} (run npm run build first)`);

  const tempDir = path.join(root, ".tmp", REPORT_DIR);
  await rm(tempDir, { recursive: true, force: true });
  const reportDir = path.join(root, REPORT_DIR);
  const expected = new Set(entries.map((entry) => entry.report));
  const orphans = (await reportFiles(reportDir)).filter((file) => !expected.has(file));

  const configs = entries.map((entry) => extractorConfig(root, entry, entries, tempDir));
  const compilerState = CompilerState.create(configs[0] as ExtractorConfig, { additionalEntryPoints: entries.map((entry) => entry.types) });
  const problems: string[] = [];
  const results: ReportResult[] = [];
  for (const [index, entry] of entries.entries()) {
    const config = configs[index] as ExtractorConfig;
    const committed = await readFile(entry.report, "utf8").catch(() => undefined);
    const temp = path.join(tempDir, path.relative(reportDir, entry.report));
    await mkdir(path.dirname(temp), { recursive: true });
    if (mode === "update") await mkdir(path.dirname(entry.report), { recursive: true });
    const messageCallback = (message: ExtractorMessage): void => {
      message.handled = true;
      // Report files written or compared: this module says what happened, with the diff.
      if (message.messageId.startsWith("console-api-report") || message.messageId === "console-preamble") return;
      if (message.logLevel === ExtractorLogLevel.Error || message.logLevel === ExtractorLogLevel.Warning) {
        problems.push(`${entry.specifier}: ${message.formatMessageWithLocation(root)}`);
      }
    };
    Extractor.invoke(config, { localBuild: mode === "update", compilerState, messageCallback });
    const built = await readFile(temp, "utf8");
    if (committed === built) {
      results.push({ entry, status: "same" });
    } else if (committed === undefined) {
      results.push({ entry, status: "missing" });
    } else {
      const name = displayPath(entry.report, root);
      results.push({ entry, status: "changed", diff: createTwoFilesPatch(`a/${name}`, `b/${name}`, committed, built, "committed", "built", { context: 3 }) });
    }
  }
  if (problems.length > 0) throw new PipelineError("TOOL_FAILED", `API Extractor reported:\n${problems.join("\n")}`);
  if (mode === "update") for (const orphan of orphans) await rm(orphan);
  return { results, orphans };
}
