import { addController } from "./lib/add-controller.js";
import { uncorrectedNote } from "./lib/build-spec.js";
import { parseOptions, reportWrites, runCli } from "./lib/cli.js";
import { DEFAULT_CONFIG } from "./lib/controllers.js";
import { displayPath } from "./lib/display-path.js";
import { PipelineError } from "./lib/errors.js";
import { writeFilesAtomic } from "./lib/write-atomic.js";

const USAGE = `Usage: npm run controller:add -- --tag TAG [--name NAME] [--from URL_OR_FILE] [--upstream URL] [--config FILE]

Adds one controller of the published spec in one step: writes its entry in the data file, pulls
its tag (extract, provenance, corrected spec, validated), generates its types and the allPaths
module that types createCellsClient(). The entry gets an overlay only when
overlays/NAME.overlay.yaml exists; without one its spec is the extract as published. On any
failure nothing is written. The build and the package pick the controller up from the data file:
after npm run build it ships as aspose-cells-cloud-auth/generated/NAME.

  --tag TAG              the controller's tag in the published spec, e.g. CellsWorksheetsController
  --name NAME            the entry's name (default from the tag: CellsWorksheetsController
                         gives cells-worksheets)
  --from URL_OR_FILE     read the upstream document from here this time (a saved copy, a mirror)
  --upstream URL         the entry's upstream (default: the one every entry reads)
  --config FILE          the data file (default ${DEFAULT_CONFIG}); its paths are relative to it

Exit codes: 0 added, 1 pipeline failure (one line on stderr), 2 usage error.
`;

runCli("controller:add", USAGE, async (args) => {
  const options = parseOptions(args, {
    tag: { type: "string" },
    name: { type: "string" },
    from: { type: "string" },
    upstream: { type: "string" },
    config: { type: "string" },
  });
  if (options.tag === undefined || options.tag.trim() === "") throw new PipelineError("USAGE", "--tag TAG is required (the controller's tag in the published spec)");
  const { entry, outputs } = await addController({ ...options, tag: options.tag, config: options.config ?? DEFAULT_CONFIG });
  reportWrites(outputs, await writeFilesAtomic(outputs));
  if (entry.overlay === undefined) process.stdout.write(`${uncorrectedNote(entry)}\n`);
  process.stdout.write(
    `added ${entry.name} (${entry.tag}): import type { paths } from "aspose-cells-cloud-auth/generated/${entry.name}" after npm run build; ` +
      `createCellsClient() is typed for it already (${displayPath(entry.types)})\n`,
  );
  return 0;
});
