/**
 * The shapes the demos hand to their reports: the `npm start` story (passed between its chapters
 * too) and the crash replay.
 */
import type { FluxDeployment } from "../src/deploy/deploy.js";
import type { LifecycleResult } from "../src/governance/lifecycle.js";
import type { TallyReport } from "../src/snapshot/tally.js";
import type { Connection } from "../src/core/types.js";
import type { ChainEmissions } from "./emissions.js";

/** Market activity of one chain: amounts in whole tokens (decimal strings). */
export interface MarketActivity {
  /** USDT the supplier deposits. */
  usdtSupply: string;
  /** WETH the borrower deposits as collateral. */
  wethCollateral: string;
  /** USDT the borrower then borrows. */
  usdtBorrow: string;
  /** WBTC the supplier deposits, if any. */
  wbtcSupply: string | null;
}

/** One chain of the story, as every chapter (and the Snapshot signal) receives it. */
export interface StartChain {
  chainId: number;
  /** Deployment and manifest name ("conflux-local"). */
  name: string;
  /** The chain it stands in for ("Conflux eSpace"). */
  label: string;
  conn: Connection;
  deployment: FluxDeployment;
}

/** What a chapter inserted into the story may use to print: lines, and a numbered chapter title. */
export interface StoryLog {
  log: (line: string) => void;
  chapter: (title: string) => void;
}

export interface SignalResult {
  hubUrl: string;
  id: string;
  report: TallyReport;
  /** The on-chain proposal the passed signal became, on `chainId`. */
  onchain: { chainId: number; proposalId: bigint };
  votes: { voter: string; choice: string; power: bigint }[];
}

export interface RiskProposalResult {
  chainId: number;
  name: string;
  lifecycle: LifecycleResult;
  ratioBefore: bigint;
  ratioAfter: bigint;
  positionBefore: string;
  positionAfter: string;
  liquidation: { repaid: bigint; seizedShares: bigint };
}

export interface ChainResult {
  chainId: number;
  name: string;
  label: string;
  deployment: FluxDeployment;
  /** What this chain's epoch emitted: its schedule's budget for the window, wei. */
  budget: bigint;
  /** The part of `budget` that is launch bonus. */
  bonus: bigint;
  /** Claimed in this story, per account (equal to `distributor.claimed(account)`). */
  claimed: { account: string; amount: bigint }[];
  emissions: ChainEmissions;
}

export interface StartResult {
  chains: ChainResult[];
  proposal: RiskProposalResult;
  /** The epoch window, the same on every chain. */
  epoch: { start: number; end: number };
  /** Who is who: address → role in the story ("alice", "supplier"…). */
  names: Record<string, string>;
  /** The Snapshot signal that preceded the on-chain proposal. */
  signal: SignalResult;
}

/** One crash scenario replayed under one set of lines. */
export interface CrashResult {
  scenario: string;
  lines: string;
  positions: number;
  liquidatedPositions: number;
  liquidations: number;
  repaidUsd: bigint; // 18 decimals
  seizedUsd: bigint; // 18 decimals, at the oracle price of the moment
  badDebtUsd: bigint; // 18 decimals
  firstLiquidationAt: number | null; // price factor at the first liquidation
  /** The largest price drop a position opened at its borrow limit survives under these lines. */
  buffer: number;
  /** After each price step: its time and price factor, and positions liquidated so far. */
  steps: { t: number; factor: number; liquidatedPositions: number }[];
}
