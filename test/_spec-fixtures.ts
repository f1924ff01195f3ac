// The upstream fixtures, and variants derived from them so that each change is visible in one place.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { fixturesDir } from "./_spec-workspace.js";

export const SWAGGER2 = "upstream-swagger2.json";
export const OPENAPI3 = "upstream-openapi3.yaml";

/** A fixture's text. */
export function readFixture(name: string): Promise<string> {
  return readFile(path.join(fixturesDir, name), "utf8");
}

/** The OpenAPI 3.0 fixture with the token path renamed, as an upstream rename would do. */
export async function renamedTokenPath(): Promise<string> {
  const text = await readFixture(OPENAPI3);
  return text.replace("  /cells/connect/token:\n", "  /cells/connect/access-token:\n");
}

/** The OpenAPI 3.0 fixture with a changed summary on PostAccessToken. */
export async function changedSummary(): Promise<string> {
  const text = await readFixture(OPENAPI3);
  return text.replace("summary: Get Access Token Result", "summary: Get an access token");
}

/** Parses a YAML (or JSON) file's text into a plain object. */
export function parseYamlObject(text: string): Record<string, unknown> {
  return parse(text) as Record<string, unknown>;
}

/** The names in each components group, sorted: what a document's components hold, for exact comparison. */
export function componentKeys(document: Record<string, unknown>): Record<string, string[]> {
  const components = (document.components ?? {}) as Record<string, Record<string, unknown>>;
  return Object.fromEntries(Object.entries(components).map(([type, group]) => [type, Object.keys(group).sort()]));
}

/** "METHOD path operationId" for every operation, sorted. */
export function operationsOf(document: Record<string, unknown>): string[] {
  const paths = (document.paths ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(paths)
    .flatMap(([route, item]) =>
      Object.entries(item)
        .filter(([method]) => ["get", "put", "post", "delete", "options", "head", "patch", "trace"].includes(method))
        .map(([method, operation]) => `${method.toUpperCase()} ${route} ${(operation as { operationId?: string }).operationId}`),
    )
    .sort();
}

/** What extracting each fixture tag must keep, once the document is OpenAPI 3 (swagger2openapi inlines body parameters and headers). */
export const EXPECTED = {
  CellsAuthorityController: {
    operations: ["POST /cells/connect/token PostAccessToken"],
    components: { securitySchemes: ["JWT"] },
  },
  CellsStatusController: {
    operations: ["GET /cells GetAsposeCellsCloudStatus", "GET /cells/status/check CheckCloudServiceHealth"],
    components: {
      schemas: ["CellsError", "ComponentStatus", "ErrorDetails", "HealthStatus"],
      parameters: ["Detail"],
      responses: ["Unauthorized"],
      headers: ["WWWAuthenticate"],
      securitySchemes: ["JWT"],
    },
  },
  CellsWorkbookController: {
    operations: ["GET /cells/{name}/workbook GetWorkbook", "PUT /cells/{name}/workbook PutWorkbook"],
    components: {
      schemas: ["CellsCloudResponse", "CellsError", "ErrorDetails", "Link", "Workbook", "WorkbookResponse"],
      parameters: ["Folder", "Name", "StorageName"],
      requestBodies: ["WorkbookBody"],
      responses: ["Unauthorized"],
      headers: ["WWWAuthenticate"],
      securitySchemes: ["JWT", "StorageKey"],
    },
  },
} as const;

/** Groups that swagger2openapi inlines: Swagger 2.0 has no headers or requestBodies sections. */
const INLINED_FROM_SWAGGER2 = new Set(["headers", "requestBodies"]);

/** The components extracting `tag` from `fixture` must keep, group by group. */
export function expectedComponents(tag: keyof typeof EXPECTED, fixture: string): Record<string, string[]> {
  const groups: Record<string, readonly string[]> = EXPECTED[tag].components;
  return Object.fromEntries(
    Object.entries(groups)
      .filter(([type]) => fixture !== SWAGGER2 || !INLINED_FROM_SWAGGER2.has(type))
      .map(([type, names]) => [type, [...names]]),
  );
}
