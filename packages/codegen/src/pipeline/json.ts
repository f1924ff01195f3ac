/** A parsed JSON or YAML mapping. */
export type JsonObject = Record<string, unknown>;

/** True for a plain mapping (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
