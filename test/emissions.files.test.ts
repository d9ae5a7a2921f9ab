/**
 * The emissions files between commands, without a chain:
 *  - CSV input follows RFC 4180 (quoted fields, doubled quotes, commas and line breaks inside
 *    quotes, CRLF); an unterminated quote is refused naming its line; a file without rows is refused;
 *  - `emissions tree --previous` accepts a directory written by `emissions tree` (tree.json and
 *    root.json) as well as an epoch directory, and refuses anything else, or an altered tree;
 *  - `--out` of `emissions tree` and `emissions build` refuses a directory that already holds
 *    something unless `--force`.
 */
import { expect } from "chai";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, it } from "mocha";
import "./helpers/chai.js";
import { parseAmountsCsv, parseCsvRecords, readAmountsFile } from "../src/emissions/input.js";
import { buildCommand, diffCommand, treeFromFile } from "../src/emissions/commands.js";
import { buildEpochFromBalances, loadEpoch, loadPreviousAmounts, writeEpoch, type EpochMeta } from "../src/emissions/epoch.js";
import type { NetworkContext } from "../src/emissions/cli.js";
import { InputError } from "../src/core/errors.js";
import { buildRewardTree, writeTreeOutput } from "../src/merkle/index.js";
import { getAddress } from "ethers";
import { rng } from "../bench/random.js";

const A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const B = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const run = promisify(execFile);
const temp = () => mkdtemp(path.join(tmpdir(), "flux-files-"));

describe("emissions input: CSV as RFC 4180", () => {
  it("reads quoted fields, doubled quotes, a quoted comma, CRLF and spaces around quotes", () => {
    const text = `"account","cumulative amount, wei"\r\n"${A}","10"\r\n${B}, "7"\r\n`;
    expect(parseAmountsCsv(text, "x.csv").map((r) => [r.account, r.amount, r.where])).to.deep.equal([[A, 10n, "line 2"], [B, 7n, "line 3"]]);
    expect(parseCsvRecords(`a,"say ""hi"", then, go"\r\n"two\nlines",x\n\n# note\nlast`, "x.csv").map((r) => [r.line, r.fields, r.skip])).to.deep.equal([
      [1, ["a", 'say "hi", then, go'], false],
      [2, ["two\nlines", "x"], false],
      [4, [""], true],
      [5, ["# note"], true],
      [6, ["last"], false],
    ]);
    // a comma inside quotes stays in its field: one amount "1,000", refused as an amount, not as a third column
    expect(() => parseAmountsCsv(`${A},"1,000"`, "x.csv")).to.throw(InputError, /^x\.csv:1: amount .*not a non-negative integer/);
  });

  it("counts lines across quoted line breaks when naming a bad row", () => {
    expect(() => parseAmountsCsv(`"account","amount\nwei"\n${A},1\n${B},-1\n`, "x.csv")).to.throw(InputError, /^x\.csv:4: amount "-1" is negative/);
  });

  const refused: [string, string, RegExp][] = [
    ["an unterminated quote", `${A},1\n"${B},2\n${A},3\n`, /^x\.csv:2: unterminated quoted field \(the quote opened on line 2 is never closed\)$/],
    ["text after a closing quote", `"${A}"x,1`, /^x\.csv:1: unexpected text after a closing quote/],
    ["a quote inside an unquoted field", `${A},1"0`, /^x\.csv:1: a quote inside an unquoted field/],
  ];
  for (const [name, text, msg] of refused) {
    it(`refuses ${name}, naming file and line`, () => {
      expect(() => parseAmountsCsv(text, "x.csv")).to.throw(InputError, msg);
    });
  }

  it("refuses a file without rows, naming it: empty, only a header, or an empty JSON list", async () => {
    const dir = await temp();
    const cases: [string, string, RegExp][] = [
      ["empty.csv", "", /empty\.csv: the file is empty$/],
      ["blank.csv", "\r\n\n", /blank\.csv: the file is empty$/],
      ["header.csv", "account,amount\n# nobody yet\n", /header\.csv: no rows: the file holds no account and amount/],
      ["empty.json", "[]", /empty\.json: no rows: the file holds no account and amount/],
    ];
    for (const [name, text, msg] of cases) {
      await writeFile(path.join(dir, name), text);
      await expect(readAmountsFile(path.join(dir, name))).to.be.rejectedWith(InputError, msg);
    }
  });
});

describe("emissions tree: the tree from the file's columns", () => {
  it("writes what a tree built from the file's rows writes, and refuses what it refuses with the same words (random files: quoted, CRLF, comments, bad lines, duplicates, 007)", async () => {
    const dir = await temp();
    const rnd = rng(41);
    const hex = () => Array.from({ length: 40 }, () => "0123456789abcdef"[rnd() % 16]).join("");
    const settle = async <T>(p: Promise<T>): Promise<T | string> => p.catch((e: Error) => `${e.name}: ${e.message}`);
    for (let f = 0; f < 12; f++) {
      const accounts = Array.from({ length: 30 }, () => getAddress(`0x${hex()}`));
      const lines = accounts.map((a, i) => [`${a},${BigInt(rnd()) * 10n ** BigInt(rnd() % 40)}`, `"${a.toLowerCase()}", "${rnd()}"`, `# ${i}`][i % 3]!);
      const odd = [`${accounts[3]!.toUpperCase().replace("0X", "0x")},5`, `${accounts[1]},007`, `${accounts[2]!.slice(0, -1)}0,1`, `${accounts[4]},-1`, `0x${hex()},1,2`];
      if (f % 2) lines.splice(rnd() % lines.length, 0, odd[rnd() % odd.length]!);
      const input = path.join(dir, `${f}.csv`);
      await writeFile(input, "account,amount\r\n" + lines.join(f % 3 ? "\n" : "\r\n"));
      const byRows = await settle((async () => {
        const rows = await readAmountsFile(input, { raw: true });
        return writeTreeOutput(path.join(dir, `${f}-rows`), buildRewardTree(rows, { where: input }));
      })());
      const byColumns = await settle(treeFromFile({ input, out: path.join(dir, `${f}-columns`) }));
      expect(byColumns, String(f)).to.deep.equal(byRows);
      if (typeof byRows === "string") continue;
      for (const file of ["tree.json", "root.json", "proofs/layout.json"]) {
        expect(await readFile(path.join(dir, `${f}-columns`, file), "utf8")).to.equal(await readFile(path.join(dir, `${f}-rows`, file), "utf8"));
      }
    }
  });
});

describe("emissions tree: --previous and --out", () => {
  it("--previous accepts a directory written by emissions tree; a decrease is refused naming the line", async () => {
    const dir = await temp();
    await writeFile(path.join(dir, "1.csv"), `account,amount\n${A},10\n${B},5\n`);
    await treeFromFile({ input: path.join(dir, "1.csv"), out: path.join(dir, "tree1") });
    expect([...(await loadPreviousAmounts(path.join(dir, "tree1")))]).to.have.deep.members([[A, 10n], [B, 5n]]);

    await writeFile(path.join(dir, "2.csv"), `"account","amount"\r\n"${A}","12"\r\n"${B}","5"\r\n`);
    const info = await treeFromFile({ input: path.join(dir, "2.csv"), out: path.join(dir, "tree2"), previous: path.join(dir, "tree1") });
    expect(info.total).to.equal("17");
    // but it is no epoch directory, which build and verify need as --previous
    await expect(loadEpoch(path.join(dir, "tree1"))).to.be.rejectedWith(InputError, /tree1: a tree directory \(from emissions tree, no epoch\.json\), not an epoch directory/);

    await writeFile(path.join(dir, "3.csv"), `${A},11\n${B},5\n`);
    await expect(treeFromFile({ input: path.join(dir, "3.csv"), out: path.join(dir, "tree3"), previous: path.join(dir, "tree2") }))
      .to.be.rejectedWith(InputError, /3\.csv: line 1: 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 has 11, lower than last epoch's 12/);
    await writeFile(path.join(dir, "4.csv"), `${A},12\n`);
    await expect(treeFromFile({ input: path.join(dir, "4.csv"), out: path.join(dir, "tree3"), previous: path.join(dir, "tree2") }))
      .to.be.rejectedWith(InputError, /4\.csv: 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC is missing \(it had 5 last epoch\)/);
    expect(await readdir(dir)).to.not.include("tree3");
  });

  it("--previous refuses a directory that is neither a tree nor an epoch, and an altered tree.json", async () => {
    const dir = await temp();
    await mkdir(path.join(dir, "nothing"));
    await writeFile(path.join(dir, "in.csv"), `${A},10\n`);
    await expect(treeFromFile({ input: path.join(dir, "in.csv"), out: path.join(dir, "out"), previous: path.join(dir, "nothing") }))
      .to.be.rejectedWith(InputError, /nothing: neither an epoch directory \(epoch\.json, from emissions build\) nor a tree directory \(tree\.json, from emissions tree\)/);
    await treeFromFile({ input: path.join(dir, "in.csv"), out: path.join(dir, "tree") });
    const treeFile = path.join(dir, "tree", "tree.json");
    await writeFile(treeFile, (await readFile(treeFile, "utf8")).replace('"10"', '"1"'));
    await expect(loadPreviousAmounts(path.join(dir, "tree"))).to.be.rejectedWith(InputError, /tree\.json: its hash is not root\.json's contentHash .*altered/);
  });

  it("--out refuses a directory that holds a tree, unless --force; an empty or absent one is fine", async () => {
    const dir = await temp();
    await writeFile(path.join(dir, "a.csv"), `${A},10\n`);
    await writeFile(path.join(dir, "b.csv"), `${A},20\n`);
    const out = path.join(dir, "out");
    await treeFromFile({ input: path.join(dir, "a.csv"), out });
    const before = await readFile(path.join(out, "root.json"), "utf8");
    await expect(treeFromFile({ input: path.join(dir, "b.csv"), out }))
      .to.be.rejectedWith(InputError, new RegExp(`^--out ${out.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: already exists and is not empty \\(a tree directory\\); pass --force to replace it$`));
    expect(await readFile(path.join(out, "root.json"), "utf8")).to.equal(before);
    expect((await treeFromFile({ input: path.join(dir, "b.csv"), out, force: true })).total).to.equal("20");
    const empty = path.join(dir, "empty");
    await mkdir(empty);
    expect((await treeFromFile({ input: path.join(dir, "a.csv"), out: empty })).total).to.equal("10");
    await expect(treeFromFile({ input: path.join(dir, "a.csv"), out: path.join(dir, "a.csv") }))
      .to.be.rejectedWith(InputError, /a\.csv: exists and is not a directory; pass --force/);
  });

  it("emissions build --out refuses an existing epoch before reading anything, unless --force", async () => {
    const dir = await temp();
    const out = path.join(dir, "epoch");
    await mkdir(out);
    await writeFile(path.join(out, "epoch.json"), "{}");
    const noChain = {} as NetworkContext; // never reached: the refusal comes first
    const opts = { out, epochEnd: "1", previous: "", balances: "", epochStart: "", confirmations: 0, pageSize: 1 };
    await expect(buildCommand(noChain, opts)).to.be.rejectedWith(InputError, /^--out .*epoch: already exists and is not empty \(an epoch directory\); pass --force to replace it$/);
    await expect(buildCommand(noChain, { ...opts, force: true })).to.be.rejectedWith(TypeError); // got past the check, to the (absent) chain
  });

  it("emissions diff --previous accepts a tree directory", async () => {
    const dir = await temp();
    await writeFile(path.join(dir, "in.csv"), `${A},10\n`);
    await treeFromFile({ input: path.join(dir, "in.csv"), out: path.join(dir, "tree") });
    // an epoch built from a balances file (no chain): A keeps its 10 and B earns the budget
    const build = await buildEpochFromBalances({
      rows: [{ account: B, amount: 1n, where: "line 1" }], epochStart: 0, epochEnd: 100, chainId: 56, scheduleChainId: 56,
      budget: () => 1000n * 10n ** 18n, previous: { meta: { carryOut: 0n } as EpochMeta, cumulative: new Map([[A, 10n]]) },
    });
    await writeEpoch(path.join(dir, "epoch"), build);
    const text = await diffCommand({ dir: path.join(dir, "epoch"), previous: path.join(dir, "tree"), top: 5 });
    expect(text).to.match(/ok {3}no cumulative amount decreased/);
    expect(text).to.include(`${B}  0 → 1,000  (+1,000)`);
    expect(text).to.match(/1 accounts changed/); // A's 10 wei, from the tree directory, unchanged
  });

  it("`npx hardhat emissions tree`: --previous <tree dir> works, an existing --out is refused with exit code 1 and replaced with --force", async function () {
    this.timeout(180_000);
    const dir = await temp();
    const npx = process.platform === "win32" ? "npx.cmd" : "npx";
    const tree = (...args: string[]) => run(npx, ["hardhat", "emissions", "tree", ...args]).catch((e: { code: number; stderr: string }) => e);
    await writeFile(path.join(dir, "1.csv"), `"account","amount"\r\n"${A}","5"\r\n`);
    await writeFile(path.join(dir, "2.csv"), `${A},7\n`);
    const first = await tree("--input", path.join(dir, "1.csv"), "--out", path.join(dir, "t1"));
    expect(JSON.parse((first as { stdout: string }).stdout).total).to.equal("5");
    const again = (await tree("--input", path.join(dir, "2.csv"), "--out", path.join(dir, "t1"), "--previous", path.join(dir, "t1"))) as { code: number; stderr: string };
    expect(again.code).to.equal(1);
    expect(again.stderr).to.match(/error: --out .*t1: already exists and is not empty \(a tree directory\); pass --force to replace it/);
    const forced = await tree("--input", path.join(dir, "2.csv"), "--out", path.join(dir, "t1"), "--previous", path.join(dir, "t1"), "--force");
    expect(JSON.parse((forced as { stdout: string }).stdout).total).to.equal("7");
  });
});
