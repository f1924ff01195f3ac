import { readFile } from "node:fs/promises";
import { buildCorrectedSpec, uncorrectedNote } from "./lib/build-spec.js";
import { parseOptions, reportWrites, runCli } from "./lib/cli.js";
import { DEFAULT_CONFIG, loadControllers, selectEntries } from "./lib/controllers.js";
import { displayPath } from "./lib/display-path.js";
import { errorCode, PipelineError } from "./lib/errors.js";
import { writeFilesAtomic, type FileOutput } from "./lib/write-atomic.js";

const USAGE = `Usage: npm run spec:apply -- [--only NAME] [--config FILE]

Rebuilds the corrected spec of every entry in the data file (or only NAME) from the committed
upstream extract, without fetching: applies the entry's overlay (if it has one), validates the result and
writes the spec. Extract and provenance are left as they are. On any failure nothing is written.

  --only NAME            rebuild only the entry named NAME
  --config FILE          the data file (default ${DEFAULT_CONFIG}); its paths are relative to it

Exit codes: 0 done, 1 pipeline failure (one line on stderr), 2 usage error.
`;

runCli("spec:apply", USAGE, async (args) => {
  const options = parseOptions(args, { only: { type: "string" }, config: { type: "string" } });
  const config = await loadControllers(options.config ?? DEFAULT_CONFIG);
  const outputs: FileOutput[] = [];
  const entries = selectEntries(config, options.only);
  for (const entry of entries) {
    const extractText = await readFile(entry.extract, "utf8").catch((error: unknown) => {
      const reason = errorCode(error) ?? (error as Error).message;
      throw new PipelineError("UNREADABLE", `cannot read the extract ${displayPath(entry.extract)}: ${reason}`, { cause: error });
    });
    outputs.push({ file: entry.spec, content: await buildCorrectedSpec(entry, extractText) });
  }
  reportWrites(outputs, await writeFilesAtomic(outputs));
  for (const entry of entries) if (entry.overlay === undefined) process.stdout.write(`${uncorrectedNote(entry)}\n`);
  return 0;
});
