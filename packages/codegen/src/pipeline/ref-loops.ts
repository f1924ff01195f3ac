import { PipelineError } from "./errors.js";
import { isJsonObject, type JsonObject } from "./json.js";

/**
 * Refuses `$ref` loops: a chain of local references (through `$ref` and `allOf` members, which add
 * no property in between) that comes back to where it started, like `A: {$ref: B}` with
 * `B: {$ref: A}`. Such a schema describes no value, and the tools after this step (the validator,
 * openapi-typescript, a sampler) would recurse forever on it. A schema that refers to itself
 * through a property or array items (a tree) is fine.
 * @param document an OpenAPI 3.x document
 * @param label how to name the document in messages
 * @throws {PipelineError} `HOSTILE_DOCUMENT` naming the loop
 */
export function checkRefLoops(document: JsonObject, label: string): void {
  const done = new Set<string>();
  for (const start of localTargets(document)) {
    if (done.has(start)) continue;
    // Depth-first along "immediate" references, without recursion.
    const trail: string[] = [];
    const onTrail = new Set<string>();
    const stack: { ref: string; leaving: boolean }[] = [{ ref: start, leaving: false }];
    while (stack.length > 0) {
      const { ref, leaving } = stack.pop() as { ref: string; leaving: boolean };
      if (leaving) {
        trail.pop();
        onTrail.delete(ref);
        done.add(ref);
        continue;
      }
      if (onTrail.has(ref)) {
        const loop = [...trail.slice(trail.indexOf(ref)), ref].join(" -> ");
        throw new PipelineError("HOSTILE_DOCUMENT", `${label} has a $ref loop (${loop}): a schema that describes no value`);
      }
      if (done.has(ref)) continue;
      trail.push(ref);
      onTrail.add(ref);
      stack.push({ ref, leaving: true });
      for (const next of immediateRefs(resolve(document, ref))) stack.push({ ref: next, leaving: false });
    }
  }
}

/** Every local `$ref` target in the document. */
function localTargets(document: JsonObject): Set<string> {
  const found = new Set<string>();
  const stack: unknown[] = [document];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (isJsonObject(node)) {
      if (typeof node.$ref === "string" && node.$ref.startsWith("#/")) found.add(node.$ref);
      stack.push(...Object.values(node));
    }
  }
  return found;
}

/** The local references a node stands for without adding a property: its own `$ref` and those of its `allOf` members. */
function immediateRefs(node: unknown): string[] {
  if (!isJsonObject(node)) return [];
  const refs = typeof node.$ref === "string" && node.$ref.startsWith("#/") ? [node.$ref] : [];
  if (Array.isArray(node.allOf)) {
    for (const member of node.allOf) if (isJsonObject(member) && typeof member.$ref === "string" && member.$ref.startsWith("#/")) refs.push(member.$ref);
  }
  return refs;
}

/** The node a local reference points at (JSON pointer with `~0`, `~1` and percent escapes), or undefined. */
function resolve(document: JsonObject, ref: string): unknown {
  let node: unknown = document;
  for (const raw of ref.slice(2).split("/")) {
    let segment = raw;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      // Left as written; the validator reports a reference that resolves to nothing.
    }
    segment = segment.replaceAll("~1", "/").replaceAll("~0", "~");
    if (!isJsonObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
