import { parseOptions, runCli } from "../packages/codegen/src/pipeline/cli.js";
import { displayPath } from "../packages/codegen/src/pipeline/display-path.js";
import { PipelineError } from "../packages/codegen/src/pipeline/errors.js";
import { runApiReport } from "./lib/api-report.js";
import { loadPublicEntries, REPORT_DIR } from "./lib/public-entries.js";

const USAGE = `Usage: npm run api:check
       npm run api:update

The public API of every entry in package.json "exports" (the generated/* ones are the
controllers.json entries) and in the "exports" of each workspace package (packages/codegen), as
API Extractor reports it from the built declarations in dist/, compared with the committed
${REPORT_DIR}/<entry>.api.md (${REPORT_DIR}/<folder>/<entry>.api.md for a workspace package). One
process, one TypeScript program.

  (no option)    check: exit 1 with the diff when a report differs, is missing or has no entry
  --update       write the reports (npm run api:update builds first), delete those of removed entries

Exit codes: 0 up to date (or written), 1 a difference or a failure, 2 usage error.
`;

runCli("api-report", USAGE, async (args) => {
  const options = parseOptions(args, { update: { type: "boolean" } });
  const root = process.cwd();
  const entries = await loadPublicEntries(root);
  const mode = options.update === true ? "update" : "check";
  const { results, orphans } = await runApiReport(root, entries, mode);
  for (const { entry, status, diff } of results) {
    const report = displayPath(entry.report, root);
    if (mode === "update") {
      process.stdout.write(`${status === "same" ? "unchanged" : "wrote"} ${report} (${entry.specifier})\n`);
    } else if (status === "changed") {
      process.stdout.write(`${diff}\n`);
    }
  }
  if (mode === "update") {
    for (const orphan of orphans) process.stdout.write(`deleted ${displayPath(orphan, root)} (no such entry any more)\n`);
    return 0;
  }
  const failures = [
    ...results.filter(({ status }) => status === "missing").map(({ entry }) => `${entry.specifier} has no committed API report (${displayPath(entry.report, root)})`),
    ...results.filter(({ status }) => status === "changed").map(({ entry }) => `the public API of ${entry.specifier} changed (diff above)`),
    ...orphans.map((orphan) => `${displayPath(orphan, root)} is the report of an entry that package.json no longer exports`),
  ];
  if (failures.length > 0) {
    throw new PipelineError("STALE", `${failures.join("; ")}. If the change is intended, run npm run api:update and commit ${REPORT_DIR}/ so the review shows it.`);
  }
  process.stdout.write(`api: ${results.length} entries match ${REPORT_DIR}/ (${entries.map((entry) => entry.specifier).join(", ")})\n`);
  return 0;
});
