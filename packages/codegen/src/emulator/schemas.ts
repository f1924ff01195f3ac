import { createRequire } from "node:module";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type formats from "ajv-formats";
import { isJsonObject, type JsonObject } from "../pipeline/json.js";

/** ajv-formats is CommonJS whose module.exports is the plugin (TypeScript sees only its `default`). */
const addFormats = createRequire(import.meta.url)("ajv-formats") as typeof formats.default;

/**
 * JSON Schema validation of OpenAPI 3.0 schemas with ajv: `nullable` understood, the OpenAPI formats
 * known (int32, int64, float, double, byte, binary, password, date-time, ...), other vocabulary
 * (`example`, `xml`, `discriminator`) ignored. Each spec is registered whole under its own id, so
 * that `#/components/...` references inside a schema resolve against the spec they come from.
 */
export class SchemaValidator {
  readonly #ajv: Ajv;
  readonly #cache = new WeakMap<object, ValidateFunction>();

  /** @param coerce convert strings to the schema's types first (query, path and header values arrive as text) */
  constructor(coerce: boolean) {
    this.#ajv = new Ajv({ strict: false, validateSchema: false, allErrors: false, logger: false, coerceTypes: coerce ? "array" : false });
    addFormats(this.#ajv);
  }

  /** Registers a spec under `id`. */
  addSpec(id: string, document: JsonObject): void {
    this.#ajv.addSchema(document, id);
  }

  /** Validates `value` (coercing it in place when asked) against `schema`, a schema from the spec `id`; returns the first error. */
  firstError(id: string, schema: JsonObject, value: unknown): ErrorObject | undefined {
    let validate = this.#cache.get(schema);
    if (validate === undefined) {
      validate = this.#ajv.compile(rebase(schema, id) as JsonObject);
      this.#cache.set(schema, validate);
    }
    return validate(value) ? undefined : (validate.errors?.[0] ?? undefined);
  }
}

/** A copy of `schema` whose local references point into the spec registered as `id`. */
export function rebase(schema: unknown, id: string): unknown {
  if (Array.isArray(schema)) return schema.map((item) => rebase(item, id));
  if (!isJsonObject(schema)) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, key === "$ref" && typeof value === "string" && value.startsWith("#") ? `${id}${value}` : rebase(value, id)]),
  );
}

/**
 * One line for an ajv error: `what` (with the field the error is about, if any) and what is wrong.
 * @param what the thing validated, like "the request body"
 * @param error the first error
 * @param skip leading path segments that are not part of the field's name (a wrapper's)
 */
export function describeError(what: string, error: ErrorObject, skip = 0): string {
  const field = error.instancePath.split("/").slice(1 + skip).join(".");
  const where = field === "" ? what : `${what} field ${field}`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `${where} is missing the required property "${String(params.missingProperty)}"`;
    case "enum":
      return `${where} must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(", ")}`;
    case "additionalProperties":
      return `${where} has the unknown property "${String(params.additionalProperty)}"`;
    default:
      return `${where} ${error.message ?? "is invalid"}`;
  }
}
