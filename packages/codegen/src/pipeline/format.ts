import { getDefaultSortSet, openapiSort } from "openapi-format";
import { stringify } from "yaml";
import type { JsonObject } from "./json.js";

/** Component groups whose entries are sorted by name. */
const SORTED_COMPONENTS = [
  "schemas",
  "responses",
  "parameters",
  "examples",
  "requestBodies",
  "headers",
  "securitySchemes",
  "links",
  "callbacks",
];

/**
 * Deterministic YAML for an OpenAPI document: openapi-format's default key order, paths and
 * components sorted by name, then `yaml` with fixed options (2-space indent, no line folding, no
 * anchors), so the same document always gives the same bytes.
 * @param document the document to format (not modified)
 */
export async function formatOpenApi(document: JsonObject): Promise<string> {
  const sortSet = { ...(await getDefaultSortSet()), sortPathsBy: "path" as const };
  const { data } = await openapiSort(document, { sortSet, sortComponentsSet: SORTED_COMPONENTS });
  return stringify(data, {
    indent: 2,
    lineWidth: 0,
    aliasDuplicateObjects: false,
    defaultStringType: "PLAIN",
    defaultKeyType: "PLAIN",
    singleQuote: false,
    version: "1.2",
  });
}
