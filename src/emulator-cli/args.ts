import { readOptions, UsageError, wholeNumber } from "../cli/args.js";

/** The command line of `aspose-cells-emulator`, checked. */
export interface EmulatorArgs {
  readonly help: boolean;
  readonly version: boolean;
  readonly verbose: boolean;
  readonly port: number | undefined;
  readonly tokenLifetimeSeconds: number | undefined;
  readonly basePath: string | undefined;
  /** Spec files to serve (`--spec FILE`, repeatable). */
  readonly specs: readonly string[];
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
  const { specs, rest } = takeSpecs(terminator === -1 ? argv : argv.slice(0, terminator));
  const { flag, text } = readOptions(rest, OPTIONS);
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
    specs,
    command,
  };
}

/** Takes every `--spec FILE` (or `--spec=FILE`) out of the options: the one option that may repeat. */
function takeSpecs(argv: readonly string[]): { specs: string[]; rest: string[] } {
  const specs: string[] = [];
  const rest: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] as string;
    if (argument.startsWith("--spec=")) specs.push(argument.slice("--spec=".length));
    else if (argument === "--spec") {
      const file = argv[index + 1];
      if (file === undefined || file.startsWith("-")) throw new UsageError("--spec needs a file (write --spec=FILE for one starting with \"-\").");
      specs.push(file);
      index += 1;
    } else rest.push(argument);
  }
  if (specs.includes("")) throw new UsageError("--spec must not be empty.");
  return { specs, rest };
}
