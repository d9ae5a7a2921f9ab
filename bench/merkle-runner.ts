/**
 * One measurement of the Merkle benchmark, run in a fresh child process by `merkleBench` (so its
 * peak RSS is its own): reads the entries file, runs one implementation once, prints one JSON
 * line (`RunnerResult`) on stdout.
 *
 * Usage: node --import <tsx> --expose-gc bench/merkle-runner.ts '<RunnerSpec as JSON>'
 */
import { readFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { AbiCoder, keccak256 as ethersKeccak } from "ethers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { buildRewardTree, LEAF_ENCODING, libraryHasher, writeTreeOutput, type RewardEntry } from "../src/merkle/index.js";
import { KeccakInstance } from "../src/merkle/wasm/keccak-module.js";

/** Which implementation a child runs. */
export type RunnerImpl = "keccak-wasm" | "keccak-ethers" | "ours" | "ours-write" | "verify" | "openzeppelin" | "merkletreejs";

export interface RunnerSpec {
  impl: RunnerImpl;
  /** JSON file of `[account, amount][]` (amount a decimal string); unused by keccak runs. */
  input?: string;
  /** Entries (or, for keccak runs, 64-byte messages). */
  size: number;
  /** "ours-write": an existing directory to write the output into, left in place. */
  outDir?: string;
}

export interface RunnerResult {
  ok: true;
  /** Wall time of the measured work. */
  ms: number;
  /** CPU time of the process (all threads) during the measured work. */
  cpuMs: number;
  /** RSS after loading the input and a full GC, before the measured work (MiB). */
  baseRssMiB: number;
  /** Peak RSS of the process (MiB). */
  peakRssMiB: number;
  /** Root, when the implementation builds a tree. */
  root?: string;
  /** Phases of our builder (ms). */
  phases?: Record<string, number>;
  /** Extra facts (proof count, leaf time of a peer). */
  detail?: Record<string, number | string>;
}

const MiB = 1024 * 1024;

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? "{}") as RunnerSpec;
  const rows = spec.input ? (JSON.parse(await readFile(spec.input, "utf8")) as [string, string][]) : [];
  const prepared = prepare(spec, rows);
  rows.length = 0;
  (globalThis as { gc?: () => void }).gc?.();
  const baseRssMiB = process.memoryUsage().rss / MiB;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await run(spec, prepared);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const result: RunnerResult = {
    ok: true,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    baseRssMiB,
    peakRssMiB: (process.resourceUsage().maxRSS * 1024) / MiB,
    ...out,
  };
  process.stdout.write(JSON.stringify(result) + "\n");
}

type Prepared = { entries: RewardEntry[]; values: [string, string][] };

function prepare(spec: RunnerSpec, rows: [string, string][]): Prepared {
  if (spec.impl === "ours" || spec.impl === "ours-write" || spec.impl === "verify") {
    return { entries: rows.map(([account, amount]) => ({ account, amount: BigInt(amount) })), values: [] };
  }
  return { entries: [], values: rows.slice() };
}

async function run(spec: RunnerSpec, p: Prepared): Promise<Omit<RunnerResult, "ok" | "ms" | "cpuMs" | "baseRssMiB" | "peakRssMiB">> {
  switch (spec.impl) {
    case "keccak-wasm": {
      // keccak256 of `size` distinct 64-byte messages, in batches, as the builder hashes
      const at = KeccakInstance.RESERVED;
      const k = new KeccakInstance(at + 96 * KeccakInstance.CHUNK);
      const mem = k.bytes;
      for (let i = 0; i < 64 * KeccakInstance.CHUNK; i++) mem[at + i] = (i * 131 + 7) & 0xff;
      for (let done = 0; done < spec.size; done += KeccakInstance.CHUNK) {
        mem[at] = done & 0xff; // vary the input between batches
        k.fn.hash64(at, at + 64 * KeccakInstance.CHUNK, Math.min(KeccakInstance.CHUNK, spec.size - done));
      }
      return {};
    }
    case "keccak-ethers": {
      const msg = new Uint8Array(64);
      for (let i = 0; i < spec.size; i++) {
        msg[0] = i & 0xff;
        msg[1] = (i >> 8) & 0xff;
        ethersKeccak(msg);
      }
      return {};
    }
    case "ours": {
      const phases: Record<string, number> = {};
      const stats = { tasks: 0, workerTasks: 0 };
      const tree = buildRewardTree(p.entries, { timings: phases, stats });
      return { root: tree.root, phases, detail: { proofElements: tree.proofNodes.length, tasks: stats.tasks, workerTasks: stats.workerTasks } };
    }
    case "ours-write": {
      // into the bench's directory when given (the bench removes it at its end: see `flushDisk`
      // in bench/merkle.ts), else into a directory of its own, removed here
      const dir = spec.outDir ?? (await mkdtemp(path.join(tmpdir(), "flux-merkle-bench-out-")));
      try {
        const phases: Record<string, number> = {};
        const tree = buildRewardTree(p.entries, { timings: phases });
        const t = performance.now();
        await writeTreeOutput(path.join(dir, "out"), tree);
        phases["write output"] = performance.now() - t;
        return { root: tree.root, phases };
      } finally {
        if (!spec.outDir) await rm(dir, { recursive: true, force: true });
      }
    }
    case "verify": {
      // what emissions verify recomputes: the tree and its content hash, with @noble/hashes
      const tree = buildRewardTree(p.entries, { hasher: libraryHasher });
      return { root: tree.root, detail: { contentHash: tree.contentHash() } };
    }
    case "openzeppelin": {
      const tree = StandardMerkleTree.of(p.values, LEAF_ENCODING);
      const proofs: string[][] = [];
      for (let i = 0; i < p.values.length; i++) proofs.push(tree.getProof(i));
      return { root: tree.root, detail: { proofs: proofs.length } };
    }
    case "merkletreejs": {
      // throughput peer only: a different tree (leaves unsorted, odd nodes promoted), same leaf hash
      // (a variable specifier: the benchmark still type-checks and runs where the peer is absent)
      const peer = "merkletreejs";
      const { MerkleTree } = (await import(peer)) as { MerkleTree: MerkleTreeCtor };
      const t = performance.now();
      const coder = AbiCoder.defaultAbiCoder();
      const leaves = p.values.map(([account, amount]) => ethersKeccak(ethersKeccak(coder.encode(LEAF_ENCODING, [account, amount]))));
      const leafMs = performance.now() - t;
      const tree = new MerkleTree(leaves, ethersKeccak, { sortPairs: true });
      const proofs: string[][] = [];
      for (let i = 0; i < leaves.length; i++) proofs.push(tree.getHexProof(leaves[i]!, i));
      return { root: tree.getHexRoot(), detail: { leafMs: Math.round(leafMs) } };
    }
  }
}

interface MerkleTreeCtor {
  new (leaves: string[], hash: (data: Uint8Array) => string, options: { sortPairs: boolean }): {
    getHexRoot(): string;
    getHexProof(leaf: string, index: number): string[];
  };
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
