/**
 * Allocation bench: 1,000,000 market events over 100,000 accounts in one epoch (goal: at most 2 s
 * here, and at most half the reference's time in the same run). The peer is a straightforward reference allocation (group each account's events, then
 * integrate each account on its own) run on the same data in the same process; the bench also
 * checks that both give the same amounts to the wei.
 */
import { allocateEpoch, type BalanceChange } from "../src/emissions/allocate.js";
import type { Bench } from "./bench.js";
import { renderTable } from "../src/core/format.js";
import os from "node:os";
import { rngFraction as rng } from "./random.js";

const GOAL_MS = 2_000;
/** At least 2x faster than the reference run beside it. */
const GOAL_RATIO = 0.5;

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

/** Wall and CPU milliseconds of one call (CPU: user + system of the whole process, GC threads included). */
async function timed<T>(run: () => T | Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await run();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { value, wall, cpu: (cpu.user + cpu.system) / 1000 };
}

const ROUNDS = 3;

export const allocationBench: Bench = {
  name: "allocation",
  steps: 1 + ROUNDS,
  async run(_hre, progress) {
    const e = syntheticEpoch(1_000_000, 100_000);
    progress.step("generated 1M events");
    const input = () => ({ ...e, initial: new Map<string, Map<string, bigint>>(), previous: { cumulative: new Map<string, bigint>(), carry: 0n } });
    // Each allocator runs ROUNDS times, alternating, and its fastest run counts (wall and CPU
    // separately): the first run of either pays for JIT warm-up and for collecting the
    // generator's garbage, and other processes' load only ever adds time.
    const best = { ours: { wall: Infinity, cpu: Infinity }, peer: { wall: Infinity, cpu: Infinity } };
    const keep = (b: { wall: number; cpu: number }, t: { wall: number; cpu: number }) => {
      b.wall = Math.min(b.wall, t.wall);
      b.cpu = Math.min(b.cpu, t.cpu);
    };
    const loadBefore = os.loadavg();
    let r: Awaited<ReturnType<typeof allocateEpoch>> | undefined;
    let ref: Map<string, bigint> | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      const ours = await timed(() => allocateEpoch(input()));
      keep(best.ours, ours);
      const peer = await timed(() => referenceAllocation(e));
      keep(best.peer, peer);
      r = ours.value;
      ref = peer.value;
      progress.step(`round ${round + 1} of ${ROUNDS}`);
    }
    const loadAfter = os.loadavg();
    let same = ref!.size === r!.amounts.size;
    for (const [a, v] of ref!) if (r!.amounts.get(a) !== v) same = false;
    const ratio = best.ours.wall / best.peer.wall;
    const cpuRatio = best.ours.cpu / best.peer.cpu;
    const wallMet = best.ours.wall <= GOAL_MS && ratio <= GOAL_RATIO;
    const cpuMet = best.ours.cpu <= GOAL_MS && cpuRatio <= GOAL_RATIO;
    // On a machine with more runnable work than CPUs, wall time measures the other processes
    // too; the goal is then judged on CPU time, and the text says which one was used.
    const overloaded = Math.max(loadBefore[0]!, loadAfter[0]!) > os.availableParallelism();
    const met = (overloaded ? cpuMet : wallMet) && same;
    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");
    const text = [
      "1,000,000 balance changes over 100,000 accounts and 6 sources in one epoch (synthetic, seeded).",
      "Peer: a straightforward reference (one map of positions per source) on the same data; amounts must agree to the wei.",
      `Best of ${ROUNDS} alternating runs each; CPU is user + system time of the process (GC threads included).`,
      "",
      renderTable(
        ["allocator", "wall", "CPU", "wall vs peer", "CPU vs peer"],
        [
          ["flux allocateEpoch", `${best.ours.wall.toFixed(0)} ms`, `${best.ours.cpu.toFixed(0)} ms`, ratio.toFixed(2), cpuRatio.toFixed(2)],
          ["reference", `${best.peer.wall.toFixed(0)} ms`, `${best.peer.cpu.toFixed(0)} ms`, "1.00", "1.00"],
        ],
        ["l", "r", "r", "r", "r"],
      ),
      `goal: at most ${GOAL_MS} ms and at most ${GOAL_RATIO} x the reference: on wall time ${wallMet ? "met" : "MISSED"}, on CPU time ${cpuMet ? "met" : "MISSED"}` +
        ` (judged on ${overloaded ? "CPU time: the load average exceeded the CPU count" : "wall time"})`,
      `load average (1, 5, 15 min) before ${load(loadBefore)}, after ${load(loadAfter)}, on ${os.availableParallelism()} CPUs`,
      `amounts equal to the wei: ${same ? "yes" : "NO"}; accounts paid ${r!.amounts.size}; carry ${r!.carryOut} wei`,
    ].join("\n");
    return { title: "Reward allocation", text, goalsMet: met };
  },
};
