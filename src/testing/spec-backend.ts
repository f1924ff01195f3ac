// The contract between the emulator and `aspose-cells-codegen/emulator`, which serves the
// operations of OpenAPI specs (routing, request validation, sampled answers). That package is an
// optional peer: it is loaded only when `startTokenServer({ specs })` is used, so installing
// aspose-cells-cloud-auth alone brings no validation or sampling library. The types below mirror
// what that module exports (test/spec-backend-contract.test.ts type-checks the two against each other).

/** A request as the emulator read it, for the spec backend. */
export interface SpecRequest {
  readonly method: string;
  /** The path below the base path, as sent (percent-encoded). */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Uint8Array;
}

/** What is wrong with a request, and its status. */
export interface Violation {
  readonly status: 400 | 415;
  readonly message: string;
}

/** An answer built from the spec. */
export interface SpecAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array;
}

/** What a method and a path find among the served operations. */
export type SpecMatch =
  | { readonly kind: "none" }
  | { readonly kind: "method"; readonly allowed: readonly string[] }
  | {
      readonly kind: "operation";
      readonly method: string;
      readonly pathTemplate: string;
      readonly handle: { check(request: SpecRequest): Violation | undefined; answer(request: SpecRequest): SpecAnswer };
    };

/** The loaded specs. */
export interface SpecBackend {
  /** "METHOD /path/template" for every operation. */
  readonly operations: readonly string[];
  match(method: string, path: string): SpecMatch;
}

/** The module `aspose-cells-codegen/emulator`. */
export interface SpecBackendModule {
  loadSpecs(files: readonly string[]): Promise<SpecBackend>;
}

/** The package that serves specs; a variable, so that bundlers leave the import to run time. */
const SPEC_MODULE: string = "aspose-cells-codegen/emulator";

/**
 * Loads the spec backend and the specs.
 * @throws {TypeError} when aspose-cells-codegen is not installed (with the command that installs
 *   it), or naming the spec that cannot be served
 */
export async function loadSpecBackend(files: readonly string[]): Promise<SpecBackend> {
  let module: SpecBackendModule;
  try {
    module = (await import(SPEC_MODULE)) as SpecBackendModule;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String((error as Error).message).includes("aspose-cells-codegen")) {
      throw new TypeError(
        "options.specs needs the package aspose-cells-codegen, which serves OpenAPI specs (validation and sampling); install it: npm install --save-dev aspose-cells-codegen",
        { cause: error },
      );
    }
    throw error;
  }
  return module.loadSpecs(files);
}
