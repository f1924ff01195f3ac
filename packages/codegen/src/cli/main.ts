#!/usr/bin/env node
// The `aspose-cells-codegen` executable: `add` and `generate`, run in a user's project.
import { readFileSync } from "node:fs";
import { reportFailure } from "../pipeline/cli.js";
import { runAdd, runGenerate } from "./commands.js";
import { PROGRAM } from "./project.js";
import { USAGE } from "./usage.js";

const COMMANDS: Readonly<Record<string, (args: readonly string[]) => Promise<number>>> = { add: runAdd, generate: runGenerate };

/** The version in this package's package.json (one folder up from dist/, two from src/cli/). */
function version(): string {
  for (const relative of ["../package.json", "../../package.json"]) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (manifest.name === PROGRAM && manifest.version !== undefined) return manifest.version;
    } catch {
      // Not this one.
    }
  }
  return "unknown";
}

const [command, ...args] = process.argv.slice(2);
if (command === undefined || command === "--help" || command === "-h" || args.includes("--help") || args.includes("-h")) {
  (command === undefined ? process.stderr : process.stdout).write(USAGE);
  process.exitCode = command === undefined ? 2 : 0;
} else if (command === "--version" || command === "-V") {
  process.stdout.write(`${version()}\n`);
} else {
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (run === undefined) {
    process.stderr.write(`${PROGRAM}: unknown command (commands: ${Object.keys(COMMANDS).join(", ")}; see --help)\n`);
    process.exitCode = 2;
  } else {
    run(args).then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        process.exitCode = reportFailure(`${PROGRAM} ${command}`, error);
      },
    );
  }
}
