import { expect } from "chai";
import { containsSecret, redactSecrets, scrub } from "../src/redact.js";
import { canary, spellingsOf } from "./_secret-spellings.js";

const SECRET = canary("Unit");
/** What Aspose issues: 32 hex digits. */
const HEX_SECRET = "9f2c41d07be3a65812cd9e0f4a7b3c61";

describe("redactSecrets", () => {
  for (const [name, spelling] of Object.entries(spellingsOf(SECRET))) {
    it(`replaces an echo spelled ${name} with one marker`, () => {
      expect(redactSecrets(`said: ${spelling}.`, [SECRET])).to.equal("said: [REDACTED].");
    });
  }

  it("sees through escaping nested three deep (percent-encoding of a JSON string in HTML)", () => {
    const nested = encodeURIComponent(JSON.stringify(SECRET).slice(1, -1)).replace(/%/g, "&#37;");
    expect(redactSecrets(`<a>${nested}</a>`, [SECRET])).to.equal("<a>[REDACTED]</a>");
  });

  it("leaves text without the secret as it is, base64 and escapes included", () => {
    const text = 'Client authentication failed. id=4f1c%2Fab &amp; token QUJDREVGR0hJSktMTU5PUA== \\u0041 "quoted"';
    expect(redactSecrets(text, [HEX_SECRET])).to.equal(text);
    expect(redactSecrets(text, [SECRET])).to.equal(text);
  });

  it("redacts every secret given, and runs of 12 characters or more only", () => {
    const text = `a ${HEX_SECRET.slice(0, 11)} b ${HEX_SECRET.slice(20)} c ${SECRET}`;
    expect(redactSecrets(text, [HEX_SECRET, SECRET])).to.equal(`a ${HEX_SECRET.slice(0, 11)} b [REDACTED] c [REDACTED]`);
  });

  it("redacts a secret shorter than 12 characters only whole", () => {
    expect(redactSecrets("the key k3y! and k3y", ["k3y!"])).to.equal("the key [REDACTED] and k3y");
  });

  it("ignores empty secrets", () => {
    expect(redactSecrets("text", [""])).to.equal("text");
  });
});

describe("containsSecret", () => {
  it("finds the whole secret in any spelling", () => {
    for (const spelling of Object.values(spellingsOf(HEX_SECRET)).filter((value) => value.length >= HEX_SECRET.length)) {
      expect(containsSecret(`https://api.example.test/${spelling}/v4.0`, HEX_SECRET), spelling).to.equal(true);
    }
  });

  it("does not count a shared prefix of 12 characters as the secret (an id and a secret may share one)", () => {
    expect(containsSecret("test-client-id", "test-client-secret")).to.equal(false);
  });
});

describe("scrub", () => {
  it("redacts before it shortens, so a secret across the cut is not left half", () => {
    const text = `${"x".repeat(190)}${encodeURIComponent(SECRET)}${"y".repeat(500)}`;
    const scrubbed = scrub(text, [SECRET]);
    expect(scrubbed).to.equal(`${"x".repeat(190)}[REDACTED]…`);
  });

  it("drops control characters and folds white space", () => {
    expect(scrub("a\u0000b\n\n c\t", [])).to.equal("a b c");
  });
});
