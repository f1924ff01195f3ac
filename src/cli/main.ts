#!/usr/bin/env node
// The `aspose-cells-token` executable: wires the process to `run`. Ctrl-C (or SIGTERM) aborts the
// request; a second Ctrl-C ends the process at once.
import { endQuietlyOnClosedPipe } from "./closed-pipe.js";
import { run } from "./run.js";
import { PROGRAM } from "./usage.js";

// A reader that closes the pipe first (`| head -c0`) ends the command quietly, with its own exit code.
endQuietlyOnClosedPipe(process.stdout, PROGRAM, (line) => process.stderr.write(line));
endQuietlyOnClosedPipe(process.stderr, PROGRAM, () => undefined);

const controller = new AbortController();
const abort = (): void => controller.abort();
process.once("SIGINT", abort);
process.once("SIGTERM", abort);

run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // run() does not throw; this only guards against a bug in it (no secret is known here).
    process.stderr.write(`aspose-cells-token: internal_error: ${error instanceof Error ? error.name : typeof error}\n`);
    process.exitCode = 1;
  },
).finally(() => {
  process.off("SIGINT", abort);
  process.off("SIGTERM", abort);
});
