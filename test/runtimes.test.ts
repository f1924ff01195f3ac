// What npm test can check of test:runtimes without running it: the README names exactly the pinned
// runtime versions, every pinned package has an integrity hash, the consumer project gets the
// optional peers at the versions developed with, and the harness cannot call a runtime green that
// did not finish its checks.
import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { peerSpecs } from "./runtimes/_consumer.js";
import { formatTable, isGreen, rowFromOutput, rowFromResults } from "./runtimes/_report.js";

const root = new URL("..", import.meta.url).pathname;

interface Lock {
  packages: Record<string, { version?: string; integrity?: string; link?: boolean }>;
}

async function pins(): Promise<{ manifest: { dependencies: Record<string, string>; optionalDependencies: Record<string, string> }; lock: Lock }> {
  const dir = join(root, "test", "runtimes", "tools");
  return {
    manifest: JSON.parse(await readFile(join(dir, "package.json"), "utf8")),
    lock: JSON.parse(await readFile(join(dir, "package-lock.json"), "utf8")),
  };
}

describe("test:runtimes", () => {
  it("pins every runtime package with an integrity hash", async () => {
    const { manifest, lock } = await pins();
    for (const spec of Object.values({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      expect(spec, "an exact version").to.match(/^(npm:[\w@/.-]+@)?\d+\.\d+\.\d+$/);
    }
    const entries = Object.entries(lock.packages).filter(([path]) => path !== "");
    expect(entries.length).to.be.above(10);
    for (const [path, entry] of entries) expect(entry.integrity, path).to.match(/^sha512-/);
  });

  it("the README names exactly the versions it tests", async () => {
    const { manifest, lock } = await pins();
    const readme = await readFile(join(root, "README.md"), "utf8");
    const intro = readme.slice(readme.indexOf("## What this is"), readme.indexOf("What it does that"));
    const table = readme.slice(readme.indexOf("## Runtimes"), readme.indexOf("## In a browser"));
    const nodes = [...new Set(Object.values(manifest.optionalDependencies).map((spec) => spec.split("@").at(-1) as string))];
    expect(nodes).to.have.length(5);
    for (const version of nodes) {
      expect(table, `Node ${version}`).to.contain(version);
      expect(intro, `Node ${version}`).to.contain(version.split(".").slice(0, 2).join("."));
    }
    const workerd = lock.packages["node_modules/workerd"]?.version as string;
    for (const version of [manifest.dependencies.bun, manifest.dependencies.deno, workerd]) {
      expect(table, version).to.contain(version);
    }
    for (const version of [manifest.dependencies.bun, manifest.dependencies.deno, workerd.split(".").slice(0, 2).join(".")]) {
      expect(intro, version).to.contain(version);
    }
  });

  it("installs the optional peers beside the package: @opentelemetry/api at the exact version of the devDependency, and no SDK", async () => {
    const { devDependencies } = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
    expect(devDependencies["@opentelemetry/api"], "pinned exactly").to.match(/^\d+\.\d+\.\d+$/);
    const specs = await peerSpecs();
    expect(specs).to.include(`@opentelemetry/api@${devDependencies["@opentelemetry/api"]}`);
    expect(specs.filter((spec) => spec.startsWith("@opentelemetry/"))).to.have.length(1);
    expect(specs.map((spec) => spec.slice(0, spec.lastIndexOf("@")))).to.deep.equal(["redis", "@opentelemetry/api"]);
  });

  it("tests the oldest Node that engines allows", async () => {
    const { manifest } = await pins();
    const { engines } = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { engines: { node: string } };
    const floor = /^>=(\d+)\.(\d+)(?:\.(\d+))?$/.exec(engines.node);
    expect(floor, engines.node).to.not.equal(null);
    const oldest = Object.values(manifest.optionalDependencies)
      .map((spec) => (spec.split("@").at(-1) as string).split(".").map(Number))
      .sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!)[0];
    expect(oldest).to.deep.equal([Number(floor![1]), Number(floor![2]), Number(floor![3] ?? 0)]);
  });

  describe("judging a runtime's output", () => {
    const lines = ["ok   a (x)", "ok   b", "runtime: node 20.20.2"];

    it("is green only when every check passed, the count is printed last and the exit code agrees", () => {
      const green = rowFromOutput("node 20", { code: 0, stdout: [...lines, "checks: 2/2", ""].join("\n"), stderr: "" }, 5);
      expect(green).to.include({ version: "20.20.2", passed: 2, total: 2 });
      expect(isGreen(green)).to.equal(true);
    });

    it("is red when the program crashed before printing its count", () => {
      const crashed = rowFromOutput("deno", { code: 1, stdout: lines.join("\n"), stderr: "error: boom" }, 5);
      expect(isGreen(crashed)).to.equal(false);
      expect(crashed.problem).to.contain("boom");
    });

    it("is red when the exit code and the count disagree, or lines are missing", () => {
      const exitedBadly = rowFromOutput("bun", { code: 1, stdout: [...lines, "checks: 2/2"].join("\n"), stderr: "" }, 5);
      const fewerLines = rowFromOutput("bun", { code: 0, stdout: ["ok   a", "checks: 2/2"].join("\n"), stderr: "" }, 5);
      const killed = rowFromOutput("bun", { code: null, stdout: [...lines, "checks: 2/2"].join("\n"), stderr: "" }, 5);
      for (const row of [exitedBadly, fewerLines, killed]) expect(isGreen(row)).to.equal(false);
    });

    it("is red when a Worker or a page hands back fewer results than checks", () => {
      const short = rowFromResults("chromium", "156", [{ name: "a", ok: true, detail: "" }], 2, 5);
      expect(isGreen(short)).to.equal(false);
      expect(isGreen(rowFromResults("chromium", "156", [{ name: "a", ok: true, detail: "" }, { name: "b", ok: true, detail: "" }], 2, 5))).to.equal(true);
    });

    it("prints a table of runtime, version, checks passed and time", () => {
      const table = formatTable([rowFromResults("workerd", "1.2", [{ name: "a", ok: false, detail: "" }], 1, 1500)]);
      expect(table.split("\n")).to.have.length(3);
      expect(table).to.match(/\| runtime +\| version +\| checks passed +\| time +\|/).and.to.match(/\| workerd +\| 1\.2 +\| 0\/1 +\| 1\.50 s +\|/);
    });
  });
});
