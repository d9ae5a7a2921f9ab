/**
 * The `ByteHelpers` in plain JavaScript, on any byte array: what a build with a hasher other than
 * the WebAssembly one uses, so that such a build (e.g. with `libraryHasher`) runs no generated
 * code at all. Same results as the WebAssembly helpers (`wasm/address.ts`, `wasm/hex.ts`), slower.
 */
import type { ByteHelpers } from "./helpers.js";
import { HEX_HI, HEX_LO } from "./hex.js";

/** Value of each byte as a hex digit, 0xff for any other byte. */
const DIGIT = new Uint8Array(256).fill(0xff);
for (let v = 0; v < 16; v++) {
  DIGIT["0123456789abcdef".charCodeAt(v)] = v;
  DIGIT["0123456789ABCDEF".charCodeAt(v)] = v;
}
const LOWER_DIGIT = Uint8Array.from("0123456789abcdef", (c) => c.charCodeAt(0));

/** The helpers on `mem` (offsets are indices into it). */
export class JsHelpers implements ByteHelpers {
  private readonly words: Uint32Array;
  constructor(private readonly mem: Uint8Array) {
    this.words = new Uint32Array(mem.buffer, mem.byteOffset, mem.byteLength >> 2);
  }

  prep(orig: number, enc: number, asc: number, addr: number, flags: number, n: number): number {
    let invalid = 0;
    for (let e = 0; e < n; e++) {
      if (this.mem[flags + e] !== 0) continue;
      const flag = this.prepOne(orig + 42 * e, enc + 64 * e + 12, addr + 20 * e, asc + 40 * e);
      this.mem[flags + e] = flag;
      if (flag === 1) invalid++;
    }
    return invalid;
  }

  /** One account's text at `o`: its bytes to `encP` and `addrP`, its lowercase hex to `ascP`; returns its flag. */
  private prepOne(o: number, encP: number, addrP: number, ascP: number): number {
    const mem = this.mem;
    let bad = mem[o] !== 48 || mem[o + 1] !== 120;
    let lower = false;
    let upper = false;
    for (let j = 0; j < 20; j++) {
      const c1 = mem[o + 2 + 2 * j]!;
      const c2 = mem[o + 3 + 2 * j]!;
      const v1 = DIGIT[c1]!;
      const v2 = DIGIT[c2]!;
      if ((v1 | v2) > 15) bad = true;
      lower ||= c1 >= 97 || c2 >= 97;
      upper ||= c1 - 65 >>> 0 < 6 || c2 - 65 >>> 0 < 6;
      mem[encP + j] = mem[addrP + j] = (v1 << 4) | v2;
      mem[ascP + 2 * j] = LOWER_DIGIT[v1 & 15]!;
      mem[ascP + 2 * j + 1] = LOWER_DIGIT[v2 & 15]!;
    }
    return bad ? 1 : lower && upper ? 2 : 0;
  }

  verify(orig: number, addr: number, chk: number, flags: number, n: number): number {
    let mismatches = 0;
    for (let e = 0; e < n; e++) {
      if (this.mem[flags + e] !== 2 || this.spelledRight(orig + 42 * e + 2, addr + 20 * e, chk + 32 * e)) continue;
      this.mem[flags + e] = 3;
      mismatches++;
    }
    return mismatches;
  }

  /** Whether the 40 digits at `o` spell the 20 bytes at `a` as EIP-55 does with the hash at `h`. */
  private spelledRight(o: number, a: number, h: number): boolean {
    const mem = this.mem;
    for (let j = 0; j < 20; j++) {
      const b = mem[a + j]!;
      const hb = mem[h + j]!;
      const hi = b >> 4 >= 10 && hb & 0x80 ? HEX_HI[b]! - 32 : HEX_HI[b]!;
      const lo = (b & 15) >= 10 && hb & 0x08 ? HEX_LO[b]! - 32 : HEX_LO[b]!;
      if (mem[o + 2 * j] !== hi || mem[o + 2 * j + 1] !== lo) return false;
    }
    return true;
  }

  hexNodes(tree: number, first: number, count: number, out: number): void {
    for (let k = 0; k < count; k++) this.nodeElement(tree + 32 * (first + k), out + 69 * k);
  }

  hexList(tree: number, list: number, count: number, out: number): void {
    for (let k = 0; k < count; k++) this.nodeElement(tree + 32 * this.words[(list >> 2) + k]!, out + 69 * k);
  }

  /** `"0x<64 hex digits>",` (69 bytes) of the 32 bytes at `src`, at `out`. */
  private nodeElement(src: number, out: number): void {
    const mem = this.mem;
    mem[out] = 34;
    mem[out + 1] = 48;
    mem[out + 2] = 120;
    for (let i = 0; i < 32; i++) {
      const b = mem[src + i]!;
      mem[out + 3 + 2 * i] = HEX_HI[b]!;
      mem[out + 4 + 2 * i] = HEX_LO[b]!;
    }
    mem[out + 67] = 34;
    mem[out + 68] = 44;
  }
}
