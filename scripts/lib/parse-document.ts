import { parse as parseYaml } from "yaml";
import { PipelineError } from "./errors.js";
import { isJsonObject, type JsonObject } from "./json.js";

/**
 * Parses a downloaded document as JSON, or else as YAML.
 * @param bytes the document as downloaded
 * @param label how to name the document in messages (its URL or path)
 * @throws {PipelineError} `NOT_PARSEABLE` when it is neither, or is a bare scalar or list
 */
export function parseDocument(bytes: Uint8Array, label: string): JsonObject {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw new PipelineError("NOT_PARSEABLE", `${label} is not JSON or YAML (not UTF-8 text)`, { cause: error });
  }
  return parseDocumentText(text, label);
}

/**
 * Parses a document's text as JSON, or else as YAML.
 * @param text the document
 * @param label how to name the document in messages (its URL or path)
 * @throws {PipelineError} `NOT_PARSEABLE` when it is neither, or is a bare scalar or list
 */
export function parseDocumentText(text: string, label: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    try {
      value = parseYaml(text);
    } catch (error) {
      const reason = (error as Error).message.split("\n")[0]?.replace(/:$/, "");
      throw new PipelineError("NOT_PARSEABLE", `${label} is not JSON or YAML (${reason})`, { cause: error });
    }
  }
  if (!isJsonObject(value)) {
    const kind = value === null ? "nothing" : Array.isArray(value) ? "a list" : `a bare ${typeof value}`;
    throw new PipelineError("NOT_PARSEABLE", `${label} is not JSON or YAML (it parses to ${kind})`);
  }
  return value;
}
