import { parseArgs, type ParseArgsConfig } from "node:util";
import { ENV } from "../defaults.js";

/** How the token is printed. */
export type OutputMode = "token" | "json" | "header";

/** The command line, checked. Values never include the client secret. */
export interface CliArgs {
  readonly help: boolean;
  readonly version: boolean;
  readonly verbose: boolean;
  readonly output: OutputMode;
  readonly clientId: string | undefined;
  readonly clientSecretStdin: boolean;
  readonly baseUrl: string | undefined;
  readonly timeoutMs: number | undefined;
  readonly retries: number | undefined;
}

/** A bad command line (exit 2). Its message never repeats an argument's value: that value may be a secret. */
export class UsageError extends Error {
  override readonly name = "UsageError" as const;
  readonly code = "usage" as const;
}

const OPTIONS = {
  "client-id": { type: "string" },
  "client-secret-stdin": { type: "boolean" },
  "base-url": { type: "string" },
  timeout: { type: "string" },
  retries: { type: "string" },
  json: { type: "boolean" },
  header: { type: "boolean" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const;

export const SECRET_REFUSAL =
  "The client secret is never accepted on the command line, because other users of this machine can read " +
  `process arguments (ps, /proc). Pipe it in with --client-secret-stdin, or set ${ENV.clientSecret}.`;

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Parses `argv` (without node and the script). Every message names options only, never a value:
 * a value may be a pasted secret (see {@link readOptions}).
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const { tokens } = parseArgs({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  // Checked before anything else, so "--client-secret VALUE" is refused as such, not as a stray positional.
  if (tokens.some((token) => token.kind === "option" && isSecretOption(token.name))) throw new UsageError(SECRET_REFUSAL);
  const { flag, text } = readOptions(argv, OPTIONS);
  if (flag("json") && flag("header")) throw new UsageError("--json and --header cannot be combined.");
  return {
    help: flag("help"),
    version: flag("version"),
    verbose: flag("verbose"),
    output: flag("json") ? "json" : flag("header") ? "header" : "token",
    clientId: text("client-id"),
    clientSecretStdin: flag("client-secret-stdin"),
    baseUrl: text("base-url"),
    timeoutMs: wholeNumber(text("timeout"), "--timeout", "a whole number of milliseconds", 1, MAX_TIMER_MS),
    retries: wholeNumber(text("retries"), "--retries", "a whole number of retries", 0, 100),
  };
}

/** Option descriptions, as `parseArgs` takes them. */
type OptionSpecs = Readonly<Record<string, { readonly type: "string" | "boolean"; readonly short?: string }>>;

/** Checked option values: `flag` for a boolean option, `text` for a string option (never empty). */
export interface OptionValues<N extends string> {
  flag(name: N): boolean;
  text(name: N): string | undefined;
}

/**
 * Reads `argv` against `options`: no positional arguments, no unknown or repeated option, a value
 * for every string option and none for a boolean one. Strictness is enforced here rather than by
 * `parseArgs({ strict: true })`, whose messages quote the offending argument: that argument may be
 * a pasted secret, so these messages only ever name options.
 * @throws {UsageError} naming the option or the argument's position
 */
export function readOptions<O extends OptionSpecs>(argv: readonly string[], options: O): OptionValues<keyof O & string> {
  const { tokens } = parseArgs({ args: [...argv], options: options as ParseArgsConfig["options"], strict: false, allowPositionals: true, tokens: true });
  const values = new Map<string, string | true>();
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      throw new UsageError(`Unexpected argument #${token.index + 1}: this command takes no positional arguments (values are not shown here).`);
    }
    const spec = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (spec === undefined) {
      // Never repeated, however short: a secret typed as --<secret> would land on stderr (and in logs).
      throw new UsageError(`Unknown option in argument #${token.index + 1} (not shown here: it may be a pasted secret).`);
    }
    const name = token.name;
    if (values.has(name)) throw new UsageError(`--${name} is given more than once.`);
    if (spec.type === "boolean") {
      if (token.value !== undefined) throw new UsageError(`--${name} does not take a value.`);
      values.set(name, true);
    } else {
      // parseArgs (non-strict) takes the next argument even when it is another option: refuse that.
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith("-"))) {
        throw new UsageError(`--${name} needs a value (write --${name}=VALUE for one starting with "-").`);
      }
      values.set(name, token.value);
    }
  }
  return {
    flag: (name) => values.get(name) === true,
    text: (name) => {
      const value = values.get(name);
      if (typeof value !== "string") return undefined;
      if (value === "") throw new UsageError(`--${name} must not be empty.`);
      return value;
    },
  };
}

/** --client-secret, --client_secret, --clientSecret, --secret, ... */
function isSecretOption(name: string): boolean {
  const squashed = name.toLowerCase().replace(/[-_]/g, "");
  return squashed === "clientsecret" || squashed === "secret";
}

/** A whole number option from `min` to `max`, or undefined when not given; a UsageError names the option, never the value. */
export function wholeNumber(value: string | undefined, option: string, what: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  if (!(number >= min && number <= max)) throw new UsageError(`${option} must be ${what} from ${min} to ${max}.`);
  return number;
}
