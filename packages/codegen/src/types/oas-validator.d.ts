declare module "oas-validator" {
  /** The subset of oas-validator's options that the spec pipeline uses. */
  interface ValidateOptions {
    /** Set by the validator: JSON pointers leading to the first error, innermost last. */
    context?: string[];
  }
  /** Resolves when `openapi` is a valid OpenAPI 3.0.x document; rejects with the first error. */
  export function validate(openapi: Record<string, unknown>, options: ValidateOptions): Promise<ValidateOptions>;
}
