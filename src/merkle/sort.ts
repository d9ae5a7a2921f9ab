/**
 * Index sorts on byte strings in the build's memory (accounts by address, leaves by hash), as
 * OpenZeppelin's `compare` orders them: big-endian numbers. A stable LSD radix sort (3 passes of
 * 11 bits) on the leading 32 bits; runs of equal leading bits are ordered the same way on the
 * next 32 bits, and short runs by insertion sort.
 */

/** Scratch of the index sorts of one build (shared: the sorts run one after the other). */
export class SortScratch {
  readonly keys: Uint32Array;
  readonly keys2: Uint32Array;
  readonly ord2: Uint32Array;
  readonly count = new Uint32Array(1 << 11);
  constructor(n: number) {
    this.keys = new Uint32Array(n);
    this.keys2 = new Uint32Array(n);
    this.ord2 = new Uint32Array(n);
  }
}

/**
 * Indices 0..n-1 ordered by byte strings in `mem` (index i: `len` bytes at base + i*stride,
 * compared as big-endian numbers).
 */
export function sortByBytes(mem: Uint8Array, base: number, stride: number, len: number, n: number, s: SortScratch): Uint32Array {
  const ord = new Uint32Array(n);
  for (let i = 0; i < n; i++) ord[i] = i;
  new ByteSort(mem, base, stride, len, ord, s).sortRange(0, n, 0);
  return ord;
}

/** One sort: the strings, the order being built, the scratch. */
class ByteSort {
  constructor(
    private readonly mem: Uint8Array,
    private readonly base: number,
    private readonly stride: number,
    private readonly len: number,
    private readonly ord: Uint32Array,
    private readonly s: SortScratch,
  ) {}

  /** Orders ord[lo..hi), whose strings agree on their first `off` bytes. */
  sortRange(lo: number, hi: number, off: number): void {
    if (hi - lo < 2 || off >= this.len) return;
    if (hi - lo <= 32) return this.insertionSort(lo, hi, off);
    const { ord, s } = this;
    const keys = s.keys;
    for (let a = lo; a < hi; a++) keys[a] = this.word(ord[a]!, off);
    for (let pass = 0; pass < 3; pass++) this.radixPass(lo, hi, pass);
    ord.set(s.ord2.subarray(lo, hi), lo);
    keys.set(s.keys2.subarray(lo, hi), lo);
    // runs of equal leading words: order them on the following bytes
    let start = lo;
    for (let a = lo + 1; a <= hi; a++) {
      if (a === hi || keys[a] !== keys[start]) {
        if (a - start > 1) this.sortRange(start, a, off + 4);
        start = a;
      }
    }
  }

  /** Bytes off..off+3 of string i as a big-endian number (zero past the end). */
  private word(i: number, off: number): number {
    const { mem, len } = this;
    const p = this.base + i * this.stride + off;
    if (len - off >= 4) return ((mem[p]! << 24) | (mem[p + 1]! << 16) | (mem[p + 2]! << 8) | mem[p + 3]!) >>> 0;
    let w = 0;
    for (let k = 0; k < 4; k++) w = (w << 8) | (off + k < len ? mem[p + k]! : 0);
    return w >>> 0;
  }

  /** Strings i and j compared from byte `off` on. */
  private cmp(i: number, j: number, off: number): number {
    const { mem, len } = this;
    const pi = this.base + i * this.stride;
    const pj = this.base + j * this.stride;
    for (let k = off; k < len; k++) {
      const d = mem[pi + k]! - mem[pj + k]!;
      if (d !== 0) return d;
    }
    return 0;
  }

  private insertionSort(lo: number, hi: number, off: number): void {
    const ord = this.ord;
    for (let a = lo + 1; a < hi; a++) {
      const v = ord[a]!;
      let b = a - 1;
      while (b >= lo && this.cmp(ord[b]!, v, off) > 0) {
        ord[b + 1] = ord[b]!;
        b--;
      }
      ord[b + 1] = v;
    }
  }

  /** Counting-sort pass `pass` (bits 11·pass..11·pass+10) of [lo, hi), between ord/keys and ord2/keys2. */
  private radixPass(lo: number, hi: number, pass: number): void {
    const { ord, s } = this;
    const { count } = s;
    const shift = 11 * pass;
    const even = pass % 2 === 0;
    const srcO = even ? ord : s.ord2;
    const srcK = even ? s.keys : s.keys2;
    const dstO = even ? s.ord2 : ord;
    const dstK = even ? s.keys2 : s.keys;
    count.fill(0);
    for (let a = lo; a < hi; a++) count[(srcK[a]! >>> shift) & 0x7ff]!++;
    let sum = lo;
    for (let d = 0; d < 2048; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let a = lo; a < hi; a++) {
      const key = srcK[a]!;
      const at = count[(key >>> shift) & 0x7ff]!++;
      dstO[at] = srcO[a]!;
      dstK[at] = key;
    }
  }
}
