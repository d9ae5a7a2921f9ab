/**
 * The FLUX emission schedule, mirrored off-chain: the same state and the same integer math as
 * `contracts/emissions/EmissionSchedule.sol`, so operators can compute a chain's budget for any
 * time without a node, and a test (test/emissions.schedule.test.ts) proves the two agree to the
 * wei. Everything is bigint; nothing here ever touches a float.
 *
 * The math (the contract's, term for term)
 * ----------------------------------------
 * State: segments k = 0, 1, … with `start` (strictly increasing), a line (`origin`,
 * `ratePerDay` R, `declinePerDay` D), and per segment a weight w(k, c) for each chain c out of
 * WEIGHT_TOTAL = 10,000 bps x 420 = 4,200,000 (420 = lcm(1..7), so bps and equal shares among
 * 1..8, 10, 12, 14, 15, 16 chains are exact). Per chain, a list of launch bonuses.
 *
 * - Base rate of all chains together in segment k, wei per second, at time t:
 *     rate(t) = (R - D (t - origin) / DAY) / DAY, clamped at zero from
 *     zeroAt = floor(R DAY / D) seconds after `origin` (no clamp when D = 0).
 * - Its integral between a and b (offsets from `origin`, both clamped to zeroAt), times 2 DAY^2,
 *   is the integer  2 R DAY (b - a) - D (b^2 - a^2).
 * - segmentNumerator(k, c, t) = w(k, c) x that integer, between the segment's start and t.
 * - numeratorAtStart(k, c) = numeratorAtStart(k-1, c) + segmentNumerator(k-1, c, start_k), 0 for k = 0.
 * - baseNumerator(c, t) = 0 if t <= start_0, else numeratorAtStart(k, c) + segmentNumerator(k, c, t)
 *   with k the last segment whose start <= t. It is the chain's exact base emission times
 *   SCALE = 2 DAY^2 WEIGHT_TOTAL.
 * - bonusAt(bonus, t) = 0 if t <= start, `amount` if t - start >= duration, else
 *   floor(amount (t - start) / duration).
 * - cumulativeEmission(c, t) = floor(baseNumerator(c, t) / SCALE) + Σ bonusAt(bonus, t): the base
 *   divided once, each bonus floored on its own.
 *
 * Governance (each effective at `now` = block.timestamp, never retroactive): a change starts a
 * segment at max(now, start_last), copying the last segment's line and weights; if that equals the
 * last segment's start (a change before emissions begin, or a second change in the same second)
 * the last segment is changed in place instead. `setEmissionRate` gives the segment a new line with
 * origin = its start; a weight change keeps the line (and its origin), so it does not bend a decline.
 *
 * Each governance method validates exactly as the contract does, in the same order, and throws a
 * {@link ScheduleError} naming the custom error the contract would revert with (arithmetic
 * overflow as `Panic(0x11)`, a missing array element as `Panic(0x32)`). A failed call leaves the
 * model unchanged, like a reverted transaction. Arguments outside their Solidity types (which the
 * ABI encoder would refuse before any transaction) throw an {@link InputError}.
 *
 * Owner checks (`OwnableUnauthorizedAccount`) have no counterpart here: the model is the
 * Timelock's view of the schedule.
 */
import { IEmissionSchedule__factory } from "../../types/ethers-contracts/factories/contracts/emissions/interfaces/IEmissionSchedule__factory.js";
import { z } from "zod";
import { MAX_UINT256 } from "../core/amounts.js";
import { parseWith } from "../core/validate.js";
import { FluxError, InputError } from "../core/errors.js";
import { address } from "../core/schemas.js";

const E18 = 10n ** 18n;

/** Seconds in a day. */
export const DAY = 86_400n;
/** Seconds in a day, as a number (timestamps and durations in the tools are numbers). */
export const DAY_SECONDS = Number(DAY);
/** Basis points in a whole. */
export const BPS_TOTAL = 10_000n;
/** Denominator of chain weights: 10,000 bps x 420 (lcm of 1..7). */
export const WEIGHT_TOTAL = BPS_TOTAL * 420n;
/** Denominator of the exact per-chain numerators: 2 DAY^2 WEIGHT_TOTAL. */
export const SCALE = 2n * DAY * DAY * WEIGHT_TOTAL;
/** Most chains a schedule ever weighs (counting every chain that ever had a weight). */
export const MAX_CHAINS = 16n;
/** Most launch bonuses per chain. */
export const MAX_BONUSES = 8n;
/** Upper bound of the daily rate: 10,000,000 FLUX a day. */
export const MAX_RATE_PER_DAY = 10_000_000n * E18;
/** Upper bound of one bonus: 100,000,000 FLUX. */
export const MAX_BONUS = 100_000_000n * E18;
/** Shortest bonus, seconds. */
export const MIN_BONUS_DURATION = 3_600n;
/** Longest bonus, seconds. */
export const MAX_BONUS_DURATION = 365n * DAY;
/** Most markets weighted on one chain. */
export const MAX_MARKETS = 32n;

const MAX_UINT16 = (1n << 16n) - 1n;
const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_UINT128 = (1n << 128n) - 1n;
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** Solidity panic codes the model reproduces. */
export const PANIC_OVERFLOW = 0x11n;
export const PANIC_OUT_OF_BOUNDS = 0x32n;

/** One piece of the base schedule, from `start` until the next segment. */
export interface Segment {
  readonly start: bigint;
  /** Time at which the line has rate `ratePerDay`. */
  readonly origin: bigint;
  /** Wei of FLUX per day for all chains together, at `origin`. */
  readonly ratePerDay: bigint;
  /** Wei per day by which the daily rate falls each day. */
  readonly declinePerDay: bigint;
}

/** A chain launch bonus: `amount` paid linearly over [start, start + duration). */
export interface Bonus {
  readonly amount: bigint;
  readonly start: bigint;
  readonly duration: bigint;
}

/** A market's reward weights on one chain (bps of the chain's budget). */
export interface MarketWeight {
  /** Checksummed address. */
  readonly market: string;
  readonly supplyBps: bigint;
  readonly borrowBps: bigint;
}

/** The custom errors (and panics) the contract's governance functions and views revert with. */
export type ScheduleErrorName = "ScheduleBadParameter" | "ScheduleBadWeights" | "ScheduleRetroactive" | "Panic";

/**
 * What the contract would revert with. `args` are the error's arguments: the parameter name (the
 * bytes32 decoded as text) for ScheduleBadParameter, (start, now) for ScheduleRetroactive, the
 * code for Panic.
 */
export class ScheduleError extends FluxError {
  constructor(
    readonly where: string,
    readonly errorName: ScheduleErrorName,
    readonly args: readonly (string | bigint)[] = [],
  ) {
    const shown = args.map((a) =>
      typeof a === "string" ? JSON.stringify(a) : errorName === "Panic" ? `0x${a.toString(16)}` : a.toString(),
    );
    super(`${where}: reverts with ${errorName}(${shown.join(", ")})`);
  }
}

// ------------------------------------------------------------------------- checked uint256 math

/** Panics are raised deep inside the math; the public method that caught them names itself. */
class Panic extends Error {
  constructor(readonly code: bigint) {
    super(`Panic(0x${code.toString(16)})`);
  }
}

function checked(x: bigint): bigint {
  if (x < 0n || x > MAX_UINT256) throw new Panic(PANIC_OVERFLOW);
  return x;
}
const add = (x: bigint, y: bigint): bigint => checked(x + y);
const sub = (x: bigint, y: bigint): bigint => checked(x - y);
const mul = (x: bigint, y: bigint): bigint => checked(x * y);

// ------------------------------------------------------------------------- the math

/**
 * `_segmentNumerator`: w x 2 DAY^2 x (base emission of segment `s` between its start and `t`),
 * with Solidity's evaluation order, so an overflow panics exactly where the contract's does.
 */
export function segmentNumerator(s: Segment, w: bigint, t: bigint): bigint {
  if (w === 0n || t <= s.start) return 0n;
  let a = sub(s.start, s.origin);
  let b = sub(t, s.origin);
  const r = s.ratePerDay;
  const d = s.declinePerDay;
  if (d !== 0n) {
    const zeroAt = mul(r, DAY) / d; // seconds after origin when the rate reaches zero
    if (a > zeroAt) a = zeroAt;
    if (b > zeroAt) b = zeroAt;
  }
  const rise = mul(mul(mul(2n, r), DAY), sub(b, a));
  const fall = mul(d, sub(mul(b, b), mul(a, a)));
  return mul(w, sub(rise, fall));
}

/** `_bonusAt`: the part of `bonus` paid by `t`, rounded down. */
export function bonusAt(bonus: Bonus, t: bigint): bigint {
  if (t <= bonus.start) return 0n;
  const elapsed = t - bonus.start;
  if (elapsed >= bonus.duration) return bonus.amount;
  return (bonus.amount * elapsed) / bonus.duration;
}

// ------------------------------------------------------------------------- argument checks

function uint(value: bigint, max: bigint, where: string, name: string, type: string): bigint {
  if (typeof value !== "bigint") throw new InputError(`${where}: ${name}: expected a bigint, got ${typeof value}`);
  if (value < 0n || value > max) throw new InputError(`${where}: ${name}: ${value} does not fit ${type}`);
  return value;
}
const u16 = (v: bigint, where: string, name: string) => uint(v, MAX_UINT16, where, name, "uint16");
const u64 = (v: bigint, where: string, name: string) => uint(v, MAX_UINT64, where, name, "uint64");
const u128 = (v: bigint, where: string, name: string) => uint(v, MAX_UINT128, where, name, "uint128");
const u256 = (v: bigint, where: string, name: string) => uint(v, MAX_UINT256, where, name, "uint256");

function list<T>(values: readonly T[], where: string, name: string, check: (v: T, name: string) => T): T[] {
  if (!Array.isArray(values)) throw new InputError(`${where}: ${name}: expected an array`);
  return values.map((v, i) => check(v, `${name}.${i}`));
}

// ------------------------------------------------------------------------- the model

interface State {
  segments: { start: bigint; origin: bigint; ratePerDay: bigint; declinePerDay: bigint }[];
  /** Per segment: chain id -> weight (absent = 0). */
  weight: Map<bigint, bigint>[];
  /** Per segment: chain id -> exact base numerator at the segment's start (absent = 0). */
  numeratorAtStart: Map<bigint, bigint>[];
  /** Every chain that has ever had a weight, in order of first appearance. */
  chainIds: bigint[];
  bonuses: Map<bigint, Bonus[]>;
  marketWeights: MarketWeight[];
  /** Latest `now` seen: the chain's clock never goes back. */
  lastNow: bigint;
}

/** Constructor arguments: those of `initialize` but the owner. */
export interface ScheduleInit {
  /** Emission start (may be in the future). */
  start: bigint;
  /** Wei a day for all chains together (20,000e18 for FLUX). */
  ratePerDay: bigint;
  /** Daily decline of the daily rate, wei (0 for flat). */
  declinePerDay: bigint;
  /** Active chains, sharing equally. */
  chainIds: readonly bigint[];
}

/** The full state as the contract's views expose it (what {@link loadScheduleFromChain} reads). */
export interface ScheduleSnapshot {
  segments: readonly Segment[];
  /** `chains()`: every chain that ever had a weight, in the contract's order. */
  chainIds: readonly bigint[];
  /** weights[k][i] = weightAt(k, chainIds[i]). */
  weights: readonly (readonly bigint[])[];
  /** Bonuses by chain (chains without bonuses may be left out). */
  bonuses: ReadonlyMap<bigint, readonly Bonus[]>;
  marketWeights: readonly MarketWeight[];
}

/**
 * The emission schedule as a pure value: governance methods take the block time `now` explicitly.
 * Amounts, times and chain ids are bigint, as in the contract (uint256).
 */
export class EmissionScheduleModel {
  #s: State;

  /** `initialize(owner, start, ratePerDay, declinePerDay, chainIds)` without the owner. */
  constructor(init: ScheduleInit) {
    const where = "EmissionScheduleModel.constructor";
    const start = u64(init.start, where, "start");
    const ratePerDay = u128(init.ratePerDay, where, "ratePerDay");
    const declinePerDay = u128(init.declinePerDay, where, "declinePerDay");
    const chainIds = list(init.chainIds, where, "chainIds", (v, n) => u256(v, where, n));
    const s: State = {
      segments: [],
      weight: [],
      numeratorAtStart: [],
      chainIds: [],
      bonuses: new Map(),
      marketWeights: [],
      lastNow: 0n,
    };
    reverting(where, () => {
      checkRate(ratePerDay, declinePerDay);
      s.segments.push({ start, origin: start, ratePerDay, declinePerDay });
      s.weight.push(new Map());
      s.numeratorAtStart.push(new Map());
      writeWeights(s, 0, chainIds, equalWeights(BigInt(chainIds.length)));
    });
    this.#s = s;
  }

  /**
   * Rebuilds a model from the contract's views (see {@link loadScheduleFromChain}). The numerators
   * at each segment start are recomputed: a segment's line and weights never change once the next
   * segment exists, so the recomputation gives the contract's stored values exactly.
   * @param where Names the source in error messages.
   */
  static fromSnapshot(snap: ScheduleSnapshot, where = "schedule snapshot"): EmissionScheduleModel {
    const bad = (path: string, what: string): never => {
      throw new InputError(`${where}: ${path}: ${what}`);
    };
    if (snap.segments.length === 0) bad("segments", "no segment");
    if (snap.weights.length !== snap.segments.length) bad("weights", "one row per segment expected");
    if (BigInt(snap.chainIds.length) > MAX_CHAINS) bad("chainIds", `more than ${MAX_CHAINS} chains`);
    const seen = new Set<bigint>();
    snap.chainIds.forEach((c, i) => {
      if (c === 0n || seen.has(c)) bad(`chainIds.${i}`, "zero or repeated chain id");
      seen.add(c);
    });
    const s: State = {
      segments: [],
      weight: [],
      numeratorAtStart: [],
      chainIds: [...snap.chainIds],
      bonuses: new Map(),
      marketWeights: snap.marketWeights.map((m) => ({ ...m })),
      lastNow: 0n,
    };
    snap.segments.forEach((seg, k) => {
      const prev = s.segments[k - 1];
      if (prev && seg.start <= prev.start) bad(`segments.${k}.start`, "segment starts must increase");
      if (seg.origin > seg.start) bad(`segments.${k}.origin`, "origin after start");
      if (seg.ratePerDay > MAX_RATE_PER_DAY || seg.declinePerDay > seg.ratePerDay) {
        bad(`segments.${k}`, "rate or decline out of the contract's bounds");
      }
      const row = snap.weights[k]!;
      if (row.length !== snap.chainIds.length) bad(`weights.${k}`, "one weight per chain expected");
      const weight = new Map<bigint, bigint>();
      let sum = 0n;
      snap.chainIds.forEach((c, i) => {
        weight.set(c, row[i]!);
        sum += row[i]!;
      });
      if (sum !== WEIGHT_TOTAL) bad(`weights.${k}`, `weights sum to ${sum}, not ${WEIGHT_TOTAL}`);
      const nas = new Map<bigint, bigint>();
      const prevWeight = s.weight[k - 1];
      const prevNas = s.numeratorAtStart[k - 1];
      if (prev && prevWeight && prevNas) {
        for (const c of s.chainIds) {
          nas.set(c, (prevNas.get(c) ?? 0n) + segmentNumerator(prev, prevWeight.get(c) ?? 0n, seg.start));
        }
      }
      s.segments.push({ ...seg });
      s.weight.push(weight);
      s.numeratorAtStart.push(nas);
    });
    for (const [c, list] of snap.bonuses) {
      if (BigInt(list.length) > MAX_BONUSES) bad(`bonuses.${c}`, `more than ${MAX_BONUSES} bonuses`);
      if (list.length > 0) s.bonuses.set(c, list.map((b) => ({ ...b })));
    }
    // Every segment after the first began at the block time of a change: the clock is at least there.
    s.lastNow = s.segments.length > 1 ? s.segments[s.segments.length - 1]!.start : 0n;
    // A placeholder construction gives the instance its private state slot; then it is replaced.
    const model = new EmissionScheduleModel({ start: 0n, ratePerDay: 0n, declinePerDay: 0n, chainIds: [1n] });
    model.#s = s;
    return model;
  }

  // ======================================================================= governance

  /** `setEmissionRate(ratePerDay, declinePerDay)` executed at `now`. */
  setEmissionRate(now: bigint, ratePerDay: bigint, declinePerDay: bigint): void {
    const where = "EmissionScheduleModel.setEmissionRate";
    u128(ratePerDay, where, "ratePerDay");
    u128(declinePerDay, where, "declinePerDay");
    this.#transact(where, now, (s) => {
      checkRate(ratePerDay, declinePerDay);
      const { k, at } = newSegment(s, now);
      const seg = s.segments[k]!;
      seg.origin = at;
      seg.ratePerDay = ratePerDay;
      seg.declinePerDay = declinePerDay;
    });
  }

  /** `setChainWeightsBps(chainIds, bps)` executed at `now`: bps summing to 10,000; others get nothing. */
  setChainWeightsBps(now: bigint, chainIds: readonly bigint[], bps: readonly bigint[]): void {
    const where = "EmissionScheduleModel.setChainWeightsBps";
    const ids = list(chainIds, where, "chainIds", (v, n) => u256(v, where, n));
    const points = list(bps, where, "bps", (v, n) => u256(v, where, n));
    this.#transact(where, now, (s) => {
      if (ids.length !== points.length || ids.length === 0) throw new ScheduleError(where, "ScheduleBadWeights");
      const weights: bigint[] = [];
      let sum = 0n;
      for (const p of points) {
        sum = add(sum, p);
        weights.push(mul(p, WEIGHT_TOTAL / BPS_TOTAL));
      }
      if (sum !== BPS_TOTAL) throw new ScheduleError(where, "ScheduleBadWeights");
      const { k } = newSegment(s, now);
      writeWeights(s, k, ids, weights);
    });
  }

  /** `setEqualChainWeights(chainIds)` executed at `now`. */
  setEqualChainWeights(now: bigint, chainIds: readonly bigint[]): void {
    const where = "EmissionScheduleModel.setEqualChainWeights";
    const ids = list(chainIds, where, "chainIds", (v, n) => u256(v, where, n));
    this.#transact(where, now, (s) => {
      const { k } = newSegment(s, now);
      writeWeights(s, k, ids, equalWeights(BigInt(ids.length)));
    });
  }

  /** `addLaunchBonus(chainId, amount, start, duration)` executed at `now`. */
  addLaunchBonus(now: bigint, chainId: bigint, amount: bigint, start: bigint, duration: bigint): void {
    const where = "EmissionScheduleModel.addLaunchBonus";
    u256(chainId, where, "chainId");
    u128(amount, where, "amount");
    u64(start, where, "start");
    u64(duration, where, "duration");
    this.#transact(where, now, (s) => {
      if (start < now) throw new ScheduleError(where, "ScheduleRetroactive", [start, now]);
      if (amount === 0n || amount > MAX_BONUS) throw new ScheduleError(where, "ScheduleBadParameter", ["bonusAmount"]);
      if (duration < MIN_BONUS_DURATION || duration > MAX_BONUS_DURATION) {
        throw new ScheduleError(where, "ScheduleBadParameter", ["bonusDuration"]);
      }
      if (chainId === 0n) throw new ScheduleError(where, "ScheduleBadParameter", ["chainId"]);
      const bonuses = s.bonuses.get(chainId) ?? [];
      if (BigInt(bonuses.length) >= MAX_BONUSES) throw new ScheduleError(where, "ScheduleBadParameter", ["bonusCount"]);
      if (bonuses.length === 0 && BigInt(s.bonuses.size) >= MAX_CHAINS) throw new ScheduleError(where, "ScheduleBadParameter", ["bonusChainCount"]);
      s.bonuses.set(chainId, [...bonuses, { amount, start, duration }]);
    });
  }

  /** `setMarketWeights(markets, supplyBps, borrowBps)` executed at `now` (replaces the list). */
  setMarketWeights(
    now: bigint,
    markets: readonly string[],
    supplyBps: readonly bigint[],
    borrowBps: readonly bigint[],
  ): void {
    const where = "EmissionScheduleModel.setMarketWeights";
    const addrs = parseWith(z.array(address), markets, `${where}: markets`);
    const supply = list(supplyBps, where, "supplyBps", (v, n) => u16(v, where, n));
    const borrow = list(borrowBps, where, "borrowBps", (v, n) => u16(v, where, n));
    this.#transact(where, now, (s) => {
      const n = addrs.length;
      if (n === 0 || BigInt(n) > MAX_MARKETS || supply.length !== n || borrow.length !== n) {
        throw new ScheduleError(where, "ScheduleBadWeights");
      }
      const next: MarketWeight[] = [];
      let sum = 0n;
      for (let i = 0; i < n; ++i) {
        const market = addrs[i]!;
        if (market === ZERO_ADDRESS) throw new ScheduleError(where, "ScheduleBadParameter", ["market"]);
        if (addrs.slice(0, i).includes(market)) throw new ScheduleError(where, "ScheduleBadParameter", ["market"]);
        sum += supply[i]! + borrow[i]!;
        next.push({ market, supplyBps: supply[i]!, borrowBps: borrow[i]! });
      }
      if (sum !== BPS_TOTAL) throw new ScheduleError(where, "ScheduleBadWeights");
      s.marketWeights = next;
    });
  }

  // ======================================================================= views

  /** `cumulativeEmission(chainId, t)`: wei `chainId` may have distributed by `t`. */
  cumulativeEmission(chainId: bigint, t: bigint): bigint {
    const where = "EmissionScheduleModel.cumulativeEmission";
    u256(chainId, where, "chainId");
    u256(t, where, "timestamp");
    return reverting(where, () => {
      let amount = this.#baseNumerator(chainId, t) / SCALE;
      for (const b of this.#s.bonuses.get(chainId) ?? []) amount = add(amount, bonusAt(b, t));
      return amount;
    });
  }

  /** `baseNumerator(chainId, t)`: the chain's exact base emission by `t`, times SCALE. */
  baseNumerator(chainId: bigint, t: bigint): bigint {
    const where = "EmissionScheduleModel.baseNumerator";
    u256(chainId, where, "chainId");
    u256(t, where, "timestamp");
    return reverting(where, () => this.#baseNumerator(chainId, t));
  }

  /**
   * Not in the contract; for operators. The chain's daily rate going forward from `t`: its share
   * of the base line at `t` (0 once the line has reached zero), floored, plus floor(amount x DAY /
   * duration) for each bonus paying at `t` (start <= t < start + duration).
   */
  ratePerDayAt(chainId: bigint, t: bigint): bigint {
    const where = "EmissionScheduleModel.ratePerDayAt";
    u256(chainId, where, "chainId");
    u256(t, where, "timestamp");
    const s = this.#s;
    let rate = 0n;
    if (t >= s.segments[0]!.start) {
      const k = segmentIndexAt(s, t);
      const seg = s.segments[k]!;
      const w = s.weight[k]!.get(chainId) ?? 0n;
      const x = t - seg.origin;
      const d = seg.declinePerDay;
      if (d === 0n) rate = (w * seg.ratePerDay) / WEIGHT_TOTAL;
      else if (x < (seg.ratePerDay * DAY) / d) rate = (w * (seg.ratePerDay * DAY - d * x)) / (DAY * WEIGHT_TOTAL);
    }
    for (const b of s.bonuses.get(chainId) ?? []) {
      if (b.start <= t && t - b.start < b.duration) rate += (b.amount * DAY) / b.duration;
    }
    return rate;
  }

  /** `segmentCount()`. */
  segmentCount(): bigint {
    return BigInt(this.#s.segments.length);
  }

  /** `segmentAt(index)` (Panic(0x32) past the end, as the contract). */
  segmentAt(index: bigint): Segment {
    const seg = index >= 0n && index < BigInt(this.#s.segments.length) ? this.#s.segments[Number(index)] : undefined;
    if (!seg) throw new ScheduleError("EmissionScheduleModel.segmentAt", "Panic", [PANIC_OUT_OF_BOUNDS]);
    return { ...seg };
  }

  /** All segments, in order (copies). */
  get segments(): readonly Segment[] {
    return this.#s.segments.map((seg) => ({ ...seg }));
  }

  /** `weightAt(index, chainId)`: out of WEIGHT_TOTAL (0 for any unknown index or chain, as the mapping). */
  weightAt(index: bigint, chainId: bigint): bigint {
    const row = index >= 0n && index < BigInt(this.#s.weight.length) ? this.#s.weight[Number(index)] : undefined;
    return row?.get(chainId) ?? 0n;
  }

  /** `chains()`: every chain that has ever had a weight. */
  chains(): bigint[] {
    return [...this.#s.chainIds];
  }

  /** `bonusesOf(chainId)`. */
  bonusesOf(chainId: bigint): Bonus[] {
    return (this.#s.bonuses.get(chainId) ?? []).map((b) => ({ ...b }));
  }

  /** `bonusChains()`: chains that have launch bonuses, in the order of their first one. */
  bonusChains(): bigint[] {
    return [...this.#s.bonuses.keys()];
  }

  /** `marketWeights()`. */
  marketWeights(): MarketWeight[] {
    return this.#s.marketWeights.map((m) => ({ ...m }));
  }

  /** The whole state in the shape of the contract's views. */
  snapshot(): ScheduleSnapshot {
    const s = this.#s;
    return {
      segments: this.segments,
      chainIds: this.chains(),
      weights: s.weight.map((row) => s.chainIds.map((c) => row.get(c) ?? 0n)),
      bonuses: new Map([...s.bonuses].map(([c, l]) => [c, l.map((b) => ({ ...b }))])),
      marketWeights: this.marketWeights(),
    };
  }

  // ======================================================================= internals

  #baseNumerator(chainId: bigint, t: bigint): bigint {
    const s = this.#s;
    if (t <= s.segments[0]!.start) return 0n;
    const k = segmentIndexAt(s, t);
    const w = s.weight[k]!.get(chainId) ?? 0n;
    return add(s.numeratorAtStart[k]!.get(chainId) ?? 0n, segmentNumerator(s.segments[k]!, w, t));
  }

  /** Runs a governance change on a copy of the state, committed only if it does not revert. */
  #transact(where: string, now: bigint, change: (s: State) => void): void {
    u64(now, where, "now");
    if (now < this.#s.lastNow) {
      throw new InputError(`${where}: now: ${now} is before an earlier change (${this.#s.lastNow}); time only moves forward`);
    }
    this.#s.lastNow = now;
    const draft = structuredClone(this.#s);
    reverting(where, () => change(draft));
    this.#s = draft;
  }
}

/** Turns an internal Panic into a ScheduleError naming `where`. */
function reverting<T>(where: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof Panic) throw new ScheduleError(where, "Panic", [e.code]);
    if (e instanceof ScheduleError && e.where !== where) throw new ScheduleError(where, e.errorName, e.args);
    throw e;
  }
}

/** Index of the last segment whose start <= t (t >= the first start). */
function segmentIndexAt(s: State, t: bigint): number {
  let lo = 0;
  let hi = s.segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (s.segments[mid]!.start <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** `_newSegment`: a segment at max(now, last start) copying the last one, or the last one itself. */
function newSegment(s: State, now: bigint): { k: number; at: bigint } {
  const last = s.segments.length - 1;
  const prev = s.segments[last]!;
  const at = now > prev.start ? now : prev.start;
  if (at === prev.start) return { k: last, at };
  const k = last + 1;
  s.segments.push({ start: at, origin: prev.origin, ratePerDay: prev.ratePerDay, declinePerDay: prev.declinePerDay });
  const weight = new Map<bigint, bigint>();
  const nas = new Map<bigint, bigint>();
  for (const c of s.chainIds) {
    const w = s.weight[last]!.get(c) ?? 0n;
    weight.set(c, w);
    nas.set(c, add(s.numeratorAtStart[last]!.get(c) ?? 0n, segmentNumerator(prev, w, at)));
  }
  s.weight.push(weight);
  s.numeratorAtStart.push(nas);
  return { k, at };
}

/** `_writeWeights`: replaces segment k's weights (chains not listed get 0). */
function writeWeights(s: State, k: number, chainIds: readonly bigint[], weights: readonly bigint[]): void {
  const where = "writeWeights";
  const row = s.weight[k]!;
  for (const c of s.chainIds) row.set(c, 0n);
  let sum = 0n;
  chainIds.forEach((c, i) => {
    const w = weights[i]!;
    if (c === 0n || (row.get(c) ?? 0n) !== 0n) throw new ScheduleError(where, "ScheduleBadParameter", ["chainId"]);
    if (w === 0n) throw new ScheduleError(where, "ScheduleBadWeights");
    if (!s.chainIds.includes(c)) {
      if (BigInt(s.chainIds.length) >= MAX_CHAINS) throw new ScheduleError(where, "ScheduleBadParameter", ["chainCount"]);
      s.chainIds.push(c);
    }
    row.set(c, w);
    sum = add(sum, w);
  });
  if (sum !== WEIGHT_TOTAL) throw new ScheduleError(where, "ScheduleBadWeights");
}

/** `_equalWeights`: n equal shares of WEIGHT_TOTAL (n must divide it, 1 <= n <= MAX_CHAINS). */
function equalWeights(n: bigint): bigint[] {
  if (n === 0n || n > MAX_CHAINS || WEIGHT_TOTAL % n !== 0n) throw new ScheduleError("equalWeights", "ScheduleBadWeights");
  return Array.from({ length: Number(n) }, () => WEIGHT_TOTAL / n);
}

/** `_checkRate`. */
function checkRate(ratePerDay: bigint, declinePerDay: bigint): void {
  if (ratePerDay > MAX_RATE_PER_DAY) throw new ScheduleError("checkRate", "ScheduleBadParameter", ["ratePerDay"]);
  if (declinePerDay > ratePerDay) throw new ScheduleError("checkRate", "ScheduleBadParameter", ["declinePerDay"]);
}

// ------------------------------------------------------------------------- budgets and loading

/** Wei `chainId` may distribute in (from, to]: cumulative(to) - cumulative(from). */
export function budgetBetween(model: EmissionScheduleModel, chainId: bigint, from: bigint, to: bigint): bigint {
  if (to < from) throw new InputError(`budgetBetween: to: ${to} is before from (${from})`);
  return model.cumulativeEmission(chainId, to) - model.cumulativeEmission(chainId, from);
}

/**
 * The views of a deployed EmissionSchedule that {@link loadScheduleFromChain} reads. A typechain
 * `EmissionSchedule` (or any ethers Contract with its ABI) fits.
 */
/** The EmissionSchedule ABI, views {@link loadScheduleFromChain} reads included, compiled from IEmissionSchedule. */
export const SCHEDULE_VIEWS_ABI = IEmissionSchedule__factory.abi;

export interface EmissionScheduleViews {
  segmentCount(): Promise<unknown>;
  segmentAt(index: bigint): Promise<unknown>;
  weightAt(index: bigint, chainId: bigint): Promise<unknown>;
  chains(): Promise<unknown>;
  bonusChains(): Promise<unknown>;
  bonusesOf(chainId: bigint): Promise<unknown>;
  marketWeights(): Promise<unknown>;
  getAddress(): Promise<string>;
}

export interface LoadOptions {
  /** Block tag for every read, so the snapshot is consistent (e.g. a block number). */
  blockTag?: bigint | number | string;
}

/** More segments than this (one per governance change) means the address is not a schedule. */
const MAX_SEGMENTS_READ = 1n << 20n;
const uintOut = (max: bigint) => z.bigint().min(0n).max(max);
/** ethers returns structs as Result arrays with named keys; copy the named fields into an object. */
const struct = <T extends z.ZodRawShape>(shape: T) =>
  z.preprocess((v) => {
    if (v === null || typeof v !== "object") return v;
    const rec = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(shape).map((key) => [key, rec[key]]));
  }, z.object(shape));
const segmentOut = struct({
  start: uintOut(MAX_UINT64),
  origin: uintOut(MAX_UINT64),
  ratePerDay: uintOut(MAX_UINT128),
  declinePerDay: uintOut(MAX_UINT128),
});
const bonusOut = struct({ amount: uintOut(MAX_UINT128), start: uintOut(MAX_UINT64), duration: uintOut(MAX_UINT64) });
const marketOut = struct({ market: address, supplyBps: uintOut(MAX_UINT16), borrowBps: uintOut(MAX_UINT16) });
const arrayOut = <T extends z.ZodType>(item: T) => z.preprocess((v) => (Array.isArray(v) ? [...v] : v), z.array(item));

/**
 * Rebuilds the model of a deployed EmissionSchedule from its views (segmentCount, segmentAt,
 * weightAt, chains, bonusesOf, marketWeights), so budgets can be computed offline. Every value
 * read is validated; a bad one throws an InputError naming the contract and the view.
 */
export async function loadScheduleFromChain(
  contract: EmissionScheduleViews,
  opts: LoadOptions = {},
): Promise<EmissionScheduleModel> {
  const where = `EmissionSchedule at ${await contract.getAddress()}`;
  const call = <A extends unknown[]>(fn: (...args: A) => Promise<unknown>, ...args: A): Promise<unknown> =>
    opts.blockTag === undefined
      ? fn.apply(contract, args)
      : (fn as (...a: unknown[]) => Promise<unknown>).apply(contract, [...args, { blockTag: opts.blockTag }]);
  const count = parseWith(uintOut(MAX_SEGMENTS_READ), await call(contract.segmentCount), `${where}: segmentCount()`);
  const chainIds = parseWith(arrayOut(uintOut(MAX_UINT256)), await call(contract.chains), `${where}: chains()`);
  const indices = Array.from({ length: Number(count) }, (_, k) => BigInt(k));
  const segments = await Promise.all(
    indices.map(async (k) => parseWith(segmentOut, await call(contract.segmentAt, k), `${where}: segmentAt(${k})`)),
  );
  const weights = await Promise.all(
    indices.map((k) =>
      Promise.all(
        chainIds.map(async (c) =>
          parseWith(uintOut(WEIGHT_TOTAL), await call(contract.weightAt, k, c), `${where}: weightAt(${k}, ${c})`),
        ),
      ),
    ),
  );
  const bonusChains = parseWith(arrayOut(uintOut(MAX_UINT256)), await call(contract.bonusChains), `${where}: bonusChains()`);
  const bonuses = new Map<bigint, Bonus[]>();
  await Promise.all(
    bonusChains.map(async (c) => {
      const list = parseWith(arrayOut(bonusOut), await call(contract.bonusesOf, c), `${where}: bonusesOf(${c})`);
      if (list.length > 0) bonuses.set(c, list);
    }),
  );
  // the model keeps bonuses in the order of each chain's first one, as bonusChains() lists them
  const ordered = new Map(bonusChains.filter((c) => bonuses.has(c)).map((c) => [c, bonuses.get(c)!]));
  const marketWeights = parseWith(arrayOut(marketOut), await call(contract.marketWeights), `${where}: marketWeights()`);
  return EmissionScheduleModel.fromSnapshot({ segments, chainIds, weights, bonuses: ordered, marketWeights }, where);
}
