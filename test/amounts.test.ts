import { expect } from "chai";
import { describe, it } from "mocha";
import { MAX_UINT256, parseUnitsStrict, parseWeiStrict } from "../src/core/amounts.js";
import { formatFlux } from "../src/core/format.js";

describe("amounts", () => {
  it("parses decimal FLUX exactly", () => {
    expect(parseUnitsStrict("1")).to.equal(10n ** 18n);
    expect(parseUnitsStrict("0.000000000000000001")).to.equal(1n);
    expect(parseUnitsStrict("20000")).to.equal(20_000n * 10n ** 18n);
    expect(parseUnitsStrict("1.5", 6)).to.equal(1_500_000n);
  });
  for (const bad of ["", "-1", "+1", "1e18", "0x10", " 1", "1.", ".5", "01", "1.0000000000000000001", "1,000"]) {
    it(`refuses "${bad}"`, () => expect(() => parseUnitsStrict(bad)).to.throw());
  }
  it("refuses uint256 overflow", () => {
    expect(parseWeiStrict(MAX_UINT256.toString())).to.equal(MAX_UINT256);
    expect(() => parseWeiStrict((MAX_UINT256 + 1n).toString())).to.throw(/overflows uint256/);
    expect(() => parseUnitsStrict(MAX_UINT256.toString())).to.throw(/overflows uint256/);
    expect(() => parseWeiStrict("1.5")).to.throw(/not a non-negative integer/);
  });
  it("formats wei without losing precision", () => {
    expect(formatFlux(1234567n * 10n ** 18n + 5n)).to.equal("1,234,567.000000000000000005");
    expect(formatFlux(0n)).to.equal("0");
    expect(formatFlux(-(10n ** 17n))).to.equal("-0.1");
  });
});
