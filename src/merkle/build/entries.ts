/**
 * The JS part of reading entries: type and range checks, each account's text copied into its
 * chunk slot, each amount written as its 32 abi-encoded bytes. Entries come as rows
 * (`RewardEntry[]`) or as columns (`EntryColumns`: one byte array of accounts, the amounts'
 * decimal text), read behind one interface, `EntryInput`.
 */
import { MAX_UINT256 } from "../../core/amounts.js";
import { HEX_VALUE } from "../hex.js";
import { show, type Issues } from "../issues.js";
import type { DecimalText, EntryColumns, RewardEntry } from "../types.js";

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

/** What a build reads its entries from. */
export interface EntryInput {
  readonly n: number;
  /** Reads entries base..base+m-1 into a chunk slot: the accounts' text, the amounts' 32 bytes, flags. */
  read(base: number, m: number, L: ChunkLayout, issues: Issues): void;
  /** Entry i's account as given (for messages). */
  account(i: number): unknown;
  /** Once every entry is read: the amounts (as bigints, or as their decimal text) and their sum. */
  values(): { amounts?: bigint[]; digits?: DecimalText; total: bigint };
}

/** Entries as rows of `{ account, amount }` (checked one by one: see `readChunk`). */
export class RowInput implements EntryInput {
  readonly n: number;
  private readonly amounts: bigint[] = [];
  private total = 0n;
  constructor(private readonly entries: readonly RewardEntry[]) {
    this.n = entries.length;
  }
  read(base: number, m: number, L: ChunkLayout, issues: Issues): void {
    this.total += readChunk(this.entries, base, m, L, this.amounts, issues);
  }
  account(i: number): unknown {
    return this.entries[i]!.account;
  }
  values(): { amounts: bigint[]; total: bigint } {
    return { amounts: this.amounts, total: this.total };
  }
}

/**
 * Entries as columns: accounts' text copied into the slot as it is (the WebAssembly `prep` checks
 * them), amounts written from their decimal text without a bigint each; the text is the tree's
 * (its JSON shows it), so it must be canonical: digits only, no leading zero, within uint256.
 */
export class ColumnInput implements EntryInput {
  readonly n: number;
  /** Sums of the amounts' 16-bit limbs (at most 2^23 entries: below 2^39 each, exact as doubles). */
  private readonly sums = new Float64Array(16);
  constructor(private readonly cols: EntryColumns) {
    this.n = cols.count;
  }
  read(base: number, m: number, L: ChunkLayout, issues: Issues): void {
    const { mem } = L;
    const { text, accountAt } = this.cols;
    const { bytes, from, to } = this.cols.digits;
    for (let c = 0, o = L.orig; c < m; c++) {
      for (let k = accountAt[base + c]!, end = k + 42; k < end; k++) mem[o++] = text[k]!;
    }
    mem.fill(0, L.flags, L.flags + m);
    for (let c = 0; c < m; c++) {
      const i = base + c;
      if (!encodeDigits(bytes, from[i]!, to[i]!, mem, L.enc + 64 * c + 32, this.sums)) {
        const t = Buffer.from(bytes.buffer, bytes.byteOffset + from[i]!, to[i]! - from[i]!).toString("latin1");
        issues.add(`${i}.amount`, `${show(t)} is not a uint256 in canonical decimal (digits only, no leading zero)`);
      }
    }
  }
  account(i: number): unknown {
    const { text, accountAt } = this.cols;
    return Buffer.from(text.buffer, text.byteOffset + accountAt[i]!, 42).toString("latin1");
  }
  values(): { digits: DecimalText; total: bigint } {
    let total = 0n;
    for (let j = 15; j >= 0; j--) total = (total << 16n) + BigInt(this.sums[j]!);
    return { digits: this.cols.digits, total };
  }
}

/** 10^k for k = 0..9. */
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
/** 16-bit limbs of one amount, least significant first. */
const LIMBS = new Float64Array(16);

/**
 * Writes the number whose decimal text is `text[from .. to)` as 32 big-endian bytes at `o` in
 * `mem` and adds its 16-bit limbs to `sums`; returns false (writing nothing) if the text is empty,
 * not digits only, has a leading zero, or is over uint256. Nine digits at a time: a limb times
 * 10^9 plus a carry stays below 2^53.
 */
export function encodeDigits(text: Uint8Array, from: number, to: number, mem: Uint8Array, o: number, sums: Float64Array): boolean {
  const len = to - from;
  if (len <= 0 || (text[from] === 48 && len > 1)) return false;
  let used = 1;
  LIMBS[0] = 0;
  for (let k = from, g = len % 9 || 9; k < to; g = 9) {
    let chunk = 0;
    for (const end = k + g; k < end; k++) {
      const d = text[k]! - 48;
      if (d >>> 0 > 9) return false;
      chunk = chunk * 10 + d;
    }
    const mul = POW10[g]!;
    let carry = chunk;
    for (let j = 0; j < used; j++) {
      const v = LIMBS[j]! * mul + carry;
      carry = Math.floor(v / 65536);
      LIMBS[j] = v - carry * 65536;
    }
    for (; carry > 0; carry = Math.floor(carry / 65536)) {
      if (used === 16) return false;
      LIMBS[used++] = carry % 65536;
    }
  }
  for (let j = 0; j < 16; j++) {
    const v = j < used ? LIMBS[j]! : 0;
    mem[o + 31 - 2 * j] = v & 255;
    mem[o + 30 - 2 * j] = v >>> 8;
    sums[j] = sums[j]! + v;
  }
  return true;
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
