import { expect } from "chai";
import "./helpers/chai.js";
import { describe, it } from "mocha";
import { allocateEpoch, AllocationError, type AllocationInput, type AllocationResult, type BalanceChange } from "../src/emissions/allocate.js";
import { referenceAllocation, syntheticEpoch } from "../bench/allocation.js";
import { referenceAllocateEpoch } from "./helpers/reference-allocation.js";
import { rngFraction as rng } from "../bench/random.js";

const flat = (perSecond: bigint) => (from: number, to: number) => perSecond * BigInt(to - from);
const base = (over: Partial<AllocationInput> = {}): AllocationInput => ({
  epochStart: 1000,
  epochEnd: 2000,
  budget: flat(10n),
  weights: [{ from: 0, weights: [{ source: "A:supply", bps: 6000 }, { source: "A:borrow", bps: 4000 }] }],
  initial: new Map(),
  changes: [],
  previous: { cumulative: new Map(), carry: 0n },
  ...over,
});

describe("reward allocation", () => {
  it("splits by source weights, then by time-weighted balance", async () => {
    // alice supplies 100 for the whole epoch; bob supplies 100 from the middle; carol borrows 50 throughout
    const r = await allocateEpoch(base({
      initial: new Map([["A:supply", new Map([["alice", 100n]])], ["A:borrow", new Map([["carol", 50n]])]]),
      changes: [{ source: "A:supply", account: "bob", balance: 100n, time: 1500 }],
    }));
    expect(r.budget).to.equal(10_000n);
    // supply side 6,000: alice 100x1000 = 100,000 and bob 100x500 = 50,000 balance-seconds
    expect(r.amounts.get("alice")).to.equal(4_000n);
    expect(r.amounts.get("bob")).to.equal(2_000n);
    expect(r.amounts.get("carol")).to.equal(4_000n);
    expect(r.carryOut).to.equal(0n);
  });

  it("carries rounding and unclaimed source budgets forward, never losing or creating a wei", async () => {
    const r = await allocateEpoch(base({
      budget: flat(1n),
      initial: new Map([["A:supply", new Map([["a", 1n], ["b", 1n], ["c", 1n]])]]),
    }));
    // supply 600 / 3 = 200 each; the borrow side (400) had no borrowers: carried
    expect([...r.amounts.values()]).to.deep.equal([200n, 200n, 200n]);
    expect(r.carryOut).to.equal(400n);
    const r2 = await allocateEpoch(base({
      epochStart: 2000, epochEnd: 2001, budget: flat(1n),
      initial: new Map([["A:supply", new Map([["a", 1n]])], ["A:borrow", new Map([["b", 1n]])]]),
      previous: { cumulative: r.cumulative, carry: r.carryOut },
    }));
    // pot 401: supply 240 (floor of 240.6) to a, borrow 160 (floor of 160.4) to b, 1 carried
    expect(r2.amounts.get("a")).to.equal(240n);
    expect(r2.amounts.get("b")).to.equal(160n);
    expect(r2.carryOut).to.equal(1n);
    expect(r2.cumulative.get("a")).to.equal(440n);
  });

  it("follows weight changes within the epoch", async () => {
    const r = await allocateEpoch(base({
      weights: [
        { from: 0, weights: [{ source: "A:supply", bps: 10_000 }] },
        { from: 1500, weights: [{ source: "A:borrow", bps: 10_000 }] },
      ],
      initial: new Map([["A:supply", new Map([["s", 1n]])], ["A:borrow", new Map([["b", 1n]])]]),
    }));
    expect(r.amounts.get("s")).to.equal(5_000n);
    expect(r.amounts.get("b")).to.equal(5_000n);
  });

  it("keeps sum(paid) + carry out == budget + carry in, and cumulative amounts non-decreasing, over random epochs", async () => {
    const rand = rng(42);
    let previous = { cumulative: new Map<string, bigint>(), carry: 0n };
    let balances = new Map<string, Map<string, bigint>>();
    let start = 0;
    for (let epoch = 0; epoch < 20; epoch++) {
      const end = start + 1 + Math.floor(rand() * 5000);
      const changes: BalanceChange[] = [];
      let t = start;
      for (let i = 0; i < 200; i++) {
        t = Math.min(end, t + Math.floor(rand() * 30));
        if (t <= start) continue;
        changes.push({
          source: rand() < 0.5 ? "A:supply" : "B:borrow",
          account: `u${Math.floor(rand() * 30)}`,
          balance: BigInt(Math.floor(rand() * 1e6)) * 10n ** BigInt(Math.floor(rand() * 20)),
          time: t,
        });
      }
      const perSecond = BigInt(Math.floor(rand() * 1e9)) * 10n ** 9n + 7n;
      const r = await allocateEpoch({
        epochStart: start,
        epochEnd: end,
        budget: flat(perSecond),
        weights: [{ from: 0, weights: [{ source: "A:supply", bps: 3_333 }, { source: "B:borrow", bps: 6_667 }] }],
        initial: balances,
        changes,
        previous,
      });
      let paid = 0n;
      for (const v of r.amounts.values()) paid += v;
      expect(paid + r.carryOut).to.equal(r.budget + r.carryIn);
      expect(r.distributed).to.equal(paid);
      for (const [a, v] of previous.cumulative) expect(r.cumulative.get(a)! >= v).to.equal(true);
      // roll balances forward
      balances = new Map([...balances].map(([s, m]) => [s, new Map(m)]));
      for (const c of changes) {
        if (!balances.has(c.source)) balances.set(c.source, new Map());
        balances.get(c.source)!.set(c.account, c.balance);
      }
      previous = { cumulative: r.cumulative, carry: r.carryOut };
      start = end;
    }
  });

  it("refuses bad input with a clear message", async () => {
    await expect(allocateEpoch(base({ epochEnd: 1000 }))).to.be.rejectedWith(AllocationError, /not after its start/);
    await expect(allocateEpoch(base({ weights: [{ from: 1500, weights: [{ source: "A:supply", bps: 10_000 }] }] })))
      .to.be.rejectedWith(AllocationError, /no market weights are in force/);
    await expect(allocateEpoch(base({ weights: [{ from: 0, weights: [{ source: "A:supply", bps: 9_999 }] }] })))
      .to.be.rejectedWith(AllocationError, /sum to 9999 bps/);
    await expect(allocateEpoch(base({ changes: [{ source: "A:supply", account: "x", balance: 1n, time: 2500 }] })))
      .to.be.rejectedWith(AllocationError, /after the epoch end/);
    await expect(allocateEpoch(base({ changes: [
      { source: "A:supply", account: "x", balance: 1n, time: 1600 },
      { source: "A:supply", account: "x", balance: 2n, time: 1500 },
    ] }))).to.be.rejectedWith(AllocationError, /not sorted/);
  });
});

/** A result with its maps as sorted entry lists, so that two results compare field by field. */
const comparable = (r: AllocationResult) => {
  const sorted = (m: Map<string, bigint>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { ...r, amounts: sorted(r.amounts), cumulative: sorted(r.cumulative), bySource: sorted(r.bySource) };
};

/** Balances of every kind the allocator must handle: zero, dust, ordinary, around 2^53 and 2^64, near 2^128. */
function balanceOf(rand: () => number): bigint {
  const big = (bits: number) => (1n << BigInt(bits)) - BigInt(Math.floor(rand() * 1000));
  const kinds = [
    () => 0n,
    () => BigInt(1 + Math.floor(rand() * 3)),
    () => BigInt(Math.floor(rand() * 1e9)) * 10n ** BigInt(Math.floor(rand() * 12)),
    () => big(53) + BigInt(Math.floor(rand() * 2000)),
    () => big(64) + BigInt(Math.floor(rand() * 2000)),
    () => big(128),
  ];
  return kinds[Math.floor(rand() * kinds.length)]!();
}

/**
 * A random epoch: several sources (one never weighted, one weighted but without balances), up to
 * three weight periods, initial balances, a carry in, repeated accounts, runs of changes at one
 * time, changes right after the start, on weight changes and at the very end, and periods both
 * shorter and longer than 2^21 seconds.
 */
function randomEpoch(rand: () => number): AllocationInput {
  const int = (n: number) => Math.floor(rand() * n);
  const epochStart = 1_000_000 + int(1000);
  const epochEnd = epochStart + 1 + (rand() < 0.3 ? int(8_000_000) : int(5_000));
  const sources = ["A:supply", "A:borrow", "B:supply", "X:unweighted"];
  const accounts = Array.from({ length: 1 + int(60) }, (_, i) => `acct${i}`);
  const cuts = [epochStart + int(epochEnd - epochStart), epochStart + int(epochEnd - epochStart)].sort((a, b) => a - b);
  const split = (bps: number) => [{ source: "A:supply", bps }, { source: "A:borrow", bps: 10_000 - bps - 1 }, { source: "Z:empty", bps: 1 }];
  const weights = [{ from: 0, weights: split(int(9_999)) }, ...cuts.filter(() => rand() < 0.5).map((from) => ({ from, weights: split(int(9_999)) }))];
  weights.push({ from: weights.at(-1)!.from + 1, weights: [{ source: "B:supply", bps: 10_000 }] });
  const initial = new Map(sources.slice(0, 3).map((s) => [s, new Map(accounts.filter(() => rand() < 0.3).map((a) => [a, balanceOf(rand)]))]));
  const times = [epochStart + 1, epochEnd, ...cuts, weights.at(-1)!.from];
  const changes: BalanceChange[] = Array.from({ length: int(400) }, () => {
    const time = rand() < 0.3 ? times[int(times.length)]! : epochStart + 1 + int(epochEnd - epochStart);
    return { source: sources[int(sources.length)]!, account: accounts[int(accounts.length)]!, balance: balanceOf(rand), time };
  }).filter((c) => c.time > epochStart && c.time <= epochEnd);
  changes.sort((a, b) => a.time - b.time);
  const perSecond = BigInt(int(1e9)) * 10n ** BigInt(int(12));
  return {
    epochStart, epochEnd, weights, initial, changes,
    budget: (from, to) => perSecond * BigInt(to - from),
    previous: { cumulative: new Map(accounts.filter(() => rand() < 0.2).map((a) => [a, BigInt(int(1e6))])), carry: BigInt(int(1e6)) },
  };
}

describe("reward allocation against a reference", () => {
  it("equals the reference written from the definition, to the wei, on random epochs", async () => {
    const rand = rng(2024);
    for (let round = 0; round < 300; round++) {
      const input = randomEpoch(rand);
      const ours = comparable(await allocateEpoch(input));
      expect(ours, `round ${round}`).to.deep.equal(comparable(await referenceAllocateEpoch(input)));
    }
  });

  it("equals the bench's reference allocator on a synthetic epoch", async () => {
    const e = syntheticEpoch(20_000, 2_000, 11);
    const r = await allocateEpoch({ ...e, initial: new Map(), previous: { cumulative: new Map(), carry: 0n } });
    expect(comparable(r).amounts).to.deep.equal(comparable({ ...r, amounts: referenceAllocation(e) }).amounts);
    expect(r.amounts.size).to.be.greaterThan(1_000);
  });
});

describe("reward allocation: exact fallbacks of the Number fast path", () => {
  const twoSources = (over: Partial<AllocationInput>): AllocationInput => base({
    weights: [{ from: 0, weights: [{ source: "A:supply", bps: 10_000 }] }],
    budget: flat(10n ** 30n),
    ...over,
  });
  const expectReference = async (input: AllocationInput) => {
    const ours = comparable(await allocateEpoch(input));
    expect(ours).to.deep.equal(comparable(await referenceAllocateEpoch(input)));
    return ours;
  };

  it("accrues balances of 2^64 and more in bigint, also when a position switches between narrow and wide", async () => {
    const wide = (1n << 128n) - 1n;
    const r = await expectReference(twoSources({
      initial: new Map([["A:supply", new Map([["w", wide], ["n", (1n << 64n) - 1n]])]]),
      changes: [
        { source: "A:supply", account: "w", balance: 5n, time: 1200 },
        { source: "A:supply", account: "w", balance: 1n << 64n, time: 1300 },
        { source: "A:supply", account: "n", balance: wide, time: 1300 },
        { source: "A:supply", account: "n", balance: 0n, time: 1700 },
        { source: "A:supply", account: "w", balance: 7n, time: 1900 },
      ],
    }));
    // by hand: w = (2^128-1)x200 + 5x100 + 2^64x600 + 7x100; n = (2^64-1)x300 + (2^128-1)x400
    const w = wide * 200n + 500n + (1n << 64n) * 600n + 700n;
    const n = ((1n << 64n) - 1n) * 300n + wide * 400n;
    const budget = 10n ** 30n * 1000n;
    expect(r.amounts).to.deep.equal([["n", (budget * n) / (w + n)], ["w", (budget * w) / (w + n)]]);
  });

  it("stays exact over a weight period longer than 2^21 seconds (the Number sums are collected every 2^21 s)", async () => {
    // (2^64 - 1) x (3 x 2^21 + 1) seconds is far above 2^53 in each 32-bit half: without the
    // collections the Number sums would round and the shares would move by many wei.
    const end = 1000 + 3 * 2 ** 21 + 1;
    const r = await expectReference(twoSources({
      epochEnd: end,
      initial: new Map([["A:supply", new Map([["a", (1n << 64n) - 1n], ["b", (1n << 63n) + 1n]])]]),
      changes: [{ source: "A:supply", account: "b", balance: (1n << 63n) + 3n, time: end - 1 }],
    }));
    const seconds = BigInt(end - 1000);
    const a = ((1n << 64n) - 1n) * seconds;
    const b = ((1n << 63n) + 1n) * (seconds - 1n) + (1n << 63n) + 3n;
    const budget = 10n ** 30n * seconds;
    expect(r.amounts).to.deep.equal([["a", (budget * a) / (a + b)], ["b", (budget * b) / (a + b)]]);
  });
});
