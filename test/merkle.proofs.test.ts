/**
 * The proof files ("flux-proofs-v2"): at several sizes every account's lookup (two files) gives
 * OpenZeppelin's proof and amount, the two files stay small, an absent account is "not in the
 * tree", a tampered file is refused; `emissions tree` reports its steps on stderr; and the
 * watcher's rebuild (libraryHasher) catches a tree built with a faulty hasher.
 */
import { expect } from "chai";
import "./helpers/chai.js";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress } from "ethers";
import { describe, it } from "mocha";
import {
  buildRewardTree,
  libraryHasher,
  lookupProof,
  NotInTreeError,
  ProofFiles,
  proofLayout,
  wasmHasher,
  writeTreeOutput,
  type Hasher,
  type RewardEntry,
  type StandardTreeDump,
} from "../src/merkle/index.js";
import { InputError } from "../src/core/errors.js";
import { Steps } from "../src/core/progress.js";
import { treeFromFile, WATCHER_HASHER } from "../src/emissions/commands.js";
import { buildEpochFromBalances, writeEpoch } from "../src/emissions/epoch.js";
import { rng } from "../bench/random.js";

function entriesOf(n: number, seed: number): RewardEntry[] {
  const rnd = rng(seed);
  const raw = Buffer.alloc(20);
  return Array.from({ length: n }, () => {
    for (let j = 0; j < 5; j++) raw.writeUInt32BE(rnd(), 4 * j);
    return { account: "0x" + raw.toString("hex"), amount: BigInt(rnd()) * BigInt(rnd()) * 10n ** 9n };
  });
}

/** A fetcher over a directory that records the bytes of every file fetched. */
function fetcher(dir: string, log: { file: string; bytes: number }[] = []) {
  return async (rel: string) => {
    const data = await readFile(path.join(dir, rel));
    log.push({ file: rel, bytes: data.length });
    return data;
  };
}

describe("proof files (flux-proofs-v2)", function () {
  this.timeout(180_000);
  for (const n of [1, 2, 3, 255, 256, 257, 1000, 70_000]) {
    it(`${n} accounts: every lookup (or a sample) gives OpenZeppelin's proof and amount, from two files of at most 64 KB`, async () => {
      const entries = entriesOf(n, n);
      const dir = path.join(await mkdtemp(path.join(tmpdir(), "flux-proofs-")), "out");
      await writeTreeOutput(dir, buildRewardTree(entries));
      const loaded = StandardMerkleTree.load(JSON.parse(await readFile(path.join(dir, "tree.json"), "utf8")) as StandardTreeDump);
      const values = entries.map((e) => [getAddress(e.account), e.amount.toString()]);
      const built = n <= 1000 ? StandardMerkleTree.of(values, ["address", "uint256"]) : loaded;
      expect(built.root).to.equal(loaded.root);
      const files = await ProofFiles.open(fetcher(dir));
      const step = n <= 1000 ? 1 : Math.floor(n / 1500);
      for (let i = 0; i < n; i += step) {
        const log: { file: string; bytes: number }[] = [];
        const account = i % 2 ? entries[i]!.account.toUpperCase().replace("0X", "0x") : entries[i]!.account;
        const claim = await (await ProofFiles.open(fetcher(dir, log))).lookup(account);
        const oneLookup = await files.lookup(account);
        expect(oneLookup).to.deep.equal(claim);
        expect(claim.amount).to.equal(entries[i]!.amount);
        expect(claim.proof).to.deep.equal(loaded.getProof(i));
        expect(claim.proof).to.deep.equal(built.getProof(i));
        expect(claim.position).to.equal(loaded.dump().values[i]!.treeIndex);
        const perAccount = log.filter((l) => l.file !== "proofs/layout.json");
        expect(perAccount.length).to.equal(2);
        expect(perAccount.reduce((a, l) => a + l.bytes, 0)).to.be.at.most(64 * 1024);
      }
    });
  }

  it("at 1,000,000 random accounts one lookup fetches at most 64 KiB (bound computed from the layout, nothing written)", () => {
    const n = 1_000_000;
    const L = proofLayout(n, "0x" + "00".repeat(32));
    expect([L.indexBits, L.nodeDepth]).to.deep.equal([12, 12]);
    // accounts per index file: the first indexBits bits of n random addresses
    const counts = new Uint32Array(2 ** L.indexBits);
    for (const e of entriesOf(n, 1)) counts[parseInt(e.account.slice(2, 6), 16) >>> (16 - L.indexBits)]!++;
    const fullest = counts.reduce((a, b) => Math.max(a, b), 0);
    // an entry: ,"0x<40>":[<position, 7 digits>,"<amount up to 10^27 wei, 28 digits>"]
    const entry = 1 + 2 + 40 + 3 + 7 + 2 + 28 + 2;
    const indexBytes = 2 + fullest * entry;
    // a node file: the subtree's at most 2^9 - 1 nodes and the path of nodeDepth nodes, 32 bytes a node
    const nodeBytes = (2 ** 9 - 1 + L.nodeDepth) * 32;
    expect(indexBytes, `fullest index file: ${fullest} accounts`).to.be.at.most(32 * 1024);
    expect(nodeBytes).to.equal(16_736);
    expect(indexBytes + nodeBytes).to.be.at.most(64 * 1024);
  });

  it("says an absent account is not in the tree, and refuses a tampered node or index file", async () => {
    const entries = entriesOf(3000, 7);
    const dir = path.join(await mkdtemp(path.join(tmpdir(), "flux-proofs-")), "out");
    const tree = buildRewardTree(entries);
    await writeTreeOutput(dir, tree);
    await expect(lookupProof(fetcher(dir), "0x" + "00".repeat(19) + "01")).to.be.rejectedWith(NotInTreeError, /not in the tree/);
    await expect(lookupProof(fetcher(dir), "0x1234")).to.be.rejectedWith(InputError, /not a 20-byte hex address/);
    const account = entries[5]!.account;
    const files = await ProofFiles.open(fetcher(dir));
    const r = (await files.lookup(account)).position;
    const nodeDepth = files.layout.nodeDepth;
    const nodeName = `proofs/nodes/${((r + 1) >>> (31 - Math.clz32(r + 1) - nodeDepth)) - 1}.bin`;
    const original = await readFile(path.join(dir, nodeName));
    // a node of the path changed
    const tampered = Buffer.from(original);
    tampered.fill(0x11, tampered.length - 32);
    await writeFile(path.join(dir, nodeName), tampered);
    await expect(lookupProof(fetcher(dir), account)).to.be.rejectedWith(InputError, /does not lead to the root .* tampered/);
    // a node file cut short, or one byte longer
    for (const bad of [original.subarray(0, original.length - 32), Buffer.concat([original, Buffer.from([0])])]) {
      await writeFile(path.join(dir, nodeName), bad);
      await expect(lookupProof(fetcher(dir), account)).to.be.rejectedWith(InputError, new RegExp(`^${nodeName}: ${bad.length} bytes, expected ${original.length} \\(${original.length / 32} nodes of 32 bytes\\)$`));
    }
    await writeFile(path.join(dir, nodeName), original);
    expect((await lookupProof(fetcher(dir), account)).amount).to.equal(entries[5]!.amount);
    // a fetcher that reads files as text: the JSON files are fine, a node file is refused
    const asText = async (rel: string) => readFile(path.join(dir, rel), "utf8");
    await expect(lookupProof(asText, account)).to.be.rejectedWith(InputError, new RegExp(`^${nodeName}: read as text; a node file is raw bytes`));
    // an amount raised in the index file
    const prefix = parseInt(account.slice(2, 4), 16) >> (8 - files.layout.indexBits);
    const indexName = `proofs/index/${prefix.toString(16).padStart(Math.ceil(files.layout.indexBits / 4), "0")}.json`;
    const index = JSON.parse(await readFile(path.join(dir, indexName), "utf8")) as Record<string, [number, string]>;
    index[account]![1] = (BigInt(index[account]![1]) + 1n).toString();
    await writeFile(path.join(dir, indexName), JSON.stringify(index));
    await expect(lookupProof(fetcher(dir), account)).to.be.rejectedWith(InputError, /does not lead to the root/);
    // a directory of the earlier format, or of no known one
    const layout = await readFile(path.join(dir, "proofs/layout.json"), "utf8");
    await writeFile(path.join(dir, "proofs/layout.json"), layout.replace("flux-proofs-v2", "flux-proofs-v1"));
    await expect(lookupProof(fetcher(dir), account)).to.be.rejectedWith(InputError, /^proofs\/layout\.json: format flux-proofs-v1, written by another version; this one reads flux-proofs-v2: write the directory again/);
    await writeFile(path.join(dir, "proofs/layout.json"), layout.replace("flux-proofs-v2", "other"));
    await expect(lookupProof(fetcher(dir), account)).to.be.rejectedWith(InputError, /^proofs\/layout\.json: format: /);
    await writeFile(path.join(dir, "proofs/layout.json"), layout);
    await writeFile(path.join(dir, indexName), "{");
    await expect(lookupProof(fetcher(dir), account)).to.be.rejectedWith(InputError, /index.*not valid JSON/);
  });

  it("emissions tree reports its steps on stderr", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flux-proofs-"));
    const input = path.join(dir, "in.csv");
    await writeFile(input, "account,amount\n" + entriesOf(300, 3).map((e) => `${e.account},${e.amount}`).join("\n") + "\n");
    const lines: string[] = [];
    await treeFromFile({ input, out: path.join(dir, "out") }, new Steps({ write: (l) => lines.push(l), minMs: 0 }));
    expect(lines[0]).to.match(/^reading input… 300 accounts \(\d+\.\d s\)$/);
    for (const step of ["hashing", "writing tree.json", "writing proofs", "syncing to disk"]) {
      expect(lines.some((l) => l.startsWith(`${step}… `)), step).to.equal(true);
    }
  });
});

describe("the watcher hashes independently of the builder", () => {
  /** libraryHasher with one fault: the inner node computed last (the root) gets a flipped bit. */
  const faulty: Hasher = {
    ...libraryHasher,
    name: "faulty",
    bind(memory) {
      const batch = libraryHasher.bind(memory);
      return {
        ...batch,
        hashEach: batch.hashEach.bind(batch),
        leaves: batch.leaves.bind(batch),
        nodes(tree, lo, hi) {
          batch.nodes(tree, lo, hi);
          if (lo === 0) memory.bytes[tree]! ^= 1;
        },
      };
    },
  };

  it("the watcher's hasher is not the builder's, and its rebuild catches a faulty builder's root", async () => {
    expect(WATCHER_HASHER).to.not.equal(wasmHasher);
    const rows = entriesOf(500, 9).map((e, i) => ({ account: getAddress(e.account), amount: e.amount, where: `line ${i + 1}` }));
    const o = { rows, epochStart: 1000, epochEnd: 1000 + 86_400, chainId: 1, scheduleChainId: 1, budget: () => 10n ** 24n, previous: null };
    const bad = await buildEpochFromBalances({ ...o, hasher: faulty });
    const dir = path.join(await mkdtemp(path.join(tmpdir(), "flux-watch-")), "epoch");
    await writeEpoch(dir, bad);
    const watcher = await buildEpochFromBalances({ ...o, hasher: WATCHER_HASHER });
    expect(watcher.meta.root).to.not.equal(bad.meta.root);
    expect(watcher.meta.root).to.equal(StandardMerkleTree.of(watcher.tree.accounts.map((a, i) => [a, watcher.tree.amounts[i]!.toString()]), ["address", "uint256"]).root);
    // and the published proofs do not lead to the (faulty) published root
    await expect(lookupProof(fetcher(dir), rows[0]!.account)).to.be.rejectedWith(InputError, /does not lead to the root/);
  });
});
