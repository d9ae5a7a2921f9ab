/**
 * The JS part of reading entries: type and range checks, each account's text copied into its
 * chunk slot, each amount written as its 32 abi-encoded bytes.
 */
import { MAX_UINT256 } from "../../core/amounts.js";
import { HEX_VALUE } from "../hex.js";
import { show, type Issues } from "../issues.js";
import type { RewardEntry } from "../types.js";

/** Flag of an entry already reported by the JS checks (the WebAssembly `prep` skips it). */
export const REPORTED = 4;

/** Where one chunk of entries goes in memory. */
export interface ChunkLayout {
  mem: Uint8Array;
  buf: Buffer;
  dv: DataView;
  /** 64 bytes per entry: the abi encoding (the address part is filled by `prep`). */
  enc: number;
  /** 42 bytes per entry: the account's text. */
  orig: number;
  /** 1 byte per entry: 0, or REPORTED. */
  flags: number;
}

/**
 * The JS part of reading entries base..base+m-1: checks types and amounts, copies each account's
 * text (as UTF-8: a string with a non-ASCII character never encodes to exactly 42 bytes), writes
 * each amount's 32 bytes, appends the amounts. Returns the chunk's sum.
 */
export function readChunk(entries: readonly RewardEntry[], base: number, m: number, L: ChunkLayout, amounts: bigint[], issues: Issues): bigint {
  const { mem, buf, dv } = L;
  let sum = 0n;
  for (let c = 0; c < m; c++) {
    const i = base + c;
    const e = entries[i] as unknown;
    amounts.push(0n);
    if (e === null || typeof e !== "object") {
      issues.add(String(i), `expected { account, amount }, got ${show(e)}`);
      mem[L.flags + c] = REPORTED;
      continue;
    }
    const account = (e as { account?: unknown }).account;
    const amount = (e as { amount?: unknown }).amount;
    if (typeof account === "string" && account.length === 42 && buf.write(account, L.orig + 42 * c, 42, "utf8") === 42) {
      mem[L.flags + c] = 0;
    } else {
      issues.add(`${i}.account`, typeof account === "string" ? `${show(account)} is not a 20-byte hex address` : `expected an address string, got ${show(account)}`);
      mem[L.flags + c] = REPORTED;
    }
    if (typeof amount !== "bigint") {
      issues.add(`${i}.amount`, `expected a bigint amount (wei), got ${show(amount)}`);
    } else if (amount < 0n) {
      issues.add(`${i}.amount`, `${amount} is negative (account ${show(account)})`);
    } else if (amount > MAX_UINT256) {
      issues.add(`${i}.amount`, `${amount} overflows uint256 (account ${show(account)})`);
    } else {
      encodeUint256(amount, mem, dv, L.enc + 64 * c + 32);
      amounts[i] = amount;
      sum += amount;
    }
  }
  return sum;
}

const TWO_64 = 1n << 64n;
const TWO_128 = 1n << 128n;

/** Writes `v` (0 <= v <= MAX_UINT256) as 32 big-endian bytes at `o` (few bigint operations). */
function encodeUint256(v: bigint, mem: Uint8Array, dv: DataView, o: number): void {
  if (v < TWO_64) {
    dv.setUint32(o, 0);
    dv.setUint32(o + 4, 0);
    dv.setUint32(o + 8, 0);
    dv.setUint32(o + 12, 0);
    dv.setUint32(o + 16, 0);
    dv.setUint32(o + 20, 0);
    dv.setBigUint64(o + 24, v);
  } else if (v < TWO_128) {
    dv.setUint32(o, 0);
    dv.setUint32(o + 4, 0);
    dv.setUint32(o + 8, 0);
    dv.setUint32(o + 12, 0);
    dv.setBigUint64(o + 16, v >> 64n);
    dv.setBigUint64(o + 24, BigInt.asUintN(64, v));
  } else {
    const hex = v.toString(16);
    mem.fill(0, o, o + 32);
    let p = o + 31;
    let j = hex.length;
    for (; j >= 2; j -= 2) mem[p--] = (HEX_VALUE[hex.charCodeAt(j - 2)]! << 4) | HEX_VALUE[hex.charCodeAt(j - 1)]!;
    if (j === 1) mem[p] = HEX_VALUE[hex.charCodeAt(0)]!;
  }
}
