/**
 * The bytes of the proof files (index files' JSON and node files' raw nodes, see
 * `proof-layout.ts`) from what a built tree shares with them: its nodes and accounts (in the
 * build's memory), each value's tree position, the accounts' address order and the amounts'
 * decimal text. With the WebAssembly
 * hasher all of it is in shared memory (the build's WebAssembly memory and SharedArrayBuffers),
 * so a worker thread (`proof-thread.ts`) can write the proof files from the same bytes while the
 * main thread writes tree.json; each side writes into its own windows.
 */
import { JsonWindow } from "./json-window.js";
import { NODE_BYTES, subtreeLevel, type ProofLayout } from "./proof-layout.js";
import type { DecimalText } from "./types.js";

/** Most bytes of one index entry: `,"0x` + 40 digits + `":[` + position + `,"` + 78 digits + `"]`. */
const INDEX_ENTRY_MAX = 4 + 40 + 3 + 10 + 2 + 78 + 2;

/** A Uint32Array of `n` zeros in shared memory (a worker thread sees the same array). */
export function sharedUint32(n: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(4 * n));
}

/** The decimal text of every amount, in shared memory (written once, copied into each JSON that shows the amounts). */
export function decimalText(amounts: readonly bigint[]): DecimalText {
  const n = amounts.length;
  const at = sharedUint32(n + 1);
  let bytes = new Uint8Array(Math.max(64, 26 * n));
  let p = 0;
  for (let i = 0; i < n; i++) {
    const s = amounts[i]!.toString();
    if (p + s.length > bytes.length) {
      const grown = new Uint8Array(2 * bytes.length + s.length);
      grown.set(bytes.subarray(0, p));
      bytes = grown;
    }
    for (let k = 0; k < s.length; k++) bytes[p++] = s.charCodeAt(k);
    at[i + 1] = p;
  }
  const shared = new Uint8Array(new SharedArrayBuffer(p));
  shared.set(bytes.subarray(0, p));
  return { bytes: shared, from: at.subarray(0, n), to: at.subarray(1) };
}

/** What the proof files are made of (views: nothing is copied). */
export interface ProofSource {
  /** Number of values (accounts). */
  count: number;
  /** The build's whole memory; nodes (32 bytes each, heap layout) and accounts (20 bytes each) are at these offsets. */
  memory: Uint8Array;
  nodesAt: number;
  addressesAt: number;
  /** Node index of each value's leaf. */
  treeIndex: Uint32Array;
  /** Value indices in ascending address order. */
  byAddress: Uint32Array;
  digits: DecimalText;
}

/** The accounts' bytes and tree positions in address order, and where each one's amount text is. */
interface AddressOrder {
  addresses: Uint8Array;
  treeIndex: Uint32Array;
  /** Amount k (in address order) is `digits.bytes[from[k] .. to[k])`. */
  from: Uint32Array;
  to: Uint32Array;
}

/** Writes index and node files of one source (one file at a time). */
export class ProofJson {
  private scratch: Uint8Array | undefined;
  private ordered: AddressOrder | undefined;

  /** `window`: where in `memory` a node file may be written ({@link nodeFileBytes}). */
  constructor(
    readonly src: ProofSource,
    private readonly window?: { at: number; size: number },
  ) {}

  /** Where each index prefix's accounts start in `byAddress` (2^indexBits + 1 entries). */
  indexStarts(L: ProofLayout): Uint32Array {
    const starts = new Uint32Array(2 ** L.indexBits + 1);
    const shift = 24 - L.indexBits;
    const { memory: a, addressesAt: o, count } = this.src;
    for (let i = 0; i < count; i++) starts[(((a[o + 20 * i]! << 16) | (a[o + 20 * i + 1]! << 8) | a[o + 20 * i + 2]!) >>> shift) + 1]!++;
    for (let p = 0; p + 1 < starts.length; p++) starts[p + 1]! += starts[p]!;
    return starts;
  }

  /**
   * The JSON of the index file of prefix `p`: the accounts `byAddress[starts[p] .. starts[p+1])`
   * as `{"0x<address>":[position,"amount"],…}`, written in one go into a scratch array outside
   * the build's memory. Returns a view of the scratch, valid until the next index file: a copy
   * per file (4,096 of about 20 KB at 1M accounts) costs fresh memory, and on the machine of
   * docs/benchmarks.md a first touch of a page costs 11 to 17 µs.
   */
  indexFileJson(starts: Uint32Array, p: number): Uint8Array {
    const from = starts[p]!;
    const to = starts[p + 1]!;
    const size = 2 + INDEX_ENTRY_MAX * (to - from);
    if (!this.scratch || this.scratch.length < size) this.scratch = new Uint8Array(Math.max(size, 1 << 16));
    const w = new JsonWindow(this.scratch, 0, size, 1);
    const { addresses, treeIndex, from: at, to: end } = this.addressOrder();
    const bytes = this.src.digits.bytes;
    w.byte(123);
    for (let k = from; k < to; k++) {
      if (k > from) w.byte(44);
      w.byte(34);
      w.lowerAddress(addresses, k);
      w.byte(34);
      w.byte(58);
      w.byte(91);
      w.uint(treeIndex[k]!);
      w.byte(44);
      w.byte(34);
      w.bytes(bytes, at[k]!, end[k]!);
      w.byte(34);
      w.byte(93);
    }
    w.byte(125);
    return w.take();
  }

  /** The node file of subtree root `r`, in this writer's own window (a view, valid until the next node file). */
  nodeFileBytes(L: ProofLayout, r: number): Uint8Array {
    if (!this.window) throw new Error("internal: ProofJson without a window");
    return this.nodeFile(new JsonWindow(this.src.memory, this.window.at, this.window.size, 1), L, r);
  }

  /**
   * The node file of subtree root `r` (see `proof-layout.ts`), written into `w` (a window of the
   * build's memory; returns a view of it): each level's nodes, a contiguous range of the heap,
   * then the path's nodes, 32 raw bytes each — at most 511 + 32 nodes, copied within the memory.
   */
  nodeFile(w: JsonWindow, L: ProofLayout, r: number): Uint8Array {
    const tree = this.src.nodesAt;
    const mem = this.src.memory;
    for (let k = 0; ; k++) {
      const { first, last } = subtreeLevel(L, r, k);
      if (first > last) break;
      mem.copyWithin(w.pos, tree + NODE_BYTES * first, tree + NODE_BYTES * (last + 1));
      w.pos += NODE_BYTES * (last - first + 1);
    }
    for (let t = r; t > 0; t = (t - 1) >>> 1) {
      const sibling = tree + NODE_BYTES * (t & 1 ? t + 1 : t - 1);
      mem.copyWithin(w.pos, sibling, sibling + NODE_BYTES);
      w.pos += NODE_BYTES;
    }
    return w.take();
  }

  /**
   * The index files read the accounts in address order: reading the input-order arrays in that
   * order is a random access per account (about 1 s for 1M accounts, most of the index files'
   * time). Copies in address order are made instead by one pass in input order that writes each
   * account's fixed-size data to its rank (sequential reads, scattered writes: about 0.1 s);
   * only the amounts' text is still read in place.
   */
  private addressOrder(): AddressOrder {
    if (this.ordered) return this.ordered;
    const { count: n, memory, addressesAt, treeIndex, byAddress, digits } = this.src;
    const rank = new Uint32Array(n);
    for (let k = 0; k < n; k++) rank[byAddress[k]!] = k;
    // the accounts as 5 words each (regions of the build's memory start at multiples of 4)
    const src = new Uint32Array(memory.buffer, memory.byteOffset + addressesAt, 5 * n);
    const words = new Uint32Array(5 * n);
    const positions = new Uint32Array(n);
    const from = new Uint32Array(n);
    const to = new Uint32Array(n);
    const { from: at, to: end } = digits;
    for (let i = 0; i < n; i++) {
      const k = rank[i]!;
      positions[k] = treeIndex[i]!;
      from[k] = at[i]!;
      to[k] = end[i]!;
      const a = 5 * i;
      const d = 5 * k;
      words[d] = src[a]!;
      words[d + 1] = src[a + 1]!;
      words[d + 2] = src[a + 2]!;
      words[d + 3] = src[a + 3]!;
      words[d + 4] = src[a + 4]!;
    }
    this.ordered = { addresses: new Uint8Array(words.buffer), treeIndex: positions, from, to };
    return this.ordered;
  }
}
