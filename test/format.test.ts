import { expect } from "chai";
import { formatOpenApi } from "../packages/codegen/src/pipeline/format.js";

describe("formatOpenApi", () => {
  const shared = { type: "string" };
  const document = {
    components: { schemas: { Zebra: shared, Apple: shared } },
    paths: { "/b": { get: { responses: { "200": { description: "ok" } }, operationId: "B" } }, "/a": {} },
    info: { version: "1", title: "t", description: `${"long ".repeat(40)}text` },
    openapi: "3.0.1",
  };

  it("puts keys in openapi-format's order and sorts paths and components by name", async () => {
    const text = await formatOpenApi(document);
    expect(text.split("\n").filter((line) => /^\S/.test(line))).to.deep.equal(["openapi: 3.0.1", "info:", "paths:", "components:"]);
    expect(text.indexOf("  /a:")).to.be.lessThan(text.indexOf("  /b:"));
    expect(text.indexOf("    Apple:")).to.be.lessThan(text.indexOf("    Zebra:"));
    expect(text).to.include('      operationId: B\n      responses:\n        "200":\n');
  });

  it("never folds lines nor writes anchors for shared objects", async () => {
    const text = await formatOpenApi(document);
    expect(text).to.include(`  description: ${"long ".repeat(40)}text\n`);
    expect(text).not.to.match(/[&*]a\d/);
  });

  it("gives the same bytes for the same document, without changing it", async () => {
    const before = structuredClone(document);
    expect(await formatOpenApi(document)).to.equal(await formatOpenApi(structuredClone(document)));
    expect(document).to.deep.equal(before);
  });
});
