/**
 * The fast reward tree builder: the same tree, proofs and dump as OpenZeppelin's
 * StandardMerkleTree, proofs accepted on-chain (OpenZeppelin's MerkleProof and the real
 * RewardsDistributor), proof files covering every account once, a content hash that is
 * the hash of tree.json, refused inputs named by entry, and an output directory replaced
 * atomically.
 */
import { expect } from "chai";
import "./helpers/chai.js";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import hre from "hardhat";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, id, keccak256 as ethersKeccak, hexlify, ZeroAddress } from "ethers";
import { describe, it } from "mocha";
import {
  buildRewardTree,
  buildRewardTreeFromColumns,
  canonicalDumpJson,
  contentHash,
  LEAF_ENCODING,
  lookupProof,
  proofLayout,
  writeTreeOutput,
  type EntryColumns,
  type RewardEntry,
  type RewardTree,
  type StandardTreeDump,
} from "../src/merkle/index.js";
import { ProofThread } from "../src/merkle/proof-thread.js";
import { proofClaims, writeLastNodeFiles, writeProofFiles } from "../src/merkle/proof-files.js";
import { KeccakInstance, keccakModule, scalarKeccakModule } from "../src/merkle/wasm/keccak-module.js";
import { keccak256Hex } from "../src/merkle/wasm/sponge.js";
import { MAX_UINT256 } from "../src/core/amounts.js";
import { InputError } from "../src/core/errors.js";
import { rng } from "../bench/random.js";

function randomBytes(rnd: () => number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => rnd() & 0xff);
}

const AMOUNTS = [0n, 1n, 10n ** 18n, 2n ** 64n - 1n, 2n ** 64n, 2n ** 128n + 5n, MAX_UINT256, 123_456_789n * 10n ** 12n];

/** n entries with distinct random accounts in mixed spellings and repeated amounts. */
function randomEntries(n: number, seed: number): RewardEntry[] {
  const rnd = rng(seed);
  const seen = new Set<string>();
  const out: RewardEntry[] = [];
  while (out.length < n) {
    const lower = hexlify(randomBytes(rnd, 20));
    if (seen.has(lower)) continue;
    seen.add(lower);
    const style = rnd() % 3;
    const account = style === 0 ? lower : style === 1 ? getAddress(lower) : "0x" + lower.slice(2).toUpperCase();
    const amount = rnd() % 2 ? AMOUNTS[rnd() % AMOUNTS.length]! : BigInt(rnd()) * 10n ** 15n;
    out.push({ account, amount });
  }
  return out;
}

/** What OpenZeppelin's library builds from the same entries. */
function reference(entries: RewardEntry[]) {
  return StandardMerkleTree.of(
    entries.map((e) => [getAddress(e.account.toLowerCase()), e.amount.toString()]),
    LEAF_ENCODING,
  );
}

/** Every file under `dir` with its text. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, file), await readFile(file, "utf8"));
  }
  return out;
}

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), "flux-merkle-"));
}

describe("reward Merkle tree: identical to StandardMerkleTree", () => {
  for (const n of [1, 2, 3, 7, 100, 1000]) {
    it(`${n} entries: same root, every proof, same dump and canonical JSON`, () => {
      const entries = randomEntries(n, n);
      const ours = buildRewardTree(entries);
      const oz = reference(entries);
      expect(ours.root).to.equal(oz.root);
      expect(ours.count).to.equal(n);
      expect(ours.total).to.equal(entries.reduce((s, e) => s + e.amount, 0n));
      for (let i = 0; i < n; i++) expect(ours.proof(i), `proof ${i}`).to.deep.equal(oz.getProof(i));
      const dump = ours.dump();
      expect(dump).to.deep.equal(oz.dump());
      expect(Buffer.from(ours.dumpJson()).toString("utf8")).to.equal(JSON.stringify(oz.dump()));
      expect(canonicalDumpJson(dump)).to.equal(JSON.stringify(oz.dump()));
      expect(ours.accounts).to.deep.equal(entries.map((e) => getAddress(e.account.toLowerCase())));
    });
  }

  it("builds the same tree with and without the helper thread (20,000 entries)", () => {
    const entries = randomEntries(20_000, 20);
    const alone = buildRewardTree(entries, { workers: false });
    const shared = buildRewardTree(entries, { workers: true });
    expect(shared.root).to.equal(alone.root);
    expect(Buffer.from(shared.dumpJson()).equals(Buffer.from(alone.dumpJson()))).to.equal(true);
    const L = proofLayout(20_000, alone.root);
    const starts = alone.indexStarts(L);
    expect(Buffer.from(shared.indexFileJson(starts, 42)).equals(Buffer.from(alone.indexFileJson(starts, 42)))).to.equal(true);
    expect(Buffer.from(shared.nodeFileBytes(L, 2 ** L.nodeDepth + 5)).equals(Buffer.from(alone.nodeFileBytes(L, 2 ** L.nodeDepth + 5)))).to.equal(true);
    expect(shared.root).to.equal(reference(entries.slice(0, 20_000)).root);
  });

  it("makes the proofs on first use when asked to (proofs: false), the same as during the build", () => {
    const entries = randomEntries(60_000, 60);
    const eager = buildRewardTree(entries);
    const lazy = buildRewardTree(entries, { proofs: false });
    expect(lazy.root).to.equal(eager.root);
    for (const i of [0, 1, 777, 59_999]) expect(lazy.proof(i)).to.deep.equal(eager.proof(i));
    expect(Buffer.from(lazy.proofNodes).equals(Buffer.from(eager.proofNodes))).to.equal(true);
    expect([...lazy.proofOffsets]).to.deep.equal([...eager.proofOffsets]);
  });

  it("has repeated amounts among the random entries (the leaves still differ by account)", () => {
    const entries = randomEntries(100, 100);
    expect(new Set(entries.map((e) => e.amount)).size).to.be.lessThan(100);
  });

  it("StandardMerkleTree.load opens our tree.json and verifies every proof", async () => {
    const entries = randomEntries(300, 7);
    const ours = buildRewardTree(entries);
    const loaded = StandardMerkleTree.load(JSON.parse(Buffer.from(ours.dumpJson()).toString("utf8")) as StandardTreeDump);
    expect(loaded.root).to.equal(ours.root);
    for (let i = 0; i < entries.length; i++) {
      expect(loaded.verify(i, ours.proof(i))).to.equal(true);
      expect(StandardMerkleTree.verify(ours.root, LEAF_ENCODING, [ours.accounts[i]!, entries[i]!.amount], ours.proof(i))).to.equal(true);
    }
    // and a wrong amount does not verify
    expect(StandardMerkleTree.verify(ours.root, LEAF_ENCODING, [ours.accounts[0]!, entries[0]!.amount + 1n], ours.proof(0))).to.equal(false);
  });
});

describe("reward Merkle tree: proofs on-chain", () => {
  it("OpenZeppelin's MerkleProof and RewardsDistributor.leaf accept every proof", async () => {
    const { ethers } = await hre.network.create();
    const harness = await ethers.deployContract("MerkleProofHarness");
    const [someone] = await ethers.getSigners();
    const a = someone!.address;
    const distributor = await ethers.deployContract("RewardsDistributor", [
      { owner: a, token: a, schedule: a, chainId: 1, operator: a, guardian: a, challengeWindow: 3600, predecessor: ZeroAddress },
    ]);
    const entries = randomEntries(64, 64);
    const tree = buildRewardTree(entries);
    for (let i = 0; i < entries.length; i++) {
      const account = tree.accounts[i]!;
      const amount = entries[i]!.amount;
      expect(await distributor.getFunction("leaf")(account, amount)).to.equal(tree.leafHash(i));
      expect(await harness.getFunction("verify")(tree.proof(i), tree.root, account, amount), `entry ${i}`).to.equal(true);
    }
    expect(await harness.getFunction("verify")(tree.proof(1), tree.root, tree.accounts[1]!, entries[1]!.amount + 1n)).to.equal(false);
    expect(await harness.getFunction("verify")(tree.proof(1), tree.root, tree.accounts[2]!, entries[1]!.amount)).to.equal(false);
  });

  it("RewardsDistributor pays every account its amount with proofs read from the proof files", async () => {
    const { ethers, networkHelpers } = await hre.network.create();
    const [owner, operator] = await ethers.getSigners();
    const token = await ethers.deployContract("MockERC20", ["Flux", "FLUX", 18]);
    const schedule = await ethers.deployContract("UnlimitedEmissionSchedule");
    const distributor = await ethers.deployContract("RewardsDistributor", [
      {
        owner: owner!.address,
        token: await token.getAddress(),
        schedule: await schedule.getAddress(),
        chainId: 1,
        operator: operator!.address,
        guardian: owner!.address,
        challengeWindow: 3600,
        predecessor: ZeroAddress,
      },
    ]);

    const entries = randomEntries(40, 40).map((e, i) => ({ ...e, amount: BigInt(i + 1) * 10n ** 18n + BigInt(i) }));
    const tree = buildRewardTree(entries);
    const dir = path.join(await tempDir(), "epoch-1");
    const info = await writeTreeOutput(dir, tree);
    const epochEnd = (await networkHelpers.time.latest()) - 1;
    await distributor.connect(operator!).getFunction("submitRoot")(info.root, BigInt(info.total), epochEnd, info.contentHash);
    await networkHelpers.time.increase(3600);
    await distributor.getFunction("activateRoot")();

    const accounts: string[] = [];
    const amounts: bigint[] = [];
    const proofs: string[][] = [];
    for (const account of tree.accounts) {
      const claim = await lookupProof((rel) => readFile(path.join(dir, rel)), account);
      accounts.push(account);
      amounts.push(claim.amount);
      proofs.push(claim.proof);
    }
    await distributor.getFunction("claimMany")(accounts, amounts, proofs);
    for (let i = 0; i < entries.length; i++) {
      expect(await token.getFunction("balanceOf")(accounts[i]!)).to.equal(entries[i]!.amount);
    }
  });
});

describe("reward Merkle tree: output files", () => {
  it("writes tree.json, root.json and proof files giving every account its proof exactly once", async () => {
    const entries = randomEntries(1000, 11);
    const tree = buildRewardTree(entries);
    const oz = reference(entries);
    const dir = path.join(await tempDir(), "out");
    const info = await writeTreeOutput(dir, tree);

    const treeBytes = await readFile(path.join(dir, "tree.json"));
    expect(keccak256Hex(treeBytes)).to.equal(info.contentHash);
    expect(StandardMerkleTree.load(JSON.parse(treeBytes.toString("utf8")) as StandardTreeDump).root).to.equal(oz.root);
    const root = JSON.parse(await readFile(path.join(dir, "root.json"), "utf8")) as Record<string, unknown>;
    expect(root).to.deep.equal({ root: oz.root, total: tree.total.toString(), count: 1000, contentHash: info.contentHash });

    const L = proofLayout(1000, oz.root);
    const seen = new Set<string>();
    for (const name of await readdir(path.join(dir, "proofs", "index"))) {
      const index = JSON.parse(await readFile(path.join(dir, "proofs", "index", name), "utf8")) as Record<string, [number, string]>;
      const keys = Object.keys(index);
      expect(keys).to.deep.equal([...keys].sort(), "ascending address order");
      for (const account of keys) {
        expect(account).to.equal(account.toLowerCase());
        expect(parseInt(account.slice(2, 3), 16) >> (4 - L.indexBits)).to.equal(parseInt(name, 16));
        seen.add(account);
      }
    }
    expect(seen.size).to.equal(1000);
    const fetchFile = (rel: string) => readFile(path.join(dir, rel));
    for (const [i, value] of oz.entries()) {
      const [account, amount] = value as [string, string];
      const claim = await lookupProof(fetchFile, account);
      expect(claim).to.deep.equal({ account, amount: BigInt(amount), position: tree.treeIndex[i], proof: oz.getProof(i) });
    }
  });

  it("writes a single index and node file for a single account", async () => {
    const tree = buildRewardTree([{ account: "0x" + "ab".repeat(20), amount: 5n }]);
    const dir = path.join(await tempDir(), "one");
    await writeTreeOutput(dir, tree);
    expect(await readdir(path.join(dir, "proofs", "index"))).to.deep.equal(["0.json"]);
    expect(await readdir(path.join(dir, "proofs", "nodes"))).to.deep.equal(["0.bin"]);
    expect(JSON.parse(await readFile(path.join(dir, "proofs", "index", "0.json"), "utf8"))).to.deep.equal({ ["0x" + "ab".repeat(20)]: [0, "5"] });
    // the one level of the subtree under node 0 (the root) and no path: the root's 32 bytes
    expect((await readFile(path.join(dir, "proofs", "nodes", "0.bin"))).toString("hex")).to.equal(tree.root.slice(2));
  });

  it("refuses a second JSON serialization of a tree while one is under way", () => {
    const tree = buildRewardTree(randomEntries(10, 10));
    const pieces = tree.dumpChunks();
    pieces.next();
    const L = proofLayout(10, tree.root);
    expect(() => tree.nodeFileBytes(L, 0)).to.throw(/one JSON serialization at a time/);
    pieces.return(undefined);
    // 10 leaves: the subtree under the root is the whole tree, its 19 nodes in heap order
    const bytes = tree.nodeFileBytes(L, 0);
    expect(bytes.length).to.equal(19 * 32);
    expect(Buffer.from(bytes.subarray(0, 32)).toString("hex")).to.equal(tree.root.slice(2));
  });

  it("writes extra files into the same directory", async () => {
    const tree = buildRewardTree(randomEntries(5, 5));
    const dir = path.join(await tempDir(), "extra");
    await writeTreeOutput(dir, tree, { "epoch.json": '{"epoch":1}\n' });
    expect(await readFile(path.join(dir, "epoch.json"), "utf8")).to.equal('{"epoch":1}\n');
    await expect(writeTreeOutput(dir, tree, { "../x.json": "" })).to.be.rejectedWith(InputError, /plain file name/);
    await expect(writeTreeOutput(dir, tree, { "root.json": "" })).to.be.rejectedWith(InputError, /plain file name/);
  });

  it("replaces the directory atomically: a failure midway leaves the previous output intact", async () => {
    const parent = await tempDir();
    const dir = path.join(parent, "out");
    const v1 = buildRewardTree(randomEntries(200, 1));
    await writeTreeOutput(dir, v1);
    const before = await snapshot(dir);

    // a failure while serializing a node file (after tree.json and every index file were written)
    const v2 = buildRewardTree(randomEntries(200, 2));
    const failing = Object.create(v2) as RewardTree;
    failing.nodeFileBytes = (L, r) => {
      if (r === 2 ** L.nodeDepth - 1) throw new Error(`injected failure at node file ${r}`);
      return v2.nodeFileBytes(L, r);
    };
    await expect(writeTreeOutput(dir, failing)).to.be.rejectedWith(/injected failure at node file/);
    expect(await snapshot(dir)).to.deep.equal(before);
    expect(await readdir(parent)).to.deep.equal(["out"]); // no temporary directory left behind

    // a failing file write (an extra file whose data cannot be written)
    await expect(writeTreeOutput(dir, v2, { "bad.json": 42 as unknown as string })).to.be.rejected;
    expect(await snapshot(dir)).to.deep.equal(before);
    expect(await readdir(parent)).to.deep.equal(["out"]);

    // and a successful write replaces everything
    const info = await writeTreeOutput(dir, v2);
    const after = await snapshot(dir);
    expect(after.get("root.json")).to.equal(JSON.stringify(info, null, 2) + "\n");
    expect(after.get("tree.json")).to.equal(Buffer.from(v2.dumpJson()).toString("utf8"));
    expect(await readdir(parent)).to.deep.equal(["out"]);
  });

  it("writes the same files from the proof thread as on the main thread", async () => {
    const tree = buildRewardTree(randomEntries(3000, 9));
    const parent = await tempDir();
    const [alone, threaded] = [path.join(parent, "alone"), path.join(parent, "threaded")];
    const started = ProofThread.start()!;
    await writeTreeOutput(alone, tree, {}, undefined, { thread: false });
    const info = await writeTreeOutput(threaded, tree, {}, undefined, { thread: started });
    expect(started.exited).to.equal(true);
    expect(await snapshot(threaded)).to.deep.equal(await snapshot(alone));
    expect(info.contentHash).to.equal(tree.contentHash());
    expect(await writeTreeOutput(path.join(parent, "auto"), tree, {}, undefined, { thread: true })).to.deep.equal(info);
    expect(await snapshot(path.join(parent, "auto"))).to.deep.equal(await snapshot(alone));
  });

  it("the proof files shared out by claims (the thread from the first, the main thread from the last node file down) are the same files, each written once", async () => {
    const tree = buildRewardTree(randomEntries(3000, 10));
    const parent = await tempDir();
    const alone = path.join(parent, "alone");
    writeProofFiles(alone, tree.count, tree.root, tree, () => undefined);
    const L = proofLayout(tree.count, tree.root);
    const nodes = 2 ** L.nodeDepth;
    const files = 2 ** L.indexBits + nodes;
    // the main thread first: it writes every node file, the thread the index files, up to the first node file
    const mainFirst = path.join(parent, "main-first");
    const claims = proofClaims(tree.count);
    expect(claims.length).to.equal(files);
    expect(writeLastNodeFiles(mainFirst, tree.count, tree.root, tree, claims)).to.equal(nodes);
    let ticks = 0;
    writeProofFiles(mainFirst, tree.count, tree.root, tree, () => ticks++, claims);
    expect(ticks).to.equal(files - nodes);
    expect(await snapshot(mainFirst)).to.deep.equal(await snapshot(alone));
    // the thread first: nothing is left (the two meeting in the middle: the proof thread test above)
    const threadFirst = path.join(parent, "thread-first");
    const all = proofClaims(tree.count);
    writeProofFiles(threadFirst, tree.count, tree.root, tree, () => undefined, all);
    expect(writeLastNodeFiles(threadFirst, tree.count, tree.root, tree, all)).to.equal(0);
    expect(await snapshot(threadFirst)).to.deep.equal(await snapshot(alone));
  });

  it("a failure in the proof thread, or in tree.json beside it, ends the thread and leaves the previous output intact", async () => {
    const parent = await tempDir();
    const dir = path.join(parent, "out");
    await writeTreeOutput(dir, buildRewardTree(randomEntries(500, 1)));
    const before = await snapshot(dir);
    const v2 = buildRewardTree(randomEntries(3000, 2));

    const thread = ProofThread.start()!;
    // (file 10: an index file — of 16 — which only the thread writes; the main thread writes node files)
    const failed = await writeTreeOutput(dir, v2, {}, undefined, { thread, failAt: 10 }).then(() => undefined, (e: unknown) => e as Error);
    expect(failed?.message).to.equal("writing proofs (worker thread): injected failure at proof file 10"); // one line
    expect(thread.exited).to.equal(true);
    expect(await snapshot(dir)).to.deep.equal(before);
    expect(await readdir(parent)).to.deep.equal(["out"]);

    const failing = Object.create(v2) as RewardTree;
    failing.dumpChunks = function* () {
      yield new Uint8Array(10);
      throw new Error("injected failure in tree.json");
    };
    const other = ProofThread.start()!;
    await expect(writeTreeOutput(dir, failing, {}, undefined, { thread: other })).to.be.rejectedWith(/injected failure in tree.json/);
    expect(other.exited).to.equal(true);
    expect(await snapshot(dir)).to.deep.equal(before);
    expect(await readdir(parent)).to.deep.equal(["out"]);
  });
});

describe("reward Merkle tree: content hash", () => {
  it("is keccak256 of the canonical dump, equal for our dump and OpenZeppelin's, and stable", () => {
    const entries = randomEntries(100, 3);
    const tree = buildRewardTree(entries);
    const oz = reference(entries);
    const expected = id(JSON.stringify(oz.dump()));
    expect(tree.contentHash()).to.equal(expected);
    expect(contentHash(tree)).to.equal(expected);
    expect(contentHash(tree.dump())).to.equal(expected);
    expect(contentHash(oz.dump() as StandardTreeDump)).to.equal(expected);
    expect(buildRewardTree(entries.map((e) => ({ ...e }))).contentHash()).to.equal(expected);
    // key order of a dump read from elsewhere does not matter; bigint amounts count as decimals
    const d = oz.dump();
    const shuffled = { values: d.values.map((v) => ({ treeIndex: v.treeIndex, value: [v.value[0], BigInt(v.value[1] as string)] })), tree: d.tree, leafEncoding: d.leafEncoding, format: d.format };
    expect(contentHash(shuffled as unknown as StandardTreeDump)).to.equal(expected);
  });

  it("changes when any single amount changes", () => {
    const entries = randomEntries(50, 9);
    const base = buildRewardTree(entries);
    const hashes = new Set([base.contentHash()]);
    for (let i = 0; i < entries.length; i += 7) {
      const changed = entries.map((e, j) => (j === i ? { ...e, amount: e.amount === 0n ? 1n : e.amount - 1n } : e));
      const tree = buildRewardTree(changed);
      expect(tree.root).to.not.equal(base.root);
      hashes.add(tree.contentHash());
    }
    expect(hashes.size).to.equal(1 + Math.ceil(entries.length / 7));
  });
});

describe("reward Merkle tree: refused inputs", () => {
  const good = (): RewardEntry[] => randomEntries(5, 5).map((e) => ({ account: getAddress(e.account.toLowerCase()), amount: e.amount }));
  const refuse = (entries: unknown, pattern: RegExp, where?: string): void => {
    expect(() => buildRewardTree(entries as RewardEntry[], where ? { where } : {})).to.throw(InputError, pattern);
  };

  it("no entries", () => refuse([], /reward entries: \(root\): no entries/));
  it("not an array", () => refuse({}, /reward entries: \(root\): expected an array/));
  it("an entry that is not an object", () => refuse([good()[0], null], /reward entries: 1: expected \{ account, amount \}/));
  it("not an address", () => {
    const e = good();
    e[2]!.account = "0x1234";
    refuse(e, /reward entries: 2\.account: "0x1234" is not a 20-byte hex address/);
    e[2]!.account = "0x" + "g".repeat(40);
    refuse(e, /reward entries: 2\.account: .* is not a 20-byte hex address/);
    for (const bad of ["0X" + "ab".repeat(20), "1x" + "ab".repeat(20), "0x\uff41" + "a".repeat(39), "0x\u0141" + "a".repeat(39), "0x" + "ab".repeat(19) + "a "]) {
      e[2]!.account = bad;
      refuse(e, /reward entries: 2\.account: .* is not a 20-byte hex address/);
    }
    (e[2] as unknown as { account: number }).account = 7;
    refuse(e, /reward entries: 2\.account: expected an address string, got number 7/);
  });
  it("a bad EIP-55 checksum", () => {
    const e = good();
    const text = e[3]!.account;
    const at = text.search(/[a-fA-F]/);
    const flipped = text.slice(0, at) + (text[at] === text[at]!.toUpperCase() ? text[at]!.toLowerCase() : text[at]!.toUpperCase()) + text.slice(at + 1);
    e[3]!.account = flipped;
    refuse(e, new RegExp(`reward entries: 3\\.account: "${flipped}" has a bad EIP-55 checksum`));
  });
  it("a duplicate account, in any spelling, naming both entries", () => {
    const e = good();
    e[4]!.account = e[1]!.account.toLowerCase();
    refuse(e, new RegExp(`reward entries: 4\\.account: duplicate account ${e[1]!.account}: entry 1 has it too`));
  });
  it("negative, over uint256 or non-bigint amounts", () => {
    const e = good();
    e[1]!.amount = -1n;
    refuse(e, /reward entries: 1\.amount: -1 is negative \(account "0x/);
    e[1]!.amount = MAX_UINT256 + 1n;
    refuse(e, /reward entries: 1\.amount: \d+ overflows uint256/);
    (e[1] as unknown as { amount: number }).amount = 5;
    refuse(e, /reward entries: 1\.amount: expected a bigint amount \(wei\), got number 5/);
    (e[1] as unknown as { amount: string }).amount = "5";
    refuse(e, /reward entries: 1\.amount: expected a bigint amount \(wei\), got "5"/);
  });
  it("reports every bad entry at once, under the caller's name", () => {
    const e = good();
    e[0]!.amount = -5n;
    e[2]!.account = "nope";
    refuse(e, /epoch 7 balances: 0\.amount: -5 is negative[^]*\nepoch 7 balances: 2\.account: "nope"/, "epoch 7 balances");
  });
  it("accepts all-lowercase and all-uppercase hex (no checksum to check) and the extremes of uint256", () => {
    const tree = buildRewardTree([
      { account: "0x" + "ab".repeat(20), amount: 0n },
      { account: "0x" + "CD".repeat(20), amount: MAX_UINT256 },
    ]);
    expect(tree.accounts).to.deep.equal([getAddress("0x" + "ab".repeat(20)), getAddress("0x" + "cd".repeat(20))]);
    expect(tree.root).to.equal(reference([{ account: "0x" + "ab".repeat(20), amount: 0n }, { account: "0x" + "cd".repeat(20), amount: MAX_UINT256 }]).root);
  });
});

/** Entries as columns; `digits` spells amount i (default: its `toString()`). */
function columnsOf(entries: { account: string; amount: bigint }[], digits: (i: number) => string = (i) => entries[i]!.amount.toString()): EntryColumns {
  const text = entries.map((_, i) => digits(i));
  const at = new Uint32Array(new SharedArrayBuffer(4 * (entries.length + 1)));
  text.forEach((t, i) => (at[i + 1] = at[i]! + t.length));
  const bytes = new Uint8Array(new SharedArrayBuffer(at[entries.length]!));
  bytes.set(Buffer.from(text.join(""), "latin1"));
  // (the accounts' text backwards, to show that only the offsets say where each one is)
  const n = entries.length;
  const accountAt = Uint32Array.from(entries, (_, i) => 42 * (n - 1 - i));
  const accounts = Buffer.from(entries.map((e) => e.account).reverse().join(""), "latin1");
  return { count: n, text: accounts, accountAt, digits: { bytes, from: at.subarray(0, n), to: at.subarray(1) } };
}

describe("reward Merkle tree: built from columns", () => {
  /** Refusal message of a build, or undefined. */
  const failure = (build: () => unknown): string | undefined => {
    try {
      build();
      return undefined;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      return e.message;
    }
  };

  for (const [n, seed] of [[1, 1], [2, 2], [3, 3], [257, 4], [60_000, 5]] as const) {
    it(`${n} entries: the same tree, amounts, total, dump and proof files as from rows`, async () => {
      const entries = randomEntries(n, seed);
      const rows = buildRewardTree(entries);
      const cols = buildRewardTreeFromColumns(columnsOf(entries), { proofs: false });
      expect(cols.root).to.equal(rows.root);
      expect(cols.count).to.equal(n);
      expect(cols.total).to.equal(rows.total);
      expect(Buffer.from(cols.dumpJson()).equals(Buffer.from(rows.dumpJson()))).to.equal(true);
      expect(cols.amount(n - 1)).to.equal(entries[n - 1]!.amount);
      expect(cols.amounts).to.deep.equal(entries.map((e) => e.amount));
      expect(cols.proof(n - 1)).to.deep.equal(rows.proof(n - 1));
      if (n < 1000) return;
      const dir = await tempDir();
      expect(await writeTreeOutput(path.join(dir, "cols"), cols, {}, undefined, { thread: true })).to.deep.equal(await writeTreeOutput(path.join(dir, "rows"), rows, {}, undefined, { thread: false }));
      expect(await snapshot(path.join(dir, "cols"))).to.deep.equal(await snapshot(path.join(dir, "rows")));
    });
  }

  it("amounts of every length up to uint256's 78 digits, and their sum, as bigints give them", () => {
    const rnd = rng(31);
    const entries = randomEntries(400, 6).map((e, i) => {
      const len = 1 + (i % 78);
      const text = len === 1 ? String(rnd() % 10) : String(1 + (rnd() % 9)) + Array.from({ length: len - 1 }, () => rnd() % 10).join("");
      return { account: e.account, amount: BigInt(text) % (MAX_UINT256 + 1n) };
    });
    entries[7]!.amount = MAX_UINT256;
    const cols = buildRewardTreeFromColumns(columnsOf(entries));
    const rows = buildRewardTree(entries);
    expect(cols.root).to.equal(rows.root);
    expect(cols.total).to.equal(rows.total);
    expect(cols.amounts).to.deep.equal(entries.map((e) => e.amount));
  });

  it("refuses what rows refuse with the same messages: duplicates in any spelling, bad checksums, text that is no address", () => {
    const rnd = rng(37);
    for (let f = 0; f < 30; f++) {
      const entries = randomEntries(40, 100 + f).map((e) => ({ ...e }));
      for (let k = 0; k < 1 + (f % 3); k++) {
        const i = rnd() % 40;
        const j = rnd() % 40;
        const kind = rnd() % 3;
        if (kind === 0 && i !== j) entries[i]!.account = entries[j]!.account.toLowerCase();
        if (kind === 1) {
          const ok = getAddress(entries[i]!.account.toLowerCase());
          const at = ok.search(/[a-fA-F]/);
          entries[i]!.account = ok.slice(0, at) + (ok[at] === ok[at]!.toUpperCase() ? ok[at]!.toLowerCase() : ok[at]!.toUpperCase()) + ok.slice(at + 1);
        }
        if (kind === 2) entries[i]!.account = "0x" + "g".repeat(40);
      }
      const expected = failure(() => buildRewardTree(entries, { where: "x.csv" }));
      expect(failure(() => buildRewardTreeFromColumns(columnsOf(entries), { where: "x.csv" })), String(f)).to.equal(expected);
    }
  });

  it("refuses amounts' text that is not canonical decimal within uint256 (the tree would show it as it is)", () => {
    const entries = randomEntries(5, 8);
    for (const bad of ["007", "0x1", "", "-1", "1.5", " 1", (MAX_UINT256 + 1n).toString(), "9".repeat(79)]) {
      expect(failure(() => buildRewardTreeFromColumns(columnsOf(entries, (i) => (i === 3 ? bad : entries[i]!.amount.toString())), { where: "x.csv" })), bad).to.equal(
        `x.csv: 3.amount: ${JSON.stringify(bad)} is not a uint256 in canonical decimal (digits only, no leading zero)`,
      );
    }
    expect(failure(() => buildRewardTreeFromColumns({ count: 0, text: new Uint8Array(0), accountAt: new Uint32Array(0), digits: { bytes: new Uint8Array(0), from: new Uint32Array(0), to: new Uint32Array(0) } }))).to.match(/\(root\): no entries/);
    expect(() => buildRewardTreeFromColumns({ ...columnsOf(entries), count: 6 })).to.throw(TypeError, /shorter than their count/);
  });
});

describe("keccak (generated WebAssembly)", () => {
  it("keccak256 of any length equals ethers' keccak256", () => {
    const rnd = rng(99);
    for (const len of [0, 1, 31, 32, 33, 63, 64, 135, 136, 137, 271, 272, 273, 1000, 1_500_000]) {
      const data = randomBytes(rnd, len);
      expect(keccak256Hex(data), `length ${len}`).to.equal(ethersKeccak(data));
    }
  });

  for (const [name, module] of [["default (SIMD when available)", () => keccakModule().module], ["scalar", scalarKeccakModule]] as const) {
    it(`batch functions of the ${name} module equal ethers' keccak256 (odd and even counts)`, () => {
      const rnd = rng(5);
      const n = 9;
      const at0 = KeccakInstance.RESERVED;
      const k = new KeccakInstance(at0 + 64 * 1024, module());
      const mem = k.bytes;
      mem.set(randomBytes(rnd, 64 * n), at0);
      const out = at0 + 32 * 1024;
      const at = (p: number, len: number): string => hexlify(mem.slice(p, p + len));
      for (const [fn, size] of [["hash32", 32], ["hash40", 40], ["hash64", 64]] as const) {
        for (const count of [1, 2, n]) {
          k.fn[fn](at0, out, count);
          for (let i = 0; i < count; i++) expect(at(out + 32 * i, 32), `${fn} ${i}/${count}`).to.equal(ethersKeccak(mem.slice(at0 + size * i, at0 + size * i + size)));
        }
      }
      k.fn.leaves(at0, out, n);
      for (let i = 0; i < n; i++) expect(at(out + 32 * i, 32)).to.equal(ethersKeccak(ethersKeccak(mem.slice(at0 + 64 * i, at0 + 64 * i + 64))));
      // nodes of a heap tree with 9 leaves at 8..16: each inner node is the hash of its sorted children
      const tree = at0 + 48 * 1024;
      mem.set(randomBytes(rnd, 32 * 17), tree);
      k.nodes(tree, 0, 8);
      for (let i = 7; i >= 0; i--) {
        const a = at(tree + 32 * (2 * i + 1), 32);
        const b = at(tree + 32 * (2 * i + 2), 32);
        const [x, y] = BigInt(a) <= BigInt(b) ? [a, b] : [b, a];
        expect(at(tree + 32 * i, 32), `node ${i}`).to.equal(ethersKeccak(x + y.slice(2)));
      }
      // JSON elements of nodes: consecutive, and by a list of u32 indices
      const text = (p: number, len: number): string => Buffer.from(mem.subarray(p, p + len)).toString("latin1");
      const element = (node: number): string => `"${at(tree + 32 * node, 32)}",`;
      k.fn.hexNodes(tree, 3, 5, out);
      expect(text(out, 69 * 5)).to.equal([3, 4, 5, 6, 7].map(element).join(""));
      const list = at0 + 60 * 1024;
      new Uint32Array(mem.buffer, list, 4).set([16, 0, 9, 2]);
      k.fn.hexList(tree, list, 4, out);
      expect(text(out, 69 * 4)).to.equal([16, 0, 9, 2].map(element).join(""));
    });
  }
});
