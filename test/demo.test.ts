import { expect } from "chai";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { startTokenServer } from "../src/testing/index.js";
import { compiledFile } from "./_compiled.js";
import { TOOLCHAIN_TIMEOUT_MS } from "./_spec-run.js";

const run = promisify(execFile);
const root = new URL("..", import.meta.url).pathname;

/** Runs scripts/demo.ts (compiled: _compiled.ts) as `npm start` does, from the repository root. */
function demo(env: Record<string, string>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("ASPOSE_CLOUD_")));
  return run(process.execPath, [compiledFile(`${root}scripts/demo.ts`)], { cwd: root, env: { ...clean, ...env } });
}

describe("npm start (scripts/demo.ts)", function () {
  this.timeout(TOOLCHAIN_TIMEOUT_MS);

  it("with no credentials, runs against the embedded emulator and prints a summary", async () => {
    const { stdout, stderr } = await demo({});
    expect(stderr).to.equal("");
    expect(stdout).to.match(/API {13}http:\/\/127\.0\.0\.1:\d+\/v4\.0 \(local emulator/);
    expect(stdout).to.match(/Token {11}Bearer …[0-9a-f]{8} \(fingerprint\), expires in 3600 s at \d{4}-/);
    expect(stdout).to.contain("Token requests  1");
    expect(stdout).to.match(/Service status {2}OK \(Cells; api: Operational/);
  });

  it("with credentials in the environment, uses them and ASPOSE_CLOUD_API_URL, never printing the secret or token", async () => {
    const server = await startTokenServer({ clientId: "env-id", clientSecret: "env-Secret-Canary" });
    try {
      const { stdout } = await demo({ ASPOSE_CLOUD_CLIENT_ID: "env-id", ASPOSE_CLOUD_CLIENT_SECRET: "env-Secret-Canary", ASPOSE_CLOUD_API_URL: server.baseUrl });
      expect(stdout).to.contain(`API             ${server.baseUrl}\n`);
      expect(stdout).to.match(/Service status {2}OK/);
      expect(stdout).not.to.contain("env-Secret-Canary");
      expect(server.stats).to.include({ tokenRequests: 1, apiCalls: 1, apiCallsRejected: 0 });
      expect(server.requests[0]?.form?.client_id).to.equal("env-id");
    } finally {
      await server.close();
    }
  });

  it("exits 1 with one line naming the error code when the credentials are rejected", async () => {
    const server = await startTokenServer();
    try {
      const error = await demo({ ASPOSE_CLOUD_CLIENT_ID: "id", ASPOSE_CLOUD_CLIENT_SECRET: "wrong-Canary", ASPOSE_CLOUD_API_URL: server.baseUrl }).then(
        () => undefined,
        (failure: { code: number; stderr: string }) => failure,
      );
      expect(error?.code).to.equal(1);
      expect(error?.stderr.trim().split("\n")).to.have.length(1);
      expect(error?.stderr).to.match(/^npm start: oauth_error: /);
      expect(error?.stderr).not.to.contain("wrong-Canary");
    } finally {
      await server.close();
    }
  });
});
