import { expect } from "chai";
import "./helpers/chai.js";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "mocha";
import { parseAmountsCsv, parseAmountsJson, readAmountsFile } from "../src/emissions/input.js";
import { InputError } from "../src/core/errors.js";

const A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const B = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

describe("operator input files", () => {
  it("reads CSV with or without a header, and JSON arrays and objects", () => {
    expect(parseAmountsCsv(`account,cumulativeAmount\n${A},10\n\n${B.toLowerCase()},0\n`, "x.csv").map((r) => [r.account, r.amount]))
      .to.deep.equal([[A, 10n], [B, 0n]]);
    expect(parseAmountsJson(JSON.stringify([{ account: A, amount: "5" }]), "x.json")[0]!.amount).to.equal(5n);
    expect(parseAmountsJson(JSON.stringify({ [B]: "7" }), "x.json")[0]!.account).to.equal(B);
  });

  const csvCases: [string, string, RegExp][] = [
    ["a bad checksum", `${A.slice(0, -1)}c,1`, /x\.csv:1: .*bad EIP-55 checksum/],
    ["a short address", `0x1234,1`, /x\.csv:1: .*not a 20-byte hex address/],
    ["a negative amount", `${A},-5`, /x\.csv:1: amount "-5" is negative/],
    ["a fractional amount", `${A},1.5`, /x\.csv:1: amount "1.5" is fractional/],
    ["an overflowing amount", `${A},${2n ** 256n}`, /x\.csv:1: .*overflows uint256/],
    ["an exponent", `${A},1e18`, /x\.csv:1: .*not a non-negative integer/],
    ["a missing column", `${A}`, /x\.csv:1: expected 2 columns/],
    ["an extra column", `${A},1,2`, /x\.csv:1: expected 2 columns/],
  ];
  for (const [name, line, msg] of csvCases) {
    it(`refuses ${name}, naming file and line`, () => {
      expect(() => parseAmountsCsv(line, "x.csv")).to.throw(InputError, msg);
    });
  }

  it("names the JSON entry and refuses numbers (they lose precision)", () => {
    expect(() => parseAmountsJson(JSON.stringify([{ account: A, amount: 5 }]), "x.json")).to.throw(InputError, /x\.json: entry 0: amount must be a decimal string/);
    expect(() => parseAmountsJson("{", "x.json")).to.throw(InputError, /x\.json: not valid JSON/);
    expect(() => parseAmountsJson(JSON.stringify([{ amount: "1" }]), "x.json")).to.throw(InputError, /entry 0: "account" missing/);
  });

  it("refuses duplicate accounts, naming both lines, and unknown formats", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flux-input-"));
    const f = path.join(dir, "amounts.csv");
    await writeFile(f, `${A},1\n${B},2\n${A.toLowerCase()},3\n`);
    await expect(readAmountsFile(f)).to.be.rejectedWith(InputError, /amounts\.csv: line 3: duplicate account .* \(first at line 1\)/);
    await writeFile(path.join(dir, "a.txt"), "");
    await expect(readAmountsFile(path.join(dir, "a.txt"))).to.be.rejectedWith(InputError, /unknown format/);
    await expect(readAmountsFile(path.join(dir, "nope.csv"))).to.be.rejectedWith(InputError, /cannot read \(ENOENT\)/);
    await writeFile(path.join(dir, "empty.csv"), "\n");
    await expect(readAmountsFile(path.join(dir, "empty.csv"))).to.be.rejectedWith(InputError, /empty\.csv: the file is empty$/);
  });
});
