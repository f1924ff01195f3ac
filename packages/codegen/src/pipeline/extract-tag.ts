import leven from "leven";
import { PipelineError } from "./errors.js";
import { isJsonObject, type JsonObject } from "./json.js";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
const COMPONENT_REF = /^#\/components\/([^/]+)\/([^/]+)/;

/**
 * Keeps the operations that carry `tag`, and exactly the components they reference, transitively:
 * through `$ref`s (schemas, parameters, responses, request bodies, headers, examples, ...),
 * discriminator mappings, and the security schemes named by operation or document-level `security`.
 * `tags` keeps only the entry for `tag`; `webhooks` are dropped. The input is not modified.
 * @param document an OpenAPI 3.x document
 * @param tag the tag to keep
 * @param label how to name the document in messages (its URL or path)
 * @throws {PipelineError} `TAG_NOT_FOUND` naming the closest tags present
 */
export function extractTag(document: JsonObject, tag: string, label: string): JsonObject {
  const { paths, components, tags, ...rest } = structuredClone(document);
  delete rest.webhooks;
  const keptPaths: JsonObject = {};
  const operations: JsonObject[] = [];
  for (const [route, item] of Object.entries(isJsonObject(paths) ? paths : {})) {
    if (!isJsonObject(item)) continue;
    const kept = METHODS.filter((method) => carriesTag(item[method], tag));
    if (kept.length === 0) continue;
    const pathItem = Object.fromEntries(
      Object.entries(item).filter(([key]) => !(METHODS as readonly string[]).includes(key) || kept.some((method) => method === key)),
    );
    keptPaths[route] = pathItem;
    operations.push(...kept.map((method) => pathItem[method] as JsonObject));
  }
  if (operations.length === 0) {
    const present = tagsPresent(paths, tags);
    const closest = closestTags(tag, present);
    const shown = closest.length === 0 ? "it has no tags" : `closest tags: ${closest.join(", ")} (${present.length} in all)`;
    throw new PipelineError("TAG_NOT_FOUND", `tag "${tag}" not found in ${label}; ${shown}`);
  }

  const available = isJsonObject(components) ? components : {};
  const wanted = new Map<string, Set<string>>();
  const want = (type: string, name: string): boolean => {
    const names = wanted.get(type) ?? new Set<string>();
    wanted.set(type, names);
    if (names.has(name)) return false;
    names.add(name);
    return true;
  };
  for (const requirement of [rest.security, ...operations.map((operation) => operation.security)]) {
    for (const name of schemeNames(requirement)) want("securitySchemes", name);
  }
  const queue: unknown[] = [keptPaths];
  while (queue.length > 0) {
    for (const ref of referencesIn(queue.pop())) {
      const match = COMPONENT_REF.exec(ref);
      if (match === null) continue;
      const type = decodePointer(match[1] ?? "");
      const name = decodePointer(match[2] ?? "");
      if (want(type, name)) queue.push(componentOf(available, type, name));
    }
  }

  const keptComponents: JsonObject = {};
  for (const [type, group] of Object.entries(available)) {
    const names = wanted.get(type);
    if (names === undefined || !isJsonObject(group)) continue;
    const keptGroup = Object.fromEntries(Object.entries(group).filter(([name]) => names.has(name)));
    if (Object.keys(keptGroup).length > 0) keptComponents[type] = keptGroup;
  }

  const result: JsonObject = { ...rest };
  if (Array.isArray(tags)) result.tags = tags.filter((entry) => isJsonObject(entry) && entry.name === tag);
  result.paths = keptPaths;
  if (Object.keys(keptComponents).length > 0) result.components = keptComponents;
  return result;
}

function carriesTag(operation: unknown, tag: string): boolean {
  return isJsonObject(operation) && Array.isArray(operation.tags) && operation.tags.includes(tag);
}

/** How many of the closest tags a TAG_NOT_FOUND message names. */
const CLOSEST_TAGS = 5;

/** The tags nearest to `tag` by edit distance (case-insensitive), nearest first, ties by name. */
function closestTags(tag: string, present: readonly string[]): string[] {
  const wanted = tag.toLowerCase();
  return present
    .map((name) => ({ name, distance: leven(wanted, name.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, CLOSEST_TAGS)
    .map(({ name }) => name);
}

function tagsPresent(paths: unknown, tags: unknown): string[] {
  const found = new Set<string>();
  for (const entry of Array.isArray(tags) ? tags : []) {
    if (isJsonObject(entry) && typeof entry.name === "string") found.add(entry.name);
  }
  for (const item of Object.values(isJsonObject(paths) ? paths : {})) {
    for (const method of METHODS) {
      const operation = isJsonObject(item) ? item[method] : undefined;
      const operationTags = isJsonObject(operation) && Array.isArray(operation.tags) ? operation.tags : [];
      for (const name of operationTags) if (typeof name === "string") found.add(name);
    }
  }
  return [...found].sort();
}

function schemeNames(requirements: unknown): string[] {
  return Array.isArray(requirements) ? requirements.flatMap((entry) => (isJsonObject(entry) ? Object.keys(entry) : [])) : [];
}

function componentOf(components: JsonObject, type: string, name: string): unknown {
  const group = components[type];
  return isJsonObject(group) ? group[name] : undefined;
}

/** Every local reference under `value`: `$ref` strings and discriminator mapping targets. */
function referencesIn(value: unknown): string[] {
  const refs: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!isJsonObject(node)) return;
    if (typeof node.$ref === "string") refs.push(node.$ref);
    const mapping = isJsonObject(node.discriminator) ? node.discriminator.mapping : undefined;
    for (const target of Object.values(isJsonObject(mapping) ? mapping : {})) {
      if (typeof target === "string") refs.push(target.startsWith("#") ? target : `#/components/schemas/${target}`);
    }
    Object.values(node).forEach(visit);
  };
  visit(value);
  return refs;
}

/** Decodes one JSON pointer segment of a URI fragment (`%7B`, `~1`, `~0`); a malformed escape stays as written. */
function decodePointer(segment: string): string {
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // Not percent-encoded after all: the validator reports the unresolvable reference later.
  }
  return decoded.replaceAll("~1", "/").replaceAll("~0", "~");
}
