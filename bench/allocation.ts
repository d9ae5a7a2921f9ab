/**
 * Allocation bench: 1,000,000 market events over 100,000 accounts in one epoch (goal: at most 2 s
 * here). The peer is a straightforward reference allocation (group each account's events, then
 * integrate each account on its own) run on the same data in the same process; the bench also
 * checks that both give the same amounts to the wei.
 */
import { allocateEpoch, type BalanceChange } from "../src/emissions/allocate.js";
import type { Bench } from "./bench.js";
import { renderTable } from "../src/core/format.js";

const GOAL_MS = 2_000;

/** Deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticEpoch(events: number, accounts: number, seed = 7) {
  const rand = rng(seed);
  const sources = ["m1:supply", "m1:borrow", "m2:supply", "m2:borrow", "m3:supply", "m3:borrow"];
  const names = Array.from({ length: accounts }, (_, i) => `0x${i.toString(16).padStart(40, "0")}`);
  const epochStart = 1_000_000;
  const epochEnd = epochStart + 7 * 86_400;
  const changes: BalanceChange[] = new Array(events);
  let t = epochStart;
  const step = (epochEnd - epochStart) / events;
  for (let i = 0; i < events; i++) {
    t += step;
    changes[i] = {
      source: sources[Math.floor(rand() * sources.length)]!,
      account: names[Math.floor(rand() * accounts)]!,
      balance: BigInt(Math.floor(rand() * 1e12)) * 1_000_000n,
      time: Math.min(epochEnd, Math.floor(t) + 1),
    };
  }
  const weights = [{ from: 0, weights: sources.map((source, i) => ({ source, bps: i < 5 ? 1_667 : 10_000 - 5 * 1_667 })) }];
  return { epochStart, epochEnd, changes, weights, budget: (a: number, b: number) => 231_481_481_481_481_481n * BigInt(b - a) };
}

/** The reference: per (source, account) integration, then the same floor divisions. */
export function referenceAllocation(e: ReturnType<typeof syntheticEpoch>): Map<string, bigint> {
  const bySource = new Map<string, Map<string, { balance: bigint; last: number; acc: bigint }>>();
  for (const c of e.changes) {
    let m = bySource.get(c.source);
    if (!m) bySource.set(c.source, (m = new Map()));
    const p = m.get(c.account) ?? { balance: 0n, last: e.epochStart, acc: 0n };
    p.acc += p.balance * BigInt(c.time - p.last);
    p.balance = c.balance;
    p.last = c.time;
    m.set(c.account, p);
  }
  const pot = e.budget(e.epochStart, e.epochEnd);
  const out = new Map<string, bigint>();
  for (const { source, bps } of e.weights[0]!.weights) {
    const m = bySource.get(source);
    if (!m) continue;
    let total = 0n;
    for (const p of m.values()) {
      p.acc += p.balance * BigInt(e.epochEnd - p.last);
      total += p.acc;
    }
    const sourceBudget = (pot * BigInt(bps)) / 10_000n;
    for (const [a, p] of m) {
      const amount = (sourceBudget * p.acc) / total;
      if (amount > 0n) out.set(a, (out.get(a) ?? 0n) + amount);
    }
  }
  return out;
}

export const allocationBench: Bench = {
  name: "allocation",
  steps: 2,
  async run(_hre, progress) {
    const e = syntheticEpoch(1_000_000, 100_000);
    progress.step("generated 1M events");
    // Each allocator runs twice, alternating, and the faster run counts: the first run of either
    // pays for JIT warm-up and for collecting the generator's garbage.
    const input = () => ({
      epochStart: e.epochStart,
      epochEnd: e.epochEnd,
      budget: e.budget,
      weights: e.weights,
      initial: new Map<string, Map<string, bigint>>(),
      changes: e.changes,
      previous: { cumulative: new Map<string, bigint>(), carry: 0n },
    });
    let ours = Infinity;
    let peer = Infinity;
    let r: Awaited<ReturnType<typeof allocateEpoch>> | undefined;
    let ref: Map<string, bigint> | undefined;
    for (let round = 0; round < 2; round++) {
      const t0 = performance.now();
      r = await allocateEpoch(input());
      ours = Math.min(ours, performance.now() - t0);
      const t1 = performance.now();
      ref = referenceAllocation(e);
      peer = Math.min(peer, performance.now() - t1);
    }
    progress.step("allocated (twice each)");
    r = r!;
    ref = ref!;
    let same = ref.size === r.amounts.size;
    for (const [a, v] of ref) if (r.amounts.get(a) !== v) same = false;
    const text = [
      "1,000,000 balance changes over 100,000 accounts and 6 sources in one epoch (synthetic, seeded).",
      "Peer: a straightforward reference (group by account, integrate each) on the same data; amounts must agree to the wei.",
      "",
      renderTable(
        ["allocator", "time", "vs peer", "goal (≤ 2 s)"],
        [
          ["flux allocateEpoch", `${ours.toFixed(0)} ms`, (ours / peer).toFixed(2), ours <= GOAL_MS ? "met" : "MISSED"],
          ["reference", `${peer.toFixed(0)} ms`, "1.00", ""],
        ],
        ["l", "r", "r", "l"],
      ),
      `amounts equal to the wei: ${same ? "yes" : "NO"}; accounts paid ${r.amounts.size}; carry ${r.carryOut} wei`,
    ].join("\n");
    return { title: "Reward allocation", text, goalsMet: ours <= GOAL_MS && same };
  },
};
