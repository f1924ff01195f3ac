// The preflight that `npm test` runs first, as a real child process whose PATH holds only what each
// case allows: a folder of symlinks to the real java and redis-server, or fewer.
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { asUser, describeMissing, findExecutable, INSTALL, missingPrerequisites, satisfies } from "../scripts/preflight.mjs";
import { repoRoot } from "./_spec-workspace.js";

const PREFLIGHT = path.join(repoRoot, "scripts", "preflight.mjs");
/** What the Debian install commands start with for the user running these tests: nothing as root. */
const SUDO = process.getuid?.() === 0 ? "" : "sudo ";

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the preflight script with `node` (by its absolute path) and this PATH. */
function preflight(searchPath: string, script = PREFLIGHT, env: Record<string, string> = {}): Promise<Outcome> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== "REDIS_SERVER"));
  return new Promise((resolve) => {
    execFile(process.execPath, [script], { env: { ...inherited, ...env, PATH: searchPath } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr });
    });
  });
}

describe("preflight (scripts/preflight.mjs)", () => {
  let work: string;
  /** A folder holding symlinks to the real programs named. */
  async function binFolder(...programs: string[]): Promise<string> {
    const dir = await mkdtemp(path.join(work, "bin-"));
    for (const program of programs) {
      const real = findExecutable(program, process.env.PATH ?? "");
      if (real === undefined) throw new Error(`${program} is not installed here: npm run preflight says how to install it`);
      await symlink(real, path.join(dir, program));
    }
    return dir;
  }

  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "preflight-test-"));
  });
  after(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it("passes, with one line on stdout, when java, redis-server and the dependencies are there", async () => {
    const result = await preflight(await binFolder("java", "redis-server"));
    expect(result.stderr).to.equal("");
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(/^preflight: ok \(Node \d+\.\d+\.\d+, java, redis-server, npm dependencies\)\n$/);
  });

  it("lists every missing program with its install commands, and exits 1", async () => {
    const result = await preflight(await binFolder());
    expect(result.code).to.equal(1);
    expect(result.stdout).to.equal("");
    expect(result.stderr).to.equal(
      [
        "preflight: npm test needs 2 things this machine does not have:",
        "  - java (a Java runtime): not found on the PATH; OpenAPI Generator validates the specs (npm run spec:validate)",
        `      Debian/Ubuntu: ${SUDO}apt-get install -y openjdk-17-jre-headless`,
        "      macOS:         brew install --cask temurin@17",
        "  - redis-server: not found on the PATH; the Redis token store's tests start one (set REDIS_SERVER to use another path)",
        `      Debian/Ubuntu: ${SUDO}apt-get install -y redis-server`,
        "      macOS:         brew install redis",
        "Install them, then run npm test again. On Debian or Ubuntu, `bash .ci/run` (as root) installs the",
        "system packages that are missing and runs npm ci and npm test.",
        "",
      ].join("\n"),
    );
  });

  it("names only what is missing", async () => {
    const noRedis = await preflight(await binFolder("java"));
    expect(noRedis.code).to.equal(1);
    expect(noRedis.stderr).to.match(/^preflight: npm test needs one thing this machine does not have:\n {2}- redis-server: not found on the PATH;/);
    expect(noRedis.stderr).not.to.contain("java");
    const noJava = await preflight(await binFolder("redis-server"));
    expect(noJava.code).to.equal(1);
    expect(noJava.stderr).to.match(/^preflight: npm test needs one thing this machine does not have:\n {2}- java \(a Java runtime\): not found/);
    expect(noJava.stderr).not.to.contain("redis-server");
    for (const { stderr } of [noRedis, noJava]) expect(stderr).to.contain("\nInstall it, then run npm test again.");
  });

  it("gives Debian commands without sudo to root, with sudo to anyone else", () => {
    const context = { root: repoRoot, nodeVersion: "18.20.8", env: { PATH: "" }, platform: "linux" as const };
    const asRoot = missingPrerequisites({ ...context, superuser: true });
    const asUser = missingPrerequisites({ ...context, superuser: false });
    expect(asRoot.map((item) => item.debian)).to.deep.equal([
      "curl -fsSL https://deb.nodesource.com/setup_22.x | bash - && apt-get install -y nodejs",
      "apt-get install -y openjdk-17-jre-headless",
      "apt-get install -y redis-server",
    ]);
    expect(asUser.map((item) => item.debian)).to.deep.equal([
      "curl -fsSL https://deb.nodesource.com/setup_22.x | sudo -E bash - && sudo apt-get install -y nodejs",
      "sudo apt-get install -y openjdk-17-jre-headless",
      "sudo apt-get install -y redis-server",
    ]);
    expect(asRoot.map((item) => item.macos)).to.deep.equal(asUser.map((item) => item.macos));
    expect(describeMissing(asRoot)).not.to.contain("sudo");
    expect(describeMissing(asRoot)).to.contain("\nInstall them, then run npm test again.");
  });

  it("checks the REDIS_SERVER the Redis tests would start, when it is set", async () => {
    const result = await preflight(await binFolder("java", "redis-server"), PREFLIGHT, { REDIS_SERVER: path.join(work, "no-such-redis") });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain(`  - redis-server: REDIS_SERVER=${path.join(work, "no-such-redis")} is not an executable file;`);
  });

  it("says to run npm ci when the dependencies are not installed", async () => {
    const clone = path.join(work, "fresh-clone");
    await mkdir(path.join(clone, "scripts"), { recursive: true });
    await copyFile(path.join(repoRoot, "package.json"), path.join(clone, "package.json"));
    await copyFile(PREFLIGHT, path.join(clone, "scripts", "preflight.mjs"));
    const result = await preflight(await binFolder("java", "redis-server"), path.join(clone, "scripts", "preflight.mjs"));
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/^preflight: npm test needs one thing this machine does not have:\n {2}- the npm dependencies: not installed: openapi-fetch, @[\w.-]+\/[\w.-]+, @[\w.-]+\/[\w.-]+ and \d+ more\n {6}run: npm ci\n/);
  });

  it("installs what CONTRIBUTING.md says to install, with the same commands", async () => {
    const contributing = await readFile(path.join(repoRoot, "CONTRIBUTING.md"), "utf8");
    const packages = [INSTALL.java.debian, INSTALL["redis-server"].debian].map((command) => command.replace(/^sudo apt-get install -y /, ""));
    const both = `sudo apt-get install -y ${packages.join(" ")}`;
    expect(contributing).to.contain(`| Debian or Ubuntu, as root | \`${asUser(both, true)}\` |`);
    expect(contributing).to.contain(`| Debian or Ubuntu, as another user | \`${both}\` |`);
    expect(contributing).to.contain(`| macOS (Homebrew) | \`${INSTALL.java.macos} && ${INSTALL["redis-server"].macos}\` |`);
  });

  it("is the first step of npm test", async () => {
    const manifest = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(manifest.scripts.test).to.match(/^node scripts\/preflight\.mjs && /);
    expect(manifest.scripts.preflight).to.equal("node scripts/preflight.mjs");
  });

  it("checks the Node version against package.json devEngines", async () => {
    const manifest = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as { devEngines: { runtime: { version: string } } };
    const range = manifest.devEngines.runtime.version;
    expect(satisfies(process.versions.node, range), "this very run").to.equal(true);
    for (const version of ["18.20.8", "20.18.3", "21.7.3", "22.11.0"]) expect(satisfies(version, range), version).to.equal(false);
    for (const version of ["20.19.0", "v20.20.2", "22.12.0", "24.1.0"]) expect(satisfies(version, range), version).to.equal(true);
    expect(() => satisfies("20.19.0", "~20.19")).to.throw(/unsupported version range "~20\.19"/);
  });
});
