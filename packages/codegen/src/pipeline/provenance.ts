import { readFile } from "node:fs/promises";
import type { FetchedDocument } from "./fetch-document.js";
import { isJsonObject } from "./json.js";

/** What the provenance file records about a pull. */
interface Provenance {
  readonly controller: string;
  readonly tag: string;
  /** The URL or file path as given. */
  readonly source: string;
  /** Hex SHA-256 of the downloaded bytes. */
  readonly sha256: string;
  /** UTC date, YYYY-MM-DD. */
  readonly retrievedAt: string;
  /** "openapi 3.0.1", or "swagger 2.0 (converted by swagger2openapi 7.0.8)". */
  readonly sourceFormat: string;
}

/**
 * The provenance file's content for a pull. `retrievedAt` is today (UTC), except that the previous
 * date is kept when source and sha256 are unchanged, so that pulling an unchanged upstream twice
 * gives byte-identical files.
 * @param file the provenance file (its previous content is read)
 * @param controller the entry's name
 * @param tag the tag kept (the entry's, or `--tag`)
 * @param fetched the downloaded document
 * @param sourceFormat what the document was before any conversion
 */
export async function renderProvenance(
  file: string,
  controller: string,
  tag: string,
  fetched: FetchedDocument,
  sourceFormat: string,
): Promise<string> {
  const previous = await readPrevious(file);
  const unchanged = previous?.source === fetched.source.given && previous.sha256 === fetched.sha256;
  const provenance: Provenance = {
    controller,
    tag,
    source: fetched.source.given,
    sha256: fetched.sha256,
    retrievedAt: unchanged && typeof previous.retrievedAt === "string" ? previous.retrievedAt : new Date().toISOString().slice(0, 10),
    sourceFormat,
  };
  return `${JSON.stringify(provenance, null, 2)}\n`;
}

async function readPrevious(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(file, "utf8"));
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
