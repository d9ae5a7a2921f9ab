/**
 * keccak256 of any length with the generated module's permutation (sponge, 136-byte rate):
 * incremental (`Keccak256`) and one-shot (`keccak256`, `keccak256Hex`).
 */
import { KeccakInstance } from "./keccak-module.js";

const RATE = 136;
const CHUNK_BLOCKS = 7710; // ~1 MiB of input per absorb call

/** Incremental keccak256 (its own small instance: state, and a buffer of whole blocks). */
export class Keccak256 {
  private static readonly STATE = KeccakInstance.RESERVED;
  private static readonly BUF = KeccakInstance.RESERVED + 256;
  private readonly k = new KeccakInstance(Keccak256.BUF + CHUNK_BLOCKS * RATE);
  private fill = 0;

  /** Starts over. */
  reset(): this {
    this.k.bytes.fill(0, Keccak256.STATE, Keccak256.STATE + 200);
    this.fill = 0;
    return this;
  }

  /** Absorbs `data`. */
  update(data: Uint8Array): this {
    const mem = this.k.bytes;
    const { STATE, BUF } = Keccak256;
    for (let off = 0; off < data.length; ) {
      const take = Math.min(CHUNK_BLOCKS * RATE - this.fill, data.length - off);
      mem.set(data.subarray(off, off + take), BUF + this.fill);
      this.fill += take;
      off += take;
      const blocks = Math.floor(this.fill / RATE);
      if (blocks > 0) {
        this.k.fn.absorb(STATE, BUF, blocks);
        mem.copyWithin(BUF, BUF + blocks * RATE, BUF + this.fill);
        this.fill -= blocks * RATE;
      }
    }
    return this;
  }

  /** The hash of everything absorbed (then `reset` before reuse). */
  digest(): Uint8Array {
    const mem = this.k.bytes;
    const { STATE, BUF } = Keccak256;
    mem.fill(0, BUF + this.fill, BUF + RATE);
    mem[BUF + this.fill]! ^= 0x01;
    mem[BUF + RATE - 1]! ^= 0x80;
    this.k.fn.absorb(STATE, BUF, 1);
    return mem.slice(STATE, STATE + 32);
  }

  /** The hash as 0x-hex. */
  hex(): string {
    return "0x" + Buffer.from(this.digest()).toString("hex");
  }
}

let oneShot: Keccak256 | undefined;

/** keccak256 of arbitrary bytes (sponge with the same permutation). */
export function keccak256(data: Uint8Array): Uint8Array {
  oneShot ??= new Keccak256();
  return oneShot.reset().update(data).digest();
}

/** keccak256 as 0x-prefixed hex. */
export function keccak256Hex(data: Uint8Array): string {
  return "0x" + Buffer.from(keccak256(data)).toString("hex");
}
