import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseOptions, reportFailure, runCli } from "../packages/codegen/src/pipeline/cli.js";
import { DEFAULT_CONFIG, loadControllers } from "../packages/codegen/src/pipeline/controllers.js";
import { diffFolders } from "../packages/codegen/src/pipeline/diff-folders.js";
import { displayPath } from "../packages/codegen/src/pipeline/display-path.js";
import { pullSpecs } from "../packages/codegen/src/pipeline/pull.js";
import { writeFilesAtomic, type FileOutput } from "../packages/codegen/src/pipeline/write-atomic.js";

const USAGE = `Usage: npm run spec:check -- [--only NAME] [--from URL_OR_FILE] [--tag TAG] [--config FILE]

Pulls every entry of the data file (or only NAME) into a temporary copy of its folder and
compares the copy with the committed folder. Nothing in the committed folder changes.

  --only NAME            check only the entry named NAME
  --from URL_OR_FILE     upstream URL or local file instead of the upstream document the
                         selected entries read (all of them must read the same one)
  --tag TAG              tag to keep instead of the entry's (one entry only)
  --config FILE          the data file (default ${DEFAULT_CONFIG}); its paths are relative to it

Exit codes: 0 up to date, 1 differs (unified diff on stdout), 2 the pull failed or usage error.
`;

runCli("spec:check", USAGE, async (args) => {
  const options = parseOptions(args, {
    only: { type: "string" },
    from: { type: "string" },
    tag: { type: "string" },
    config: { type: "string" },
  });
  const configPath = options.config ?? DEFAULT_CONFIG;
  let outputs: FileOutput[];
  try {
    outputs = await pullSpecs({ ...options, config: configPath });
  } catch (error) {
    return Math.max(2, reportFailure("spec:check", error));
  }
  const { dir } = await loadControllers(configPath);
  const name = path.basename(dir);
  const temp = await mkdtemp(path.join(os.tmpdir(), "spec-check-"));
  try {
    const committed = path.join("committed", name);
    const pulled = path.join("pulled", name);
    await cp(dir, path.join(temp, committed), { recursive: true });
    await cp(dir, path.join(temp, pulled), { recursive: true });
    await writeFilesAtomic(outputs.map(({ file, content }) => ({ file: path.join(temp, pulled, path.relative(dir, file)), content })));
    const { identical, diff } = await diffFolders(temp, committed, pulled);
    if (identical) {
      process.stdout.write(`${displayPath(dir)} is up to date with the upstream\n`);
      return 0;
    }
    process.stdout.write(diff);
    process.stderr.write(`spec:check: ${displayPath(dir)} differs from the upstream (diff above); run npm run spec:pull\n`);
    return 1;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
});
