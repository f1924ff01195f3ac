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

describe("versions and releases", () => {
  it("CHANGELOG.md starts with the package, has the current version, and names the breaking changes so far", async () => {
    const { name, version } = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as { name: string; version: string };
    const changelog = await readFile(path.join(repoRoot, "CHANGELOG.md"), "utf8");
    expect(changelog.startsWith(`# ${name}\n\n## `)).to.equal(true);
    expect(changelog).to.contain(`\n## ${version}\n`);
    expect(changelog).to.contain("`TokenStoreBinding.cipher` replaced by `TokenStoreBinding.encryptionKey()`").and.contain("`TokenCipher` removed from the core's exports");
  });

  it("changeset version turns a changeset into the version bump and a CHANGELOG entry above the history; a major one leaves 0.x", async function () {
    this.timeout(60_000);
    // Outside the repository (whose package.json declares workspaces, which changesets would take
    // as the project), with its node_modules linked so that .changeset/config.json resolves
    // @changesets/cli/changelog.
    const dir = await mkdtemp(path.join(tmpdir(), "changeset-"));
    await symlink(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
    try {
      const { name, version } = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as { name: string; version: string };
      await cp(path.join(repoRoot, ".changeset"), path.join(dir, ".changeset"), { recursive: true });
      await cp(path.join(repoRoot, "CHANGELOG.md"), path.join(dir, "CHANGELOG.md"));
      await writeFile(path.join(dir, "package.json"), JSON.stringify({ name, version }));
      await writeFile(path.join(dir, ".changeset", "spec-drift-1.md"), `---\n"${name}": minor\n---\n\nThe generated types follow the published spec.\n`);
      const git = (...args: string[]) => run("git", ["-c", "user.name=test", "-c", "user.email=test@example.invalid", ...args], { cwd: dir });
      await writeFile(path.join(dir, ".gitignore"), "node_modules\n");
      await git("init", "-q");
      await git("add", "-A");
      await git("commit", "-q", "-m", "a changeset");
      await run(process.execPath, [path.join(repoRoot, "node_modules", "@changesets", "cli", "bin.js"), "version"], { cwd: dir });
      const bumped = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as { version: string };
      const [major, minor] = version.split(".").map(Number) as [number, number];
      expect(bumped.version).to.equal(`${major}.${minor + 1}.0`);
      const changelog = await readFile(path.join(dir, "CHANGELOG.md"), "utf8");
      expect(changelog).to.match(new RegExp(`^# ${name}\\n\\n## ${bumped.version.replaceAll(".", "\\.")}\\n\\n### Minor Changes\\n\\n- [0-9a-f]{7}: The generated types follow the published spec\\.\\n\\n## ${version.replaceAll(".", "\\.")}\\n`));

      // The first breaking change leaves 0.x: a major changeset releases 1.0.0 (README, "Versioning and releases").
      await writeFile(path.join(dir, ".changeset", "breaking.md"), `---\n"${name}": major\n---\n\nAn export removed.\n`);
      await git("add", "-A");
      await git("commit", "-q", "-m", "a breaking changeset");
      await run(process.execPath, [path.join(repoRoot, "node_modules", "@changesets", "cli", "bin.js"), "version"], { cwd: dir });
      expect((JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as { version: string }).version).to.equal(`${major + 1}.0.0`);
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
