/** Writing ASCII JSON into windows of the build's memory, and checksummed spellings of accounts. */
import { HEX_HI, HEX_LO } from "./hex.js";

export function collect(chunks: Iterable<Uint8Array>): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const chunk of chunks) {
    parts.push(chunk.slice());
    size += chunk.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * The two hex characters of byte b in an EIP-55 address, at index (b << 2) | (hash bit 7 of the
 * byte's position << 1) | hash bit 3: a letter is upper case where its hash bit is set.
 */
const CASED_HI = new Uint8Array(1024);
const CASED_LO = new Uint8Array(1024);
for (let k = 0; k < 1024; k++) {
  const b = k >> 2;
  CASED_HI[k] = b >> 4 >= 10 && k & 2 ? HEX_HI[b]! - 32 : HEX_HI[b]!;
  CASED_LO[k] = (b & 15) >= 10 && k & 1 ? HEX_LO[b]! - 32 : HEX_LO[b]!;
}

/** The EIP-55 form of address i, from its bytes and its checksum hash. */
export function checksummed(addresses: Uint8Array, checksums: Uint8Array, i: number): string {
  const w = new JsonWindow(new Uint8Array(42), 0, 42, 1);
  w.address(addresses, checksums, i);
  return Buffer.from(w.take()).toString("latin1");
}

/**
 * Writes ASCII JSON into windows of a byte array (`count` windows of `size` bytes from `first`);
 * `take` hands out what was written and moves on to the next window.
 */
export class JsonWindow {
  pos: number;
  private start: number;
  private index = 0;
  constructor(
    private readonly buf: Uint8Array,
    private readonly first: number,
    private readonly size: number,
    private readonly count: number,
  ) {
    this.start = first;
    this.pos = first;
  }
  get free(): number {
    return this.start + this.size - this.pos;
  }
  /** The bytes written in the current window (a view), then switches to the next window. */
  take(): Uint8Array {
    const out = this.buf.subarray(this.start, this.pos);
    this.index = (this.index + 1) % this.count;
    this.start = this.first + this.index * this.size;
    this.pos = this.start;
    return out;
  }
  byte(b: number): void {
    this.buf[this.pos++] = b;
  }
  /** The bytes `src[from .. to)` (short runs: a loop beats a subarray and a copy). */
  bytes(src: Uint8Array, from: number, to: number): void {
    const buf = this.buf;
    let p = this.pos;
    for (let k = from; k < to; k++) buf[p++] = src[k]!;
    this.pos = p;
  }
  /** The decimal digits of an integer 0 <= x < 2^32 (no string made). */
  uint(x: number): void {
    const buf = this.buf;
    let digits = 1;
    for (let t = x; t >= 10; t = Math.floor(t / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    do {
      const q = Math.floor(x / 10);
      buf[--p] = 48 + x - 10 * q;
      x = q;
    } while (x > 0);
  }
  ascii(s: string): void {
    const buf = this.buf;
    let p = this.pos;
    for (let k = 0; k < s.length; k++) buf[p++] = s.charCodeAt(k);
    this.pos = p;
  }
  /** `0x` + the lowercase hex of address i. */
  lowerAddress(addresses: Uint8Array, i: number): void {
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 48;
    buf[p++] = 120;
    for (let a = 20 * i; a < 20 * i + 20; a++) {
      const b = addresses[a]!;
      buf[p++] = HEX_HI[b]!;
      buf[p++] = HEX_LO[b]!;
    }
    this.pos = p;
  }
  /**
   * `0x` + the EIP-55 form of address i (a letter is upper case where its hash nibble is >= 8).
   * Branch-free: the two characters of a byte come from tables indexed by the byte and the two
   * hash bits that decide their case (a data-dependent branch per character mispredicted often
   * enough to be most of this loop's time).
   */
  address(addresses: Uint8Array, checksums: Uint8Array, i: number): void {
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 48;
    buf[p++] = 120;
    const a = 20 * i;
    const h = 32 * i;
    for (let j = 0; j < 20; j++) {
      const hb = checksums[h + j]!;
      const k = (addresses[a + j]! << 2) | ((hb >> 6) & 2) | ((hb >> 3) & 1);
      buf[p++] = CASED_HI[k]!;
      buf[p++] = CASED_LO[k]!;
    }
    this.pos = p;
  }
}
