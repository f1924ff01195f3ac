declare module "swagger2openapi" {
  /** The subset of swagger2openapi's options and result that the spec pipeline uses. */
  interface ConvertOptions {
    /** Fix up small errors in the source instead of failing. */
    patch?: boolean;
    /** Set on the result: the converted OpenAPI 3 document. */
    openapi?: Record<string, unknown>;
  }
  /** Converts a Swagger 2.0 object to OpenAPI 3.0. */
  export function convertObj(swagger: Record<string, unknown>, options: ConvertOptions): Promise<ConvertOptions>;
}
