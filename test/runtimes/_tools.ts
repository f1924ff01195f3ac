// The runtimes and drivers of test:runtimes, installed on demand from the npm registry into a
// gitignored cache (.cache/runtimes/tools) from the pinned package.json + package-lock.json in
// test/runtimes/tools: `npm ci` checks every tarball against the lockfile's integrity. The install
// is kept while the lockfile is unchanged, so only the first run on a machine downloads.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const ROOT = new URL("../..", import.meta.url).pathname;
export const CACHE = join(ROOT, ".cache", "runtimes");
const PINNED = join(ROOT, "test", "runtimes", "tools");
const TOOLS = join(CACHE, "tools");
const STAMP = join(TOOLS, ".installed-lock-sha256");

/**
 * The Node versions under test, by label: `18.7` (the floor of `engines`), then the newest 18, 20,
 * 22 and 24. The pinned package.json names each `node<label>-<os>-<arch>`.
 */
export async function nodeLabels(): Promise<string[]> {
  const { optionalDependencies } = JSON.parse(await readFile(join(PINNED, "package.json"), "utf8")) as { optionalDependencies: Record<string, string> };
  return [...new Set(Object.keys(optionalDependencies).flatMap((name) => /^node([\d.]+)-/.exec(name)?.[1] ?? []))];
}

/** Installs the pinned tools unless this lockfile is installed already; says which it was. */
export async function ensureTools(): Promise<"cached" | "installed"> {
  const lock = await readFile(join(PINNED, "package-lock.json"));
  const digest = createHash("sha256").update(lock).digest("hex");
  const stamp = await readFile(STAMP, "utf8").catch(() => "");
  if (stamp === digest && existsSync(join(TOOLS, "node_modules"))) return "cached";
  await rm(TOOLS, { recursive: true, force: true });
  await mkdir(TOOLS, { recursive: true });
  await copyFile(join(PINNED, "package.json"), join(TOOLS, "package.json"));
  await copyFile(join(PINNED, "package-lock.json"), join(TOOLS, "package-lock.json"));
  // No install scripts: every binary used here is a file inside a package (the platform one).
  await run("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", TOOLS], { maxBuffer: 16 * 1024 * 1024 });
  await writeFile(STAMP, digest);
  return "installed";
}

/** A binary under test, or why there is none on this machine. */
export type Binary = { path: string } | { missing: string };

function existing(path: string, why: string): Binary {
  return existsSync(path) ? { path } : { missing: why };
}

const pkg = (name: string) => join(TOOLS, "node_modules", name);

/**
 * Node `label` from its pinned `node-<os>-<arch>` package; `TEST_RUNTIMES_NODE<label>` (dots as
 * underscores: `TEST_RUNTIMES_NODE18_7`) names another binary, for a platform npm has no build for.
 */
export function nodeBinary(label: string): Binary {
  const variable = `TEST_RUNTIMES_NODE${label.replace(".", "_")}`;
  const override = process.env[variable];
  if (override) return existing(override, `${variable}=${override} does not exist`);
  return existing(
    join(pkg(`node${label}-${process.platform}-${process.arch}`), "bin", "node"),
    `no pinned Node ${label} for ${process.platform}-${process.arch}; set ${variable} to a node binary`,
  );
}

/** Bun from its platform package (the `bun` package's install script would link the same file). */
export function bunBinary(): Binary {
  const arch = process.arch === "arm64" ? "aarch64" : process.arch;
  return existing(join(pkg(`@oven/bun-${process.platform}-${arch}`), "bin", "bun"), `no Bun package for ${process.platform}-${process.arch}`);
}

/** Deno from its platform package. */
export function denoBinary(): Binary {
  const libc = process.platform === "linux" ? "-glibc" : "";
  return existing(join(pkg(`@deno/${process.platform}-${process.arch}${libc}`), "deno"), `no Deno package for ${process.platform}-${process.arch}`);
}

/** A module of the tools install (miniflare, playwright-core), resolved as its own package would be. */
export function toolModule(name: string): string {
  return createRequire(join(TOOLS, "package.json")).resolve(name);
}

/** The version a tools package has. */
export async function toolVersion(name: string): Promise<string> {
  return (JSON.parse(await readFile(join(pkg(name), "package.json"), "utf8")) as { version: string }).version;
}

/** Chromium: `CHROMIUM_PATH`, else Debian's (.ci/run installs it), else a usual place. */
export function chromiumBinary(): Binary {
  const candidates = [
    process.env.CHROMIUM_PATH,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  ].filter((path): path is string => Boolean(path));
  const found = candidates.find((path) => existsSync(path));
  return found ? { path: found } : { missing: "no Chromium: apt-get install chromium (as .ci/run does), or set CHROMIUM_PATH" };
}
