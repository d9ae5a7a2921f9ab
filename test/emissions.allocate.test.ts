import { expect } from "chai";
import "./helpers/chai.js";
import { describe, it } from "mocha";
import { allocateEpoch, AllocationError, type AllocationInput, type BalanceChange } from "../src/emissions/allocate.js";

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

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
