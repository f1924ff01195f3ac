import { readOptions, UsageError, wholeNumber } from "../cli/args.js";

/** The command line of `aspose-cells-emulator`, checked. */
export interface EmulatorArgs {
  readonly help: boolean;
  readonly version: boolean;
  readonly verbose: boolean;
  readonly port: number | undefined;
  readonly tokenLifetimeSeconds: number | undefined;
  readonly basePath: string | undefined;
  /** The command to run after `--` (program and arguments); empty to serve until stopped. */
  readonly command: readonly string[];
}

const OPTIONS = {
  port: { type: "string" },
  "token-lifetime": { type: "string" },
  "base-path": { type: "string" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const;

/** Ten years, the longest lifetime the token client takes as plausible. */
const MAX_LIFETIME_S = 10 * 365 * 24 * 3600;

/**
 * Parses `argv` (without node and the script): options, then optionally `--` and a command.
 * @throws {UsageError} naming the option
 */
export function parseEmulatorArgs(argv: readonly string[]): EmulatorArgs {
  const terminator = argv.indexOf("--");
  const command = terminator === -1 ? [] : argv.slice(terminator + 1);
  if (terminator !== -1 && command.length === 0) throw new UsageError("-- must be followed by the command to run.");
  const { flag, text } = readOptions(terminator === -1 ? argv : argv.slice(0, terminator), OPTIONS);
  const basePath = text("base-path");
  if (basePath !== undefined && (!basePath.startsWith("/") || /[?#\s]/.test(basePath))) {
    throw new UsageError('--base-path must start with "/" and have no query, fragment or spaces (use "/" for the root).');
  }
  return {
    help: flag("help"),
    version: flag("version"),
    verbose: flag("verbose"),
    port: wholeNumber(text("port"), "--port", "a TCP port (0 picks a free one)", 0, 65535),
    tokenLifetimeSeconds: wholeNumber(text("token-lifetime"), "--token-lifetime", "a whole number of seconds", 1, MAX_LIFETIME_S),
    basePath,
    command,
  };
}
