import { expect } from "chai";
import { characterEntities } from "character-entities";
import { canonical } from "../src/util/canonical.js";
import { namedReference } from "../src/util/html-references.js";

const ASCII = /^[\x00-\x7f]*$/;
/** What README's Security notes promise to decode: values that are ASCII, white space or invisible, or Latin letters (with diacritics, ligatures, mathematical letters). */
const promised = (value: string) =>
  ASCII.test(canonical(value)) && (ASCII.test(value) || canonical(value).trim() === "" || /^[\u00a0-\u024f\u{1d400}-\u{1d7ff}\ufb00-\ufb06]+$/u.test(value));

describe("HTML named references", () => {
  const table = Object.entries(characterEntities);

  it("are checked against the whole HTML5 table (2125 names)", () => {
    expect(table).to.have.length(2125);
  });

  it("decodes every reference README promises, to what HTML5 says (after folding)", () => {
    const wrong = table.filter(([name, value]) => promised(value) && canonical(namedReference(name) ?? "\u0000missing") !== canonical(value));
    expect(wrong.map(([name]) => name)).to.deep.equal([]);
  });

  it("decodes no HTML5 name to anything but its value (after folding)", () => {
    const wrong = table.filter(([name, value]) => namedReference(name) !== undefined && canonical(namedReference(name)!) !== canonical(value));
    expect(wrong.map(([name]) => name)).to.deep.equal([]);
  });

  it("includes the ones seen in echoes: &period; &colon; &sol; &lowbar; &auml; &szlig; &ZeroWidthSpace;", () => {
    expect(["period", "colon", "sol", "lowbar", "auml", "szlig", "ZeroWidthSpace"].map(namedReference)).to.deep.equal([".", ":", "/", "_", "a", "ss", ""]);
  });

  it("is case-sensitive, as HTML is (&eDot; is an operator, &edot; a letter)", () => {
    expect([namedReference("edot"), namedReference("eDot"), namedReference("PERIOD")]).to.deep.equal(["e", undefined, undefined]);
  });
});
