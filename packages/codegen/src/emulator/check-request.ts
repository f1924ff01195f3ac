import { isJsonObject, type JsonObject } from "../pipeline/json.js";
import type { Operation } from "./operations.js";
import { describeError, type SchemaValidator } from "./schemas.js";

/** A request as the emulator read it. */
export interface SpecRequest {
  /** Upper or lower case. */
  readonly method: string;
  /** The path below the emulator's base path, as sent (percent-encoded). */
  readonly path: string;
  /** The query string's parameters. */
  readonly query: URLSearchParams;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The request body as sent; empty when there is none. */
  readonly body: Uint8Array;
}

/** Why a request is refused, and with which status (400, or 415 for a body of a type the operation does not take). */
export interface Violation {
  /** 400, or 415 for a body of a type the operation does not take. */
  readonly status: 400 | 415;
  /** What is wrong, naming the parameter or field; the emulator sends it in an Aspose-shaped error body. */
  readonly message: string;
}

/**
 * Checks a request against its operation: path, query and header parameters (present when
 * required, valid against their schema once converted from text), the body's media type, a
 * required body, and a JSON body against its schema (required fields, types, enums, ...).
 * @returns the first violation, or undefined for a valid request
 */
export function checkRequest(operation: Operation, raw: Readonly<Record<string, string>>, request: SpecRequest, params: SchemaValidator, bodies: SchemaValidator): Violation | undefined {
  for (const where of ["path", "query", "header"] as const) {
    const declared = operation.parameters.filter((parameter) => parameter.in === where);
    const values: Record<string, unknown> = {};
    for (const parameter of declared) {
      const value = valueOf(parameter.name, parameter.schema, where, raw, request);
      if (value === undefined) {
        if (parameter.required) return { status: 400, message: `the ${where} parameter "${parameter.name}" is required` };
        continue;
      }
      if (value === null) return { status: 400, message: `the path parameter "${parameter.name}" is not valid percent-encoding` };
      values[parameter.name] = value;
    }
    for (const parameter of declared) {
      if (!(parameter.name in values)) continue;
      const wrapper = { [parameter.name]: values[parameter.name] };
      const error = params.firstError(operation.specId, { type: "object", properties: { [parameter.name]: parameter.schema } }, wrapper);
      if (error !== undefined) return { status: 400, message: describeError(`the ${where} parameter ${parameter.name}`, error, 1) };
    }
  }
  return checkBody(operation, request, bodies);
}

/** A parameter's value: a string, a list for an array schema, undefined when absent, null when it cannot be decoded. */
function valueOf(name: string, schema: JsonObject, where: "path" | "query" | "header", raw: Readonly<Record<string, string>>, request: SpecRequest): unknown {
  if (where === "path") {
    const encoded = raw[name];
    if (encoded === undefined) return undefined;
    try {
      return decodeURIComponent(encoded);
    } catch {
      return null;
    }
  }
  if (where === "header") return request.headers[name.toLowerCase()];
  const all = request.query.getAll(name);
  if (all.length === 0) return undefined;
  return schema.type === "array" ? all.flatMap((value) => value.split(",")) : all[0];
}

function checkBody(operation: Operation, request: SpecRequest, bodies: SchemaValidator): Violation | undefined {
  const body = operation.requestBody;
  if (body === undefined) return undefined;
  if (request.body.byteLength === 0) return body.required === true ? { status: 400, message: "the request body is required" } : undefined;
  const content = isJsonObject(body.content) ? body.content : {};
  const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const mediaType = Object.keys(content).find((candidate) => mediaTypeMatches(candidate.toLowerCase(), type));
  if (mediaType === undefined) {
    return { status: 415, message: `the request body's content type "${type}" is not one the operation takes (${Object.keys(content).join(", ")})` };
  }
  const schema = isJsonObject(content[mediaType]) ? (content[mediaType] as JsonObject).schema : undefined;
  if (!isJsonMediaType(mediaType) || !isJsonObject(schema)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(request.body));
  } catch {
    return { status: 400, message: "the request body is not valid JSON" };
  }
  const error = bodies.firstError(operation.specId, schema, value);
  return error === undefined ? undefined : { status: 400, message: describeError("the request body", error) };
}

/** `application/json` for itself, `*\/*`, `application/*`; `application/merge-patch+json` for itself. */
function mediaTypeMatches(declared: string, sent: string): boolean {
  if (declared === sent || declared === "*/*") return true;
  return declared.endsWith("/*") && sent.startsWith(declared.slice(0, -1));
}

/** True for JSON media types (`application/json`, `...+json`). */
export function isJsonMediaType(mediaType: string): boolean {
  const type = mediaType.split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || type.endsWith("+json");
}
