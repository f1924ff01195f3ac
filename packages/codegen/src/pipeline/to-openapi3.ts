import { createRequire } from "node:module";
import { convertObj } from "swagger2openapi";
import { PipelineError } from "./errors.js";
import { isJsonObject, type JsonObject } from "./json.js";

/** An OpenAPI 3.x document and what it was before. */
export interface OpenApi3Document {
  readonly document: JsonObject;
  /** "openapi 3.0.1", or "swagger 2.0 (converted by swagger2openapi 7.0.8)". */
  readonly sourceFormat: string;
}

const converterVersion = (createRequire(import.meta.url)("swagger2openapi/package.json") as { version: string }).version;

/**
 * Returns an OpenAPI 3.x document as is, and converts a Swagger 2.0 document with swagger2openapi.
 * @param document the parsed upstream document
 * @param label how to name the document in messages (its URL or path)
 * @throws {PipelineError} `NOT_OPENAPI` for anything else, `CONVERSION_FAILED` when conversion fails
 */
export async function toOpenApi3(document: JsonObject, label: string): Promise<OpenApi3Document> {
  if (typeof document.openapi === "string" && /^3\.\d+\.\d+/.test(document.openapi)) {
    return { document, sourceFormat: `openapi ${document.openapi}` };
  }
  // `swagger: 2.0` without quotes is the number 2 in YAML.
  const swagger = typeof document.swagger === "number" ? document.swagger.toFixed(1) : document.swagger;
  if (swagger !== "2.0") {
    const found = document.openapi ?? document.swagger;
    const what = found === undefined ? "no openapi or swagger field" : `version ${JSON.stringify(found)}`;
    throw new PipelineError("NOT_OPENAPI", `${label} is not an OpenAPI 3.x or Swagger 2.0 document (${what})`);
  }
  let converted: unknown;
  try {
    converted = (await convertObj({ ...document, swagger }, { patch: true })).openapi;
  } catch (error) {
    throw new PipelineError("CONVERSION_FAILED", `cannot convert the Swagger 2.0 document ${label}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!isJsonObject(converted)) {
    throw new PipelineError("CONVERSION_FAILED", `swagger2openapi returned no document for ${label}`);
  }
  return { document: converted, sourceFormat: `swagger 2.0 (converted by swagger2openapi ${converterVersion})` };
}
