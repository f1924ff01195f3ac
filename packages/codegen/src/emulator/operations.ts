import { isJsonObject, type JsonObject } from "../pipeline/json.js";
import { compileRoute, METHODS, type Route } from "./routes.js";

/** A parameter of an operation, with its references resolved. */
export interface Parameter {
  readonly name: string;
  readonly in: "path" | "query" | "header" | "cookie";
  readonly required: boolean;
  readonly schema: JsonObject;
}

/** One operation of a served spec. */
export interface Operation {
  /** Lower case. */
  readonly method: string;
  readonly route: Route;
  /** The id the spec is registered under for validation and sampling. */
  readonly specId: string;
  readonly document: JsonObject;
  readonly parameters: readonly Parameter[];
  /** The request body with its reference resolved, if the operation takes one. */
  readonly requestBody: JsonObject | undefined;
  /** The operation's `responses`. */
  readonly responses: JsonObject;
}

/** Every operation of an OpenAPI 3 document; path-level parameters are merged into each operation's. */
export function operationsOf(document: JsonObject, specId: string): Operation[] {
  const operations: Operation[] = [];
  const paths = isJsonObject(document.paths) ? document.paths : {};
  for (const [template, rawItem] of Object.entries(paths)) {
    const item = deref(document, rawItem);
    if (!isJsonObject(item)) continue;
    const route = compileRoute(template);
    const shared = parametersOf(document, item.parameters);
    for (const method of METHODS) {
      const operation = item[method];
      if (!isJsonObject(operation)) continue;
      const own = parametersOf(document, operation.parameters);
      const merged = [...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own];
      const requestBody = deref(document, operation.requestBody);
      operations.push({
        method,
        route,
        specId,
        document,
        parameters: merged,
        requestBody: isJsonObject(requestBody) ? requestBody : undefined,
        responses: isJsonObject(operation.responses) ? operation.responses : {},
      });
    }
  }
  return operations;
}

function parametersOf(document: JsonObject, list: unknown): Parameter[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw): Parameter[] => {
    const parameter = deref(document, raw);
    if (!isJsonObject(parameter) || typeof parameter.name !== "string") return [];
    const where = parameter.in;
    if (where !== "path" && where !== "query" && where !== "header" && where !== "cookie") return [];
    const content = isJsonObject(parameter.content) ? Object.values(parameter.content)[0] : undefined;
    const schema = isJsonObject(parameter.schema) ? parameter.schema : isJsonObject(content) && isJsonObject(content.schema) ? content.schema : {};
    return [{ name: parameter.name, in: where, required: where === "path" || parameter.required === true, schema }];
  });
}

/** Follows local `$ref`s (a chain of them) to the object they name; anything else is returned as is. */
export function deref(document: JsonObject, value: unknown): unknown {
  let node = value;
  for (let hops = 0; hops < 64 && isJsonObject(node) && typeof node.$ref === "string" && node.$ref.startsWith("#/"); hops++) {
    node = pointer(document, node.$ref);
  }
  return node;
}

function pointer(document: JsonObject, ref: string): unknown {
  let node: unknown = document;
  for (const raw of ref.slice(2).split("/")) {
    let segment = raw;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      // Left as written.
    }
    segment = segment.replaceAll("~1", "/").replaceAll("~0", "~");
    node = isJsonObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return node;
}
