import { readFile } from "node:fs/promises";
import { openapiOverlay, type OpenAPIOverlayAction } from "openapi-format";
import { displayPath } from "./display-path.js";
import { errorCode, PipelineError } from "./errors.js";
import { isJsonObject, type JsonObject } from "./json.js";
import { parseDocumentText } from "./parse-document.js";

/** A validated OpenAPI Overlay 1.0 document. */
export interface Overlay {
  /** The overlay file, for messages. */
  readonly file: string;
  readonly document: JsonObject & { actions: OpenAPIOverlayAction[] };
}

/**
 * Reads an OpenAPI Overlay 1.0 document and checks its shape: `overlay: 1.0.x`, and actions that
 * each have a `$`-rooted target, an `update` or `remove: true`, and a description saying why.
 * @param file path of the overlay
 * @throws {PipelineError} `UNREADABLE`, `NOT_PARSEABLE`, `HOSTILE_DOCUMENT` or `OVERLAY_INVALID` naming the file and the action
 */
export async function loadOverlay(file: string): Promise<Overlay> {
  const shown = displayPath(file);
  const text = await readFile(file, "utf8").catch((error: unknown) => {
    throw new PipelineError("UNREADABLE", `cannot read the overlay ${shown}: ${errorCode(error) ?? (error as Error).message}`, {
      cause: error,
    });
  });
  const document = parseDocumentText(text, `the overlay ${shown}`);
  const invalid = (what: string): never => {
    throw new PipelineError("OVERLAY_INVALID", `invalid overlay ${shown}: ${what}`);
  };
  if (!isJsonObject(document) || typeof document.overlay !== "string" || !/^1\.0\.\d+$/.test(document.overlay)) {
    return invalid('expected an OpenAPI Overlay 1.0 document ("overlay: 1.0.0")');
  }
  const { actions } = document;
  if (!Array.isArray(actions) || actions.length === 0) return invalid("no actions");
  actions.forEach((action: unknown, index) => {
    const at = `action #${index + 1}`;
    if (!isJsonObject(action)) return invalid(`${at} is not an object`);
    if (typeof action.target !== "string" || !action.target.startsWith("$")) invalid(`${at} needs a target starting with $`);
    if (!("update" in action) && action.remove !== true) invalid(`${at} (${String(action.target)}) needs update or remove: true`);
    if (typeof action.description !== "string" || action.description.trim() === "") {
      invalid(`${at} (${String(action.target)}) needs a description saying why it exists`);
    }
  });
  return { file, document: { ...document, actions: actions as OpenAPIOverlayAction[] } };
}

/**
 * Applies an overlay to a copy of `document`.
 * @param document the OpenAPI document to correct (not modified)
 * @param overlay the corrections
 * @returns the corrected document
 * @throws {PipelineError} `OVERLAY_TARGET_MISSING` naming every target that matched nothing
 */
export async function applyOverlay(document: JsonObject, overlay: Overlay): Promise<JsonObject> {
  const { data, resultData } = await openapiOverlay(structuredClone(document), { overlaySet: structuredClone(overlay.document) });
  const unused = Array.isArray(resultData.unusedActions) ? (resultData.unusedActions as OpenAPIOverlayAction[]) : [];
  if (unused.length > 0) {
    const targets = [...new Set(unused.map((action) => action.target))].join(", ");
    throw new PipelineError("OVERLAY_TARGET_MISSING", `overlay target missing: ${targets} matched nothing (${displayPath(overlay.file)})`);
  }
  return data as JsonObject;
}
