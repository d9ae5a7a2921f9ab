/**
 * The dashboard's reads, per chain, as plain data: emissions (scheduled so far, published in
 * roots, claimed; today's rate; launch bonuses), the active and pending roots, governance
 * proposals with their votes and quorum, and every market. Contract values come from one
 * Multicall3 call per chain per refresh (app/src/multicall.ts); histories come from the
 * contracts' events (eth_getLogs) and the blocks' times.
 */
import { Interface, type JsonRpcProvider, type Log, type Result } from "ethers";
import IGovernorArtifact from "@openzeppelin/contracts/build/contracts/IGovernor.json";
import CountingArtifact from "@openzeppelin/contracts/build/contracts/GovernorCountingSimple.json";
import { IAggregatorV3__factory } from "../../types/ethers-contracts/factories/contracts/markets/interfaces/IAggregatorV3__factory.js";
import { PROPOSAL_STATES } from "../../src/governance/lifecycle.js";
import { CONTROLLER, DISTRIBUTOR, MARKET, ORACLE, providerOf, SCHEDULE } from "./chain.js";
import { rootView, type RootView } from "./claim.js";
import type { AppConfig, ChainConfig } from "./config.js";
import { readBatch, valueOf, type Read } from "../../src/core/multicall.js";

export const GOVERNOR = new Interface([...IGovernorArtifact.abi, ...CountingArtifact.abi.filter((f) => f.type === "function" && f.name === "proposalVotes")]);
const FEED = IAggregatorV3__factory.createInterface();
const DAY = 86_400n;
/** Points on the "scheduled" line of the emissions chart. */
export const SAMPLES = 24;

export interface Bonus { amount: bigint; start: bigint; end: bigint }
export interface Proposal {
  id: bigint;
  description: string;
  proposer: string;
  state: string;
  forVotes: bigint;
  againstVotes: bigint;
  abstainVotes: bigint;
  /** Quorum at the proposal's snapshot, or null before the snapshot (not yet fixed). */
  quorum: bigint | null;
  voteStart: bigint;
  voteEnd: bigint;
  tally?: string;
}
export interface MarketRow {
  symbol: string;
  market: string;
  decimals: number;
  totalSupplied: bigint;
  totalBorrows: bigint;
  cash: bigint;
  utilization: bigint;
  borrowRatePerYear: bigint;
  supplyRatePerYear: bigint;
  supplyCap: bigint;
  borrowCap: bigint;
  depositPaused: boolean;
  borrowPaused: boolean;
  collateralRatioBps: number;
  /** USD per whole token, 1e18-scaled (the feed's answer as the oracle scales it), or null without a feed. */
  priceUsd: bigint | null;
  /** When the feed last updated (unix seconds), or null without a feed. */
  priceUpdatedAt: bigint | null;
  /** Whether the oracle refuses the price as older than its heartbeat (the markets then refuse to price positions). */
  priceStale: boolean;
}
export interface ChainDashboard {
  chain: ChainConfig;
  now: bigint;
  blockNumber: bigint;
  emissions?: {
    scheduled: [number, bigint][];
    published: [number, bigint][];
    claimed: [number, bigint][];
    scheduledNow: bigint;
    ratePerDay: bigint;
    bonuses: Bonus[];
    active: RootView;
    pending: RootView;
    challengeWindow: bigint;
    paused: boolean;
    totalClaimed: bigint;
  };
  proposals: Proposal[];
  markets: MarketRow[];
  liquidationRatioBps?: number;
  priceFactorBps?: number;
}


/** Block times by number, fetched once each (a JSON-RPC batch per refresh). */
const blockTimes = new Map<string, number>();
async function timesOf(provider: JsonRpcProvider, chainId: number, blocks: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  await Promise.all([...new Set(blocks)].map(async (n) => {
    const key = `${chainId}:${n}`;
    let t = blockTimes.get(key);
    if (t === undefined) {
      const b = await provider.getBlock(n);
      if (!b) throw new Error(`block ${n} not found`);
      t = b.timestamp;
      blockTimes.set(key, t);
    }
    out.set(n, t);
  }));
  return out;
}

async function logs(provider: JsonRpcProvider, address: string, iface: Interface, event: string, fromBlock: number, toBlock: number): Promise<Log[]> {
  return provider.getLogs({ address, topics: [iface.getEvent(event)!.topicHash], fromBlock, toBlock });
}

/** Reads one chain's dashboard (see the module comment). */
export async function readDashboard(config: AppConfig, chain: ChainConfig): Promise<ChainDashboard> {
  const provider = providerOf(chain);
  const c = chain.contracts;
  const from = chain.deployBlock;
  // everything is read at one block: the latest when the refresh starts
  const latest = await provider.getBlock("latest");
  if (!latest) throw new Error("the chain has no latest block");
  const to = latest.number;
  // the deployment block's time is read once per chain (timesOf caches block times)
  const [deployTimes, created, activated, claimedLogs] = await Promise.all([
    timesOf(provider, chain.chainId, [from]),
    logs(provider, c.governor, GOVERNOR, "ProposalCreated", from, to),
    c.rewardsDistributor ? logs(provider, c.rewardsDistributor, DISTRIBUTOR, "RootActivated", from, to) : [],
    c.rewardsDistributor ? logs(provider, c.rewardsDistributor, DISTRIBUTOR, "Claimed", from, to) : [],
  ]);
  const now = BigInt(latest.timestamp);
  const start = BigInt(deployTimes.get(from)!);
  const sid = BigInt(chain.scheduleChainId ?? chain.chainId);
  const sampleAt = Array.from({ length: SAMPLES + 1 }, (_, i) => start + ((now - start) * BigInt(i)) / BigInt(SAMPLES));
  const proposals = created.map((l) => GOVERNOR.parseLog(l)!.args);
  const marketList = Object.entries(chain.markets);

  const reads: Read[] = [];
  const emissions = c.rewardsDistributor && c.emissionSchedule;
  const idx = {
    active: -1, pending: -1, cfg: -1, totals: -1, bonuses: -1, nowCum: -1, dayCum: -1, samples: [] as number[],
    proposals: [] as { state: number; votes: number; quorum: number }[],
    risk: -1, markets: [] as { state: number; config: number; feedOf: number; round: number }[],
  };
  const push = (r: Read) => reads.push(r) - 1;
  if (emissions) {
    idx.active = push({ target: c.rewardsDistributor!, iface: DISTRIBUTOR, fn: "activeRoot" });
    idx.pending = push({ target: c.rewardsDistributor!, iface: DISTRIBUTOR, fn: "pendingRoot" });
    idx.cfg = push({ target: c.rewardsDistributor!, iface: DISTRIBUTOR, fn: "config" });
    idx.totals = push({ target: c.rewardsDistributor!, iface: DISTRIBUTOR, fn: "totals" });
    idx.bonuses = push({ target: c.emissionSchedule!, iface: SCHEDULE, fn: "bonusesOf", args: [sid] });
    idx.nowCum = push({ target: c.emissionSchedule!, iface: SCHEDULE, fn: "cumulativeEmission", args: [sid, now] });
    idx.dayCum = push({ target: c.emissionSchedule!, iface: SCHEDULE, fn: "cumulativeEmission", args: [sid, now + DAY] });
    idx.samples = sampleAt.map((t) => push({ target: c.emissionSchedule!, iface: SCHEDULE, fn: "cumulativeEmission", args: [sid, t] }));
  }
  for (const p of proposals) {
    idx.proposals.push({
      state: push({ target: c.governor, iface: GOVERNOR, fn: "state", args: [p.proposalId] }),
      votes: push({ target: c.governor, iface: GOVERNOR, fn: "proposalVotes", args: [p.proposalId] }),
      quorum: push({ target: c.governor, iface: GOVERNOR, fn: "quorum", args: [p.voteStart] }),
    });
  }
  if (c.controller) {
    idx.risk = push({ target: c.controller, iface: CONTROLLER, fn: "riskParameters" });
    for (const [, m] of marketList) {
      // the market's own state and the feed's round, not marketOverview: that reverts on a stale
      // price, and a stale price is exactly what the dashboard must show
      idx.markets.push({
        state: push({ target: m.market, iface: MARKET, fn: "marketState" }),
        config: push({ target: c.controller, iface: CONTROLLER, fn: "marketConfig", args: [m.market] }),
        feedOf: c.oracle ? push({ target: c.oracle, iface: ORACLE, fn: "feedOf", args: [m.asset] }) : -1,
        round: m.feed ? push({ target: m.feed, iface: FEED, fn: "latestRoundData" }) : -1,
      });
    }
  }
  const b = await readBatch(provider, config.multicall, reads, latest.number);
  const r = (i: number, what: string) => valueOf(b.results[i], what);
  const out: ChainDashboard = { chain, now, blockNumber: BigInt(latest.number), proposals: [], markets: [] };

  if (emissions) {
    const times = await timesOf(provider, chain.chainId, [...activated, ...claimedLogs].map((l) => l.blockNumber));
    const published: [number, bigint][] = activated.map((l) => [times.get(l.blockNumber)!, DISTRIBUTOR.parseLog(l)!.args.total as bigint]);
    let sum = 0n;
    const claimed: [number, bigint][] = claimedLogs.map((l) => [times.get(l.blockNumber)!, (sum += DISTRIBUTOR.parseLog(l)!.args.amount as bigint)]);
    const cfg = r(idx.cfg, "config");
    const nowCum = r(idx.nowCum, "cumulativeEmission")[0] as bigint;
    out.emissions = {
      scheduled: sampleAt.map((t, i) => [Number(t), r(idx.samples[i]!, "cumulativeEmission")[0] as bigint]),
      published: [[Number(start), 0n], ...published],
      claimed: [[Number(start), 0n], ...claimed],
      scheduledNow: nowCum,
      ratePerDay: (r(idx.dayCum, "cumulativeEmission")[0] as bigint) - nowCum,
      bonuses: (r(idx.bonuses, "bonusesOf")[0] as Result[]).map((x) => ({ amount: x.amount as bigint, start: x.start as bigint, end: (x.start as bigint) + (x.duration as bigint) })),
      active: rootView(r(idx.active, "activeRoot")[0] as Result),
      pending: rootView(r(idx.pending, "pendingRoot")[0] as Result),
      challengeWindow: cfg.challengeWindow as bigint,
      paused: cfg.paused as boolean,
      totalClaimed: r(idx.totals, "totals").totalClaimed as bigint,
    };
  }
  out.proposals = proposals.map((p, i) => {
    const j = idx.proposals[i]!;
    const votes = r(j.votes, "proposalVotes");
    const q = b.results[j.quorum]!;
    return {
      id: p.proposalId as bigint,
      description: p.description as string,
      proposer: p.proposer as string,
      state: PROPOSAL_STATES[Number(r(j.state, "state")[0])] ?? "Unknown",
      againstVotes: votes.againstVotes as bigint,
      forVotes: votes.forVotes as bigint,
      abstainVotes: votes.abstainVotes as bigint,
      quorum: q.ok ? (q.value[0] as bigint) : null,
      voteStart: p.voteStart as bigint,
      voteEnd: p.voteEnd as bigint,
      tally: chain.tally ? `${chain.tally.replace(/\/+$/, "")}/proposal/${p.proposalId}` : undefined,
    };
  }).reverse();
  if (c.controller) {
    const risk = r(idx.risk, "riskParameters");
    out.liquidationRatioBps = Number(risk.liquidationRatioBps);
    out.priceFactorBps = Number(risk.priceFactorBps);
    out.markets = marketList.map(([symbol, m], i) => {
      const j = idx.markets[i]!;
      const state = r(j.state, `marketState(${symbol})`)[0] as Result;
      const mc = r(j.config, `marketConfig(${symbol})`)[0] as Result;
      const feed = j.feedOf >= 0 && b.results[j.feedOf]!.ok ? (r(j.feedOf, `feedOf(${symbol})`)[0] as Result) : null;
      const round = j.round >= 0 && b.results[j.round]!.ok ? r(j.round, `latestRoundData(${symbol})`) : null;
      const updatedAt = round ? (round.updatedAt as bigint) : null;
      // FluxOracle: price of one base unit = answer * 10^scaleExponent, scaled by 1e36 / 10^decimals
      const priceUsd = feed && round ? ((round.answer as bigint) * 10n ** BigInt(feed.scaleExponent) * 10n ** BigInt(m.decimals)) / 10n ** 18n : null;
      return {
        symbol, market: m.market, decimals: m.decimals,
        totalSupplied: state.totalAssets as bigint, totalBorrows: state.totalBorrows as bigint, cash: state.cash as bigint,
        utilization: state.utilization as bigint, borrowRatePerYear: state.borrowRatePerYear as bigint, supplyRatePerYear: state.supplyRatePerYear as bigint,
        supplyCap: mc.supplyCap as bigint, borrowCap: mc.borrowCap as bigint, depositPaused: mc.depositPaused as boolean, borrowPaused: mc.borrowPaused as boolean,
        collateralRatioBps: Number(mc.collateralRatioBps),
        priceUsd, priceUpdatedAt: updatedAt,
        priceStale: feed !== null && updatedAt !== null && updatedAt + BigInt(feed.heartbeat) < now,
      };
    });
  }
  return out;
}
