import { expect } from "chai";
import "./helpers/chai.js";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "mocha";
import { getAddress } from "ethers";
import {
  parseAmountColumnsCsvBytes, parseAmountsCsv, parseAmountsCsvBytes, parseAmountsJson, readAmountColumns, readAmountsFile,
  type AmountColumns, type AmountRow, type ReadOptions,
} from "../src/emissions/input.js";
import { InputError } from "../src/core/errors.js";
import { rng } from "../bench/random.js";

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

/** What a reader gives for `text`: its rows as [account, amount, where], or the message it throws. */
function outcome(read: () => AmountRow[]): [string, bigint, string][] | string {
  try {
    return read().map((r) => [r.account, r.amount, r.where]);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return `InputError: ${e.message}`;
  }
}

/** The rows of columns as `AmountRow`s (each column read back). */
function columnRows(c: AmountColumns): AmountRow[] {
  return Array.from({ length: c.count }, (_, i) => ({ account: c.account(i), amount: c.amount(i), where: c.where(i) }));
}

/**
 * The byte reader and the RFC 4180 reader agree on `text` (rows, or the error); with raw
 * accounts, so does the columnar reader (and its amounts' text is each amount's `toString()`).
 */
function expectSame(text: string, o: ReadOptions = {}): void {
  const bytes = outcome(() => parseAmountsCsvBytes(Buffer.from(text, "utf8"), "x.csv", o));
  const rfc = outcome(() => parseAmountsCsv(text, "x.csv", o));
  expect(bytes, JSON.stringify(text.slice(0, 300))).to.deep.equal(rfc);
  if (!o.raw) return;
  let digits: string[] = [];
  const columns = outcome(() => {
    const c = parseAmountColumnsCsvBytes(Buffer.from(text, "utf8"), "x.csv");
    const { bytes: d, from, to } = c.digits;
    digits = Array.from({ length: c.count }, (_, i) => Buffer.from(d.subarray(from[i], to[i])).toString("latin1"));
    return columnRows(c);
  });
  expect(columns, "columns: " + JSON.stringify(text.slice(0, 300))).to.deep.equal(rfc);
  if (Array.isArray(rfc)) expect(digits).to.deep.equal(rfc.map((r) => String(r[1])));
}

/** A random plain line: an account in any spelling, an amount of 1 to 77 digits. */
function plainLine(rnd: () => number): string {
  const hex = Array.from({ length: 40 }, () => "0123456789abcdef"[rnd() % 16]).join("");
  const spelling = rnd() % 3;
  const account = spelling === 0 ? `0x${hex}` : spelling === 1 ? `0x${hex.toUpperCase()}` : getAddress(`0x${hex}`);
  const digits = 1 + (rnd() % 77);
  const amount = digits === 1 ? String(rnd() % 10) : String(1 + (rnd() % 9)) + Array.from({ length: digits - 1 }, () => rnd() % 10).join("");
  return `${account},${amount}`;
}

describe("operator input files: the CSV byte reader (fast path) reads what the RFC 4180 reader reads", () => {
  it("plain files: same rows and lines, raw and checksummed, LF and CRLF, header, comments and blank lines", () => {
    const rnd = rng(7);
    for (let f = 0; f < 40; f++) {
      const lines: string[] = f % 2 ? ["account,amount"] : [];
      for (let k = 0; k < 60; k++) {
        const x = rnd() % 20;
        lines.push(x === 0 ? "# a comment, with \"quotes\"" : x === 1 ? "" : plainLine(rnd));
      }
      const eol = f % 3 === 0 ? "\r\n" : "\n";
      const text = lines.join(eol) + (f % 4 === 0 ? "" : eol);
      expectSame(text, { raw: true });
      expectSame(text);
    }
  });

  // lines the byte reader does not take itself: the RFC 4180 reader reads them, with their line numbers
  const A2 = A.toLowerCase();
  const other: string[] = [
    `"${A}","12"`,
    `${A}, 12`,
    ` ${A},12`,
    `${A},"1\n2"`,
    `"${A}",\n`,
    `${A},007`,
    `${A},${"9".repeat(78)}`,
    `${A},${2n ** 256n - 1n}`,
    `  `,
    `\t`,
    `# commentaire é`,
    `${A2},1\r`,
    `\ufeff${A},1`,
    `ACCOUNT,amount`,
    `"multi\nline\nquoted",5`,
  ];
  it("files mixing plain lines with quoted fields, spaces, non-ASCII text and odd amounts: same rows or the same error", () => {
    const rnd = rng(11);
    for (const odd of other) {
      for (const at of [0, 1, 5]) {
        const lines = Array.from({ length: 8 }, () => plainLine(rnd));
        lines.splice(at, 0, odd);
        expectSame(lines.join("\n") + "\n", { raw: true });
        expectSame(lines.join("\r\n"));
      }
    }
  });

  const bad: string[] = [
    `${A.slice(0, -1)}c,1`,
    `0x1234,1`,
    `${A},-5`,
    `${A},1.5`,
    `${A},${2n ** 256n}`,
    `${A},1e18`,
    `${A}`,
    `${A},1,2`,
    `${A},"1`,
    `${A},"1"x`,
    `${A},1"`,
    `0xZZ${A.slice(4)},1`,
    `${A};1`,
  ];
  it("errors: the same message and line wherever a bad line is", () => {
    const rnd = rng(13);
    for (const line of bad) {
      for (const at of [0, 3, 9]) {
        const lines = Array.from({ length: 9 }, () => plainLine(rnd));
        lines.splice(at, 0, line);
        const text = lines.join("\n") + "\n";
        expectSame(text, { raw: true });
        expectSame(text);
        expect(outcome(() => parseAmountsCsvBytes(Buffer.from(text), "x.csv")), line).to.be.a("string");
      }
    }
  });

  it("a quoted field longer than the reader's window, and a quote left open at the end", () => {
    const rnd = rng(17);
    const long = `"${"x".repeat(70_000)}\n${"y".repeat(70_000)}",1`;
    const before = Array.from({ length: 3 }, () => plainLine(rnd)).join("\n");
    expectSame(`${before}\n${long}\n${plainLine(rnd)}\n`);
    expectSame(`${before}\n${A},"12\n${"z".repeat(100_000)}\n`);
  });

  it("readAmountsFile reads the same rows through the byte reader, and still refuses a blank file", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flux-input-"));
    const rnd = rng(19);
    const text = "account,amount\n" + Array.from({ length: 500 }, () => plainLine(rnd)).join("\n") + "\n# end\n";
    const f = path.join(dir, "a.csv");
    await writeFile(f, text);
    const read = (await readAmountsFile(f, { raw: true })).map((r) => [r.account, r.amount, r.where]);
    expect(read).to.deep.equal(parseAmountsCsv(text, f, { raw: true }).map((r) => [r.account, r.amount, r.where]));
    await writeFile(path.join(dir, "blank.csv"), " \t\r\n\u00a0\n");
    await expect(readAmountsFile(path.join(dir, "blank.csv"))).to.be.rejectedWith(InputError, /blank\.csv: the file is empty$/);
  });

  it("readAmountColumns reads what readAmountsFile reads (raw), CSV and JSON (its text grows past the 68 bytes a row it plans for), with the same refusals; its columns are in shared memory", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flux-input-"));
    const rnd = rng(23);
    const lines = Array.from({ length: 300 }, () => plainLine(rnd));
    const files: Record<string, string> = {
      "a.csv": "account,amount\n" + lines.join("\n") + "\n# end\n",
      "quoted.csv": lines.map((l) => l.replace(/^(0x\w+),(\d+)$/, '"$1", "$2"')).join("\r\n"),
      "a.json": JSON.stringify(lines.map((l) => ({ account: l.split(",")[0], amount: l.split(",")[1] }))),
      "o.json": JSON.stringify(Object.fromEntries(lines.slice(0, 50).map((l) => l.split(",")))),
      "zero.csv": `${A},007\n`,
      "empty.csv": "account,amount\n# nothing\n",
      "blank.json": " \n",
      "a.txt": `${A},1\n`,
      "bad.json": `[{"account":"${A}","amount":7}]`,
    };
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    const settle = async <T>(p: Promise<T>): Promise<T | string> => p.catch((e: Error) => `${e.name}: ${e.message}`);
    for (const name of [...Object.keys(files), "missing.csv"]) {
      const f = path.join(dir, name);
      const rows = await settle(readAmountsFile(f, { raw: true }));
      const columns = await settle(readAmountColumns(f));
      if (typeof rows === "string") {
        expect(columns, name).to.equal(rows);
        continue;
      }
      expect(typeof columns, name).to.equal("object");
      const c = columns as AmountColumns;
      expect(columnRows(c), name).to.deep.equal(rows.map((r) => ({ account: r.account, amount: r.amount, where: r.where })));
      expect(c.digits.bytes.buffer).to.be.instanceOf(SharedArrayBuffer);
      expect(c.digits.from.buffer).to.be.instanceOf(SharedArrayBuffer);
      expect(c.digits.to.buffer).to.be.instanceOf(SharedArrayBuffer);
    }
  });
});
