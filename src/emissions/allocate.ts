/**
 * Reward allocation for one epoch on one chain: the chain's budget for the epoch (from the
 * emission schedule) is split between reward *sources* — the supply and borrow sides of each
 * market — by the governance-set weights in force at each moment, then between accounts by their
 * time-weighted balances in that source.
 *
 * Exactness: every split rounds down; whatever rounding leaves (and any source budget for a
 * period in which the source had no balance at all) is carried forward into the next epoch's
 * budget, so `sum(paid) + carryOut == budget + carryIn` holds to the wei and nothing is lost or
 * created. Cumulative amounts only grow: they are the previous epoch's plus this epoch's.
 *
 * Balances are non-negative by construction (uint256 event fields, or files validated at the
 * boundary by src/emissions/input.ts), so the hot loop does not re-check them.
 *
 * Balances are piecewise constant between changes: a change at time t sets the account's
 * balance from t on. A source's time-weighted balance over [a, b) is sum(balance x seconds).
 * The input is plain data, so the same code serves chain events and balance files.
 */
import { InputError } from "../core/errors.js";


/** A balance that holds from `time` on (e.g. shares after a Deposit event). */
export interface BalanceChange {
  source: string;
  account: string;
  balance: bigint;
  time: number;
}

/** Source weights (bps of the chain's budget, summing to 10,000) in force from `from` on. */
export interface WeightPeriod {
  from: number;
  weights: { source: string; bps: number }[];
}

export interface AllocationInput {
  epochStart: number;
  epochEnd: number;
  /** The chain's budget for [from, to): cumulativeEmission(to) - cumulativeEmission(from). */
  budget: (from: number, to: number) => bigint | Promise<bigint>;
  /** Weight periods sorted by `from`; the first must start at or before `epochStart`. */
  weights: WeightPeriod[];
  /** Balances at `epochStart`, per source then account. */
  initial: Map<string, Map<string, bigint>>;
  /** Changes within (epochStart, epochEnd], sorted by time (stable within a time). */
  changes: BalanceChange[];
  /** The previous epoch's cumulative amounts and carry. */
  previous: { cumulative: Map<string, bigint>; carry: bigint };
}

export interface AllocationResult {
  /** Paid this epoch, per account (only non-zero). */
  amounts: Map<string, bigint>;
  /** Previous cumulative + this epoch, per account. */
  cumulative: Map<string, bigint>;
  /** Budget of the epoch from the schedule (without the carry in). */
  budget: bigint;
  carryIn: bigint;
  carryOut: bigint;
  /** Paid this epoch per source. */
  bySource: Map<string, bigint>;
  /** Paid this epoch in all. */
  distributed: bigint;
}

/** Allocation input that cannot be allocated (an InputError, so commands report it as such). */
export class AllocationError extends InputError {
  override name = "AllocationError";
}

/** BigInt of small time spans, precomputed: converting on every event dominated the hot loop. */
const SPANS = Array.from({ length: 1 << 16 }, (_, i) => BigInt(i));
const span = (seconds: number): bigint => (seconds < SPANS.length ? SPANS[seconds]! : BigInt(seconds));

interface Position {
  balance: bigint;
  last: number;
  acc: bigint; // balance-seconds in the current period
}

export async function allocateEpoch(input: AllocationInput): Promise<AllocationResult> {
  const { epochStart, epochEnd } = input;
  if (!(epochEnd > epochStart)) throw new AllocationError(`epoch end ${epochEnd} is not after its start ${epochStart}`);
  const periods = periodsOf(input.weights, epochStart, epochEnd);

  const state = new Map<string, Map<string, Position>>();
  const sourceOf = (source: string) => {
    let m = state.get(source);
    if (!m) state.set(source, (m = new Map()));
    return m;
  };
  for (const [source, balances] of input.initial) {
    const m = sourceOf(source);
    for (const [account, balance] of balances) if (balance > 0n) m.set(account, { balance, last: epochStart, acc: 0n });
  }

  const amounts = new Map<string, bigint>();
  const bySource = new Map<string, bigint>();
  let budgetTotal = 0n;
  let carry = input.previous.carry;
  const carryIn = carry;
  let distributed = 0n;
  let next = 0;
  const changes = input.changes;
  let lastTime = epochStart;
  let lastSource: string | undefined;
  let current: Map<string, Position> | undefined;

  for (const [pi, period] of periods.entries()) {
    // apply the changes inside this period
    for (; next < changes.length && changes[next]!.time <= period.to; next++) {
      const c = changes[next]!;
      if (c.time < lastTime) throw new AllocationError(`balance changes are not sorted by time (at ${c.time})`);
      if (c.time <= epochStart) throw new AllocationError(`a change at ${c.time} is not inside the epoch (${epochStart}, ${epochEnd}]`);
      lastTime = c.time;
      if (c.time === period.to && pi < periods.length - 1) break; // belongs to the next period's start
      if (c.source !== lastSource) {
        lastSource = c.source;
        current = sourceOf(c.source);
      }
      const p = current!.get(c.account);
      if (p) {
        if (p.balance !== 0n && c.time !== p.last) p.acc += p.balance * span(c.time - p.last);
        p.balance = c.balance;
        p.last = c.time;
      } else if (c.balance > 0n) {
        current!.set(c.account, { balance: c.balance, last: c.time, acc: 0n });
      }
    }

    // the period's budget, split by source weights; the carry joins the first period
    const periodBudget = await input.budget(period.from, period.to);
    budgetTotal += periodBudget;
    const pot = periodBudget + (pi === 0 ? carry : 0n);
    if (pi === 0) carry = 0n;
    let paidInPeriod = 0n;
    for (const { source, bps } of period.weights) {
      const sourceBudget = (pot * BigInt(bps)) / 10_000n;
      const m = state.get(source);
      let total = 0n;
      if (m) {
        for (const p of m.values()) {
          if (p.balance !== 0n) p.acc += p.balance * span(period.to - p.last);
          p.last = period.to;
          total += p.acc;
        }
      }
      if (total === 0n || sourceBudget === 0n) {
        if (m) for (const p of m.values()) p.acc = 0n;
        continue;
      }
      let paid = 0n;
      for (const [account, p] of m!) {
        if (p.acc === 0n) continue;
        const amount = (sourceBudget * p.acc) / total;
        p.acc = 0n;
        if (amount === 0n) continue;
        amounts.set(account, (amounts.get(account) ?? 0n) + amount);
        paid += amount;
      }
      bySource.set(source, (bySource.get(source) ?? 0n) + paid);
      paidInPeriod += paid;
    }
    // sources without a weight in this period still move their clocks
    for (const [source, m] of state) {
      if (period.weights.some((w) => w.source === source)) continue;
      for (const p of m.values()) {
        p.last = period.to;
        p.acc = 0n;
      }
    }
    distributed += paidInPeriod;
    carry += pot - paidInPeriod;
  }
  if (next < changes.length) {
    throw new AllocationError(`a change at ${changes[next]!.time} is after the epoch end ${epochEnd}`);
  }

  const cumulative = new Map(input.previous.cumulative);
  for (const [account, amount] of amounts) cumulative.set(account, (cumulative.get(account) ?? 0n) + amount);
  return { amounts, cumulative, budget: budgetTotal, carryIn, carryOut: carry, bySource, distributed };
}

interface Period {
  from: number;
  to: number;
  weights: { source: string; bps: number }[];
}

/** Cuts [start, end) at every weight change; checks every weight set sums to 10,000. */
function periodsOf(weights: WeightPeriod[], start: number, end: number): Period[] {
  if (weights.length === 0 || weights[0]!.from > start) {
    throw new AllocationError(`no market weights are in force at the epoch start ${start}`);
  }
  const out: Period[] = [];
  for (const [i, w] of weights.entries()) {
    const sum = w.weights.reduce((s, x) => s + x.bps, 0);
    if (sum !== 10_000) throw new AllocationError(`weights from ${w.from} sum to ${sum} bps, not 10,000`);
    if (i > 0 && w.from < weights[i - 1]!.from) throw new AllocationError("weight periods are not sorted");
    const from = Math.max(w.from, start);
    const to = Math.min(weights[i + 1]?.from ?? end, end);
    if (to > from) out.push({ from, to, weights: w.weights });
  }
  return out;
}
