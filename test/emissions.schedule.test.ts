/**
 * Differential test: the TypeScript emission schedule (src/emissions/schedule.ts) against the
 * deployed contract (EmissionSchedule behind an ERC1967Proxy). Random governance sequences — rate
 * changes with and without declines (some reaching zero), bps and equal weights, launch bonuses,
 * market weights, invalid changes, time jumps from 1 s to 60 days, changes before the start and
 * several changes in one block — are replayed through both; then every chain's cumulativeEmission
 * and baseNumerator are compared at past, change, zero-crossing, bonus-edge, random and future
 * times. They must be equal to the wei, and every refused change must be refused by both with the
 * same custom error and arguments.
 *
 * The PRNG is seeded: a failure names its seed; rerun it alone with
 * `SCHEDULE_SEEDS=0x… npx hardhat test mocha test/emissions.schedule.test.ts`.
 */
import hre from "hardhat";
import { expect } from "chai";
import { before, describe, it } from "mocha";
import { decodeBytes32String, type Interface } from "ethers";
import "./helpers/chai.js";
import type { EmissionSchedule } from "../types/ethers-contracts/index.js";
import type { Signer } from "./helpers/fixture.js";
import {
  budgetBetween,
  DAY,
  EmissionScheduleModel,
  loadScheduleFromChain,
  MAX_BONUS,
  MAX_BONUS_DURATION,
  MAX_BONUSES,
  MAX_CHAINS,
  MAX_MARKETS,
  MAX_RATE_PER_DAY,
  MIN_BONUS_DURATION,
  SCALE,
  ScheduleError,
  WEIGHT_TOTAL,
  type ScheduleInit,
} from "../src/emissions/schedule.js";
import { InputError } from "../src/core/errors.js";

const E18 = 10n ** 18n;
const MASK64 = (1n << 64n) - 1n;
const GAS = { gasLimit: 3_000_000n };
const SEEDS = (process.env.SCHEDULE_SEEDS ?? "0x5eed0001,0x5eed0002,0x5eed0003,0x5eed0004,0x5eed0005")
  .split(",")
  .map((s) => BigInt(s.trim()));
const STEPS = 25;
/** Chain ids the sequences draw from: 20 of them, so the 16-chain limit is sometimes reached. */
const POOL = [1030n, 56n, 128n, 1n, 10n, 137n, 42161n, 8453n, 43114n, 250n, 100n, 324n, 59144n, 534352n, 81457n, 5000n, 1101n, 204n, 169n, 7777777n];
/** A chain that only ever gets bonuses (absent from chains()). */
const BONUS_ONLY = 777n;
/** A chain that never gets anything. */
const NOBODY = 424242n;

/** splitmix64: small, seedable, good enough to pick test inputs. */
class Rng {
  #s: bigint;
  constructor(seed: bigint) {
    this.#s = seed & MASK64;
  }
  next(): bigint {
    this.#s = (this.#s + 0x9e3779b97f4a7c15n) & MASK64;
    let z = this.#s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    return z ^ (z >> 31n);
  }
  /** Uniform-enough in [0, n). */
  below(n: bigint): bigint {
    let x = 0n;
    let range = 1n;
    while (range < n << 32n) {
      x = (x << 64n) | this.next();
      range <<= 64n;
    }
    return x % n;
  }
  between(lo: bigint, hi: bigint): bigint {
    return lo + this.below(hi - lo + 1n);
  }
  int(n: number): number {
    return Number(this.below(BigInt(n)));
  }
  chance(p: number): boolean {
    return Number(this.next() >> 11n) / 2 ** 53 < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  /** `n` distinct chains, mostly from the first ten of the pool. */
  chains(n: number): bigint[] {
    const out: bigint[] = [];
    while (out.length < n) {
      const c = this.chance(0.85) ? POOL[this.int(10)]! : this.pick(POOL);
      if (!out.includes(c)) out.push(c);
    }
    return out;
  }
  /** `n` positive parts summing to `total` (n <= total). */
  partition(total: bigint, n: number): bigint[] {
    const cuts = new Set<bigint>();
    while (cuts.size < n - 1) cuts.add(this.between(1n, total - 1n));
    const sorted = [0n, ...[...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), total];
    return sorted.slice(1).map((v, i) => v - sorted[i]!);
  }
}

type Op =
  | { kind: "rate"; rate: bigint; decline: bigint }
  | { kind: "bps"; chainIds: bigint[]; bps: bigint[] }
  | { kind: "equal"; chainIds: bigint[] }
  | { kind: "bonus"; chainId: bigint; amount: bigint; start: bigint; duration: bigint }
  | { kind: "markets"; markets: string[]; supply: bigint[]; borrow: bigint[] };

/** A revert as both sides report it: error name and arguments (bytes32 names decoded). */
interface Revert {
  name: string;
  args: (string | bigint)[];
}

function pickRate(rng: Rng): bigint {
  switch (rng.int(12)) {
    case 0:
      return 0n;
    case 1:
      return 20_000n * E18;
    case 2:
      return 22_627n * E18;
    case 3:
      return MAX_RATE_PER_DAY;
    case 4:
      return rng.chance(0.3) ? MAX_RATE_PER_DAY + 1n : rng.below(1000n); // invalid, or dust
    default:
      return rng.below(100_000n * E18) + rng.below(1000n); // odd wei amounts exercise every floor
  }
}

function pickDecline(rng: Rng, rate: bigint): bigint {
  switch (rng.int(10)) {
    case 0:
    case 1:
    case 2:
      return 0n;
    case 3:
      return rate; // reaches zero within a day
    case 4:
      return rng.chance(0.5) ? rate + 1n : rate / 16n; // invalid, or zero after 16 days
    default: // zero after 1..60 or 1..3000 days (or invalid for dust rates)
      return rate / rng.between(1n, rng.chance(0.6) ? 60n : 3_000n) + rng.below(1000n);
  }
}

function genOp(rng: Rng, now: bigint): Op {
  const r = rng.int(100);
  if (r < 30) {
    const rate = pickRate(rng);
    return { kind: "rate", rate, decline: pickDecline(rng, rate) };
  }
  if (r < 55) {
    const n = 1 + rng.int(7);
    const chainIds = rng.chains(n);
    const bps = rng.partition(10_000n, n);
    switch (rng.int(14)) {
      case 0:
        bps[0] = bps[0]! + (rng.chance(0.5) ? 1n : -1n); // sum 10,001 or 9,999
        break;
      case 1:
        if (n > 1) chainIds[n - 1] = chainIds[0]!; // duplicate
        break;
      case 2:
        chainIds[rng.int(n)] = 0n;
        break;
      case 3:
        bps.push(0n); // lengths differ (or a zero weight if chains follow)
        if (rng.chance(0.5)) chainIds.push(BONUS_ONLY + 1n);
        break;
      case 4:
        return { kind: "bps", chainIds: [], bps: [] };
      default:
    }
    return { kind: "bps", chainIds, bps };
  }
  if (r < 75) {
    const n = rng.chance(0.08) ? rng.pick([0, 9, 11, 13, 17]) : 1 + rng.int(7);
    const chainIds = rng.chains(Math.min(n, POOL.length));
    if (n > 1 && rng.chance(0.05)) chainIds[1] = chainIds[0]!;
    return { kind: "equal", chainIds };
  }
  if (r < 95) {
    const chainId = rng.chance(0.5) ? POOL[rng.int(3)]! : rng.chance(0.5) ? BONUS_ONLY : rng.chance(0.1) ? 0n : rng.pick(POOL);
    let amount = rng.chance(0.5) ? rng.below(MAX_BONUS) + 1n : rng.between(1n, 5_000_000n) * E18 + rng.below(E18);
    if (rng.chance(0.05)) amount = rng.chance(0.5) ? 0n : MAX_BONUS + 1n;
    let duration = rng.between(MIN_BONUS_DURATION, rng.chance(0.5) ? 30n * DAY : MAX_BONUS_DURATION);
    if (rng.chance(0.05)) duration = rng.chance(0.5) ? MIN_BONUS_DURATION - 1n : MAX_BONUS_DURATION + 1n;
    const offset = rng.chance(0.2) ? 0n : rng.below(40n * DAY);
    const start = rng.chance(0.07) ? now - rng.between(1n, 1000n) : now + offset; // some retroactive
    return { kind: "bonus", chainId, amount, start, duration };
  }
  const n = 1 + rng.int(4);
  const markets = Array.from({ length: n }, () => `0x${(0x1000n + rng.below(6n)).toString(16).padStart(40, "0")}`);
  const parts = rng.partition(10_000n, 2 * n);
  if (rng.chance(0.15)) parts[0] = parts[0]! + 1n;
  return { kind: "markets", markets, supply: parts.slice(0, n), borrow: parts.slice(n) };
}

function applyModel(m: EmissionScheduleModel, now: bigint, op: Op): Revert | undefined {
  try {
    switch (op.kind) {
      case "rate":
        m.setEmissionRate(now, op.rate, op.decline);
        break;
      case "bps":
        m.setChainWeightsBps(now, op.chainIds, op.bps);
        break;
      case "equal":
        m.setEqualChainWeights(now, op.chainIds);
        break;
      case "bonus":
        m.addLaunchBonus(now, op.chainId, op.amount, op.start, op.duration);
        break;
      case "markets":
        m.setMarketWeights(now, op.markets, op.supply, op.borrow);
        break;
    }
    return undefined;
  } catch (e) {
    if (e instanceof ScheduleError) return { name: e.errorName, args: [...e.args] };
    throw e;
  }
}

function sendOp(s: EmissionSchedule, op: Op) {
  switch (op.kind) {
    case "rate":
      return s.setEmissionRate(op.rate, op.decline, GAS);
    case "bps":
      return s.setChainWeightsBps(op.chainIds, op.bps, GAS);
    case "equal":
      return s.setEqualChainWeights(op.chainIds, GAS);
    case "bonus":
      return s.addLaunchBonus(op.chainId, op.amount, op.start, op.duration, GAS);
    case "markets":
      return s.setMarketWeights(op.markets, op.supply, op.borrow, GAS);
  }
}

/** The custom error (or panic) in a failed call or transaction. */
function decodeRevert(iface: Interface, e: unknown): Revert {
  const err = e as { data?: unknown; message?: string };
  if (typeof err.data !== "string" || err.data.length < 10) throw e;
  const parsed = iface.parseError(err.data);
  if (!parsed) throw e;
  const args = [...parsed.args].map((a: unknown) =>
    parsed.name === "ScheduleBadParameter" ? decodeBytes32String(a as string) : (a as bigint),
  );
  return { name: parsed.name, args };
}

function describeOp(op: Op): string {
  return JSON.stringify(op, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

type Outcome = { value: bigint } | { revert: string };

async function contractView(iface: Interface, call: () => Promise<bigint>): Promise<Outcome> {
  try {
    return { value: await call() };
  } catch (e) {
    return { revert: decodeRevert(iface, e).name };
  }
}

function modelView(call: () => bigint): Outcome {
  try {
    return { value: call() };
  } catch (e) {
    if (e instanceof ScheduleError) return { revert: e.errorName };
    throw e;
  }
}

/** Times worth checking: every change point, line zero and bonus edge (±1), random times, the far future. */
function probeTimes(m: EmissionScheduleModel, rng: Rng, lastNow: bigint): bigint[] {
  const times = new Set<bigint>([0n, 1n, lastNow, lastNow + 1n, (1n << 64n) - 1n, 1n << 200n]);
  const around = (t: bigint) => {
    for (const d of [-1n, 0n, 1n]) if (t + d >= 0n) times.add(t + d);
  };
  for (const seg of m.segments) {
    around(seg.start);
    if (seg.declinePerDay > 0n) around(seg.origin + (seg.ratePerDay * DAY) / seg.declinePerDay);
  }
  for (const c of m.bonusChains()) {
    for (const b of m.bonusesOf(c)) {
      around(b.start);
      around(b.start + b.duration);
      times.add(b.start + b.duration / 2n);
    }
  }
  const first = m.segments[0]!.start;
  const span = lastNow + 400n * DAY - first;
  for (let i = 0; i < 30; ++i) times.add(first - DAY + rng.below(span + DAY));
  for (const years of [1n, 10n, 100n]) times.add(lastNow + years * 365n * DAY);
  return [...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

describe("EmissionSchedule: TypeScript model vs contract, to the wei", function () {
  this.timeout(120_000);
  let conn: Awaited<ReturnType<typeof hre.network.create>>;
  let timelock: Signer;
  let stranger: Signer;
  let implementation: EmissionSchedule;
  let iface: Interface;

  before(async () => {
    conn = await hre.network.create();
    const signers = await conn.ethers.getSigners();
    timelock = signers[1]!;
    stranger = signers[2]!;
    implementation = await conn.ethers.deployContract("EmissionSchedule");
    iface = implementation.interface;
  });

  const time = () => conn.networkHelpers.time;

  async function deploy(init: ScheduleInit): Promise<EmissionSchedule> {
    const data = iface.encodeFunctionData("initialize", [
      timelock.address,
      init.start,
      init.ratePerDay,
      init.declinePerDay,
      [...init.chainIds],
    ]);
    const proxy = await conn.ethers.deployContract("ERC1967Proxy", [await implementation.getAddress(), data]);
    return (await conn.ethers.getContractAt("EmissionSchedule", await proxy.getAddress())).connect(timelock);
  }

  /** One change in its own block at `now`: what the contract did. */
  async function applyContract(s: EmissionSchedule, now: bigint, op: Op): Promise<Revert | undefined> {
    await time().setNextBlockTimestamp(now);
    try {
      const receipt = await (await sendOp(s, op)).wait();
      const block = await conn.ethers.provider.getBlock(receipt!.blockNumber);
      expect(BigInt(block!.timestamp)).to.equal(now, "block time");
      return undefined;
    } catch (e) {
      return decodeRevert(iface, e);
    }
  }

  /** Several changes in one block at `now`: which succeeded. */
  async function applyContractBatch(s: EmissionSchedule, now: bigint, ops: Op[]): Promise<boolean[]> {
    await conn.provider.request({ method: "evm_setAutomine", params: [false] });
    try {
      const txs = [];
      for (const op of ops) txs.push(await sendOp(s, op));
      await time().setNextBlockTimestamp(now);
      await conn.networkHelpers.mine(1);
      const receipts = await Promise.all(txs.map((tx) => conn.ethers.provider.getTransactionReceipt(tx.hash)));
      const blocks = new Set(receipts.map((r) => r!.blockNumber));
      expect(blocks.size).to.equal(1, "all changes in one block");
      const block = await conn.ethers.provider.getBlock(receipts[0]!.blockNumber);
      expect(BigInt(block!.timestamp)).to.equal(now, "block time");
      return receipts.map((r) => r!.status === 1);
    } finally {
      await conn.provider.request({ method: "evm_setAutomine", params: [true] });
    }
  }

  /** Compares cumulativeEmission and baseNumerator (values or reverts) for every chain at every time. */
  async function compareEverywhere(s: EmissionSchedule, m: EmissionScheduleModel, chains: bigint[], times: bigint[], tag: string) {
    let compared = 0;
    for (const c of chains) {
      const onChain = await Promise.all(
        times.map((t) =>
          Promise.all([
            contractView(iface, () => s.cumulativeEmission(c, t)),
            contractView(iface, () => s.baseNumerator(c, t)),
          ]),
        ),
      );
      times.forEach((t, i) => {
        const [cum, num] = onChain[i]!;
        expect(cum).to.deep.equal(modelView(() => m.cumulativeEmission(c, t)), `${tag}: cumulativeEmission(${c}, ${t})`);
        expect(num).to.deep.equal(modelView(() => m.baseNumerator(c, t)), `${tag}: baseNumerator(${c}, ${t})`);
        compared += 2;
      });
    }
    return compared;
  }

  it("publishes the same constants as the contract", async () => {
    expect(await implementation.WEIGHT_TOTAL()).to.equal(WEIGHT_TOTAL);
    expect(await implementation.SCALE()).to.equal(SCALE);
    expect(SCALE).to.equal(2n * DAY * DAY * WEIGHT_TOTAL);
    expect(await implementation.MAX_CHAINS()).to.equal(MAX_CHAINS);
    expect(await implementation.MAX_BONUSES()).to.equal(MAX_BONUSES);
    expect(await implementation.MAX_RATE_PER_DAY()).to.equal(MAX_RATE_PER_DAY);
    expect(await implementation.MAX_BONUS()).to.equal(MAX_BONUS);
    expect(await implementation.MIN_BONUS_DURATION()).to.equal(MIN_BONUS_DURATION);
    expect(await implementation.MAX_BONUS_DURATION()).to.equal(MAX_BONUS_DURATION);
    expect(await implementation.MAX_MARKETS()).to.equal(MAX_MARKETS);
  });

  SEEDS.forEach((seed, index) => {
    it(`random governance sequence ${index + 1} (seed 0x${seed.toString(16)}) agrees to the wei`, async () => {
      const rng = new Rng(seed);
      const tag = `seed 0x${seed.toString(16)}`;
      let now = BigInt(await time().latest()) + 1n;
      // start in the future (changes before it reuse segment 0), at the deployment, or in the past
      const startKind = index % 3;
      const start = startKind === 0 ? now + rng.between(10n * DAY, 60n * DAY) : startKind === 1 ? now + 1n : now - rng.below(30n * DAY);
      const rate = rng.chance(0.5) ? 20_000n * E18 : 22_627n * E18;
      const init: ScheduleInit = {
        start,
        ratePerDay: rate,
        declinePerDay: rng.chance(0.5) ? 16n * E18 : 0n,
        chainIds: rng.chains(rng.pick([1, 2, 3, 4, 5, 6, 7])),
      };
      await time().setNextBlockTimestamp(now);
      const s = await deploy(init);
      const model = new EmissionScheduleModel(init);

      const counts = { ok: 0, refused: 0, batched: 0, beforeStart: 0 };
      for (let step = 0; step < STEPS; ) {
        const jump = rng.int(10);
        let dt = jump < 3 ? rng.between(1n, 60n) : jump < 6 ? rng.between(60n, DAY) : rng.between(DAY, 60n * DAY);
        if (now < start && now + dt > start && rng.chance(0.3)) dt = start - now; // a change exactly at the start
        now += dt;
        if (now <= start) counts.beforeStart++;
        if (rng.chance(0.12)) {
          const ops = Array.from({ length: 2 + rng.int(2) }, () => genOp(rng, now));
          const expected = ops.map((op) => applyModel(model, now, op) === undefined);
          const actual = await applyContractBatch(s, now, ops);
          expect(actual).to.deep.equal(expected, `${tag} step ${step}: one block at ${now}: ${ops.map(describeOp).join(" ; ")}`);
          counts.batched += ops.length;
          counts.refused += expected.filter((ok) => !ok).length;
          counts.ok += expected.filter((ok) => ok).length;
          step += ops.length;
        } else {
          const op = genOp(rng, now);
          const expected = applyModel(model, now, op);
          const actual = await applyContract(s, now, op);
          expect(actual).to.deep.equal(expected, `${tag} step ${step}: at ${now}: ${describeOp(op)}`);
          if (expected) counts.refused++;
          else counts.ok++;
          step += 1;
        }
        // spot check right away: now and a random future time, one chain
        const chain = rng.pick([...model.chains(), BONUS_ONLY]);
        for (const t of [now, now + rng.below(100n * DAY)]) {
          expect(await s.cumulativeEmission(chain, t)).to.equal(model.cumulativeEmission(chain, t), `${tag} step ${step}: spot ${chain}@${t}`);
        }
      }

      // the replayed model and one rebuilt from the contract's views are the same schedule
      expect(await s.segmentCount()).to.equal(model.segmentCount(), `${tag}: segmentCount`);
      expect((await s.bonusChains()).map(BigInt)).to.deep.equal(model.bonusChains(), `${tag}: bonusChains`);
      const loaded = await loadScheduleFromChain(s);
      expect(loaded.snapshot()).to.deep.equal(model.snapshot(), `${tag}: loadScheduleFromChain`);

      const chains = [...new Set([...model.chains(), ...model.bonusChains(), NOBODY])];
      const times = probeTimes(model, rng, now);
      const compared = await compareEverywhere(s, model, chains, times, tag);
      for (const c of chains) {
        for (const t of times) {
          expect(modelView(() => loaded.cumulativeEmission(c, t))).to.deep.equal(modelView(() => model.cumulativeEmission(c, t)));
        }
      }
      // the exercise covered what it should
      expect(model.segmentCount()).to.be.greaterThan(3n, `${tag}: segments`);
      const zeroed = model.segments.filter(
        (seg, k, all) => seg.declinePerDay > 0n && seg.origin + (seg.ratePerDay * DAY) / seg.declinePerDay < (all[k + 1]?.start ?? now + 400n * DAY),
      ).length;
      console.log(
        `      ${tag}: ${counts.ok} changes applied, ${counts.refused} refused alike (${counts.batched} in ` +
          `shared blocks, ${counts.beforeStart} steps before the start); ${model.segmentCount()} segments (${zeroed} reaching ` +
          `zero), ${chains.length} chains, ${times.length} times, ${compared} values equal`,
      );
    });
  });

  it("refuses the same invalid changes as the contract, with the same error and arguments", async () => {
    let now = BigInt(await time().latest()) + 10n;
    const init: ScheduleInit = { start: now + DAY, ratePerDay: 20_000n * E18, declinePerDay: 0n, chainIds: [1030n, 56n, 128n] };
    await time().setNextBlockTimestamp(now);
    const s = await deploy(init);
    const model = new EmissionScheduleModel(init);
    const M = (i: number) => `0x${(0x2000 + i).toString(16).padStart(40, "0")}`;
    const cases: [string, (now: bigint) => Op, Revert | undefined][] = [
      ["bps not summing to 10,000", () => ({ kind: "bps", chainIds: [1n, 2n], bps: [5_000n, 4_999n] }), { name: "ScheduleBadWeights", args: [] }],
      ["bps lengths differ", () => ({ kind: "bps", chainIds: [1n, 2n], bps: [10_000n] }), { name: "ScheduleBadWeights", args: [] }],
      ["bps empty", () => ({ kind: "bps", chainIds: [], bps: [] }), { name: "ScheduleBadWeights", args: [] }],
      ["a zero bps weight", () => ({ kind: "bps", chainIds: [1n, 2n], bps: [10_000n, 0n] }), { name: "ScheduleBadWeights", args: [] }],
      ["duplicate chain (bps)", () => ({ kind: "bps", chainIds: [1n, 1n], bps: [5_000n, 5_000n] }), { name: "ScheduleBadParameter", args: ["chainId"] }],
      ["zero chain (bps)", () => ({ kind: "bps", chainIds: [0n, 1n], bps: [5_000n, 5_000n] }), { name: "ScheduleBadParameter", args: ["chainId"] }],
      ["bps overflow", () => ({ kind: "bps", chainIds: [1n, 2n], bps: [(1n << 256n) - 1n, 1n] }), { name: "Panic", args: [0x11n] }],
      ["9 equal shares", () => ({ kind: "equal", chainIds: POOL.slice(0, 9) }), { name: "ScheduleBadWeights", args: [] }],
      ["0 equal shares", () => ({ kind: "equal", chainIds: [] }), { name: "ScheduleBadWeights", args: [] }],
      ["17 equal shares", () => ({ kind: "equal", chainIds: [...POOL.slice(0, 17)] }), { name: "ScheduleBadWeights", args: [] }],
      ["duplicate chain (equal)", () => ({ kind: "equal", chainIds: [5n, 5n] }), { name: "ScheduleBadParameter", args: ["chainId"] }],
      ["rate above MAX", () => ({ kind: "rate", rate: MAX_RATE_PER_DAY + 1n, decline: 0n }), { name: "ScheduleBadParameter", args: ["ratePerDay"] }],
      ["decline above rate", () => ({ kind: "rate", rate: 10n, decline: 11n }), { name: "ScheduleBadParameter", args: ["declinePerDay"] }],
      ["retroactive bonus", (t) => ({ kind: "bonus", chainId: 56n, amount: E18, start: t - 1n, duration: DAY }), { name: "ScheduleRetroactive", args: [now + 13n, now + 14n] }],
      ["zero bonus", (t) => ({ kind: "bonus", chainId: 56n, amount: 0n, start: t, duration: DAY }), { name: "ScheduleBadParameter", args: ["bonusAmount"] }],
      ["bonus above MAX", (t) => ({ kind: "bonus", chainId: 56n, amount: MAX_BONUS + 1n, start: t, duration: DAY }), { name: "ScheduleBadParameter", args: ["bonusAmount"] }],
      ["bonus too short", (t) => ({ kind: "bonus", chainId: 56n, amount: E18, start: t, duration: MIN_BONUS_DURATION - 1n }), { name: "ScheduleBadParameter", args: ["bonusDuration"] }],
      ["bonus too long", (t) => ({ kind: "bonus", chainId: 56n, amount: E18, start: t, duration: MAX_BONUS_DURATION + 1n }), { name: "ScheduleBadParameter", args: ["bonusDuration"] }],
      ["bonus for chain 0", (t) => ({ kind: "bonus", chainId: 0n, amount: E18, start: t, duration: DAY }), { name: "ScheduleBadParameter", args: ["chainId"] }],
      ["market weights not summing to 10,000", () => ({ kind: "markets", markets: [M(1), M(2)], supply: [5_000n, 0n], borrow: [0n, 4_999n] }), { name: "ScheduleBadWeights", args: [] }],
      ["duplicate market", () => ({ kind: "markets", markets: [M(1), M(1)], supply: [5_000n, 0n], borrow: [0n, 5_000n] }), { name: "ScheduleBadParameter", args: ["market"] }],
      ["zero market", () => ({ kind: "markets", markets: [M(1), `0x${"0".repeat(40)}`], supply: [5_000n, 0n], borrow: [0n, 5_000n] }), { name: "ScheduleBadParameter", args: ["market"] }],
      ["33 markets", () => ({ kind: "markets", markets: Array.from({ length: 33 }, (_, i) => M(i)), supply: Array(33).fill(0n), borrow: Array(33).fill(0n) }), { name: "ScheduleBadWeights", args: [] }],
      ["valid markets", () => ({ kind: "markets", markets: [M(1), M(2)], supply: [5_000n, 0n], borrow: [0n, 5_000n] }), undefined],
    ];
    for (const [name, make, want] of cases) {
      now += 1n;
      const op = make(now);
      const fromModel = applyModel(model, now, op);
      const fromContract = await applyContract(s, now, op);
      expect(fromModel, `model: ${name}`).to.deep.equal(want);
      expect(fromContract, `contract: ${name}`).to.deep.equal(want);
    }
    // eight bonuses per chain; sixteen chains ever
    for (let i = 0; i < 8; ++i) {
      now += 1n;
      const op: Op = { kind: "bonus", chainId: 56n, amount: E18, start: now, duration: DAY };
      expect(applyModel(model, now, op)).to.equal(undefined);
      expect(await applyContract(s, now, op)).to.equal(undefined);
    }
    const limits: [string, Op, Revert][] = [
      ["ninth bonus", { kind: "bonus", chainId: 56n, amount: E18, start: now + 100n, duration: DAY }, { name: "ScheduleBadParameter", args: ["bonusCount"] }],
      ["seventeenth chain", { kind: "bps", chainIds: [...POOL.slice(3, 17)], bps: [...Array(13).fill(700n), 900n] }, { name: "ScheduleBadParameter", args: ["chainCount"] }],
    ];
    for (const [name, op, want] of limits) {
      now += 1n;
      expect(applyModel(model, now, op), `model: ${name}`).to.deep.equal(want);
      expect(await applyContract(s, now, op), `contract: ${name}`).to.deep.equal(want);
    }
    // refused changes left both untouched
    expect((await loadScheduleFromChain(s)).snapshot()).to.deep.equal(model.snapshot());
    // a view overflowing uint256 reverts on both (flat rate, absurd time)
    const far = 1n << 250n;
    expect(await contractView(iface, () => s.cumulativeEmission(1030n, far))).to.deep.equal({ revert: "Panic" });
    expect(modelView(() => model.cumulativeEmission(1030n, far))).to.deep.equal({ revert: "Panic" });
    // only the owner governs (the model has no owner: it is the Timelock's view)
    await expect(s.connect(stranger).setEmissionRate(1n, 0n))
      .to.be.revertedWithCustomError(s, "OwnableUnauthorizedAccount")
      .withArgs(stranger.address);
    // arguments outside their Solidity types: the ABI encoder refuses them, the model too (InputError)
    expect(() => model.setEmissionRate(now + 1n, 1n << 128n, 0n)).to.throw(InputError, /ratePerDay: .* does not fit uint128/);
    expect(() => model.addLaunchBonus(now + 1n, 56n, E18, -1n, DAY)).to.throw(InputError, /start/);
    expect(() => model.setEmissionRate(now - 100n, 1n, 0n)).to.throw(InputError, /time only moves forward/);
    expect(() => model.setMarketWeights(now + 1n, ["0x12"], [10_000n], [0n])).to.throw(InputError, /markets/);
  });

  it("budgets and daily rates for operators: 1,000,000 over 14 days beside 20,000/day over three chains", async () => {
    const start = 1_800_000_000n;
    const model = new EmissionScheduleModel({ start, ratePerDay: 20_000n * E18, declinePerDay: 0n, chainIds: [1030n, 56n, 128n] });
    model.addLaunchBonus(start, 56n, 1_000_000n * E18, start + 10n * DAY, 14n * DAY);
    // 20,000/3 + 1,000,000/14 = 78,095.238095… a day: floored per part
    expect(model.ratePerDayAt(56n, start + 12n * DAY)).to.equal(6_666_666666666666666666n + 71_428_571428571428571428n);
    expect(model.ratePerDayAt(56n, start + 24n * DAY)).to.equal(6_666_666666666666666666n);
    expect(model.ratePerDayAt(56n, start - 1n)).to.equal(0n);
    const day = budgetBetween(model, 56n, start + 12n * DAY, start + 13n * DAY);
    expect(day >= 78_095_238095238095238094n && day <= 78_095_238095238095238096n).to.equal(true);
    expect(budgetBetween(model, 56n, start, start + 40n * DAY)).to.equal((20_000n * E18 * 40n) / 3n + 1_000_000n * E18);
    expect(() => budgetBetween(model, 56n, start + 1n, start)).to.throw(InputError, /before from/);
    // the Flux curve: 22,627 a day falling 16 a day, zero after 1414.1875 days
    const flux = new EmissionScheduleModel({ start, ratePerDay: 22_627n * E18, declinePerDay: 16n * E18, chainIds: [1030n] });
    expect(flux.ratePerDayAt(1030n, start)).to.equal(22_627n * E18);
    expect(flux.ratePerDayAt(1030n, start + 1000n * DAY)).to.equal(22_627n * E18 - 16_000n * E18);
    expect(flux.ratePerDayAt(1030n, start + 122_185_800n)).to.equal(0n);
    expect(flux.cumulativeEmission(1030n, start + 10_000n * DAY)).to.equal(15_999_410_281_250_000_000_000_000n);
    // and on-chain, via the loader
    await time().setNextBlockTimestamp(BigInt(await time().latest()) + 1n);
    const s = await deploy({ start, ratePerDay: 22_627n * E18, declinePerDay: 16n * E18, chainIds: [1030n] });
    const loaded = await loadScheduleFromChain(s);
    expect(budgetBetween(loaded, 1030n, 0n, start + 10_000n * DAY)).to.equal(await s.cumulativeEmission(1030n, start + 10_000n * DAY));
    // reads pinned to a block see the schedule as it was then
    const pinned = await conn.ethers.provider.getBlockNumber();
    await (await s.setEqualChainWeights([1030n, 56n])).wait();
    expect((await loadScheduleFromChain(s, { blockTag: pinned })).chains()).to.deep.equal([1030n]);
    expect((await loadScheduleFromChain(s)).chains()).to.deep.equal([1030n, 56n]);
  });
});
