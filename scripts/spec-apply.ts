import { readFile } from "node:fs/promises";
import { buildCorrectedSpec, uncorrectedNote } from "../packages/codegen/src/pipeline/build-spec.js";
import { parseOptions, reportWrites, runCli } from "../packages/codegen/src/pipeline/cli.js";
import { DEFAULT_CONFIG, loadControllers, selectEntries } from "../packages/codegen/src/pipeline/controllers.js";
import { displayPath } from "../packages/codegen/src/pipeline/display-path.js";
import { errorCode, PipelineError } from "../packages/codegen/src/pipeline/errors.js";
import { writeFilesAtomic, type FileOutput } from "../packages/codegen/src/pipeline/write-atomic.js";

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
    const extract = entry.extract;
    if (extract === undefined) throw new PipelineError("CONFIG", `${entry.name} has no extract to rebuild its spec from: npm run spec:pull -- --only ${entry.name} pulls it`);
    const extractText = await readFile(extract, "utf8").catch((error: unknown) => {
      const reason = errorCode(error) ?? (error as Error).message;
      throw new PipelineError("UNREADABLE", `cannot read the extract ${displayPath(extract)}: ${reason}`, { cause: error });
    });
    outputs.push({ file: entry.spec, content: await buildCorrectedSpec(entry, extractText) });
  }
  reportWrites(outputs, await writeFilesAtomic(outputs));
  for (const entry of entries) if (entry.overlay === undefined) process.stdout.write(`${uncorrectedNote(entry)}\n`);
  return 0;
});
