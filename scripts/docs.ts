import path from "node:path";
import { parseOptions, runCli } from "../packages/codegen/src/pipeline/cli.js";
import { displayPath } from "../packages/codegen/src/pipeline/display-path.js";
import { buildDocs, DOCS_DIR } from "./lib/docs.js";
import { PipelineError } from "../packages/codegen/src/pipeline/errors.js";
import { loadPublicEntries } from "./lib/public-entries.js";

const USAGE = `Usage: npm run docs [-- --check]

Builds the reference docs of every public entry (package.json "exports", the generated/* ones
from controllers.json, and the "exports" of each workspace package) with TypeDoc into ${DOCS_DIR}/, README.md as the front page. Any TypeDoc
warning fails the build: an export without documentation, a link that does not resolve, a type
used by the API but not exported. The generated types are exempt from the documentation check:
their documentation is the spec's.

  --check    check only, write nothing (what npm test runs)

Exit codes: 0 done, 1 a warning or a failure, 2 usage error.
`;

/**
 * Types the API names without exporting them, on purpose: `PostAccessToken` is `src/spec.ts`'s
 * alias of the token operation of the generated spec, behind `OAuthErrorBody`, `TokenRequestBody`
 * and `TokenResponseBody`; its shape is the spec's, exported as `operations` by
 * `aspose-cells-cloud-auth/generated/cells-authority`.
 */
const INTENTIONALLY_NOT_EXPORTED = ["PostAccessToken"];

runCli("docs", USAGE, async (args) => {
  const options = parseOptions(args, { check: { type: "boolean" } });
  const root = process.cwd();
  const entries = await loadPublicEntries(root);
  const out = options.check === true ? undefined : path.join(root, DOCS_DIR);
  const { problems } = await buildDocs(root, entries, { ...(out === undefined ? {} : { out }), intentionallyNotExported: INTENTIONALLY_NOT_EXPORTED });
  if (problems.length > 0) throw new PipelineError("STALE", `TypeDoc reported ${problems.length} problem(s) above: document every export (JSDoc), fix the link or export the type`);
  const what = entries.map((entry) => entry.specifier).join(", ");
  process.stdout.write(out === undefined ? `docs: ${entries.length} entries documented (${what})\n` : `docs: wrote ${displayPath(out, root)}/ for ${entries.length} entries (${what})\n`);
  return 0;
});
