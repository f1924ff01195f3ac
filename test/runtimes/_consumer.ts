// A project that uses the package as a user does: the built package, packed once with `npm pack`
// (or a tarball given, as the release workflow gives the one it publishes) and installed from the
// tarball (so "aspose-cells-cloud-auth" resolves through its `exports`), with the optional peers
// beside it at the versions this repository develops with (`redis` for the Redis entry,
// `@opentelemetry/api` and no SDK for `/otel`), and the conformance scripts copied in.
import { execFile } from "node:child_process";
import { copyFile, cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { CACHE, ROOT } from "./_tools.js";

const run = promisify(execFile);

export const CONSUMER = join(CACHE, "consumer");

/** The optional peers the consumer installs beside the package: each at the version installed here (`name@version`). */
export async function peerSpecs(): Promise<string[]> {
  const versionOf = async (name: string) => (JSON.parse(await readFile(join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  return Promise.all(["redis", "@opentelemetry/api"].map(async (name) => `${name}@${await versionOf(name)}`));
}

/**
 * Installs the package into a fresh consumer project and returns its folder: `tarball` as it is
 * when given (an absolute path), else the package built and packed here.
 */
export async function prepareConsumer(given?: string): Promise<string> {
  await rm(CONSUMER, { recursive: true, force: true });
  await mkdir(CONSUMER, { recursive: true });
  let tarball: string;
  if (given !== undefined) {
    tarball = join(CONSUMER, basename(given));
    await copyFile(given, tarball);
  } else {
    await run("npm", ["run", "build"], { cwd: ROOT });
    const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--pack-destination", CONSUMER], { cwd: ROOT });
    tarball = join(CONSUMER, stdout.trim().split("\n").at(-1) as string);
  }
  await writeFile(join(CONSUMER, "package.json"), JSON.stringify({ name: "runtime-conformance", private: true, type: "module" }, null, 2));
  await run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline", "--loglevel=error", tarball, ...(await peerSpecs())], { cwd: CONSUMER });
  await cp(join(ROOT, "test", "runtimes", "conformance"), CONSUMER, { recursive: true });
  return CONSUMER;
}
