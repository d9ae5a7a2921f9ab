/**
 * A deliberately simple oracle for `allocateEpoch` (src/emissions/allocate.ts), written from the
 * definition rather than from the fast code: an account's balance in a source at time t is the
 * balance of its last change at or before t (its initial balance before any), and its share of a
 * weight period [from, to) is the integral of that step function over the period, in bigint.
 * Budgets split exactly as documented: pot x bps / 10,000 per source, then budget x share / total
 * per account, every division floored, the carry joining the first period. O(periods x positions
 * x changes) and allocation-heavy: for tests on small inputs only.
 */
import type { AllocationInput, AllocationResult } from "../../src/emissions/allocate.js";

/** Each (source, account)'s steps: [time, balance] in input order, the initial one at the epoch start. */
function stepsOf(input: AllocationInput): Map<string, Map<string, [number, bigint][]>> {
  const steps = new Map<string, Map<string, [number, bigint][]>>();
  const at = (source: string, account: string) => {
    if (!steps.has(source)) steps.set(source, new Map());
    const m = steps.get(source)!;
    if (!m.has(account)) m.set(account, []);
    return m.get(account)!;
  };
  for (const [source, balances] of input.initial) for (const [a, b] of balances) at(source, a).push([input.epochStart, b]);
  for (const c of input.changes) at(c.source, c.account).push([c.time, c.balance]);
  return steps;
}

/** The integral over [from, to) of the step function `steps`, second by second of each step. */
function integral(steps: [number, bigint][], from: number, to: number): bigint {
  let sum = 0n;
  steps.forEach(([t, b], i) => {
    const end = Math.min(to, steps[i + 1]?.[0] ?? to);
    const begin = Math.max(from, t);
    if (end > begin) sum += b * BigInt(end - begin);
  });
  return sum;
}

/** Periods of constant weights within the epoch (the weights are assumed valid). */
function periods(input: AllocationInput) {
  return input.weights
    .map((w, i) => ({ from: Math.max(w.from, input.epochStart), to: Math.min(input.weights[i + 1]?.from ?? input.epochEnd, input.epochEnd), weights: w.weights }))
    .filter((p) => p.to > p.from);
}

export async function referenceAllocateEpoch(input: AllocationInput): Promise<AllocationResult> {
  const steps = stepsOf(input);
  const amounts = new Map<string, bigint>();
  const bySource = new Map<string, bigint>();
  let budget = 0n;
  let carry = input.previous.carry;
  let distributed = 0n;
  for (const [pi, p] of periods(input).entries()) {
    const periodBudget = await input.budget(p.from, p.to);
    budget += periodBudget;
    const pot = periodBudget + (pi === 0 ? input.previous.carry : 0n);
    let paidInPeriod = 0n;
    for (const { source, bps } of p.weights) {
      const sourceBudget = (pot * BigInt(bps)) / 10_000n;
      const shares = [...(steps.get(source) ?? [])].map(([a, s]) => [a, integral(s, p.from, p.to)] as const);
      const total = shares.reduce((t, [, s]) => t + s, 0n);
      if (total === 0n || sourceBudget === 0n) continue;
      let paid = 0n;
      for (const [a, s] of shares) {
        const amount = (sourceBudget * s) / total;
        if (amount > 0n) amounts.set(a, (amounts.get(a) ?? 0n) + amount);
        paid += amount;
      }
      bySource.set(source, (bySource.get(source) ?? 0n) + paid);
      paidInPeriod += paid;
    }
    distributed += paidInPeriod;
    carry = (pi === 0 ? 0n : carry) + pot - paidInPeriod;
  }
  const cumulative = new Map(input.previous.cumulative);
  for (const [a, v] of amounts) cumulative.set(a, (cumulative.get(a) ?? 0n) + v);
  return { amounts, cumulative, budget, carryIn: input.previous.carry, carryOut: carry, bySource, distributed };
}
