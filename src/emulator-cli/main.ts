#!/usr/bin/env node
// The `aspose-cells-emulator` executable: wires the process to `runEmulator`. Ctrl-C or SIGTERM
// stops the emulator (and is passed on to a COMMAND); a second one ends the process at once.
// Started through npm (`npx`, `npm exec`, `npm run`), it also stops, as on SIGTERM, when the shell
// npm started it in ends: npm runs a bin as `sh -c <bin>` and passes SIGTERM to that shell only,
// which dies of it without passing it on, so `npx aspose-cells-emulator & ... kill $!` would
// otherwise leave the emulator serving, adopted by init.
import { endQuietlyOnClosedPipe } from "../cli/closed-pipe.js";
import { watchParent } from "./parent-watch.js";
import { runEmulator } from "./run.js";

// A reader that stops first (`| head -3`) leaves the emulator serving, quietly.
endQuietlyOnClosedPipe(process.stdout, "aspose-cells-emulator", (line) => process.stderr.write(line));
endQuietlyOnClosedPipe(process.stderr, "aspose-cells-emulator", () => undefined);

const controller = new AbortController();
const stop = (signal: NodeJS.Signals): void => {
  if (controller.signal.aborted) process.exit(128 + (signal === "SIGINT" ? 2 : 15));
  controller.abort(signal);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
const unwatch = process.env["npm_command"] === undefined ? () => undefined : watchParent(() => controller.signal.aborted || controller.abort("SIGTERM"));

runEmulator(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`aspose-cells-emulator: internal_error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
).finally(() => {
  unwatch();
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
});
