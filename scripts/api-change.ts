import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { classifyApiChange, renderApiChangeMarkdown, renderChangeset } from "./lib/api-change.js";
import { parseOptions, runCli } from "../packages/codegen/src/pipeline/cli.js";
import { PipelineError } from "../packages/codegen/src/pipeline/errors.js";

const USAGE = `Usage: npm run api:change -- --before DIR [--after DIR] [--changeset FILE --summary TEXT] [--body FILE]

Classifies the change between two API report folders (before: a copy of api-report/ taken before
the change; after: api-report/ once npm run api:update ran) as patch (no public type changed),
minor (declarations only added) or major (a declaration removed or changed), and prints the
level on stdout. Comments and documentation are not part of the API.

  --before DIR       the reports before the change
  --after DIR        the reports after it (default api-report)
  --changeset FILE   write a changeset releasing this package at that level (needs --summary)
  --summary TEXT     the changeset's text, for the CHANGELOG
  --body FILE        write markdown for a pull request: the level, the reports changed, the diff

Exit codes: 0 done, 1 failure, 2 usage error.
`;

/** Every `*.api.md` under `dir`, by path relative to it. */
async function readReports(dir: string): Promise<Map<string, string>> {
  const names = await readdir(dir, { recursive: true }).catch((error: unknown) => {
    throw new PipelineError("UNREADABLE", `cannot read the report folder ${dir}: ${(error as Error).message}`, { cause: error });
  });
  const reports = names.filter((name) => name.endsWith(".api.md")).sort();
  return new Map(await Promise.all(reports.map(async (name) => [name.split(path.sep).join("/"), await readFile(path.join(dir, name), "utf8")] as const)));
}

runCli("api:change", USAGE, async (args) => {
  const options = parseOptions(args, {
    before: { type: "string" },
    after: { type: "string" },
    changeset: { type: "string" },
    summary: { type: "string" },
    body: { type: "string" },
  });
  if (options.before === undefined) throw new PipelineError("USAGE", "--before DIR is required");
  if (options.changeset !== undefined && options.summary === undefined) throw new PipelineError("USAGE", "--changeset needs --summary");
  const change = classifyApiChange(await readReports(options.before), await readReports(options.after ?? "api-report"));
  if (options.changeset !== undefined) {
    const manifest = JSON.parse(await readFile("package.json", "utf8")) as { name: string };
    await writeFile(options.changeset, renderChangeset(manifest.name, change.level, options.summary as string));
  }
  if (options.body !== undefined) await writeFile(options.body, renderApiChangeMarkdown(change));
  process.stdout.write(`${change.level}\n`);
  return 0;
});
