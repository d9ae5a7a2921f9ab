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
 * boundary by src/emissions/input.ts), so the hot loop does not check them (a negative one would
 * still be accrued exactly, on the bigint fallback of src/emissions/positions.ts).
 *
 * `amounts` lists accounts in order of first appearance (initial balances, then changes).
 *
 * Balances are piecewise constant between changes: a change at time t sets the account's
 * balance from t on. A source's time-weighted balance over [a, b) is sum(balance x seconds).
 * The input is plain data, so the same code serves chain events and balance files.
 */
import { InputError } from "../core/errors.js";
import { Positions, SEGMENT } from "./positions.js";


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

/** An epoch that ends at or before it starts (e.g. a first epoch ending before rewards start): it has nothing to allocate. */
export class EmptyEpochError extends AllocationError {
  override name = "EmptyEpochError";
  constructor(
    readonly epochStart: number,
    readonly epochEnd: number,
  ) {
    super(`epoch end ${epochEnd} is not after its start ${epochStart}`);
  }
}

/**
 * Every (source, account) position of an epoch, in flat columns indexed by a dense position
 * index. A source's positions form one contiguous range, so closing and paying a source is a
 * linear scan. Accounts and sources are interned to dense indices once, before the event loop,
 * and each change's position index is computed then, so the loop does no Map lookup and
 * allocates nothing per event with a balance below 2^64. (Profiling the former Map-of-positions layout showed the per-event
 * lookups and inserts over ~600,000 positions in six maps as most of the time, and the bigint
 * products and their garbage as most of the rest.) Memory is linear in changes + accounts +
 * sources: positions are only made for pairs that occur, never sources x accounts.
 *
 * Balance-seconds accrue exactly in `Positions` (src/emissions/positions.ts); each position's
 * total for a period is a bigint, and the split of budgets is the same floored bigint arithmetic
 * as the straightforward per-position allocation.
 */
interface Ledger {
  /** Accounts by index, in order of first appearance (initial balances, then changes). */
  accounts: string[];
  /** Source name to its index s; its positions are [start[s], end[s]). */
  sources: Map<string, number>;
  start: Int32Array;
  end: Int32Array;
  /** Position index of each change. */
  positionOf: Int32Array;
  /** Account index of each position. */
  accountOf: Int32Array;
  positions: Positions;
  /** This epoch's payout per account index. */
  paid: bigint[];
}

/** Dense index of `key` in `index`, appending it to `list` on its first appearance. */
function internOf(index: Map<string, number>, list: string[], key: string): number {
  let i = index.get(key);
  if (i === undefined) {
    i = list.length;
    index.set(key, i);
    list.push(key);
  }
  return i;
}

/** Accounts and sources interned to dense indices: per change, and per initial balance. */
interface Interned {
  accounts: string[];
  sources: Map<string, number>;
  sourceOf: Int32Array;
  accountOf: Int32Array;
  /** Per source index: account indices and balances of its initial balances. */
  initial: { accounts: number[]; balances: bigint[] }[];
}

/**
 * One pass over the initial balances and the changes: one account lookup per change, and a source
 * lookup only when the source differs from the previous change's (runs of one source are common).
 */
function intern(input: AllocationInput): Interned {
  const accountIndex = new Map<string, number>();
  const accounts: string[] = [];
  const sources = new Map<string, number>();
  const sourceList: string[] = [];
  const initial: Interned["initial"] = [];
  for (const [source, balances] of input.initial) {
    const s = internOf(sources, sourceList, source);
    initial[s] = { accounts: [...balances.keys()].map((a) => internOf(accountIndex, accounts, a)), balances: [...balances.values()] };
  }
  const changes = input.changes;
  const sourceOf = new Int32Array(changes.length);
  const accountOf = new Int32Array(changes.length);
  let lastSource: string | undefined;
  let lastId = -1;
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    if (c.source !== lastSource) lastId = internOf(sources, sourceList, (lastSource = c.source));
    sourceOf[i] = lastId;
    accountOf[i] = internOf(accountIndex, accounts, c.account);
  }
  return { accounts, sources, sourceOf, accountOf, initial };
}

/** Change indices grouped by source index (a stable counting sort), with each group's bounds. */
function groupBySource(sourceOf: Int32Array, sources: number): { order: Int32Array; bounds: Int32Array } {
  const bounds = new Int32Array(sources + 1);
  for (const s of sourceOf) bounds[s + 1]!++;
  for (let s = 0; s < sources; s++) bounds[s + 1]! += bounds[s]!;
  const fill = bounds.slice(0, sources);
  const order = new Int32Array(sourceOf.length);
  sourceOf.forEach((s, i) => (order[fill[s]!++] = i));
  return { order, bounds };
}

/**
 * Lays out the positions source by source: a source's initial balances first, then each account
 * at its first change in that source. `slot[a]` is account a's position in the current source,
 * valid while `stamp[a]` is that source's index + 1, so one pair of arrays serves every source.
 */
function ledgerOf(input: AllocationInput): Ledger {
  const { accounts, sources, sourceOf, accountOf: accountOfChange, initial } = intern(input);
  const { order, bounds } = groupBySource(sourceOf, sources.size);
  const n = accounts.length;
  const capacity = input.changes.length + initial.reduce((k, x) => k + (x?.accounts.length ?? 0), 0);
  const start = new Int32Array(sources.size);
  const end = new Int32Array(sources.size);
  const positionOf = new Int32Array(input.changes.length);
  const accountOf = new Int32Array(capacity);
  const initialOf: [number, bigint][] = [];
  const stamp = new Int32Array(n);
  const slot = new Int32Array(n);
  let next = 0;
  const place = (s: number, a: number): number => {
    if (stamp[a] === s + 1) return slot[a]!;
    stamp[a] = s + 1;
    accountOf[next] = a;
    return (slot[a] = next++);
  };
  for (let s = 0; s < sources.size; s++) {
    start[s] = next;
    const init = initial[s];
    if (init) init.accounts.forEach((a, k) => initialOf.push([place(s, a), init.balances[k]!]));
    for (let k = bounds[s]!; k < bounds[s + 1]!; k++) positionOf[order[k]!] = place(s, accountOfChange[order[k]!]!);
    end[s] = next;
  }
  const positions = new Positions(next, input.epochStart);
  for (const [p, balance] of initialOf) positions.set(p, balance);
  return { accounts, sources, start, end, positionOf, accountOf, positions, paid: new Array<bigint>(n).fill(0n) };
}

/**
 * Applies the changes from index `from` on with a time up to `to` and returns the index of the
 * first change not applied. A change at exactly `to` is left to the next period unless this is
 * the last one (it holds from `to` on, so it accrues nothing in this period either way). A change
 * first accrues the old balance over [last, time), then sets the balance from `time` on.
 */
function applyUntil(l: Ledger, input: AllocationInput, from: number, to: number, final: boolean): number {
  const { positionOf, positions } = l;
  const { changes, epochStart, epochEnd } = input;
  let lastTime = from > 0 ? changes[from - 1]!.time : epochStart;
  let next = from;
  for (; next < changes.length; next++) {
    const c = changes[next]!;
    const time = c.time;
    if (time > to) break;
    if (time < lastTime) throw new AllocationError(`balance changes are not sorted by time (at ${time})`);
    if (time <= epochStart) throw new AllocationError(`a change at ${time} is not inside the epoch (${epochStart}, ${epochEnd}]`);
    lastTime = time;
    if (time === to && !final) break;
    positions.change(positionOf[next]!, time, c.balance);
  }
  return next;
}

/** Accrues every position of source `s` up to `to`, collects it and returns their total balance-seconds. */
function closeSource(l: Ledger, s: number, to: number): bigint {
  const positions = l.positions;
  let total = 0n;
  for (let p = l.start[s]!; p < l.end[s]!; p++) {
    positions.accrue(p, to);
    total += positions.collect(p);
  }
  return total;
}

/**
 * Accrues and collects every position up to `time`: called at least every SEGMENT seconds within
 * a period, so that no position's Number sums span more (the bound `Positions` relies on).
 */
function collectAll(l: Ledger, time: number): void {
  for (let p = 0; p < l.positions.acc.length; p++) {
    l.positions.accrue(p, time);
    l.positions.collect(p);
  }
}

/** Moves the clocks of the positions of source `s` to `to` and drops their accruals. */
function dropSource(l: Ledger, s: number, to: number): void {
  for (let p = l.start[s]!; p < l.end[s]!; p++) {
    l.positions.accrue(p, to);
    l.positions.drop(p);
  }
}

/**
 * Pays `budget` over source `s`'s positions in proportion to their accrued balance-seconds (each
 * share floored, so the sum never exceeds `budget`), resets the accruals, returns what was paid.
 */
function payPositions(l: Ledger, s: number, budget: bigint, total: bigint): bigint {
  const { paid, accountOf } = l;
  const acc = l.positions.acc;
  let sum = 0n;
  for (let p = l.start[s]!; p < l.end[s]!; p++) {
    const a = acc[p]!;
    if (a === 0n) continue;
    acc[p] = 0n;
    const amount = (budget * a) / total;
    if (amount === 0n) continue;
    paid[accountOf[p]!]! += amount;
    sum += amount;
  }
  return sum;
}

/**
 * Closes the weighted source `s` at the period end `to` and pays it `budget`. Returns what was
 * paid, or undefined when nothing could be (no balance-seconds or no budget): that budget is
 * carried, and the source gets no `bySource` entry for the period.
 */
function paySource(l: Ledger, s: number, budget: bigint, to: number): bigint | undefined {
  const total = closeSource(l, s, to);
  if (total === 0n || budget === 0n) {
    dropSource(l, s, to);
    return undefined;
  }
  return payPositions(l, s, budget, total);
}

/** Moves the clocks of the sources not weighted in a period to its end, dropping their accruals. */
function skipSources(l: Ledger, weighted: Set<number>, to: number): void {
  for (const s of l.sources.values()) if (!weighted.has(s)) dropSource(l, s, to);
}

/**
 * Allocates one epoch (see the module comment). The changes are interned into a `Ledger` first,
 * then applied period by period; each weight period ends by closing and paying its weighted
 * sources in the order of its weights.
 */
export async function allocateEpoch(input: AllocationInput): Promise<AllocationResult> {
  const { epochStart, epochEnd, changes } = input;
  if (!(epochEnd > epochStart)) throw new EmptyEpochError(epochStart, epochEnd);
  const periods = periodsOf(input.weights, epochStart, epochEnd);
  const l = ledgerOf(input);
  const bySource = new Map<string, bigint>();
  let budgetTotal = 0n;
  let carry = input.previous.carry;
  const carryIn = carry;
  let distributed = 0n;
  let next = 0;
  for (const [pi, period] of periods.entries()) {
    for (let cut = period.from + SEGMENT; cut < period.to; cut += SEGMENT) {
      next = applyUntil(l, input, next, cut, false);
      collectAll(l, cut);
    }
    next = applyUntil(l, input, next, period.to, pi === periods.length - 1);
    // the period's budget, split by source weights; the carry joins the first period
    const periodBudget = await input.budget(period.from, period.to);
    budgetTotal += periodBudget;
    const pot = periodBudget + (pi === 0 ? carry : 0n);
    if (pi === 0) carry = 0n;
    let paidInPeriod = 0n;
    const weighted = new Set<number>();
    for (const { source, bps } of period.weights) {
      const s = l.sources.get(source);
      if (s === undefined) continue;
      weighted.add(s);
      const paid = paySource(l, s, (pot * BigInt(bps)) / 10_000n, period.to);
      if (paid === undefined) continue;
      bySource.set(source, (bySource.get(source) ?? 0n) + paid);
      paidInPeriod += paid;
    }
    skipSources(l, weighted, period.to);
    distributed += paidInPeriod;
    carry += pot - paidInPeriod;
  }
  if (next < changes.length) {
    throw new AllocationError(`a change at ${changes[next]!.time} is after the epoch end ${epochEnd}`);
  }
  return { ...totalsOf(l, input.previous.cumulative), budget: budgetTotal, carryIn, carryOut: carry, bySource, distributed };
}

/** The non-zero payouts by account (first-appearance order) and the new cumulative amounts. */
function totalsOf(l: Ledger, previous: Map<string, bigint>): Pick<AllocationResult, "amounts" | "cumulative"> {
  const amounts = new Map<string, bigint>();
  l.paid.forEach((amount, a) => {
    if (amount !== 0n) amounts.set(l.accounts[a]!, amount);
  });
  const cumulative = new Map(previous);
  for (const [account, amount] of amounts) cumulative.set(account, (cumulative.get(account) ?? 0n) + amount);
  return { amounts, cumulative };
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
