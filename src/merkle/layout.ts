/**
 * Where everything of one build lives in its memory (one shared WebAssembly memory): computed
 * once, by `treeLayout(n)`, as consecutive regions after the instance's reserved tables.
 *
 * What the tree keeps: its nodes, the accounts' bytes and EIP-55 checksum hashes, the proofs as
 * node indices, windows for writing JSON. What only the build uses: the leaf hashes before
 * sorting, and SLOTS reused chunk slots of input (the abi encodings, the accounts' text, their
 * lowercase hex, a flag per entry). Every region starts at a multiple of 4 (the Uint32 views).
 */
import { KeccakInstance } from "./wasm/keccak-module.js";

/** Entries per chunk (one batch call each). */
export const CHUNK = KeccakInstance.CHUNK;
/** Chunk slots: reading runs up to SLOTS chunks ahead of hashing. */
export const SLOTS = 8;
/** The most pieces a level of the tree is split into for the tasks. */
export const MAX_PIECES = 8;
/** Scratch windows for writing JSON (a dump value is under 256 bytes, a node file under 40 KiB). */
export const WINDOW = 1 << 20;
/** Number of JSON windows taking turns: a consumer may keep JSON_WINDOWS - 1 pieces in flight. */
export const JSON_WINDOWS = 4;

/** Byte offsets of the regions of a build of `n` entries, and the sizes they derive from. */
export interface Layout {
  n: number;
  /** 2n - 1. */
  nodeCount: number;
  /** Total length of all proofs (node indices). */
  proofCount: number;
  /** Entries per chunk slot. */
  chunk: number;
  /** 32 bytes per node, OpenZeppelin's heap layout (node 0 is the root). */
  tree: number;
  /** 20 bytes per entry: the account. */
  addr: number;
  /** 32 bytes per entry: keccak256 of the account's lowercase hex (its EIP-55 checksum). */
  chk: number;
  /** 4 bytes per proof element: all proofs as node indices. */
  proofs: number;
  /** JSON_WINDOWS windows of WINDOW bytes (the tree's serializations), then one more (a proof thread's node files). */
  out: number;
  /** 32 bytes per entry: the leaf hashes, in entry order. */
  leaf: number;
  /** Chunk slots: 64 bytes per entry (abi encoding of (account, amount)). */
  enc: number;
  /** Chunk slots: 42 bytes per entry (the account's text). */
  orig: number;
  /** Chunk slots: 40 bytes per entry (the account's lowercase hex). */
  asc: number;
  /** Chunk slots: 1 byte per entry (a flag, see the `prep`/`verify` helpers). */
  flags: number;
  /** Bytes of memory the build needs. */
  size: number;
}

/** The layout of a build of n entries. */
export function treeLayout(n: number): Layout {
  const nodeCount = 2 * n - 1;
  const proofCount = proofLengthSum(n);
  const slotted = CHUNK * SLOTS;
  const sizes = {
    tree: 32 * nodeCount,
    addr: 20 * n,
    chk: 32 * n,
    proofs: 4 * proofCount,
    out: WINDOW * (JSON_WINDOWS + 1),
    leaf: 32 * n,
    enc: 64 * slotted,
    orig: 42 * slotted,
    asc: 40 * slotted,
    flags: slotted,
  };
  let at = KeccakInstance.RESERVED;
  const offsets = { ...sizes };
  for (const key of Object.keys(sizes) as (keyof typeof sizes)[]) {
    offsets[key] = at;
    at += sizes[key];
  }
  return { n, nodeCount, proofCount, chunk: CHUNK, ...offsets, size: at };
}

/** The regions of chunk slot `slot`. */
export interface SlotRegions {
  enc: number;
  orig: number;
  asc: number;
  flags: number;
}

/** Where chunk slot `slot` keeps its entries. */
export function slotRegions(L: Layout, slot: number): SlotRegions {
  const c = L.chunk * slot;
  return { enc: L.enc + 64 * c, orig: L.orig + 42 * c, asc: L.asc + 40 * c, flags: L.flags + c };
}

/** Total length of all proofs of a tree of n leaves (leaf nodes n-1..2n-2 at depth log2(node+1)). */
export function proofLengthSum(n: number): number {
  let sum = 0;
  for (let d = 0; 2 ** d <= 2 * n - 1; d++) {
    const lo = Math.max(n, 2 ** d);
    const hi = Math.min(2 * n - 1, 2 ** (d + 1) - 1);
    if (hi >= lo) sum += d * (hi - lo + 1);
  }
  return sum;
}
