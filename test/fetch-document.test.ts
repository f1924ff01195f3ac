import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect } from "chai";
import { fetchDocument, resolveSource } from "../packages/codegen/src/pipeline/fetch-document.js";
import { isPipelineError } from "../packages/codegen/src/pipeline/errors.js";
import { rejectionOf } from "./_async.js";
import { fixturesDir } from "./_spec-workspace.js";

describe("fetchDocument", () => {
  it("times out a server that never answers, naming the host (UNREACHABLE)", async () => {
    const server: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const error = await rejectionOf(fetchDocument(resolveSource(`http://127.0.0.1:${port}/spec`, "."), 100), isPipelineError);
      expect(error.code).to.equal("UNREACHABLE");
      expect(error.message).to.equal(`cannot reach host 127.0.0.1:${port} (timed out after 100 ms) fetching http://127.0.0.1:${port}/spec`);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("reads a local file relative to the base folder, and fails with UNREADABLE for a missing one", async () => {
    const fetched = await fetchDocument(resolveSource("upstream-openapi3.yaml", fixturesDir));
    expect(fetched.sha256).to.match(/^[0-9a-f]{64}$/);
    expect(fetched.source.given).to.equal("upstream-openapi3.yaml");
    const error = await rejectionOf(fetchDocument(resolveSource("missing.yaml", fixturesDir)), isPipelineError);
    expect(error.code).to.equal("UNREADABLE");
    expect(error.message).to.equal("cannot read missing.yaml: ENOENT");
  });

  it("treats http(s) and file: URLs as URLs, anything else as a path", () => {
    expect(resolveSource("HTTPS://example.com/spec", "/base")).to.include({ kind: "url" });
    expect(resolveSource("file:///tmp/spec.yaml", "/base")).to.deep.include({ kind: "file", file: "/tmp/spec.yaml" });
    expect(resolveSource("spec.yaml", "/base")).to.deep.include({ kind: "file", file: path.resolve("/base", "spec.yaml") });
  });
});
