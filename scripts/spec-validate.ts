import { parseOptions, runCli } from "../packages/codegen/src/pipeline/cli.js";
import { DEFAULT_CONFIG, loadControllers, selectEntries } from "../packages/codegen/src/pipeline/controllers.js";
import { displayPath } from "../packages/codegen/src/pipeline/display-path.js";
import { isPipelineError, PipelineError } from "../packages/codegen/src/pipeline/errors.js";
import { openapiGeneratorIssue } from "../packages/codegen/src/pipeline/openapi-generator.js";
import { INSTALL } from "./preflight.mjs";

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
    const issue = await openapiGeneratorIssue(entry.spec).catch((error: unknown) => {
      if (!isPipelineError(error) || error.code !== "NO_JAVA") throw error;
      const { debian, macos } = INSTALL.java;
      throw new PipelineError("NO_JAVA", `${error.message}; install a Java runtime: ${debian} (Debian/Ubuntu) or ${macos} (macOS)`, { cause: error });
    });
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
