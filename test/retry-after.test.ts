import { expect } from "chai";
import { parseRetryAfter } from "../src/token/retry-after.js";

const now = Date.UTC(2026, 10, 22, 12, 0, 0);

describe("parseRetryAfter", () => {
  it("reads delta-seconds", () => {
    expect(parseRetryAfter("0", now)).to.equal(0);
    expect(parseRetryAfter(" 120 ", now)).to.equal(120_000);
  });

  it("reads the three HTTP date forms, relative to now", () => {
    expect(parseRetryAfter("Sun, 22 Nov 2026 12:00:30 GMT", now)).to.equal(30_000);
    expect(parseRetryAfter("Sunday, 22-Nov-26 12:01:00 GMT", now)).to.equal(60_000);
    expect(parseRetryAfter("Sun Nov 22 12:00:05 2026", now)).to.equal(5_000);
  });

  it("clamps a date in the past to zero", () => {
    expect(parseRetryAfter("Sun, 22 Nov 2026 11:00:00 GMT", now)).to.equal(0);
  });

  it("returns undefined for anything else", () => {
    for (const value of [null, undefined, "", "-1", "1.5", "soon", "2026-11-22T12:00:30Z", "99999999999999999999", "Sun, 32 Foo 2026 99:00:00 GMT"]) {
      expect(parseRetryAfter(value, now), String(value)).to.equal(undefined);
    }
  });
});
