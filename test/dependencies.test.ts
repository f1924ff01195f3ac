// openapi-fetch and openapi-typescript are pinned to exact versions (maintenance mode since
// 2026-09-19), and dependency updates come grouped (.github/dependabot.yml).
import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { repoRoot } from "./_spec-workspace.js";

interface Group {
  patterns: string[];
  "dependency-type"?: string;
}
interface Update {
  "package-ecosystem": string;
  directory: string;
  groups?: Record<string, Group>;
  ignore?: Array<{ "dependency-name": string; "update-types"?: string[]; versions?: string[] }>;
}

const manifest = async (dir = ".") => JSON.parse(await readFile(path.join(repoRoot, dir, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

/** The group dependabot puts `name` in: the first whose patterns match it. */
function groupOf(update: Update, name: string): string | undefined {
  const matches = (pattern: string) => new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\/@]/g, "\\$&")).join(".*")}$`).test(name);
  return Object.entries(update.groups ?? {}).find(([, group]) => group.patterns.some(matches))?.[0];
}

describe("dependencies", () => {
  it("openapi-fetch (the core's) and openapi-typescript (the codegen package's) are pinned to the exact versions installed", async () => {
    const { dependencies } = await manifest();
    const codegen = await manifest("packages/codegen");
    const lock = JSON.parse(await readFile(path.join(repoRoot, "package-lock.json"), "utf8")) as { packages: Record<string, { version: string }> };
    for (const [name, range] of [["openapi-fetch", dependencies["openapi-fetch"]], ["openapi-typescript", codegen.dependencies["openapi-typescript"]]] as const) {
      expect(range, name).to.match(/^\d+\.\d+\.\d+$/);
      expect(lock.packages[`node_modules/${name}`]?.version, name).to.equal(range);
    }
  });

  it("dependabot updates npm packages and GitHub Actions in groups; the openapi pair moves together, alone", async () => {
    const config = parse(await readFile(path.join(repoRoot, ".github", "dependabot.yml"), "utf8")) as { version: number; updates: Update[] };
    expect(config.version).to.equal(2);
    const npm = config.updates.find((update) => update["package-ecosystem"] === "npm" && update.directory === "/");
    const actions = config.updates.find((update) => update["package-ecosystem"] === "github-actions");
    expect(groupOf(actions as Update, "actions/checkout")).to.equal("actions");
    expect(groupOf(npm as Update, "openapi-fetch")).to.equal("openapi-ts");
    expect(groupOf(npm as Update, "openapi-typescript")).to.equal("openapi-ts");
    expect(npm?.groups?.["openapi-ts"]?.patterns).to.have.members(["openapi-fetch", "openapi-typescript"]);
    const { devDependencies } = await manifest();
    for (const name of Object.keys(devDependencies)) expect(groupOf(npm as Update, name), name).to.be.a("string");
  });

  it("dependabot leaves alone the majors TOOLCHAIN.md rules out (TypeScript 6+, tsdown 0.22+, Node 22-only releases)", async () => {
    const config = parse(await readFile(path.join(repoRoot, ".github", "dependabot.yml"), "utf8")) as { updates: Update[] };
    const ignored = new Set(config.updates.flatMap((update) => (update.ignore ?? []).map((rule) => rule["dependency-name"])));
    for (const name of ["typescript", "tsdown", "ky", "@changesets/cli"]) expect(ignored.has(name), name).to.equal(true);
  });
});
