import { parseOptions, reportWrites, runCli } from "../packages/codegen/src/pipeline/cli.js";
import { DEFAULT_CONFIG, loadControllers, selectEntries } from "../packages/codegen/src/pipeline/controllers.js";
import { displayPath } from "../packages/codegen/src/pipeline/display-path.js";
import { PipelineError } from "../packages/codegen/src/pipeline/errors.js";
import { renderAllPaths } from "../packages/codegen/src/pipeline/all-paths.js";
import { generateTypes } from "../packages/codegen/src/pipeline/generate-types.js";
import { staleFiles, writeFilesAtomic, type FileOutput } from "../packages/codegen/src/pipeline/write-atomic.js";

const USAGE = `Usage: npm run generate -- [--check] [--only NAME] [--config FILE]

Generates TypeScript types with openapi-typescript from the corrected spec of every entry in
the data file (or only NAME) into the entry's types file, and the data file's allPaths module,
which joins every entry's paths (the default type of createCellsClient). Offline.

  --check                write nothing; exit 1 naming every types file that is stale
  --only NAME            generate only the entry named NAME
  --config FILE          the data file (default ${DEFAULT_CONFIG}); its paths are relative to it

Exit codes: 0 done (or up to date), 1 failure or stale, 2 usage error.
`;

runCli("generate", USAGE, async (args) => {
  const options = parseOptions(args, { check: { type: "boolean" }, only: { type: "string" }, config: { type: "string" } });
  const config = await loadControllers(options.config ?? DEFAULT_CONFIG);
  const outputs: FileOutput[] = [];
  for (const entry of selectEntries(config, options.only)) {
    outputs.push({ file: entry.types, content: await generateTypes(config, entry) });
  }
  if (config.allPaths !== undefined) outputs.push({ file: config.allPaths, content: await renderAllPaths(config, config.allPaths) });
  if (options.check === true) {
    const stale = await staleFiles(outputs);
    if (stale.length > 0) {
      const names = stale.map((file) => displayPath(file)).join(", ");
      throw new PipelineError("STALE", `stale: ${names} (run npm run generate)`);
    }
    process.stdout.write(`up to date: ${outputs.map(({ file }) => displayPath(file)).join(", ")}\n`);
    return 0;
  }
  reportWrites(outputs, await writeFilesAtomic(outputs));
  return 0;
});
