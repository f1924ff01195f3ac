// Catching the pipeline's typed errors, so tests assert on their stable code.
import { isPipelineError, type PipelineError } from "../packages/codegen/src/pipeline/errors.js";

/** The PipelineError `action` throws; fails the test when it throws nothing or something else. */
export function thrown(action: () => unknown): PipelineError {
  try {
    action();
  } catch (error) {
    if (isPipelineError(error)) return error;
    throw error;
  }
  throw new Error("expected a PipelineError, nothing was thrown");
}
