import { applyOverlay, loadOverlay } from "./apply-overlay.js";
import type { ControllerEntry } from "./controllers.js";
import { displayPath } from "./display-path.js";
import { formatOpenApi } from "./format.js";
import { parseDocumentText } from "./parse-document.js";
import { validateOpenApi } from "./validate.js";

/**
 * The corrected spec for an entry: its overlay applied to the extract, validated, formatted.
 * `spec:pull` and `spec:apply` both build the spec from the extract's text, so they agree byte for byte.
 * @param entry the controller (its `overlay` is read)
 * @param extractText the formatted upstream extract
 * @param specFile where the spec will be written, for messages
 * @throws {PipelineError} from loading or applying the overlay, or `INVALID_RESULT`
 */
export async function buildCorrectedSpec(entry: ControllerEntry, extractText: string, specFile: string = entry.spec): Promise<string> {
  const overlay = await loadOverlay(entry.overlay);
  const extract = parseDocumentText(extractText, displayPath(entry.extract));
  const corrected = await applyOverlay(extract, overlay);
  await validateOpenApi(corrected, `the corrected spec for ${entry.name} (${displayPath(specFile)})`);
  return formatOpenApi(corrected);
}
