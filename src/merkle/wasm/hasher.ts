/**
 * The WebAssembly `Hasher` (the default): the batch functions of the generated keccak module,
 * run in place in the build's memory — which must therefore be a `KeccakInstance`'s — several
 * messages per call and two permutations at once with SIMD. Its batches can be shared with a
 * helper thread (`tasks.ts`), which instantiates the same module on the same shared memory.
 */
import type { BatchHasher, HashMemory, Hasher, KeccakStream, MessageSize } from "../hasher.js";
import { KeccakInstance } from "./keccak-module.js";
import { Keccak256, keccak256 } from "./sponge.js";

/** Batch operations of one build: calls into the instance that owns the build's memory. */
export class WasmBatch implements BatchHasher {
  constructor(readonly instance: KeccakInstance) {}

  hashEach(at: number, size: MessageSize, out: number, count: number): void {
    const fn = this.instance.fn;
    if (size === 32) fn.hash32(at, out, count);
    else if (size === 40) fn.hash40(at, out, count);
    else fn.hash64(at, out, count);
  }

  leaves(at: number, out: number, count: number): void {
    this.instance.fn.leaves(at, out, count);
  }

  nodes(tree: number, lo: number, hi: number): void {
    this.instance.nodes(tree, lo, hi);
  }
}

/** keccak256 by the generated WebAssembly. */
export const wasmHasher: Hasher = {
  name: "generated WebAssembly keccak",
  bind(memory: HashMemory): BatchHasher {
    if (!(memory instanceof KeccakInstance)) throw new Error("wasmHasher: the memory must be a KeccakInstance's (it hashes in place)");
    return new WasmBatch(memory);
  },
  stream: (): KeccakStream => new Keccak256(),
  keccak256: (data: Uint8Array): Uint8Array => keccak256(data),
};
