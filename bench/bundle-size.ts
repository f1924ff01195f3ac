// 6. Size: the budgets of .size-limit.mjs as size-limit measures them (one-line entries importing from
// the core, bundled by esbuild for the browser, minified, gzipped at level 9), and the whole core
// entry, bundled and measured the same way, against openapi-fetch alone, oauth4webapi and
// asposecellscloud; and the two `/client` imports against issue 19's targets (3 KB for the source
// alone, openapi-fetch + 2.5 KB with the API client). The budgets are enforced by `npm run size` in
// `npm test`; here they are only reported.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { ratioRow, type BenchOptions, type Measurement, type Row } from "./_stats.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST_ENTRY = path.join(ROOT, "dist", "index.js");

type Bundled = { ok: true; minified: number; gzipped: number } | { ok: false; errors: string[] };

/** One check of .size-limit.mjs, as `size-limit --json` reports it. */
interface SizeLimitCheck {
  name: string;
  size: number;
  sizeLimit: number;
  passed: boolean;
}

async function bundle(entry: string | { contents: string }): Promise<Bundled> {
  try {
    const result = await build({
      ...(typeof entry === "string" ? { entryPoints: [entry] } : { stdin: { ...entry, resolveDir: ROOT, sourcefile: "entry.js" } }),
      bundle: true,
      minify: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]!.contents;
    return { ok: true, minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
  } catch (error) {
    const errors = (error as { errors?: { text: string }[] }).errors?.map((e) => e.text) ?? [String(error)];
    return { ok: false, errors };
  }
}

/** Runs size-limit as `npm run size` does; it exits 1 when a check is over its limit, which is reported, not thrown. */
function sizeLimit(): SizeLimitCheck[] {
  const bin = path.join(path.dirname(createRequire(import.meta.url).resolve("size-limit/package.json")), "bin.js");
  const run = spawnSync(process.execPath, [bin, "--json"], { cwd: ROOT, encoding: "utf8" });
  let report: unknown;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    throw new Error(`bundle-size: size-limit printed no JSON (exit ${run.status}): ${(run.stderr || run.stdout).trim().slice(0, 500)}`);
  }
  if (!Array.isArray(report)) throw new Error(`bundle-size: size-limit failed: ${String((report as { error?: unknown }).error).split("\n")[0]}`);
  return report as SizeLimitCheck[];
}

function budgetRow(check: SizeLimitCheck): Row {
  const ratio = check.size / check.sizeLimit;
  return {
    id: `size-limit-${check.name.replace(/[^A-Za-z]+/g, "-").replace(/^-|-$/g, "")}`,
    what: `Size budget (size-limit): ${check.name}`,
    result: `${check.size} B (${ratio.toFixed(2)}x the limit)`,
    ratio,
    target: `<= ${check.sizeLimit} B`,
    met: check.passed,
    detail: "esbuild platform browser, format esm, minified, gzip level 9 (.size-limit.mjs)",
  };
}

export async function run(_options: BenchOptions): Promise<Measurement> {
  if (!existsSync(DIST_ENTRY)) throw new Error("bundle-size: dist/index.js is missing; run `npm run build` first");
  const budgets = sizeLimit();
  const resolve = createRequire(import.meta.url).resolve;
  // openapi-fetch and oauth4webapi are ESM only: find their entries through their package.json.
  const esmEntry = (name: string, file: string) => fileURLToPath(new URL(file, `file://${resolve(`${name}/package.json`)}`));
  const entries = {
    ours: DIST_ENTRY,
    "openapi-fetch": esmEntry("openapi-fetch", "./dist/index.mjs"),
    oauth4webapi: esmEntry("oauth4webapi", "./build/index.js"),
    asposecellscloud: resolve("asposecellscloud"),
  };
  const sizes = Object.fromEntries(
    await Promise.all(Object.entries(entries).map(async ([name, entry]) => [name, await bundle(entry)] as const)),
  ) as Record<keyof typeof entries, Bundled>;
  const ours = sizes.ours;
  if (!ours.ok) throw new Error(`bundle-size: the core entry does not bundle for the browser: ${ours.errors.slice(0, 3).join("; ")}`);
  const show = (name: keyof typeof entries) => {
    const size = sizes[name];
    return size.ok ? `${name} ${size.gzipped} B gz (${size.minified} B min)` : `${name} cannot be bundled for the browser (${size.errors.length} errors, e.g. ${size.errors[0]})`;
  };
  const rows: Row[] = budgets.map(budgetRow);
  const core = `core entry ${ours.gzipped} B gz (${ours.minified} B min)`;
  const openapiFetch = sizes["openapi-fetch"];
  if (openapiFetch.ok) {
    rows.push(ratioRow("size-vs-openapi-fetch", "Size: core entry vs openapi-fetch alone (gzipped)", ours.gzipped / openapiFetch.gzipped, {}, `${core}, ${show("openapi-fetch")}: this package adds ${ours.gzipped - openapiFetch.gzipped} B gz`));
  }
  // Issue 19's targets for the lean entry, against openapi-fetch as a user imports it (its createClient, the default export).
  const createClientOnly = await bundle({ contents: 'export { default } from "openapi-fetch";' });
  const checkOf = (name: string) => budgets.find((check) => check.name === name);
  const sourceCheck = checkOf("/client { createTokenSource }");
  const clientCheck = checkOf("/client { createCellsClient, createTokenSource }");
  if (sourceCheck) {
    rows.push(ratioRow("client-size-source-target", "Size: `/client` { createTokenSource } vs its 3 KB target (gzipped)", sourceCheck.size / 3000, { max: 1 }, `${sourceCheck.size} B gz (the size-limit figure above) vs 3000 B`));
  }
  if (clientCheck && createClientOnly.ok) {
    const added = clientCheck.size - createClientOnly.gzipped;
    rows.push(
      ratioRow(
        "client-size-cells-client-target",
        "Size: `/client` { createCellsClient, createTokenSource } over openapi-fetch alone vs its 2.5 KB target (gzipped)",
        added / 2500,
        { max: 1 },
        `${clientCheck.size} B gz, openapi-fetch's createClient alone ${createClientOnly.gzipped} B gz: this package adds ${added} B vs 2500 B`,
      ),
    );
  }
  const oauth = sizes.oauth4webapi;
  if (oauth.ok) rows.push(ratioRow("size-vs-oauth4webapi", "Size: core entry vs oauth4webapi (gzipped)", ours.gzipped / oauth.gzipped, {}, `${core}, ${show("oauth4webapi")}`));
  const sdk = sizes.asposecellscloud;
  rows.push(
    sdk.ok
      ? ratioRow("size-vs-asposecellscloud", "Size: core entry vs asposecellscloud (gzipped)", ours.gzipped / sdk.gzipped, {}, `${core}, ${show("asposecellscloud")}`)
      : { id: "size-vs-asposecellscloud", what: "Size: core entry vs asposecellscloud (gzipped)", result: "n/a", target: "-", detail: show("asposecellscloud") },
  );
  return { rows, data: { budgets, entries, sizes } };
}
