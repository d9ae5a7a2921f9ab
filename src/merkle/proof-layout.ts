/**
 * The proof files' layout ("flux-proofs-v2", see docs/formats.md#proof-files): its parameters,
 * derived from the number of accounts, and where one account's entry and nodes are. Plain
 * arithmetic, no Node API: the writer and the reader (`proof-reader.ts`, also for browsers) share it.
 *
 * - `proofs/index/<p>.json`: the accounts whose lowercase address starts with the `indexBits`
 *   bits `p` (file name: p in lowercase hex, `indexNameWidth` digits), each
 *   `"0x<address>": [<tree position>, "<amount>"]`;
 * - `proofs/nodes/<r>.bin`: the subtree under heap node r at depth `nodeDepth`, level by level,
 *   then the proof of r up to the root: raw 32-byte nodes, nothing else (`nodeFileSize`);
 * - `proofs/layout.json`: `{ format, count, indexBits, nodeDepth, root }`.
 *
 * Why these sizes: one lookup reads one index file and one node file, at most 64 KB together at
 * 1M accounts. Node files as raw bytes (16 KB for 511 nodes, where v1's hex JSON took 35 KB) leave
 * room for index files twice as full, so a tree has two thirds as many files (8,192 at 1M
 * accounts, where v1 had 12,288) and 160 MB of them, not 235 MB. Creating the files is most of
 * the writer's system time, and on ext4 without a journal it grows with the inodes freed in the
 * last minute (each is looked up and skipped), so fewer files is the steadier figure.
 */

/** The format name of `proofs/layout.json`. */
export const PROOFS_FORMAT = "flux-proofs-v2";
/** Mean accounts of an index file at most (about 20 KB; a random 1M-account tree's fullest file is about 1.3× that). */
export const INDEX_MEAN = 256;
/** Levels of a node file: a subtree of at most 2^9 - 1 = 511 nodes (about 16 KB). */
export const NODE_LEVELS = 9;
/** Bytes of a node in a node file. */
export const NODE_BYTES = 32;

/** What `proofs/layout.json` holds. */
export interface ProofLayout {
  format: typeof PROOFS_FORMAT;
  /** Number of accounts (leaves). */
  count: number;
  /** Bits of the address prefix that groups accounts into index files. */
  indexBits: number;
  /** Depth of the subtree roots of the node files. */
  nodeDepth: number;
  /** The tree's root (0x-hex). */
  root: string;
}

/** floor(log2(x)) of a positive integer below 2^32. */
export function log2floor(x: number): number {
  return 31 - Math.clz32(x);
}

/** The layout of a tree of `count` accounts: the fewest index bits with at most INDEX_MEAN accounts a file on average. */
export function proofLayout(count: number, root: string): ProofLayout {
  let indexBits = 0;
  while (count > INDEX_MEAN * 2 ** indexBits) indexBits++;
  const nodeDepth = Math.max(0, log2floor(count) - (NODE_LEVELS - 2));
  return { format: PROOFS_FORMAT, count, indexBits, nodeDepth, root };
}

/** Hex digits of an index file's name. */
export function indexNameWidth(indexBits: number): number {
  return Math.max(1, Math.ceil(indexBits / 4));
}

/** The index file of prefix `p`, relative to the output directory. */
export function indexFile(L: ProofLayout, p: number): string {
  return `proofs/index/${p.toString(16).padStart(indexNameWidth(L.indexBits), "0")}.json`;
}

/** The index prefix of a 0x-hex address (any case). */
export function indexPrefix(L: ProofLayout, account: string): number {
  const width = indexNameWidth(L.indexBits);
  return parseInt(account.slice(2, 2 + width), 16) >>> (4 * width - L.indexBits);
}

/** The node file of subtree root r, relative to the output directory. */
export function nodeFile(r: number): string {
  return `proofs/nodes/${r}.bin`;
}

/** The subtree root (at depth `nodeDepth`) above heap node `position`. */
export function subtreeOf(L: ProofLayout, position: number): number {
  return ((position + 1) >>> (log2floor(position + 1) - L.nodeDepth)) - 1;
}

/**
 * Heap nodes [first, last] at level k below subtree root r (level 0 is r), clipped to the
 * 2·count - 1 nodes of the tree; empty (first > last) below the deepest level.
 */
export function subtreeLevel(L: ProofLayout, r: number, k: number): { first: number; last: number } {
  const first = (r + 1) * 2 ** k - 1;
  return { first, last: Math.min((r + 2) * 2 ** k - 2, 2 * L.count - 2) };
}

/**
 * Where the nodes of a node file are: `levels[k]` is the offset (in nodes) of level k's first node
 * (level k holds `subtreeLevel(L, r, k)`), `path` the offset of the path (the siblings from r up
 * to the root, `nodeDepth` nodes), `nodes` the file's length in nodes.
 */
export function nodeFileShape(L: ProofLayout, r: number): { levels: number[]; path: number; nodes: number } {
  const levels: number[] = [];
  let at = 0;
  for (let k = 0; ; k++) {
    const { first, last } = subtreeLevel(L, r, k);
    if (first > last) break;
    levels.push(at);
    at += last - first + 1;
  }
  return { levels, path: at, nodes: at + L.nodeDepth };
}
