import { applyOverlay, loadOverlay } from "./apply-overlay.js";
import type { ControllerEntry } from "./controllers.js";
import { displayPath } from "./display-path.js";
import { formatOpenApi } from "./format.js";
import { parseDocumentText } from "./parse-document.js";
import { validateOpenApi } from "./validate.js";

/**
 * The corrected spec for an entry: its overlay applied to the extract (the extract as it is when
 * the entry has no overlay), validated, formatted. `spec:pull` and `spec:apply` both build the
 * spec from the extract's text, so they agree byte for byte.
 * @param entry the controller (its `overlay` is read)
 * @param extractText the formatted upstream extract
 * @param specFile where the spec will be written, for messages
 * @throws {PipelineError} from loading or applying the overlay, or `INVALID_RESULT`
 */
export async function buildCorrectedSpec(entry: ControllerEntry, extractText: string, specFile: string = entry.spec): Promise<string> {
  const extract = parseDocumentText(extractText, displayPath(entry.extract ?? specFile));
  const corrected = entry.overlay === undefined ? extract : await applyOverlay(extract, await loadOverlay(entry.overlay));
  await validateOpenApi(corrected, `the corrected spec for ${entry.name} (${displayPath(specFile)})`);
  return formatOpenApi(corrected);
}

/** What a command prints for an entry without an overlay, so that nobody mistakes its spec for a corrected one. */
export function uncorrectedNote(entry: ControllerEntry): string {
  return `no overlay for ${entry.name}: ${displayPath(entry.spec)} is the upstream extract as published, no corrections applied`;
}
