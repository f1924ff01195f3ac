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
const WORKFLOWS = [".github/workflows/ci.yml", ".github/workflows/spec-drift.yml"];

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  id?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { "runs-on": string; steps: Step[] }>;
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
});
