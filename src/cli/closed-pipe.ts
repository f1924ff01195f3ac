import type { Writable } from "node:stream";

/**
 * Lets a command end quietly when whoever reads its output stops first (`| head -c0`): the write
 * that finds the pipe closed (EPIPE) is dropped instead of crashing the process with a stack. Any
 * other failure of the stream is reported on `report` (one line) and fails the process.
 */
export function endQuietlyOnClosedPipe(stream: Writable, program: string, report: (line: string) => void): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") return;
    report(`${program}: cannot write its output (${error.code ?? error.name}).\n`);
    process.exitCode = 1;
  });
}
