// Versions and the changelog: changesets turns a pending changeset into the version bump and a
// CHANGELOG entry above the backfilled history; npm test runs the API report gate and the docs
// check after the build.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./_spec-workspace.js";

const run = promisify(execFile);

interface Manifest {
  name: string;
  version: string;
  peerDependencies?: Record<string, string>;
}

describe("versions and releases", () => {
  it("CHANGELOG.md starts with the package, has the current version, and names the breaking changes so far", async () => {
    const { name, version } = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as { name: string; version: string };
    const changelog = await readFile(path.join(repoRoot, "CHANGELOG.md"), "utf8");
    expect(changelog.startsWith(`# ${name}\n\n## `)).to.equal(true);
    expect(changelog).to.contain(`\n## ${version}\n`);
    expect(changelog).to.contain("`TokenStoreBinding.cipher` replaced by `TokenStoreBinding.encryptionKey()`").and.contain("`TokenCipher` removed from the core's exports");
  });

  it("packages/codegen/CHANGELOG.md starts with aspose-cells-codegen and has its current version", async () => {
    const { name, version } = JSON.parse(await readFile(path.join(repoRoot, "packages", "codegen", "package.json"), "utf8")) as Manifest;
    const changelog = await readFile(path.join(repoRoot, "packages", "codegen", "CHANGELOG.md"), "utf8");
    expect(changelog.startsWith(`# ${name}\n\n## `)).to.equal(true);
    expect(changelog).to.contain(`\n## ${version}\n`);
  });

  it("changeset version versions each package of the workspace on its own: a changeset for each gives each its bump and CHANGELOG entry; a major one leaves 0.x", async function () {
    this.timeout(120_000);
    // A copy of the workspace's layout (the root package, which lists "." among its workspaces so
    // that changesets versions it, and packages/codegen), outside the repository, in a git
    // repository of its own, with node_modules linked so that .changeset/config.json resolves
    // @changesets/cli/changelog.
    const dir = await mkdtemp(path.join(tmpdir(), "changeset-"));
    await symlink(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
    try {
      await cp(path.join(repoRoot, ".changeset"), path.join(dir, ".changeset"), { recursive: true });
      for (const file of ["package.json", "CHANGELOG.md", "packages/codegen/package.json", "packages/codegen/CHANGELOG.md"]) {
        await cp(path.join(repoRoot, file), path.join(dir, file));
      }
      const read = async (file: string) => JSON.parse(await readFile(path.join(dir, file), "utf8")) as Manifest;
      const core = await read("package.json");
      const codegen = await read("packages/codegen/package.json");
      const git = (...args: string[]) => run("git", ["-c", "user.name=test", "-c", "user.email=test@example.invalid", ...args], { cwd: dir });
      await writeFile(path.join(dir, ".gitignore"), "node_modules\n");
      await git("init", "-q");
      /** Commits the changesets given (file name -> package -> level) and runs changeset version. */
      const version = async (changesets: Record<string, [Record<string, string>, string]>) => {
        for (const [file, [levels, summary]] of Object.entries(changesets)) {
          const front = Object.entries(levels).map(([name, level]) => `"${name}": ${level}`).join("\n");
          await writeFile(path.join(dir, ".changeset", file), `---\n${front}\n---\n\n${summary}\n`);
        }
        await git("add", "-A");
        await git("commit", "-q", "-m", "changesets");
        await run(process.execPath, [path.join(repoRoot, "node_modules", "@changesets", "cli", "bin.js"), "version"], { cwd: dir });
        return { core: await read("package.json"), codegen: await read("packages/codegen/package.json") };
      };
      const next = (from: string, level: "minor" | "patch") => {
        const [major, minor, patch] = from.split(".").map(Number) as [number, number, number];
        return level === "minor" ? `${major}.${minor + 1}.0` : `${major}.${minor}.${patch + 1}`;
      };
      const entry = (name: string, bumped: string, heading: string, summary: string, previous: string) =>
        new RegExp(`^# ${name}\\n\\n## ${bumped.replaceAll(".", "\\.")}\\n\\n### ${heading}\\n\\n- [0-9a-f]{7}: ${summary}\\n\\n## ${previous.replaceAll(".", "\\.")}\\n`);

      // A changeset for each package: each gets its own bump and CHANGELOG entry, nothing else moves.
      const first = await version({
        "spec-drift-1.md": [{ [core.name]: "minor" }, "The generated types follow the published spec."],
        "codegen-fix.md": [{ [codegen.name]: "patch" }, "generate --check names the stale files."],
      });
      expect(first.core.version).to.equal(next(core.version, "minor"));
      expect(first.codegen.version).to.equal(next(codegen.version, "patch"));
      expect(await readFile(path.join(dir, "CHANGELOG.md"), "utf8")).to.match(entry(core.name, first.core.version, "Minor Changes", "The generated types follow the published spec\\.", core.version));
      expect(await readFile(path.join(dir, "packages", "codegen", "CHANGELOG.md"), "utf8")).to.match(entry(codegen.name, first.codegen.version, "Patch Changes", "generate --check names the stale files\\.", codegen.version));

      // A codegen minor (new features) leaves the core alone: the core's optional peer range on
      // codegen tolerates minors (README, "Versioning and releases"), so it still holds.
      const second = await version({ "codegen-feature.md": [{ [codegen.name]: "minor" }, "add takes --name."] });
      expect(second.codegen.version).to.equal(next(first.codegen.version, "minor"));
      expect(second.core.version).to.equal(first.core.version);
      const range = second.core.peerDependencies?.[codegen.name] ?? "";
      expect(range).to.equal(core.peerDependencies?.[codegen.name]);
      for (const satisfying of [codegen.version, first.codegen.version, second.codegen.version]) {
        await run(path.join(repoRoot, "node_modules", ".bin", "semver"), ["-r", range, satisfying]);
      }

      // The first breaking change leaves 0.x: a major changeset releases 1.0.0 (README, "Versioning
      // and releases"). A codegen major leaves the core's peer range, which changesets releases as
      // a major of the core too.
      const third = await version({ "breaking.md": [{ [codegen.name]: "major" }, "An export removed."] });
      expect(third.codegen.version).to.equal("1.0.0");
      expect(third.core.version).to.equal("1.0.0");
      const core1 = await version({ "core-breaking.md": [{ [core.name]: "major" }, "An option removed."] });
      expect(core1.core.version).to.equal("2.0.0");
      expect(core1.codegen.version).to.equal("1.0.0");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("npm test runs the API report gate and the docs check after the build, before the tests", async () => {
    const { scripts } = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const steps = scripts.test?.split(" && ") ?? [];
    const at = (step: string) => steps.indexOf(step);
    expect(at("npm run build")).to.be.above(-1);
    expect(at("npm run api:check")).to.be.above(at("npm run build"));
    expect(at("npm run docs:check")).to.be.above(at("npm run build"));
    expect(steps.findIndex((step) => step.startsWith("mocha"))).to.be.above(at("npm run docs:check"));
    expect(scripts["api:update"]).to.equal("npm run build && tsx scripts/api-report.ts --update");
  });
});
