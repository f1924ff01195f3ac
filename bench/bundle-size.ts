// 6. Size: the core entry (dist/index.js) bundled and minified for the browser with esbuild,
// openapi-fetch included, gzipped; against openapi-fetch alone, oauth4webapi and asposecellscloud.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { ratioRow, type BenchOptions, type Measurement, type Row } from "./_stats.js";

const DIST_ENTRY = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const TARGET_BYTES = 5 * 1024;

type Bundled = { ok: true; minified: number; gzipped: number } | { ok: false; errors: string[] };

async function bundle(entry: string): Promise<Bundled> {
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      platform: "browser",
      format: "esm",
      target: "es2022",
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

export async function run(_options: BenchOptions): Promise<Measurement> {
  if (!existsSync(DIST_ENTRY)) throw new Error("bundle-size: dist/index.js is missing; run `npm run build` first");
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
  const openapiFetch = sizes["openapi-fetch"];
  const rows: Row[] = [
    {
      id: "size-gzip",
      what: "Size: core entry for the browser, minified + gzipped, openapi-fetch included (ratio to the 5 KB budget)",
      result: `${ours.gzipped} B (${(ours.gzipped / TARGET_BYTES).toFixed(2)}x)`,
      ratio: ours.gzipped / TARGET_BYTES,
      target: `<= ${TARGET_BYTES} B`,
      met: ours.gzipped <= TARGET_BYTES,
      detail: `${ours.minified} B minified; esbuild platform browser, format esm, gzip -9`,
    },
  ];
  if (openapiFetch.ok) {
    rows.push(ratioRow("size-vs-openapi-fetch", "Size: core entry vs openapi-fetch alone (gzipped)", ours.gzipped / openapiFetch.gzipped, {}, `${show("openapi-fetch")}: this package adds ${ours.gzipped - openapiFetch.gzipped} B gz`));
  }
  const oauth = sizes.oauth4webapi;
  if (oauth.ok) rows.push(ratioRow("size-vs-oauth4webapi", "Size: core entry vs oauth4webapi (gzipped)", ours.gzipped / oauth.gzipped, {}, show("oauth4webapi")));
  const sdk = sizes.asposecellscloud;
  rows.push(
    sdk.ok
      ? ratioRow("size-vs-asposecellscloud", "Size: core entry vs asposecellscloud (gzipped)", ours.gzipped / sdk.gzipped, {}, show("asposecellscloud"))
      : { id: "size-vs-asposecellscloud", what: "Size: core entry vs asposecellscloud (gzipped)", result: "n/a", target: "-", detail: show("asposecellscloud") },
  );
  return { rows, data: { targetBytes: TARGET_BYTES, entries, sizes } };
}
