import { CellsAuthError } from "../errors.js";

/**
 * Reads an environment variable where the runtime has `process.env` (Node, Bun, Deno's Node
 * compatibility), and nothing elsewhere (browsers, most edge runtimes). Empty means unset.
 * @param option the option that stands for the variable, named in the error
 * @throws {CellsAuthError} `invalid_config` when the runtime refuses to read it (Deno without
 *   `--allow-env` throws `NotCapable`). The runtime's error is not kept as `cause`: it is text from
 *   outside, and no secret is known yet to scrub it with.
 */
export function readEnv(name: string, option: string): string | undefined {
  let value: unknown;
  try {
    value = (globalThis as { process?: { env?: Record<string, unknown> } }).process?.env?.[name];
  } catch {
    throw new CellsAuthError("invalid_config", `${name} could not be read (no access to the environment; Deno: --allow-env=${name}): pass ${option}.`);
  }
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** {@link readEnv} for a hint: a variable the runtime will not give is taken as unset. */
export function peekEnv(name: string): string | undefined {
  try {
    return readEnv(name, name);
  } catch {
    return undefined;
  }
}
