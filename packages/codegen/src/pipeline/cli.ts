import { parseArgs } from "node:util";
import { displayPath } from "./display-path.js";
import { isPipelineError, PipelineError } from "./errors.js";
import type { FileOutput } from "./write-atomic.js";

type OptionSpec = Record<string, { type: "string" } | { type: "boolean" }>;
type OptionValues<O extends OptionSpec> = {
  [K in keyof O]?: O[K] extends { type: "string" } ? string : boolean;
};

/**
 * Parses `--name value` options strictly (no positionals). Run by `npm run SCRIPT --name value`
 * (without `--`), npm keeps the options for itself and sets `npm_config_name` instead: that is
 * reported as such, not as a missing option or a stray argument.
 * @param args the arguments after the script name
 * @param options the accepted options
 * @param env the environment, where npm leaves what it took
 * @throws {PipelineError} `USAGE` for an unknown option, a missing value, a positional argument, or options npm took
 */
export function parseOptions<const O extends OptionSpec>(args: readonly string[], options: O, env: NodeJS.ProcessEnv = process.env): OptionValues<O> {
  const script = env.npm_lifecycle_event;
  if (script !== undefined) {
    const taken = Object.keys(options).filter((name) => env[`npm_config_${name.replaceAll("-", "_")}`] !== undefined && !args.includes(`--${name}`));
    if (taken.length > 0) {
      const flags = taken.map((name) => `--${name}`).join(", ");
      throw new PipelineError("USAGE", `npm took ${flags} as its own option${taken.length > 1 ? "s" : ""}: put -- before the script's options (npm run ${script} -- ${taken.map((name) => `--${name} ...`).join(" ")})`);
    }
  }
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values as OptionValues<O>;
  } catch (error) {
    throw new PipelineError("USAGE", (error as Error).message, { cause: error });
  }
}

/**
 * Parses a subcommand's arguments: `--name value` options and exactly `count` positional arguments.
 * @param args the arguments after the subcommand
 * @param options the accepted options
 * @param names how the help names each positional argument, in order
 * @throws {PipelineError} `USAGE` for an unknown option, a missing value, or a positional too many or missing
 */
export function parseCommandLine<const O extends OptionSpec>(
  args: readonly string[],
  options: O,
  names: readonly string[],
): { values: OptionValues<O>; positionals: string[] } {
  let parsed: { values: unknown; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new PipelineError("USAGE", (error as Error).message, { cause: error });
  }
  const { positionals } = parsed;
  if (positionals.length < names.length) throw new PipelineError("USAGE", `${names[positionals.length]} is required`);
  if (positionals.length > names.length) throw new PipelineError("USAGE", `unexpected argument "${positionals[names.length]}"`);
  return { values: parsed.values as OptionValues<O>, positionals };
}

/**
 * A required option's value.
 * @param value what was given
 * @param name the option, without dashes
 * @param placeholder how the help names its value
 * @param what what the value is, for the message
 * @throws {PipelineError} `USAGE` when it is missing or blank
 */
export function requireOption(value: string | undefined, name: string, placeholder: string, what: string): string {
  if (value === undefined || value.trim() === "") throw new PipelineError("USAGE", `--${name} ${placeholder} is required (${what})`);
  return value;
}

/**
 * Prints a failure on stderr: one line for an expected failure, the stack for a bug.
 * @param command the npm script name, prefixed to the line
 * @param error what was thrown
 * @returns the exit code: 2 for usage errors, 1 otherwise
 */
export function reportFailure(command: string, error: unknown): number {
  if (isPipelineError(error)) {
    const hint = error.code === "USAGE" ? " (see --help)" : "";
    process.stderr.write(`${command}: ${error.message}${hint}\n`);
    return error.code === "USAGE" ? 2 : 1;
  }
  process.stderr.write(`${command}: unexpected error\n${error instanceof Error ? error.stack : String(error)}\n`);
  return 1;
}

/**
 * Runs a script's main function and sets the exit code: what `main` returns, or what
 * {@link reportFailure} says. `--help` prints `usage` and exits 0.
 * @param command the npm script name, for messages
 * @param usage the help text
 * @param main the script, given the command-line arguments
 */
export function runCli(command: string, usage: string, main: (args: readonly string[]) => Promise<number>): void {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(usage);
    return;
  }
  main(args).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.exitCode = reportFailure(command, error);
    },
  );
}

/**
 * Prints "wrote FILE" or "unchanged FILE" for every output, on stdout.
 * @param outputs what was computed
 * @param written the files that changed
 */
export function reportWrites(outputs: readonly FileOutput[], written: readonly string[]): void {
  for (const { file } of outputs) {
    process.stdout.write(`${written.includes(file) ? "wrote" : "unchanged"} ${displayPath(file)}\n`);
  }
}
