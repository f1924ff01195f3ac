import { expect } from "chai";
import { containsSecret, echoesSecret, redactSecrets, scrub } from "../src/util/redact.js";
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

describe("echoesSecret", () => {
  it("does not look for a secret under 8 characters in base64 or hex: chance matches in decoded noise would refuse good base URLs", () => {
    // With base64 and hex decoded for a 1-character secret, 1 port in 20 read as holding it.
    const refused = [];
    for (let port = 1; port < 65_536; port++) {
      if (echoesSecret(`http://127.0.0.1:${port}/v4.0`, "b") || echoesSecret(`http://127.0.0.1:${port}/v4.0`, "client")) refused.push(port);
    }
    expect(refused).to.deep.equal([]);
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

describe("redactSecrets: what an adversarial review found", () => {
  const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
  const cases: Array<[string, string, (secret: string) => string]> = [
    ["a raw echo of a secret with capital letters outside the BMP", "Abcdefgh\u{10400}\u{10401}ijklmnop", (s) => s],
    ["a raw echo of a secret ending in a Greek capital sigma", "ΚΛΕΙΔΙΑΣ12345678ΑΣ", (s) => s],
    ["a hex dump", HEX_SECRET, (s) => Array.from(new TextEncoder().encode(s), (b) => b.toString(16).padStart(2, "0")).join("")],
    ["base64 of UTF-16LE (.NET's Encoding.Unicode)", HEX_SECRET, (s) => base64(new Uint8Array(new Uint16Array(Array.from(s, (c) => c.charCodeAt(0))).buffer))],
    ["%uXXXX (JavaScript's escape())", "ключ-секрет-123456", (s) => escape(s)],
    ["an echo split by markup every few characters", HEX_SECRET, (s) => s.match(/.{1,5}/g)!.join("<b></b>")],
    ["an echo split by zero-width spaces and soft hyphens", HEX_SECRET, (s) => s.match(/.{1,5}/g)!.join("\u200b\u00ad")],
    ["fullwidth forms", HEX_SECRET, (s) => Array.from(s, (c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join("")],
    ["numeric references without \";\" and with leading zeros", "Xy9-secret-value", (s) => Array.from(s, (c) => `&#000${c.charCodeAt(0)}`).join(" ").replace(/ /g, "")],
    ["\\u{...} escapes", HEX_SECRET, (s) => Array.from(s, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`).join("")],
    ["base64 of base64", HEX_SECRET, (s) => btoa(btoa(s))],
  ];
  for (const [what, secret, spell] of cases) {
    it(`redacts ${what}`, () => {
      expect(redactSecrets(`bad secret ${spell(secret)} here`, [secret])).to.equal("bad secret [REDACTED] here");
    });
  }

  it("looks for a secret of combining marks only as it is (it folds to nothing)", () => {
    const marks = "\u0301\u0302\u0303\u0304";
    expect(redactSecrets(`x${marks}y`, [marks])).to.equal("x[REDACTED]y");
  });

  it("stays fast on a hostile 64 KiB body (no quadratic path): a bound for liveness, not a benchmark", () => {
    for (const unit of ["%41", "%", "&#x41;", "&", "\\u0041", "\\u{", "<a", "A", "+", "\u0301", "QUJD"]) {
      const body = unit.repeat(Math.ceil(65_536 / unit.length));
      const started = performance.now();
      scrub(body, [HEX_SECRET]);
      redactSecrets(body, [HEX_SECRET]); // the CLI redacts whole texts of unknown origin
      expect(performance.now() - started, unit).to.be.below(10_000);
    }
  });
});
