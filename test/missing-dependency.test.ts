// A missing redis-server makes each suite that needs it fail once, in its `before` hook, with the
// install command; the `after` hooks cope with what `before` never set up, so nothing cascades.
// The suites run in a child mocha with REDIS_SERVER pointing at nothing.
import { execFile } from "node:child_process";
import path from "node:path";
import { expect } from "chai";
import { repoRoot } from "./_spec-workspace.js";

interface MochaJson {
  stats: { passes: number; failures: number };
  failures: Array<{ fullTitle: string; err: { message: string } }>;
}

const SUITES = ["test/redis-store.test.ts", "test/redis-fleet.test.ts", "test/readme.test.ts"];

describe("a missing redis-server", function () {
  this.timeout(120_000);

  it("fails each suite that needs it once, with the install command, and no after hook fails", async () => {
    const mocha = path.join(repoRoot, "node_modules", "mocha", "bin", "mocha.js");
    const args = [mocha, "--no-config", "--node-option", "import=tsx", "--reporter", "json", "--timeout", "60000", "--exit", ...SUITES];
    const missing = path.join(repoRoot, ".tmp", "no-such-dir", "redis-server");
    const stdout = await new Promise<string>((resolve) => {
      // mocha exits with the number of failures: the report on stdout is what counts.
      execFile(process.execPath, args, { cwd: repoRoot, env: { ...process.env, REDIS_SERVER: missing }, maxBuffer: 16 << 20 }, (_error, out) => resolve(out));
    });
    const report = JSON.parse(stdout) as MochaJson;
    expect(report.stats.passes).to.equal(0);
    expect(report.failures.map((failure) => failure.fullTitle)).to.deep.equal([
      'createRedisTokenStore (real redis-server) "before all" hook for "gives clients on separate connections one token from one request"',
      'a fleet sharing the Redis token store (child processes) "before each" hook for "4 processes x 250 concurrent getToken() on a cold fleet: one token request, one token everywhere"',
      'README.md snippets "before all" hook for "starts with the two commands: set up and run the main job, run the tests"',
    ]);
    for (const failure of report.failures) {
      expect(failure.err.message).to.equal(
        `${missing} is not installed: sudo apt-get install -y redis-server (Debian/Ubuntu) or brew install redis (macOS); npm run preflight checks every prerequisite`,
      );
    }
  });
});
