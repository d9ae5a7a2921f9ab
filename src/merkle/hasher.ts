/**
 * The keccak256 the engine needs, behind one interface, so that the hashing is swappable: the
 * generated WebAssembly (`wasmHasher`, the default, fast, may share a build with a helper
 * thread) and `@noble/hashes` (`libraryHasher`, a plain library implementation sharing no code
 * with the WebAssembly). Both produce the same bytes; the tests build every tree with both.
 *
 * A build keeps its data in one byte array at fixed offsets (`layout.ts`): the batch operations
 * read and write that array in place, by offset, so the fast path has no per-hash call or copy.
 */

/** A byte array the batch operations of a build work in (the build's memory). */
export interface HashMemory {
  /** A view of the whole memory (offsets are indices into it). */
  readonly bytes: Uint8Array;
}

/** Sizes of the messages `BatchHasher.hashEach` hashes: one keccak block each. */
export type MessageSize = 32 | 40 | 64;

/** The hashing of one build, bound to its memory. Offsets are byte offsets into that memory. */
export interface BatchHasher {
  /** keccak256 of each `size`-byte message at `at + size·k` → 32 bytes at `out + 32k`, k < count. */
  hashEach(at: number, size: MessageSize, out: number, count: number): void;
  /**
   * The StandardMerkleTree leaf of each 64-byte abi encoding at `at + 64k`:
   * keccak256(keccak256(message)) → 32 bytes at `out + 32k`, k < count.
   */
  leaves(at: number, out: number, count: number): void;
  /**
   * Inner nodes `lo ≤ i < hi` of a heap-layout tree at `tree` (node i is the 32 bytes at
   * `tree + 32i`), computed from `hi - 1` down to `lo`: node i = keccak256 of the pair
   * (node 2i+1, node 2i+2) sorted as big-endian numbers. All nodes below `lo`'s level must exist.
   */
  nodes(tree: number, lo: number, hi: number): void;
}

/** An incremental keccak256 (the content hash of a streamed `tree.json`). */
export interface KeccakStream {
  update(data: Uint8Array): KeccakStream;
  /** The 32-byte digest of everything absorbed. */
  digest(): Uint8Array;
}

/** A keccak256 implementation. */
export interface Hasher {
  /** Names the implementation (benchmarks, messages). */
  readonly name: string;
  /** The batch operations on a build's memory. */
  bind(memory: HashMemory): BatchHasher;
  /** A new incremental hash. */
  stream(): KeccakStream;
  /** keccak256 of `data`. */
  keccak256(data: Uint8Array): Uint8Array;
}

/** keccak256 of `data` as 0x-hex, with `hasher`. */
export function keccak256Hex(hasher: Hasher, data: Uint8Array): string {
  return toHex(hasher.keccak256(data));
}

/** 0x-hex of a digest. */
export function toHex(digest: Uint8Array): string {
  return "0x" + Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength).toString("hex");
}
