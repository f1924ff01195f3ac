import { parseOptions, runCli } from "./lib/cli.js";
import { DEFAULT_CONFIG, loadControllers, selectEntries } from "./lib/controllers.js";
import { displayPath } from "./lib/display-path.js";
import { PipelineError } from "./lib/errors.js";
import { openapiGeneratorIssue } from "./lib/openapi-generator.js";

const USAGE = `Usage: npm run spec:validate -- [--only NAME] [--config FILE]

Validates the corrected spec of every entry in the data file (or only NAME) with OpenAPI
Generator (openapi-generator validate). Any error or warning fails. Offline; needs Java.

  --only NAME            validate only the entry named NAME
  --config FILE          the data file (default ${DEFAULT_CONFIG}); its paths are relative to it

Exit codes: 0 no issues, 1 issues (one line per spec on stderr), 2 usage error.
`;

runCli("spec:validate", USAGE, async (args) => {
  const options = parseOptions(args, { only: { type: "string" }, config: { type: "string" } });
  const config = await loadControllers(options.config ?? DEFAULT_CONFIG);
  const failed: string[] = [];
  for (const entry of selectEntries(config, options.only)) {
    const issue = await openapiGeneratorIssue(entry.spec);
    if (issue === undefined) {
      process.stdout.write(`no issues: ${displayPath(entry.spec)}\n`);
    } else {
      process.stderr.write(`spec:validate: ${displayPath(entry.spec)}: ${issue}\n`);
      failed.push(displayPath(entry.spec));
    }
  }
  if (failed.length > 0) throw new PipelineError("INVALID_RESULT", `${failed.length} spec(s) with issues: ${failed.join(", ")}`);
  return 0;
});
