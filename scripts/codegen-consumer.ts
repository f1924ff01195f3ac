import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseOptions, requireOption, runCli } from "../packages/codegen/src/pipeline/cli.js";
import { checkCodegenConsumer } from "./lib/codegen-consumer.js";

const USAGE = `Usage: tsx scripts/codegen-consumer.ts --core CORE.tgz --codegen CODEGEN.tgz

The consumer check of aspose-cells-codegen that the release workflow runs on the tarballs it then
publishes: both installed in a fresh project (one npm install, so the codegen version must satisfy
the core's peer range), aspose-cells-codegen add CellsWorksheetsController --from a Swagger 2.0
fixture, generate --check, and startTokenServer({ specs }) of the core serving the written spec.

  --core FILE      aspose-cells-cloud-auth's packed tarball
  --codegen FILE   aspose-cells-codegen's packed tarball

Exit codes: 0 every step passed, 1 a step failed (its output printed), 2 usage error.
`;

/** The fixture the check adds from: the repository's Swagger 2.0 worksheets spec. */
const FIXTURE = {
  tag: "CellsWorksheetsController",
  from: path.join(import.meta.dirname, "..", "test", "fixtures", "spec", "worksheets-swagger2.json"),
  get: "/cells/book.xlsx/worksheets",
};

runCli("codegen-consumer", USAGE, async (args) => {
  const options = parseOptions(args, { core: { type: "string" }, codegen: { type: "string" } });
  const tarballs = {
    core: path.resolve(requireOption(options.core, "core", "FILE", "aspose-cells-cloud-auth's tarball")),
    codegen: path.resolve(requireOption(options.codegen, "codegen", "FILE", "aspose-cells-codegen's tarball")),
  };
  const dir = await mkdtemp(path.join(os.tmpdir(), "codegen-consumer-"));
  try {
    for (const line of await checkCodegenConsumer(dir, tarballs, FIXTURE)) process.stdout.write(`${line}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return 0;
});
