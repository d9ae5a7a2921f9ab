/**
 * The Merkle engine's two hashers build the same trees: the generated WebAssembly (`wasmHasher`,
 * the default) and `@noble/hashes` (`libraryHasher`), each against OpenZeppelin's
 * StandardMerkleTree — same root, every proof, same dump and canonical JSON, same proof files and
 * content hash, same refusals (a library build does its byte work with the JS helpers, so these
 * also check those against the WebAssembly ones) — and the library hasher works on any byte
 * array on its own.
 */
import { expect } from "chai";
import "./helpers/chai.js";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, hexlify, keccak256 as ethersKeccak } from "ethers";
import { describe, it } from "mocha";
import {
  buildRewardTree,
  canonicalDumpJson,
  contentHash,
  LEAF_ENCODING,
  libraryHasher,
  proofLayout,
  wasmHasher,
  writeTreeOutput,
  type Hasher,
  type RewardEntry,
  type StandardTreeDump,
} from "../src/merkle/index.js";
import { MAX_UINT256 } from "../src/core/amounts.js";
import { InputError } from "../src/core/errors.js";
import { rng } from "../bench/random.js";

const HASHERS: [string, Hasher][] = [
  ["wasm", wasmHasher],
  ["library", libraryHasher],
];

const LARGE = [0n, 1n, 2n ** 64n - 1n, 2n ** 64n, 2n ** 128n + 5n, MAX_UINT256 - 1n, MAX_UINT256];

/** n distinct random accounts in mixed spellings; amounts include the extremes of uint256. */
function entriesOf(n: number, seed: number): RewardEntry[] {
  const rnd = rng(seed);
  const out: RewardEntry[] = [];
  const seen = new Set<string>();
  while (out.length < n) {
    const lower = hexlify(Uint8Array.from({ length: 20 }, () => rnd() & 0xff));
    if (seen.has(lower)) continue;
    seen.add(lower);
    const style = rnd() % 3;
    const account = style === 0 ? lower : style === 1 ? getAddress(lower) : "0x" + lower.slice(2).toUpperCase();
    out.push({ account, amount: rnd() % 2 ? LARGE[rnd() % LARGE.length]! : BigInt(rnd()) * 10n ** 18n });
  }
  return out;
}

function reference(entries: RewardEntry[]) {
  return StandardMerkleTree.of(
    entries.map((e) => [getAddress(e.account.toLowerCase()), e.amount.toString()]),
    LEAF_ENCODING,
  );
}

describe("Merkle engine: both hashers build OpenZeppelin's tree", () => {
  for (const n of [1, 2, 3, 5, 8, 9, 17, 257, 1000]) {
    it(`${n} entries: same root, proofs, dump, JSON, proof files and content hash with either hasher`, () => {
      const entries = entriesOf(n, 1000 + n);
      const oz = reference(entries);
      const ozJson = JSON.stringify(oz.dump());
      const trees = HASHERS.map(([, hasher]) => buildRewardTree(entries, { hasher }));
      for (const [t, [name]] of trees.map((tree, i) => [tree, HASHERS[i]!] as const)) {
        expect(t.root, name).to.equal(oz.root);
        for (let i = 0; i < n; i++) expect(t.proof(i), `${name} proof ${i}`).to.deep.equal(oz.getProof(i));
        expect(t.proofOf(entries[n - 1]!.account.toLowerCase()), name).to.deep.equal(oz.getProof(n - 1));
        expect(t.dump(), name).to.deep.equal(oz.dump());
        expect(Buffer.from(t.dumpJson()).toString("utf8"), name).to.equal(ozJson);
        expect(t.contentHash(), name).to.equal(ethersKeccak(Buffer.from(ozJson, "utf8")));
        expect(t.total, name).to.equal(entries.reduce((s, e) => s + e.amount, 0n));
      }
      const L = proofLayout(n, trees[0]!.root);
      const starts = trees[0]!.indexStarts(L);
      for (let p = 0; p < 2 ** L.indexBits; p++) expect(Buffer.from(trees[1]!.indexFileJson(starts, p)).equals(Buffer.from(trees[0]!.indexFileJson(starts, p)))).to.equal(true);
      for (let r = 2 ** L.nodeDepth - 1; r < 2 ** (L.nodeDepth + 1) - 1; r++) {
        expect(Buffer.from(trees[1]!.nodeFileBytes(L, r)).equals(Buffer.from(trees[0]!.nodeFileBytes(L, r)))).to.equal(true);
      }
    });
  }

  it("the wasm hasher with the helper thread builds what the library hasher builds (60,000 entries)", () => {
    const entries = entriesOf(60_000, 6);
    const stats = { tasks: 0, workerTasks: 0 };
    const shared = buildRewardTree(entries, { workers: true, stats });
    const library = buildRewardTree(entries, { hasher: libraryHasher, workers: true });
    expect(library.root).to.equal(shared.root);
    expect(Buffer.from(library.dumpJson()).equals(Buffer.from(shared.dumpJson()))).to.equal(true);
    expect(library.proof(59_999)).to.deep.equal(shared.proof(59_999));
  });

  it("writes the same output directory with either hasher", async () => {
    const entries = entriesOf(300, 3);
    const dir = await mkdtemp(path.join(tmpdir(), "flux-merkle-hashers-"));
    const infos = [];
    for (const [name, hasher] of HASHERS) infos.push(await writeTreeOutput(path.join(dir, name), buildRewardTree(entries, { hasher })));
    expect(infos[1]).to.deep.equal(infos[0]);
    for (const file of ["tree.json", "root.json", "proofs/layout.json", "proofs/index/0.json", "proofs/index/1.json", "proofs/nodes/1.bin", "proofs/nodes/2.bin"]) {
      const [a, b] = await Promise.all(HASHERS.map(([name]) => readFile(path.join(dir, name, file))));
      expect(a!.equals(b!), file).to.equal(true);
    }
    expect(infos[0]!.contentHash).to.equal(ethersKeccak(await readFile(path.join(dir, "wasm", "tree.json"))));
  });

  it("hashes a plain dump to the same content hash with either hasher", () => {
    const dump = reference(entriesOf(20, 20)).dump() as StandardTreeDump;
    const expected = ethersKeccak(Buffer.from(canonicalDumpJson(dump), "utf8"));
    for (const [name, hasher] of HASHERS) expect(contentHash(dump, hasher), name).to.equal(expected);
  });
});

describe("Merkle engine: both hashers refuse the same inputs", () => {
  const good = (): RewardEntry[] => entriesOf(5, 5).map((e) => ({ account: getAddress(e.account.toLowerCase()), amount: e.amount }));
  const refuse = (entries: unknown, pattern: RegExp): void => {
    for (const [name, hasher] of HASHERS) {
      expect(() => buildRewardTree(entries as RewardEntry[], { hasher }), name).to.throw(InputError, pattern);
    }
  };
  it("no entries", () => refuse([], /reward entries: \(root\): no entries/));
  it("a duplicate account, in any spelling, naming both entries", () => {
    const e = good();
    e[3]!.account = e[0]!.account.toUpperCase().replace("0X", "0x");
    refuse(e, new RegExp(`reward entries: 3\\.account: duplicate account ${e[0]!.account}: entry 0 has it too`));
  });
  it("bad addresses and a bad EIP-55 checksum", () => {
    const e = good();
    e[1]!.account = "0x1234";
    refuse(e, /reward entries: 1\.account: "0x1234" is not a 20-byte hex address/);
    for (const bad of ["0x" + "g".repeat(40), "0X" + "ab".repeat(20), "1x" + "ab".repeat(20), "0x\uff41" + "a".repeat(39), "0x\u0141" + "a".repeat(39), "0x" + "ab".repeat(19) + "a ", "0x" + "ab".repeat(19) + "a:"]) {
      e[1]!.account = bad;
      refuse(e, /reward entries: 1\.account: .* is not a 20-byte hex address/);
    }
    const e2 = good();
    const text = e2[2]!.account;
    const at = text.search(/[a-fA-F]/);
    const flipped = text.slice(0, at) + (text[at] === text[at]!.toUpperCase() ? text[at]!.toLowerCase() : text[at]!.toUpperCase()) + text.slice(at + 1);
    e2[2]!.account = flipped;
    refuse(e2, new RegExp(`reward entries: 2\\.account: "${flipped}" has a bad EIP-55 checksum`));
  });
  it("negative and over-uint256 amounts", () => {
    const e = good();
    e[0]!.amount = -1n;
    e[4]!.amount = MAX_UINT256 + 1n;
    refuse(e, /0\.amount: -1 is negative[^]*\n.*4\.amount: \d+ overflows uint256/);
  });
});

describe("Merkle engine: the hashers on their own", () => {
  it("keccak256 and streams of any length equal ethers' keccak256", () => {
    const rnd = rng(9);
    for (const len of [0, 1, 31, 32, 64, 135, 136, 137, 272, 1000, 5000]) {
      const data = Uint8Array.from({ length: len }, () => rnd() & 0xff);
      const expected = ethersKeccak(data);
      for (const [name, hasher] of HASHERS) {
        expect(hexlify(hasher.keccak256(data)), `${name} ${len}`).to.equal(expected);
        const s = hasher.stream();
        for (let at = 0; at < len; at += 97) s.update(data.subarray(at, Math.min(len, at + 97)));
        expect(hexlify(s.digest()), `${name} stream ${len}`).to.equal(expected);
      }
    }
  });

  it("the library hasher's batches work in any byte array: messages, leaves, sorted-pair nodes", () => {
    const rnd = rng(10);
    const mem = Uint8Array.from({ length: 4096 }, () => rnd() & 0xff);
    const batch = libraryHasher.bind({ bytes: mem });
    batch.hashEach(0, 40, 2000, 3);
    for (let k = 0; k < 3; k++) expect(hexlify(mem.subarray(2000 + 32 * k, 2032 + 32 * k))).to.equal(ethersKeccak(mem.subarray(40 * k, 40 * k + 40)));
    batch.leaves(128, 2200, 2);
    for (let k = 0; k < 2; k++) expect(hexlify(mem.subarray(2200 + 32 * k, 2232 + 32 * k))).to.equal(ethersKeccak(ethersKeccak(mem.subarray(128 + 64 * k, 192 + 64 * k))));
    // a heap tree of 4 leaves at 3000 (nodes 3..6): nodes 0..2 from them
    batch.nodes(3000, 0, 3);
    const node = (i: number): Uint8Array => mem.subarray(3000 + 32 * i, 3032 + 32 * i);
    for (const i of [2, 1, 0]) {
      const [a, b] = [hexlify(node(2 * i + 1)), hexlify(node(2 * i + 2))].sort();
      expect(hexlify(node(i)), `node ${i}`).to.equal(ethersKeccak(a! + b!.slice(2)));
    }
  });

  it("the wasm hasher refuses a memory that is not its own", () => {
    expect(() => wasmHasher.bind({ bytes: new Uint8Array(64) })).to.throw(/KeccakInstance/);
  });
});
