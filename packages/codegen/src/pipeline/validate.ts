import { validate } from "oas-validator";
import { PipelineError } from "./errors.js";
import type { JsonObject } from "./json.js";

/**
 * Validates an OpenAPI 3.0.x document in-process with oas-validator (offline, stops at the first error).
 * @param document the document to check (not modified)
 * @param label how to name the document in messages
 * @throws {PipelineError} `INVALID_RESULT` with the validator's first message and where it points
 */
export async function validateOpenApi(document: JsonObject, label: string): Promise<void> {
  const options: { context?: string[] } = {};
  try {
    await validate(structuredClone(document), options);
  } catch (error) {
    const where = options.context?.at(-1);
    const message = `${label} is invalid: ${(error as Error).message}${where === undefined ? "" : ` (at ${where})`}`;
    throw new PipelineError("INVALID_RESULT", message, { cause: error });
  }
}
