/**
 * Keccak-256 for bulk work, and the byte work around it: a WebAssembly module generated here, at
 * first use, from the Keccak-f[1600] definition (no binary blob, no dependency). It hashes whole
 * batches of short fixed-size messages in one call, so the cost per hash is the permutation
 * itself rather than call, copy and object overhead (that overhead is what limits JS keccak
 * libraries on 64-byte inputs: see the Merkle benchmark, `bench/merkle.ts`).
 *
 * Every message the batch functions hash fits one 136-byte block (one permutation per hash):
 * - `hash32`/`hash40`/`hash64`: keccak256 of each 32/40/64-byte message of a packed array;
 * - `leaves`: keccak256(keccak256(m)) of each 64-byte message (the StandardMerkleTree leaf of an
 *   abi-encoded (address, uint256));
 * - `nodes`: the inner nodes of a heap-layout tree (node i = keccak256(sort(node 2i+1, node 2i+2)),
 *   the pair sorted as big-endian numbers, as OpenZeppelin's `standardNodeHash` and `MerkleProof`).
 * Around them: `prep` parses and checks "0x"-hex addresses, `verify` checks EIP-55 spellings
 * against their hashes, `hexNodes`/`hexList` write nodes as JSON strings. `Keccak256` and
 * `keccak256(bytes)` hash arbitrary input with the same permutation (sponge, 136-byte rate).
 *
 * When the engine supports WebAssembly SIMD (Node >= 16 on x86-64/arm64), the batch functions run
 * two permutations at once in the two 64-bit lanes of v128 values and the hex functions use byte
 * shuffles; otherwise a scalar module is used (FLUX_KECCAK_SCALAR=1 forces it). Both are checked
 * against ethers' keccak256 in the tests. The memory is shared, so a worker thread can work in it
 * (`tasks.ts`).
 *
 * Files: `emit.ts` (a tiny WebAssembly emitter), `permutation.ts` (Keccak-f[1600] code),
 * `batch.ts` (the batch hash functions and `absorb`), `address.ts` (`prep`, `verify`), `hex.ts`
 * (`hexNodes`, `hexList`), this file (the module, its instances), `sponge.ts` (`Keccak256`,
 * `keccak256`), `hasher.ts` (the engine's `Hasher` on these functions), `tasks.ts` (the helper thread).
 */

import { concat, section, str, uleb, vec, type Fn } from "./emit.js";
import { HEX_CHARS, HEX_TABLE, prepFn, verifyFn } from "./address.js";
import { absorbFn, batchFn, nodesFn } from "./batch.js";
import { hexListFn, hexNodesFn } from "./hex.js";
import { permFn, roundConstantBytes, ROUND_CONSTANTS_AT } from "./permutation.js";

const EXPORTS = ["hash32", "hash40", "hash64", "leaves", "nodes", "absorb", "prep", "verify", "hexNodes", "hexList"] as const;

/** The module's bytes (exported so that a change of the generators can be checked byte for byte). */
export function moduleBytes(simd: boolean): Uint8Array {
  const fns: Fn[] = [
    batchFn(simd, 4, false),
    batchFn(simd, 5, false),
    batchFn(simd, 8, false),
    batchFn(simd, 8, true),
    nodesFn(simd),
    absorbFn(),
    prepFn(),
    verifyFn(),
    hexNodesFn(simd),
    hexListFn(simd),
    permFn(simd),
    permFn(false),
  ];
  // one function type per function (in the same order)
  const types = fns.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const bytes = concat([
    [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    section(1, vec(types)),
    // import env.memory: shared (limits flag 3: min 1 page, max 65536 pages), so that worker
    // threads can hash in the same memory
    section(2, vec([[...str("env"), ...str("memory"), 0x02, 0x03, 1, ...uleb(65536)]])),
    section(3, vec(fns.map((_, i) => uleb(i)))),
    section(7, vec(EXPORTS.map((name, i) => [...str(name), 0x00, i]))), // PERM_* follow the exports
    section(10, vec(fns.map((f) => f.body()))),
  ]);
  return Uint8Array.from(bytes);
}

// --------------------------------------------------------------------------- the JS side

type BatchFn = (inPtr: number, outPtr: number, n: number) => void;

/** The exported functions of one instance. Pointers are byte offsets into `memory`. */
export interface KeccakExports {
  /** keccak256 of each 32-byte message at in + 32k → out + 32k. */
  hash32: BatchFn;
  /** keccak256 of each 40-byte message at in + 40k → out + 32k. */
  hash40: BatchFn;
  /** keccak256 of each 64-byte message at in + 64k → out + 32k. */
  hash64: BatchFn;
  /** keccak256(keccak256(m)) of each 64-byte message at in + 64k → out + 32k. */
  leaves: BatchFn;
  /** Heap-tree inner nodes i in [lo, hi), descending: node i = H(sorted(node 2i+1, node 2i+2)). */
  nodes: (tree: number, lo: number, hi: number) => void;
  /** Sponge absorb of `blocks` 136-byte blocks at data into the 200-byte state at `state`. */
  absorb: (state: number, data: number, blocks: number) => void;
  /** Address parsing, see `prepFn`: returns the number of invalid addresses. */
  prep: (orig: number, enc: number, asc: number, addr: number, flags: number, n: number) => number;
  /** EIP-55 check of mixed-case addresses, see `verifyFn`: returns the number of bad checksums. */
  verify: (orig: number, addr: number, chk: number, flags: number, n: number) => number;
  /** JSON array elements `"0x…",` (69 bytes each) of nodes first..first+count-1. */
  hexNodes: (tree: number, first: number, count: number, out: number) => void;
  /** JSON array elements `"0x…",` (69 bytes each) of the nodes whose u32 indices are at `list`. */
  hexList: (tree: number, list: number, count: number, out: number) => void;
}

// The project's TypeScript lib (es2023, no DOM) has no WebAssembly types: the few used here.
/** A compiled module (opaque). */
export interface WasmModule {
  readonly __wasmModule: unique symbol;
}
/** A linear memory. */
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
  Memory: new (descriptor: { initial: number; maximum: number; shared: true }) => WasmMemory;
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: { module: WasmModule; simd: boolean } | undefined;

/** The compiled module (SIMD when the engine validates it, scalar otherwise). */
export function keccakModule(): { module: WasmModule; simd: boolean } {
  if (!compiled) {
    // SIMD unless the engine refuses it (or FLUX_KECCAK_SCALAR=1 asks for the scalar code)
    let simd = process.env.FLUX_KECCAK_SCALAR !== "1";
    let module: WasmModule | undefined;
    if (simd) {
      try {
        module = new WA.Module(moduleBytes(true));
      } catch {
        simd = false;
      }
    }
    compiled = { module: module ?? new WA.Module(moduleBytes(false)), simd };
  }
  return compiled;
}

/** Scalar module, for tests (both variants must agree). */
export function scalarKeccakModule(): WasmModule {
  return new WA.Module(moduleBytes(false));
}

const PAGE = 65536;

/**
 * An instance with its own linear memory of at least `bytes` bytes (fixed size, shared: a
 * `KeccakTasks` worker may instantiate the same module on it).
 */
export class KeccakInstance {
  readonly memory: WasmMemory;
  readonly fn: KeccakExports;
  /** Entries per batch call: callers split work into chunks (the engine tiers code up early). */
  static readonly CHUNK = 4096;
  /** The first bytes of memory hold the tables of `prep`/`verify` and the permutation's round constants: callers use offsets from here. */
  static readonly RESERVED = 512;

  /** An instance whose memory has `bytes` bytes at least, counted from offset 0. */
  constructor(bytes: number, module: WasmModule = keccakModule().module) {
    const pages = Math.max(1, Math.ceil(bytes / PAGE));
    if (pages > 65536) throw new Error(`keccak: ${bytes} bytes exceed the 4 GiB of a WebAssembly memory`);
    this.memory = new WA.Memory({ initial: pages, maximum: pages, shared: true });
    this.fn = instanceOn(module, this.memory);
    const mem = this.bytes;
    mem.fill(0xff, HEX_TABLE, HEX_TABLE + 256);
    for (let v = 0; v < 16; v++) {
      const lower = "0123456789abcdef".charCodeAt(v);
      mem[HEX_TABLE + lower] = v;
      mem[HEX_TABLE + "0123456789ABCDEF".charCodeAt(v)] = v;
      mem[HEX_CHARS + v] = lower;
    }
    mem.set(roundConstantBytes(), ROUND_CONSTANTS_AT);
  }

  /** A view of the whole memory. */
  get bytes(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }

  /** Inner nodes [lo, hi) of a heap tree at `tree`, in chunks from the top index down. */
  nodes(tree: number, lo: number, hi: number): void {
    const chunk = KeccakInstance.CHUNK;
    const bottom = Math.max(lo, 1);
    for (let top = hi; top > bottom; top -= chunk) this.fn.nodes(tree, Math.max(bottom, top - chunk), top);
    if (lo === 0 && hi > 0) this.fn.nodes(tree, 0, 1); // the root after its children
  }
}

/** The exports of `module` instantiated on an existing shared memory: a `KeccakInstance`'s, whose first bytes hold the tables and round constants. */
function instanceOn(module: WasmModule, memory: WasmMemory): KeccakExports {
  return new WA.Instance(module, { env: { memory } }).exports as unknown as KeccakExports;
}
