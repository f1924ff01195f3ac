import { expect } from "chai";
import { corsHint } from "../src/util/cors-hint.js";

describe("corsHint", () => {
  const failed = new TypeError("Failed to fetch");

  it("in a page, says that a cross-origin request blocked by CORS fails like a network error", () => {
    const hint = corsHint("https://api.aspose.cloud/v4.0/cells/connect/token?x=1", failed, "https://app.example");
    expect(hint).to.contain("CORS").and.to.contain("https://api.aspose.cloud allows requests from https://app.example");
    expect(hint).not.to.contain("x=1");
  });

  it("says nothing for a same-origin request, an error that is not a TypeError, or outside a page", () => {
    expect(corsHint("https://app.example/api", failed, "https://app.example")).to.equal("");
    expect(corsHint("https://api.aspose.cloud/v4.0", new Error("x"), "https://app.example")).to.equal("");
    expect(corsHint("https://api.aspose.cloud/v4.0", failed, undefined)).to.equal("");
    expect(corsHint("https://api.aspose.cloud/v4.0", failed)).to.equal(""); // Node.js has no page
  });
});
