// The GitHub workflows cannot run here: they are validated against GitHub's workflow schema by
// @action-validator/cli (offline), and what they promise is read back from them.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";

const run = promisify(execFile);
const root = new URL("..", import.meta.url).pathname;
const validator = join(root, "node_modules", ".bin", "action-validator");
const WORKFLOWS = [".github/workflows/ci.yml", ".github/workflows/spec-drift.yml", ".github/workflows/release.yml"];

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  id?: string;
  with?: Record<string, unknown>;
}
interface Job {
  "runs-on": string;
  steps: Step[];
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

async function workflow(file: string): Promise<{ text: string; parsed: Workflow; steps: Step[] }> {
  const text = await readFile(join(root, file), "utf8");
  const parsed = parse(text) as Workflow;
  return { text, parsed, steps: Object.values(parsed.jobs).flatMap((job) => job.steps) };
}

describe("GitHub workflows", function () {
  this.timeout(30_000);

  for (const file of WORKFLOWS) {
    it(`${file} passes action-validator`, async () => {
      const { stdout, stderr } = await run(validator, [join(root, file)]);
      expect(stdout + stderr).to.equal("");
    });
  }

  it("action-validator rejects a workflow that breaks the schema (so the checks above can fail)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "workflows-"));
    try {
      const { text } = await workflow(WORKFLOWS[0]!);
      await writeFile(join(dir, "broken.yml"), text.replace(/^on:/m, "when:"));
      const result = await run(validator, [join(dir, "broken.yml")]).then(() => "accepted", (failure: { stdout: string; stderr: string }) => failure.stdout + failure.stderr);
      expect(result).to.contain("Additional property 'when' is not allowed");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("ci.yml runs .ci/run on every push and pull request, on Ubuntu", async () => {
    const { parsed, steps } = await workflow(".github/workflows/ci.yml");
    expect(Object.keys(parsed.on)).to.have.members(["push", "pull_request"]);
    expect(Object.values(parsed.jobs).map((job) => job["runs-on"])).to.satisfy((runners: string[]) => runners.every((runner) => runner.startsWith("ubuntu")));
    expect(steps.map((step) => step.run)).to.include("bash .ci/run");
  });

  it(".ci/run runs npm test, then the runtime matrix", async () => {
    const lines = (await readFile(join(root, ".ci/run"), "utf8")).split("\n");
    const test = lines.indexOf("npm test");
    expect(test).to.be.above(-1);
    expect(lines.indexOf("npm run test:runtimes")).to.be.above(test);
  });

  it("spec-drift.yml runs spec:check daily and by hand, and on drift pulls, generates and opens a pull request", async () => {
    const { parsed, steps } = await workflow(".github/workflows/spec-drift.yml");
    expect(parsed.on).to.have.all.keys("schedule", "workflow_dispatch");
    expect((parsed.on.schedule as Array<{ cron: string }>)[0]!.cron).to.match(/^\d+ \d+ \* \* \*$/);
    const check = steps.find((step) => step.id === "check");
    expect(check?.run).to.contain("npm run --silent spec:check");
    const pull = steps.find((step) => step.run?.includes("npm run spec:pull"));
    expect(pull?.run).to.contain("npm run generate");
    const pr = steps.find((step) => step.uses?.startsWith("peter-evans/create-pull-request@"));
    for (const step of [pull, pr]) expect(step?.if).to.equal("steps.check.outputs.status == '1'");
    expect(String(pr?.with?.["add-paths"])).to.contain("generated/**");
  });

  it("spec-drift.yml: the pull request carries a changeset at the level of the API report diff, and the diff in its body", async () => {
    const { steps } = await workflow(".github/workflows/spec-drift.yml");
    const api = steps.find((step) => step.run?.includes("npm run --silent api:change"));
    expect(api?.if).to.equal("steps.check.outputs.status == '1'");
    const run = api?.run ?? "";
    // The reports are copied before api:update rewrites them, and compared after it.
    expect(run.indexOf('cp -R api-report "$RUNNER_TEMP/api-report-before"')).to.be.within(0, run.indexOf("npm run api:update"));
    expect(run.indexOf("npm run api:update")).to.be.below(run.indexOf("api:change"));
    expect(run).to.match(/--before "\$RUNNER_TEMP\/api-report-before"/).and.match(/--changeset "\.changeset\/spec-drift-\$\{\{ github\.run_id \}\}\.md"/).and.contain('--body "$RUNNER_TEMP/api-change.md"');
    expect(run).to.contain('cat "$RUNNER_TEMP/api-change.md"').and.contain('} > "$RUNNER_TEMP/spec-drift.md"');
    const pr = steps.find((step) => step.uses?.startsWith("peter-evans/create-pull-request@"));
    expect(pr?.with?.["body-path"]).to.equal("${{ runner.temp }}/spec-drift.md");
    expect(String(pr?.with?.["add-paths"])).to.contain("api-report/**").and.contain(".changeset/**");
  });

  it("release.yml: changesets version pull request, then for both packages build, pack, the checks on those tarballs, and those same tarballs published with provenance, each only when its version is new", async () => {
    const { parsed } = await workflow(".github/workflows/release.yml");
    expect(parsed.on).to.have.all.keys("push", "workflow_dispatch");
    expect((parsed.on.push as { branches: string[] }).branches).to.deep.equal(["main"]);
    const { version, package: pack, publish, docs } = parsed.jobs;
    expect(version?.steps.some((step) => step.uses?.startsWith("changesets/action@"))).to.equal(true);
    expect(pack?.needs).to.equal("version");
    expect(pack?.if).to.equal("needs.version.outputs.release == 'true'");

    const runs = (job: Job | undefined) => (job?.steps ?? []).map((step) => step.run ?? step.uses ?? "");
    /** The index of the first step of `job` that holds each part; -1 fails. */
    const order = (job: Job | undefined, ...parts: string[]): number[] =>
      parts.map((part) => {
        const index = runs(job).findIndex((text) => text.includes(part));
        expect(index, part).to.be.above(-1);
        return index;
      });

    // The registry is asked about each package's version: both manifests, each its own output.
    const registry = version?.steps.find((step) => step.id === "registry");
    expect(registry?.run).to.contain("for package in core:. codegen:packages/codegen").and.contain('npm view "$name@$version"');
    for (const key of ["core", "codegen"]) {
      expect(version?.outputs).to.include({ [`${key}-release`]: `\${{ steps.registry.outputs.${key}-release }}`, [`${key}-version`]: `\${{ steps.registry.outputs.${key}-version }}` });
    }

    const [repository = -1, build = -1, packed = -1, conformance = -1, consumer = -1, upload = -1] = order(
      pack,
      "./packages/codegen/package.json",
      "npm run build",
      "npm pack --ignore-scripts --workspace aspose-cells-codegen",
      "npm run test:runtimes -- --tarball",
      "scripts/codegen-consumer.ts",
      "actions/upload-artifact@",
    );
    expect(runs(pack)[repository]).to.contain('"packages/codegen"').and.contain("repository?.directory");
    expect(repository).to.be.below(build);
    expect(build).to.be.below(packed);
    expect(runs(pack)[packed]).to.match(/npm pack --ignore-scripts --pack-destination/);
    expect(packed).to.be.below(conformance);
    expect(packed).to.be.below(consumer);
    expect(Math.max(conformance, consumer)).to.be.below(upload);
    const tarball = (key: string) => `"$RUNNER_TEMP/package/\${{ steps.pack.outputs.${key}-tarball }}"`;
    expect(runs(pack)[conformance]).to.contain(tarball("core"));
    expect(runs(pack)[consumer]).to.contain(`--core ${tarball("core")}`).and.contain(`--codegen ${tarball("codegen")}`);
    for (const key of ["core", "codegen"]) {
      expect(pack?.outputs).to.include({ [`${key}-tarball`]: `\${{ steps.pack.outputs.${key}-tarball }}`, [`${key}-sha256`]: `\${{ steps.pack.outputs.${key}-sha256 }}` });
      expect(String(pack?.steps[upload]?.with?.path)).to.contain(`\${{ steps.pack.outputs.${key}-tarball }}`);
    }

    expect(publish?.needs).to.include("package");
    expect(publish?.permissions).to.include({ "id-token": "write" });
    const [download = -1, verify = -1] = order(publish, "actions/download-artifact@", "sha256sum --check");
    expect(download).to.be.below(verify);
    for (const [key, name] of [["core", "aspose-cells-cloud-auth"], ["codegen", "aspose-cells-codegen"]] as const) {
      expect(runs(publish)[verify]).to.contain(`echo "\${{ needs.package.outputs.${key}-sha256 }}  $RUNNER_TEMP/package/\${{ needs.package.outputs.${key}-tarball }}" | sha256sum --check`);
      const [publishing = -1] = order(publish, `npm publish "$RUNNER_TEMP/package/\${{ needs.package.outputs.${key}-tarball }}" --provenance`);
      expect(verify).to.be.below(publishing);
      expect(publish?.steps[publishing]?.if).to.equal(`needs.version.outputs.${key}-release == 'true'`);
      expect(runs(publish)[publishing]).to.contain(`git tag "${name}@\${{ needs.version.outputs.${key}-version }}"`);
    }
    // Nothing in the publish job builds or packs again: what is published is what was checked.
    expect(runs(publish).some((text) => /npm (ci|run build|pack)\b/.test(text))).to.equal(false);

    expect(docs?.needs).to.include("publish");
    expect(docs?.permissions).to.include({ pages: "write", "id-token": "write" });
    expect(runs(docs)).to.include("npm run docs");
    expect(runs(docs).some((text) => text.startsWith("actions/deploy-pages@"))).to.equal(true);
  });
});
