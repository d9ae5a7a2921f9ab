/**
 * Reads, from a chain through JSON-RPC, everything an epoch's allocation needs: every balance
 * change of every market (supply shares and debt, each event carries the account's balance after
 * it) and the market weights set on the emission schedule. Log queries are paginated by block
 * range, and only blocks at least `confirmations` deep are used, so a reorg cannot change an epoch
 * after it is built.
 */
import { Interface, type Log, type Provider } from "ethers";
import type { BalanceChange, WeightPeriod } from "./allocate.js";
import { ChainStateError } from "../core/errors.js";

export const MARKET_EVENTS = new Interface([
  "event Deposit(address indexed payer, address indexed account, uint256 assets, uint256 shares, uint256 accountShares)",
  "event Withdraw(address indexed account, address indexed to, uint256 assets, uint256 shares, uint256 accountShares)",
  "event Seize(address indexed liquidator, address indexed borrower, uint256 shares, uint256 liquidatorShares, uint256 borrowerShares)",
  "event Borrow(address indexed account, address indexed to, uint256 assets, uint256 accountDebt, uint256 totalBorrows)",
  "event Repay(address indexed payer, address indexed account, uint256 assets, uint256 accountDebt, uint256 totalBorrows)",
  "event Liquidate(address indexed liquidator, address indexed borrower, address indexed collateralMarket, uint256 repaid, uint256 seizedShares, uint256 accountDebt)",
  "event BadDebtWrittenOff(address indexed account, uint256 debt, uint256 fromReserves, uint256 toSuppliers)",
]);
export const SCHEDULE_EVENTS = new Interface([
  "event MarketWeightsSet(uint64 start, address[] markets, uint16[] supplyBps, uint16[] borrowBps)",
]);

/** The reward source id of a market side. */
export const sourceId = (market: string, side: "supply" | "borrow") => `${market.toLowerCase()}:${side}`;

export interface ChainReadOptions {
  fromBlock: number;
  /** Only blocks at least this deep are read (default 12). */
  confirmations?: number;
  /** Blocks per getLogs query (default 5,000). */
  pageSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface TimedChange extends BalanceChange {
  block: number;
  logIndex: number;
}

/** A chain read returned something it must not (a missing block, a log out of range). */
export class ChainReadError extends ChainStateError {}

/** The newest block at least `confirmations` deep, and its timestamp. */
export async function confirmedHead(provider: Provider, confirmations: number): Promise<{ block: number; timestamp: number }> {
  const latest = await provider.getBlockNumber();
  const block = Math.max(0, latest - confirmations);
  const b = await provider.getBlock(block);
  if (!b) throw new ChainReadError(`block ${block} not found`);
  return { block, timestamp: b.timestamp };
}

async function pagedLogs(
  provider: Provider,
  filter: { address: string[]; topics: (string[] | null)[] },
  from: number,
  to: number,
  opts: ChainReadOptions,
): Promise<Log[]> {
  const page = opts.pageSize ?? 5_000;
  const logs: Log[] = [];
  for (let start = from; start <= to; start += page) {
    const end = Math.min(to, start + page - 1);
    logs.push(...(await provider.getLogs({ ...filter, fromBlock: start, toBlock: end })));
    opts.onProgress?.(end - from + 1, to - from + 1);
  }
  return logs;
}

async function timestamps(provider: Provider, blocks: Iterable<number>): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const list = [...new Set(blocks)];
  const BATCH = 50;
  for (let i = 0; i < list.length; i += BATCH) {
    const part = list.slice(i, i + BATCH);
    const got = await Promise.all(part.map((n) => provider.getBlock(n)));
    got.forEach((b, j) => {
      if (!b) throw new ChainReadError(`block ${part[j]} not found`);
      out.set(part[j]!, b.timestamp);
    });
  }
  return out;
}

/**
 * Every balance change of `markets` from `opts.fromBlock` to the confirmed head, sorted by
 * (block, log index), with block timestamps.
 */
export async function readBalanceChanges(
  provider: Provider,
  markets: string[],
  toBlock: number,
  opts: ChainReadOptions,
): Promise<TimedChange[]> {
  const topics = ["Deposit", "Withdraw", "Seize", "Borrow", "Repay", "Liquidate", "BadDebtWrittenOff"].map(
    (n) => MARKET_EVENTS.getEvent(n)!.topicHash,
  );
  const logs = await pagedLogs(provider, { address: markets, topics: [topics] }, opts.fromBlock, toBlock, opts);
  logs.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  const times = await timestamps(provider, logs.map((l) => l.blockNumber));
  const out: TimedChange[] = [];
  for (const log of logs) {
    const ev = MARKET_EVENTS.parseLog(log);
    if (!ev) continue;
    const at = { time: times.get(log.blockNumber)!, block: log.blockNumber, logIndex: log.index };
    const supply = sourceId(log.address, "supply");
    const borrow = sourceId(log.address, "borrow");
    const a = ev.args;
    switch (ev.name) {
      case "Deposit":
        out.push({ ...at, source: supply, account: a.account, balance: a.accountShares });
        break;
      case "Withdraw":
        out.push({ ...at, source: supply, account: a.account, balance: a.accountShares });
        break;
      case "Seize":
        out.push({ ...at, source: supply, account: a.liquidator, balance: a.liquidatorShares });
        out.push({ ...at, source: supply, account: a.borrower, balance: a.borrowerShares });
        break;
      case "Borrow":
        out.push({ ...at, source: borrow, account: a.account, balance: a.accountDebt });
        break;
      case "Repay":
        out.push({ ...at, source: borrow, account: a.account, balance: a.accountDebt });
        break;
      case "Liquidate":
        out.push({ ...at, source: borrow, account: a.borrower, balance: a.accountDebt });
        break;
      case "BadDebtWrittenOff":
        out.push({ ...at, source: borrow, account: a.account, balance: 0n });
        break;
    }
  }
  return out;
}

/** The market weights set on `schedule` up to `toBlock`, as weight periods. */
export async function readWeightPeriods(
  provider: Provider,
  schedule: string,
  toBlock: number,
  opts: ChainReadOptions,
): Promise<WeightPeriod[]> {
  const topic = SCHEDULE_EVENTS.getEvent("MarketWeightsSet")!.topicHash;
  const logs = await pagedLogs(provider, { address: [schedule], topics: [[topic]] }, opts.fromBlock, toBlock, {
    ...opts,
    onProgress: undefined,
  });
  logs.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  return logs.map((log) => {
    const a = SCHEDULE_EVENTS.parseLog(log)!.args;
    const weights: WeightPeriod["weights"] = [];
    (a.markets as string[]).forEach((m, i) => {
      const s = Number(a.supplyBps[i]);
      const b = Number(a.borrowBps[i]);
      if (s > 0) weights.push({ source: sourceId(m, "supply"), bps: s });
      if (b > 0) weights.push({ source: sourceId(m, "borrow"), bps: b });
    });
    return { from: Number(a.start), weights };
  });
}

/** Balances per source, then account. */
export type Balances = Map<string, Map<string, bigint>>;

/**
 * Splits timed changes at `epochStart`: balances in force at the start (`base`, then every change
 * at or before it), and the changes inside (epochStart, epochEnd].
 */
export function splitAtEpoch(changes: BalanceChange[], epochStart: number, epochEnd: number, base: Balances = new Map()) {
  const initial: Balances = new Map([...base].map(([source, m]) => [source, new Map(m)]));
  const inside: BalanceChange[] = [];
  for (const c of changes) {
    if (c.time <= epochStart) {
      let m = initial.get(c.source);
      if (!m) initial.set(c.source, (m = new Map()));
      m.set(c.account, c.balance);
    } else if (c.time <= epochEnd) {
      inside.push(c);
    }
  }
  return { initial, inside };
}

/** The balances after `changes` (in order) are applied to `initial`; zero balances are dropped. */
export function applyChanges(initial: Balances, changes: readonly BalanceChange[]): Balances {
  const out: Balances = new Map([...initial].map(([source, m]) => [source, new Map(m)]));
  for (const c of changes) {
    let m = out.get(c.source);
    if (!m) out.set(c.source, (m = new Map()));
    m.set(c.account, c.balance);
  }
  for (const m of out.values()) for (const [a, v] of m) if (v === 0n) m.delete(a);
  return out;
}
