/**
 * Balance-seconds accounts of the positions of an epoch's allocation (src/emissions/allocate.ts),
 * kept exact without allocating a BigInt per balance change.
 *
 * Each position is one record of STRIDE = 5 Numbers in a Float64Array (40 bytes; a 64-byte,
 * cache-line-aligned record was tried: 60% more memory to fault in, and no faster): the time its balance
 * holds from, the balance as two 32-bit halves, and the balance-seconds accrued so far as two
 * sums of half x seconds. Accruing is then two Number multiply-adds, with no allocation and one
 * record read per change.
 *
 * Exactness. A balance b < 2^64 is hi x 2^32 + lo with hi, lo < 2^32, and b x s is
 * hi x s x 2^32 + lo x s. The accrued sums are sum(lo x s) and sum(hi x s) over the position's
 * intervals since its last `collect`; those intervals are disjoint and lie inside one segment of
 * at most SEGMENT = 2^21 seconds (the caller collects every position at least that often), so
 * each sum is at most (2^32 - 1) x 2^21 < 2^53. Every partial sum and product is an integer below
 * 2^53, so every Number operation on them is exact. `collect` turns the two sums into a bigint
 * exactly (BigInt of an integer-valued Number is exact), so the result is the bigint sum of
 * b x s, the same integer the straightforward bigint code computes.
 *
 * Fallback. A balance of 2^64 or more (or a negative one, which inputs never hold but which must
 * not be truncated) does not split into two 32-bit halves: the position is flagged and its
 * balance kept as a bigint, and it accrues in bigint as before, exactly.
 */

/**
 * Numbers per position record, and the offset of each field in it. BAL_HI is -1 (never a 32-bit
 * half) when the balance is wide, i.e. kept as a bigint (the fallback).
 */
const STRIDE = 5;
const LAST = 0;
const BAL_LO = 1;
const BAL_HI = 2;
const ACC_LO = 3;
const ACC_HI = 4;
const WIDE = -1;

/** The longest span of seconds a position may accrue in Number halves between two `collect`s. */
export const SEGMENT = 2 ** 21;
const HALVES_LIMIT = 1n << 64n;
const TWO_32 = 2 ** 32;

/** A bigint split into 32-bit halves through typed-array views of one 8-byte buffer (no allocation). */
const WORD = new BigUint64Array(1);
const HALVES = new Uint32Array(WORD.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = 1 - LO;

/** BigInt of small time spans, precomputed: converting on every accrual showed in profiles. */
const SPANS = Array.from({ length: 1 << 16 }, (_, i) => BigInt(i));
const span = (seconds: number): bigint => (seconds < SPANS.length ? SPANS[seconds]! : BigInt(seconds));

export class Positions {
  private readonly st: Float64Array;
  /** Accrued balance-seconds already in bigint: collected sums and wide accruals. */
  readonly acc: bigint[];
  /** Balances of wide positions (BAL_HI = WIDE), by position index. */
  private readonly wide = new Map<number, bigint>();

  /** `count` positions, each with balance 0 holding from `start`. */
  constructor(count: number, start: number) {
    this.st = new Float64Array(count * STRIDE);
    for (let o = 0; o < this.st.length; o += STRIDE) this.st[o + LAST] = start;
    this.acc = new Array<bigint>(count).fill(0n);
  }

  /** Sets position `p`'s balance (from its current time on); callers accrue before. */
  set(p: number, balance: bigint): void {
    const o = p * STRIDE;
    const st = this.st;
    if (balance >= 0n && balance < HALVES_LIMIT) {
      WORD[0] = balance;
      st[o + BAL_LO] = HALVES[LO]!;
      st[o + BAL_HI] = HALVES[HI]!;
    } else {
      this.wide.set(p, balance);
      st[o + BAL_HI] = WIDE;
    }
  }

  /** Accrues position `p`'s balance over [its time, `time`) and moves its time to `time`. */
  accrue(p: number, time: number): void {
    const o = p * STRIDE;
    const st = this.st;
    const seconds = time - st[o + LAST]!;
    if (seconds === 0) return;
    const hi = st[o + BAL_HI]!;
    if (hi !== WIDE) {
      st[o + ACC_LO] = st[o + ACC_LO]! + st[o + BAL_LO]! * seconds;
      st[o + ACC_HI] = st[o + ACC_HI]! + hi * seconds;
    } else {
      this.acc[p] = this.acc[p]! + this.wide.get(p)! * span(seconds);
    }
    st[o + LAST] = time;
  }

  /** Accrues and sets in one step: what a balance change at `time` does. */
  change(p: number, time: number, balance: bigint): void {
    this.accrue(p, time);
    this.set(p, balance);
  }

  /**
   * Moves the Number sums of position `p` into `acc[p]` (exactly: see the module comment) and
   * returns `acc[p]`. hi x 2^32 is an exact Number (hi is an integer below 2^53; scaling by a power
   * of two only moves the exponent) and BigInt of an integer-valued Number is exact, so
   * BigInt(hi x 2^32) + BigInt(lo) is the exact sum; when the whole sum is below 2^53 the Number
   * addition is exact too and one conversion does. (A rounded sum of 2^53 or more stays above
   * MAX_SAFE_INTEGER, rounding being monotonic, so the test never takes an inexact sum.)
   */
  collect(p: number): bigint {
    const o = p * STRIDE;
    const st = this.st;
    const lo = st[o + ACC_LO]!;
    const hi = st[o + ACC_HI]! * TWO_32;
    const before = this.acc[p]!;
    if (lo === 0 && hi === 0) return before;
    st[o + ACC_LO] = 0;
    st[o + ACC_HI] = 0;
    const joined = hi + lo;
    const sum = joined <= Number.MAX_SAFE_INTEGER ? BigInt(joined) : BigInt(hi) + BigInt(lo);
    return (this.acc[p] = before === 0n ? sum : before + sum);
  }

  /** Drops position `p`'s accruals (a period in which its source has no weight or no budget). */
  drop(p: number): void {
    const o = p * STRIDE;
    this.st[o + ACC_LO] = 0;
    this.st[o + ACC_HI] = 0;
    this.acc[p] = 0n;
  }
}
