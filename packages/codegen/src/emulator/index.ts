/**
 * `aspose-cells-codegen/emulator`: what `startTokenServer({ specs })` of aspose-cells-cloud-auth/testing
 * loads to serve the operations of OpenAPI specs (the ones `aspose-cells-codegen add` writes):
 * routing, request validation (ajv) and answers (examples, or openapi-sampler). The emulator keeps
 * the auth rules, faults and clock; this module only knows the specs.
 * @module
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { errorCode, isPipelineError } from "../pipeline/errors.js";
import { parseDocument } from "../pipeline/parse-document.js";
import { checkRefLoops } from "../pipeline/ref-loops.js";
import { toOpenApi3 } from "../pipeline/to-openapi3.js";
import { answer, type SpecAnswer } from "./answer.js";
import { checkRequest, type SpecRequest, type Violation } from "./check-request.js";
import { operationsOf, type Operation } from "./operations.js";
import { byLiteralness, matchRoute } from "./routes.js";
import { SchemaValidator } from "./schemas.js";

export type { SpecAnswer, SpecRequest, Violation };

/** What a request's method and path find among the served operations. */
export type SpecMatch =
  | {
      /** No served path matches. */
      readonly kind: "none";
    }
  | {
      /** The path exists, not with this method. */
      readonly kind: "method";
      /** The methods the path takes, in upper case. */
      readonly allowed: readonly string[];
    }
  | {
      /** An operation matches. */
      readonly kind: "operation";
      /** Its method, in upper case. */
      readonly method: string;
      /** Its path template as the spec writes it (`/cells/{name}/worksheets`). */
      readonly pathTemplate: string;
      /** Checks and answers requests for it. */
      readonly handle: SpecOperation;
    };

/** A matched operation: check the request, then answer it. */
export interface SpecOperation {
  /** The first thing wrong with the request, or undefined. */
  check(request: SpecRequest): Violation | undefined;
  /** The success answer from the spec's examples or schemas. */
  answer(request: SpecRequest): SpecAnswer;
}

/** The operations of every loaded spec. */
export interface SpecBackend {
  /** Every operation, as "METHOD /path/template" with the method in upper case. */
  readonly operations: readonly string[];
  /** Finds the operation for a method and a path below the base path (percent-encoded, as sent). */
  match(method: string, path: string): SpecMatch;
}

/**
 * Loads OpenAPI 3.x (or Swagger 2.0, converted) specs for serving.
 * @param files the spec files
 * @throws {TypeError} naming the file and what is wrong with it (unreadable, not OpenAPI, hostile,
 *   or an operation defined by two specs)
 */
export async function loadSpecs(files: readonly string[]): Promise<SpecBackend> {
  const params = new SchemaValidator(true);
  const bodies = new SchemaValidator(false);
  const operations: Operation[] = [];
  for (const [index, file] of files.entries()) {
    const label = path.basename(file);
    let document;
    try {
      const bytes = await readFile(file).catch((error: unknown) => {
        throw new TypeError(`cannot read the spec ${file}: ${errorCode(error) ?? (error as Error).message}`, { cause: error });
      });
      document = (await toOpenApi3(parseDocument(bytes, label), label)).document;
      checkRefLoops(document, label);
    } catch (error) {
      if (isPipelineError(error)) throw new TypeError(`cannot serve the spec ${file}: ${error.message}`, { cause: error });
      throw error;
    }
    const specId = `spec-${index}`;
    params.addSpec(specId, document);
    bodies.addSpec(specId, document);
    for (const operation of operationsOf(document, specId)) {
      const twin = operations.find((other) => other.method === operation.method && other.route.template === operation.route.template);
      if (twin !== undefined) {
        throw new TypeError(`cannot serve ${operation.method.toUpperCase()} ${operation.route.template} twice: ${file} and ${files[Number(twin.specId.slice(5))]} both define it`);
      }
      operations.push(operation);
    }
  }
  const routes = [...new Map(operations.map((operation) => [operation.route.template, operation.route])).values()].sort(byLiteralness);
  return {
    operations: operations.map((operation) => `${operation.method.toUpperCase()} ${operation.route.template}`),
    match(method, requestPath) {
      for (const route of routes) {
        const raw = matchRoute(route, requestPath);
        if (raw === undefined) continue;
        const here = operations.filter((operation) => operation.route === route);
        const operation = here.find((candidate) => candidate.method === method.toLowerCase());
        if (operation === undefined) return { kind: "method", allowed: here.map((candidate) => candidate.method.toUpperCase()) };
        return {
          kind: "operation",
          method: operation.method.toUpperCase(),
          pathTemplate: route.template,
          handle: {
            check: (request) => checkRequest(operation, raw, request, params, bodies),
            answer: (request) => answer(operation, request),
          },
        };
      }
      return { kind: "none" };
    },
  };
}
