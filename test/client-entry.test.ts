// aspose-cells-cloud-auth/client: the lean entry for code that never holds the secret. What it
// exports, that nothing it loads handles a secret or scrubs one, and that its API client works
// with a token source end to end against the emulator.
import { expect } from "chai";
import { build } from "esbuild";
import path from "node:path";
import * as client from "../src/client.js";
import { createTokenClient, postAccessToken } from "../src/index.js";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startTokenServer, type TokenServer } from "../src/testing/index.js";
import type { paths } from "../generated/cells-status.js";
import { thrownBy } from "./_http.js";
import { BROWSER_PATTERN, blockStartingWith, readmeBlocks } from "./_readme.js";

const root = path.resolve(new URL("..", import.meta.url).pathname);

/** Every source module a bundle of `entry` (as a user's bundler makes it) includes. */
async function modulesOf(contents: string): Promise<string[]> {
  const { metafile } = await build({ stdin: { contents, resolveDir: root, sourcefile: "entry.ts", loader: "ts" }, bundle: true, platform: "browser", format: "esm", write: false, metafile: true, logLevel: "silent" });
  return Object.keys(metafile.inputs).filter((input) => input.startsWith("src/"));
}

describe("aspose-cells-cloud-auth/client", () => {
  it("exports the token source, the API client and middleware, the error class and its guard", () => {
    expect(Object.keys(client).sort()).to.deep.equal(["CellsAuthError", "DEFAULT_BASE_URL", "authMiddleware", "authenticatedFetch", "createCellsClient", "createTokenSource", "isCellsAuthError"]);
  });

  it("loads no secret handling and no scrubber, whichever of its exports is used", async () => {
    const secretModules = ["src/util/redact.ts", "src/util/secret.ts", "src/store/encryption-key.ts", "src/options.ts", "src/token/post-access-token.ts", "src/token/access-token.ts"];
    const modules = await modulesOf('export * from "./src/client.ts";');
    expect(modules).to.include.members(["src/token/token-source.ts", "src/api/cells-client-with-tokens.ts"]);
    expect(modules.filter((module) => secretModules.includes(module))).to.deep.equal([]);
  });

  it("keeps src/api/ free of the scrubber, also through what it imports", async () => {
    for (const file of ["authorize.ts", "authenticated-fetch.ts", "auth-middleware.ts", "cells-client-with-tokens.ts", "replayable-body.ts"]) {
      expect(await modulesOf(`export * from "./src/api/${file}";`), file).not.to.include("src/util/redact.ts");
    }
  });

  it("is what README's page block uses: createTokenSource from /client, in at most 10 lines", async () => {
    const { code } = blockStartingWith(await readmeBlocks(), BROWSER_PATTERN.page);
    expect(code).to.contain('from "aspose-cells-cloud-auth/client"').and.contain("createTokenSource(");
    expect(code.trimEnd().split("\n").length).to.be.at.most(10);
  });

  describe("createCellsClient with a token source", () => {
    let emulator: TokenServer;
    let fetched: number;
    const credentials = { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET };
    const source = () => client.createTokenSource({
      baseUrl: emulator.baseUrl,
      fetchToken: async () => {
        fetched += 1;
        const { accessToken, expiresIn } = await postAccessToken({ ...credentials, baseUrl: emulator.baseUrl });
        return { accessToken, expiresIn };
      },
    });
    beforeEach(async () => {
      emulator = await startTokenServer();
      fetched = 0;
    });
    afterEach(() => emulator?.close());

    it("authenticates calls with the source's token: one fetchToken for many calls", async () => {
      const cells = client.createCellsClient<paths>({ tokens: source() });
      const results = await Promise.all(Array.from({ length: 20 }, () => cells.GET("/cells/status/check")));
      expect(results.map(({ response }) => response.status)).to.deep.equal(Array(20).fill(200));
      expect(fetched).to.equal(1);
      expect(emulator.stats).to.include({ apiCalls: 20, apiCallsRejected: 0 });
    });

    it("after a 401 for a revoked token, gets one new token from the source and replays once", async () => {
      const tokens = source();
      const cells = client.createCellsClient<paths>({ tokens });
      expect(emulator.revoke((await tokens.getToken()).accessToken)).to.equal(true);
      const { response } = await cells.GET("/cells/status/check");
      expect(response.status).to.equal(200);
      expect(fetched).to.equal(2);
      expect(emulator.stats).to.include({ apiCalls: 2, revokedTokenCalls: 1 });
    });

    it("needs tokens, and refuses token client options beside them (a secret has no place here)", () => {
      expect(thrownBy(() => client.createCellsClient(undefined as never))).to.include({ code: "invalid_config" });
      expect(thrownBy(() => client.createCellsClient({} as never))).to.include({ code: "invalid_config" });
      const error = thrownBy(() => client.createCellsClient({ tokens: source(), clientSecret: "s3cr3t-value-here" } as never));
      expect(error).to.include({ code: "invalid_config" });
      expect(error.message).to.contain("clientSecret").and.not.contain("s3cr3t");
    });

    it("takes a token client from the core entry too", async () => {
      const cells = client.createCellsClient<paths>({ tokens: createTokenClient({ ...credentials, baseUrl: emulator.baseUrl }) });
      expect((await cells.GET("/cells/status/check")).response.status).to.equal(200);
    });
  });
});
