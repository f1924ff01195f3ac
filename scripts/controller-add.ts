import { addController, REPOSITORY_LAYOUT } from "../packages/codegen/src/pipeline/add-controller.js";
import { uncorrectedNote } from "../packages/codegen/src/pipeline/build-spec.js";
import { parseOptions, reportWrites, requireOption, runCli } from "../packages/codegen/src/pipeline/cli.js";
import { DEFAULT_CONFIG } from "../packages/codegen/src/pipeline/controllers.js";
import { displayPath } from "../packages/codegen/src/pipeline/display-path.js";
import { validateWhenJava } from "../packages/codegen/src/pipeline/openapi-generator.js";
import { PUBLISHED_SPEC_URL } from "../packages/codegen/src/pipeline/published-spec.js";
import { writeFilesAtomic } from "../packages/codegen/src/pipeline/write-atomic.js";

const USAGE = `Usage: npm run controller:add -- --tag TAG [--name NAME] [--from URL_OR_FILE] [--upstream URL] [--config FILE]

Adds one controller of the published spec in one step: writes its entry in the data file, pulls
its tag (extract, provenance, corrected spec, validated, with OpenAPI Generator too when java is
on the PATH), generates its types and the allPaths module that types createCellsClient(). The
entry gets an overlay only when overlays/NAME.overlay.yaml exists; without one its spec is the
extract as published. On any failure nothing is written. The build and the package pick the
controller up from the data file: after npm run build it ships as
aspose-cells-cloud-auth/generated/NAME. (The same pipeline runs in users' projects as
aspose-cells-codegen add.)

  --tag TAG              the controller's tag in the published spec, e.g. CellsWorksheetsController
  --name NAME            the entry's name (default from the tag: CellsWorksheetsController
                         gives cells-worksheets)
  --from URL_OR_FILE     read the upstream document from here (a saved copy, a mirror) and record
                         it as the entry's upstream, so that npm run spec:pull reads it again
                         (default: ${PUBLISHED_SPEC_URL})
  --upstream URL         the upstream to record instead of --from
  --config FILE          the data file (default ${DEFAULT_CONFIG}); its paths are relative to it

Put -- between npm run controller:add and these options: without it npm takes them as its own.

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
  const tag = requireOption(options.tag, "tag", "TAG", "the controller's tag in the published spec");
  const { entry, outputs, recordedFile } = await addController({ ...options, tag, config: options.config ?? DEFAULT_CONFIG, layout: REPOSITORY_LAYOUT });
  const note = await validateWhenJava(outputs.filter(({ file }) => file === entry.spec));
  reportWrites(outputs, await writeFilesAtomic(outputs));
  if (note !== undefined) process.stdout.write(`${note}\n`);
  if (entry.overlay === undefined) process.stdout.write(`${uncorrectedNote(entry)}\n`);
  if (recordedFile) {
    process.stdout.write(`recorded ${entry.upstream} as the upstream of ${entry.name}: npm run spec:pull reads it from there (--upstream URL records another)\n`);
  }
  process.stdout.write(
    `added ${entry.name} (${entry.tag}): import type { paths } from "aspose-cells-cloud-auth/generated/${entry.name}" after npm run build; ` +
      `createCellsClient() is typed for it already (${displayPath(entry.types)})\n`,
  );
  return 0;
});
