import { uncorrectedNote } from "../packages/codegen/src/pipeline/build-spec.js";
import { parseOptions, reportWrites, runCli } from "../packages/codegen/src/pipeline/cli.js";
import { DEFAULT_CONFIG, loadControllers, selectEntries } from "../packages/codegen/src/pipeline/controllers.js";
import { pullEntries } from "../packages/codegen/src/pipeline/pull.js";
import { writeFilesAtomic } from "../packages/codegen/src/pipeline/write-atomic.js";

const USAGE = `Usage: npm run spec:pull -- [--only NAME] [--from URL_OR_FILE] [--tag TAG] [--out FILE] [--config FILE]

Pulls the upstream document of every entry in the data file (or only NAME), keeps the entry's
tag and the components it references, writes that extract, applies the entry's overlay (an
entry without one keeps the extract as published), validates the result and writes the
corrected spec and the provenance. On any failure nothing is written.

  --only NAME            pull only the entry named NAME
  --from URL_OR_FILE     upstream URL or local file instead of the upstream document the
                         selected entries read (all of them must read the same one)
  --tag TAG              tag to keep instead of the entry's (one entry only)
  --out FILE             where to write the corrected spec instead of the entry's (one entry only)
  --config FILE          the data file (default ${DEFAULT_CONFIG}); its paths are relative to it

Exit codes: 0 done, 1 pipeline failure (one line on stderr), 2 usage error.
`;

runCli("spec:pull", USAGE, async (args) => {
  const options = parseOptions(args, {
    only: { type: "string" },
    from: { type: "string" },
    tag: { type: "string" },
    out: { type: "string" },
    config: { type: "string" },
  });
  const config = await loadControllers(options.config ?? DEFAULT_CONFIG);
  const entries = selectEntries(config, options.only);
  const outputs = await pullEntries(config, entries, options);
  reportWrites(outputs, await writeFilesAtomic(outputs));
  for (const entry of entries) if (entry.overlay === undefined) process.stdout.write(`${uncorrectedNote(entry)}\n`);
  return 0;
});
