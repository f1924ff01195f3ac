import path from "node:path";
import { buildCorrectedSpec } from "./build-spec.js";
import { loadControllers, selectEntries } from "./controllers.js";
import { PipelineError } from "./errors.js";
import { extractTag } from "./extract-tag.js";
import { fetchDocument, resolveSource, sourceKey, type FetchedDocument } from "./fetch-document.js";
import { formatOpenApi } from "./format.js";
import { parseDocument } from "./parse-document.js";
import { renderProvenance } from "./provenance.js";
import { toOpenApi3, type OpenApi3Document } from "./to-openapi3.js";
import type { FileOutput } from "./write-atomic.js";

/** What `spec:pull` was asked to do. */
export interface PullOptions {
  /** The data file. */
  readonly config: string;
  /** Pull only the entry with this name; all entries when absent. */
  readonly only?: string | undefined;
  /** Upstream URL or file (relative to the working directory) instead of the entry's. */
  readonly from?: string | undefined;
  /** Tag to keep instead of the entry's. */
  readonly tag?: string | undefined;
  /** Where to write the corrected spec instead of the entry's `spec`. */
  readonly out?: string | undefined;
}

/**
 * Pulls every selected entry in memory: fetches each distinct upstream once, keeps the entry's
 * tag, applies its overlay and validates the result. Nothing is written.
 * @param options the command line
 * @returns extract, provenance and corrected spec of every selected entry
 * @throws {PipelineError} for the first failure; `USAGE` when `--from`, `--tag` or `--out` would apply to several entries
 */
export async function pullSpecs(options: PullOptions): Promise<FileOutput[]> {
  const config = await loadControllers(options.config);
  const entries = selectEntries(config, options.only);
  if (entries.length > 1 && (options.from ?? options.tag ?? options.out) !== undefined) {
    throw new PipelineError("USAGE", `--from, --tag and --out apply to one entry: add --only NAME (${entries.length} entries selected)`);
  }
  const upstreams = new Map<string, { fetched: FetchedDocument; openapi: OpenApi3Document }>();
  const outputs: FileOutput[] = [];
  for (const entry of entries) {
    const source = options.from === undefined ? resolveSource(entry.upstream, config.dir) : resolveSource(options.from, process.cwd());
    let upstream = upstreams.get(sourceKey(source));
    if (upstream === undefined) {
      const fetched = await fetchDocument(source);
      const openapi = await toOpenApi3(parseDocument(fetched.bytes, source.given), source.given);
      upstream = { fetched, openapi };
      upstreams.set(sourceKey(source), upstream);
    }
    const tag = options.tag ?? entry.tag;
    const extractText = await formatOpenApi(extractTag(upstream.openapi.document, tag, source.given));
    const specFile = options.out === undefined ? entry.spec : path.resolve(options.out);
    outputs.push(
      { file: entry.extract, content: extractText },
      { file: entry.provenance, content: await renderProvenance(entry, tag, upstream.fetched, upstream.openapi.sourceFormat) },
      { file: specFile, content: await buildCorrectedSpec(entry, extractText, specFile) },
    );
  }
  return outputs;
}
