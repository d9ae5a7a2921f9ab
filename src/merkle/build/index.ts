/**
 * `buildRewardTree`: a pipeline of stages over one build (`context.ts`) — read the entries
 * (`read.ts`), index the accounts (`accounts.ts`), place the leaves (`leaves.ts`), hash the inner
 * nodes and list the proofs (`nodes.ts`) — whose results make up the `RewardTree`.
 */
import type { Hasher } from "../hasher.js";
import { Issues, show } from "../issues.js";
import { JSON_WINDOWS, WINDOW } from "../layout.js";
import { SortScratch } from "../sort.js";
import { RewardTree } from "../tree.js";
import { MAX_ENTRIES, type DecimalText, type EntryColumns, type RewardEntry } from "../types.js";
import { WasmBatch, wasmHasher } from "../wasm/hasher.js";
import { indexAccounts, type AccountIndex } from "./accounts.js";
import { openBuild, phaseClock, type Build } from "./context.js";
import { ColumnInput, RowInput, type EntryInput } from "./entries.js";
import { placeLeaves } from "./leaves.js";
import { hashNodes, type Proofs } from "./nodes.js";
import { ChunkSlots, readEntries } from "./read.js";

/** Options of `buildRewardTree`. */
export interface BuildOptions {
  /** Names the input in error messages (default "reward entries"). */
  where?: string;
  /** The keccak256 implementation (default `wasmHasher`; `libraryHasher` builds the same tree). */
  hasher?: Hasher;
  /** If given, receives the milliseconds spent in each phase (for benchmarks). */
  timings?: Record<string, number>;
  /**
   * Share the hashing with a helper thread (default: from 50,000 entries on a machine with a
   * second core; only with `wasmHasher`). The tree is the same either way.
   */
  workers?: boolean;
  /**
   * Compute every proof during the build (default true: while the helper thread hashes, which
   * `proof(i)` then reads); false: on the first `proof(i)`, for a caller that needs none (the
   * proof files are written from the nodes: 0.4 s and 80 MB less at 1M accounts).
   */
  proofs?: boolean;
  /** If given, receives how the hashing tasks were shared. */
  stats?: { tasks: number; workerTasks: number };
}

/**
 * Builds the tree of `entries` (see the module comment). Throws an InputError naming each bad
 * entry (the first 20): not an address, a bad EIP-55 checksum (mixed case), an amount that is not
 * a bigint, negative or over uint256, a duplicate account (naming both entries), or no entry.
 */
export function buildRewardTree(entries: readonly RewardEntry[], opts: BuildOptions = {}): RewardTree {
  const issues = new Issues(opts.where ?? "reward entries");
  checkShape(entries, issues);
  return build(new RowInput(entries), issues, opts);
}

/**
 * Builds the tree of entries given as columns (`EntryColumns`: what a file reader makes without
 * an object per entry), the same tree as `buildRewardTree` of the same entries, with the same
 * messages (the amount's message aside: the text must be canonical decimal within uint256). The
 * tree shows the columns' decimal text in its JSON and makes bigint amounts only if asked.
 */
export function buildRewardTreeFromColumns(cols: EntryColumns, opts: BuildOptions = {}): RewardTree {
  const { count, accountAt, digits } = cols;
  if (accountAt.length < count || digits.from.length < count || digits.to.length < count) throw new TypeError("buildRewardTreeFromColumns: columns shorter than their count");
  const issues = new Issues(opts.where ?? "reward entries");
  checkCount(cols.count, issues);
  return build(new ColumnInput(cols), issues, opts);
}

function build(input: EntryInput, issues: Issues, opts: BuildOptions): RewardTree {
  const phase = phaseClock(opts.timings);
  const b = openBuild(input, { hasher: opts.hasher ?? wasmHasher, workers: opts.workers }, issues, phase);
  phase("allocate");
  try {
    return runStages(b, opts.proofs ?? true);
  } finally {
    b.tasks.finish();
    if (opts.stats) Object.assign(opts.stats, { tasks: b.tasks.count, workerTasks: b.tasks.byWorker });
  }
}

/** Refuses what is not a non-empty array of at most MAX_ENTRIES. */
function checkShape(entries: readonly RewardEntry[], issues: Issues): void {
  if (!Array.isArray(entries)) {
    issues.add("(root)", `expected an array of { account, amount }, got ${show(entries)}`);
    issues.throwIfAny();
  }
  checkCount(entries.length, issues);
}

/** Refuses no entry, or more than MAX_ENTRIES. */
function checkCount(n: number, issues: Issues): void {
  if (n === 0) issues.add("(root)", "no entries (a Merkle tree needs at least one leaf)");
  if (n > MAX_ENTRIES) issues.add("(root)", `${n} entries, more than the ${MAX_ENTRIES} supported`);
  issues.throwIfAny();
}

/** The stages, in order. */
function runStages(b: Build, eagerProofs: boolean): RewardTree {
  const slots = new ChunkSlots(b);
  const values = readEntries(b, slots);
  const scratch = new SortScratch(b.n);
  const accounts = indexAccounts(b, slots, scratch);
  const treeIndex = placeLeaves(b, scratch);
  const proofs = hashNodes(b, treeIndex, eagerProofs);
  return assemble(b, values, accounts, treeIndex, proofs);
}

/** The tree over the build's memory. */
function assemble(b: Build, values: { amounts?: bigint[]; digits?: DecimalText; total: bigint }, accounts: AccountIndex, treeIndex: Uint32Array, proofs: () => Proofs): RewardTree {
  const { L, n } = b;
  const view = (from: number, length: number): Uint8Array => new Uint8Array(b.mem.buffer, from, length);
  return new RewardTree({
    ...values,
    count: n,
    nodes: view(L.tree, 32 * L.nodeCount),
    addresses: view(L.addr, 20 * n),
    checksums: view(L.chk, 32 * n),
    treeIndex,
    proofs,
    ...accounts,
    memory: b.mem,
    helpers: b.helpers,
    hasher: b.hasher,
    window: { at: L.out, size: WINDOW, count: JSON_WINDOWS },
    shared: b.hash instanceof WasmBatch,
  });
}
