/**
 * The library `Hasher`: keccak256 from `@noble/hashes` (the implementation ethers uses), one call
 * per message. It shares no code with the generated WebAssembly, so a tree built or checked with
 * it is an independent computation of the same bytes (a build with it also leaves the byte work to
 * the JS helpers, `js-helpers.ts`: no generated code runs); it is several times slower on large
 * trees (a build hashes about 4 messages per entry) and never uses a helper thread.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import type { BatchHasher, HashMemory, Hasher, KeccakStream, MessageSize } from "./hasher.js";

/** Batch operations on a build's memory, one library call per message. */
class LibraryBatch implements BatchHasher {
  private readonly pair = new Uint8Array(64);
  constructor(private readonly mem: Uint8Array) {}

  hashEach(at: number, size: MessageSize, out: number, count: number): void {
    const mem = this.mem;
    for (let k = 0; k < count; k++) mem.set(keccak_256(mem.subarray(at + size * k, at + size * (k + 1))), out + 32 * k);
  }

  leaves(at: number, out: number, count: number): void {
    const mem = this.mem;
    for (let k = 0; k < count; k++) mem.set(keccak_256(keccak_256(mem.subarray(at + 64 * k, at + 64 * (k + 1)))), out + 32 * k);
  }

  nodes(tree: number, lo: number, hi: number): void {
    const { mem, pair } = this;
    for (let i = hi - 1; i >= lo; i--) {
      const left = tree + 32 * (2 * i + 1);
      const right = left + 32;
      const swap = compare32(mem, left, right) > 0;
      pair.set(mem.subarray(swap ? right : left, (swap ? right : left) + 32), 0);
      pair.set(mem.subarray(swap ? left : right, (swap ? left : right) + 32), 32);
      mem.set(keccak_256(pair), tree + 32 * i);
    }
  }
}

/** The 32 bytes at `a` against those at `b`, as big-endian numbers (negative, 0, positive). */
function compare32(mem: Uint8Array, a: number, b: number): number {
  for (let j = 0; j < 32; j++) {
    const d = mem[a + j]! - mem[b + j]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** An incremental keccak256 of the library. */
class LibraryStream implements KeccakStream {
  private readonly h = keccak_256.create();
  update(data: Uint8Array): this {
    this.h.update(data);
    return this;
  }
  digest(): Uint8Array {
    return this.h.digest();
  }
}

/** keccak256 by `@noble/hashes`. */
export const libraryHasher: Hasher = {
  name: "@noble/hashes keccak_256",
  bind: (memory: HashMemory): BatchHasher => new LibraryBatch(memory.bytes),
  stream: (): KeccakStream => new LibraryStream(),
  keccak256: (data: Uint8Array): Uint8Array => keccak_256(data),
};
