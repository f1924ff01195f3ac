import path from "node:path";
import { buildCorrectedSpec } from "./build-spec.js";
import { loadControllers, selectEntries, type ControllerConfig, type ControllerEntry } from "./controllers.js";
import { PipelineError } from "./errors.js";
import { extractTag } from "./extract-tag.js";
import { fetchDocument, resolveSource, sourceKey, type DocumentSource, type FetchedDocument } from "./fetch-document.js";
import { formatOpenApi } from "./format.js";
import { isStackOverflow, parseDocument, tooDeep } from "./parse-document.js";
import { checkRefLoops } from "./ref-loops.js";
import { renderProvenance } from "./provenance.js";
import { toOpenApi3, type OpenApi3Document } from "./to-openapi3.js";
import type { FileOutput } from "./write-atomic.js";

/** What to pull instead of what the entries say. */
export interface PullOverrides {
  /** Upstream URL or file (relative to the working directory) instead of the entries' upstream document. */
  readonly from?: string | undefined;
  /** Tag to keep instead of the entry's (one entry only). */
  readonly tag?: string | undefined;
  /** Where to write the corrected spec instead of the entry's `spec` (one entry only). */
  readonly out?: string | undefined;
}

/** What `spec:pull` was asked to do. */
export interface PullOptions extends PullOverrides {
  /** The data file. */
  readonly config: string;
  /** Pull only the entry with this name; all entries when absent. */
  readonly only?: string | undefined;
}

/**
 * Pulls every selected entry of the data file in memory; see {@link pullEntries}.
 * @param options the command line
 * @returns extract, provenance and corrected spec of every selected entry
 */
export async function pullSpecs(options: PullOptions): Promise<FileOutput[]> {
  const config = await loadControllers(options.config);
  return pullEntries(config, selectEntries(config, options.only), options);
}

/**
 * Pulls entries in memory: fetches each distinct upstream once, keeps each entry's tag, applies
 * its overlay (if it has one) and validates the result. Nothing is written.
 * @param config the data file the entries belong to
 * @param entries the entries to pull
 * @param overrides `from` stands in for the one upstream document the entries read
 * @returns extract, provenance and corrected spec of every entry, in order
 * @throws {PipelineError} for the first failure; `USAGE` when `tag` or `out` would apply to several
 *   entries, or `from` to entries that read different upstream documents
 */
export async function pullEntries(config: ControllerConfig, entries: readonly ControllerEntry[], overrides: PullOverrides): Promise<FileOutput[]> {
  if (entries.length > 1 && (overrides.tag ?? overrides.out) !== undefined) {
    throw new PipelineError("USAGE", `--tag and --out apply to one entry: add --only NAME (${entries.length} entries selected)`);
  }
  const from = overrides.from === undefined ? undefined : resolveSource(overrides.from, process.cwd());
  if (from !== undefined) checkOneUpstream(config, entries);
  const upstreams = new Map<string, { fetched: FetchedDocument; openapi: OpenApi3Document }>();
  const outputs: FileOutput[] = [];
  for (const entry of entries) {
    const source = from ?? resolveSource(entry.upstream, config.dir);
    let upstream = upstreams.get(sourceKey(source));
    if (upstream === undefined) {
      const fetched = await fetchDocument(source);
      const openapi = await guardDepth(source.given, async () => toOpenApi3(parseDocument(fetched.bytes, source.given), source.given));
      upstream = { fetched, openapi };
      upstreams.set(sourceKey(source), upstream);
    }
    const { fetched, openapi } = upstream;
    const tag = overrides.tag ?? entry.tag;
    const extract = extractTag(openapi.document, tag, source.given);
    checkRefLoops(extract, source.given);
    const extractText = await guardDepth(source.given, () => formatOpenApi(extract));
    const specFile = overrides.out === undefined ? entry.spec : path.resolve(overrides.out);
    if (entry.extract !== undefined) outputs.push({ file: entry.extract, content: extractText });
    if (entry.provenance !== undefined) {
      outputs.push({ file: entry.provenance, content: await renderProvenance(entry.provenance, entry.name, tag, fetched, openapi.sourceFormat) });
    }
    outputs.push({ file: specFile, content: await guardDepth(source.given, () => buildCorrectedSpec(entry, extractText, specFile)) });
  }
  return outputs;
}

/** Runs `work` on a document, turning a stack overflow (a document too deep for a library) into one line. */
async function guardDepth<T>(label: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isStackOverflow(error)) throw tooDeep(label, error);
    throw error;
  }
}

/** `--from` stands in for one upstream document: refuses entries that read different ones. */
function checkOneUpstream(config: ControllerConfig, entries: readonly ControllerEntry[]): void {
  const sources = new Map<string, DocumentSource>();
  for (const entry of entries) {
    const source = resolveSource(entry.upstream, config.dir);
    sources.set(sourceKey(source), source);
  }
  if (sources.size > 1) {
    const given = [...sources.values()].map((source) => source.given).join(", ");
    throw new PipelineError("USAGE", `--from stands in for one upstream document, and the selected entries read ${sources.size} (${given}): add --only NAME`);
  }
}
