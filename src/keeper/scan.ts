/**
 * The health of every borrower at one block, read through Multicall3 in batches: the
 * controller's risk parameters, each market's totals, borrow index, configuration and oracle price
 * (or why the oracle refuses it), the keeper's inventory of each asset, and each market's stored
 * holdings (`storedHoldings`: shares and borrow snapshot) of the accounts that used it, a thousand
 * accounts per call. The TypeScript twin of the controller (src/markets/liquidation.ts) turns them
 * into supplies, debts and positions with the contracts' rounding, so that 10,000 accounts cost a
 * handful of round trips and a few dozen calls instead of one call per account and market (see
 * `npm run bench`, "keeper scan").
 */
import { getAddress, Interface, type Provider } from "ethers";
import { IFluxController__factory } from "../../types/ethers-contracts/factories/contracts/markets/interfaces/IFluxController__factory.js";
import { FluxMarket__factory } from "../../types/ethers-contracts/factories/contracts/markets/FluxMarket__factory.js";
import { IFluxOracle__factory } from "../../types/ethers-contracts/factories/contracts/markets/interfaces/IFluxOracle__factory.js";
import { addressListCall, MULTICALL3_ADDRESS, readBatches, uintRows, valueOf, type Read } from "../core/multicall.js";
import { RevertDecoder } from "../core/revert.js";
import { ChainStateError, InputError } from "../core/errors.js";
import type { Manifest } from "../manifest/index.js";
import type { AccountMarkets } from "./borrowers.js";
import { mulDiv, positionOf, toAssets, type Holding, type MarketFigures, type Position, type RiskParameters, type Unpriced } from "../markets/liquidation.js";

export const CONTROLLER = new Interface(IFluxController__factory.abi);
/** The market's whole ABI: `liquidate` and `writeOffBadDebt` are the market's own, not in IFluxMarket (the controller never calls them). */
export const MARKET = new Interface(FluxMarket__factory.abi);
export const ORACLE = new Interface(IFluxOracle__factory.abi);
export const ERC20 = new Interface([
  "function balanceOf(address) view returns (uint256)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
]);
/** Decodes the oracle's and markets' refusals (OracleStalePrice, …) for the log lines. */
export const MARKETS_DECODER = new RevertDecoder([CONTROLLER, MARKET, ORACLE]);

/** A listed market: its address, its asset and how people name it. */
export interface MarketInfo {
  market: string;
  asset: string;
  symbol: string;
  decimals: number;
}

/** What the keeper and the watcher read on a chain. */
export interface MarketsChain {
  controller: string;
  oracle: string;
  multicall: string;
  /** In the controller's listing order. */
  markets: MarketInfo[];
}

/**
 * The markets of a deployment: the controller's listed markets (its own list, in order) and the
 * oracle, named by the manifest's symbols (or the token's `symbol()` for a market listed later).
 */
export async function marketsChain(provider: Provider, manifest: Manifest, multicall = MULTICALL3_ADDRESS): Promise<MarketsChain> {
  const controller = manifest.contracts.controller;
  if (!controller) throw new InputError(`deployments/${manifest.network}.json has no markets controller: deploy the markets first`);
  if ((await provider.getCode(multicall)) === "0x") {
    throw new ChainStateError(`no Multicall3 at ${multicall} on ${manifest.network} (chain ${manifest.chainId}): the keeper reads through it`);
  }
  const first = await readBatches(provider, multicall, [
    { target: controller, iface: CONTROLLER, fn: "markets" },
    { target: controller, iface: CONTROLLER, fn: "roles" },
  ]);
  const listed = (valueOf(first.results[0], "controller.markets()")[0] as string[]).map((a) => getAddress(a));
  const oracle = getAddress(valueOf(first.results[1], "controller.roles()")[0] as string);
  const known = new Map(Object.entries(manifest.markets ?? {}).map(([symbol, m]) => [getAddress(m.market), { symbol, ...m }]));
  const unknown = listed.filter((m) => !known.has(m));
  const assets = await readBatches(provider, multicall, unknown.map((m) => ({ target: m, iface: MARKET, fn: "asset" })));
  const assetOf = new Map(unknown.map((m, i) => [m, getAddress(valueOf(assets.results[i], `${m}.asset()`)[0] as string)]));
  const meta = await readBatches(provider, multicall, unknown.flatMap((m) => [
    { target: assetOf.get(m)!, iface: ERC20, fn: "symbol" },
    { target: assetOf.get(m)!, iface: ERC20, fn: "decimals" },
  ]));
  const markets = listed.map((market) => {
    const k = known.get(market);
    if (k) return { market, asset: getAddress(k.asset), symbol: k.symbol, decimals: k.decimals };
    const i = unknown.indexOf(market);
    const symbol = meta.results[2 * i]?.ok ? String(valueOf(meta.results[2 * i], "symbol")[0]) : market.slice(0, 8);
    const decimals = Number(valueOf(meta.results[2 * i + 1], `${market} asset decimals()`)[0]);
    return { market, asset: assetOf.get(market)!, symbol, decimals };
  });
  return { controller: getAddress(controller), oracle, multicall, markets };
}

/** One market at the scanned block. */
export interface MarketScan extends MarketFigures {
  info: MarketInfo;
  /** Why the oracle refuses the price (`OracleStalePrice(…)`), when it does. */
  priceError?: string;
  depositPaused: boolean;
  borrowPaused: boolean;
  /** The keeper's balance of the asset and its allowance to the market (when a keeper was given). */
  inventory?: { balance: bigint; allowance: bigint };
}

/** One account at the scanned block: its holding in each market (listing order) and its position. */
export interface AccountScan {
  account: string;
  holdings: Holding[];
  position: Position | Unpriced;
}

export interface Scan {
  block: number;
  timestamp: number;
  risk: RiskParameters;
  markets: MarketScan[];
  accounts: AccountScan[];
  /** RPC round trips the scan took. */
  roundTrips: number;
  /** Account-market holdings read (an account counts once in each market it was read in). */
  holdingsRead: number;
}

export interface ScanOptions {
  /** Whose inventory to read (the keeper's address). */
  keeper?: string;
  /** Calls per Multicall3 batch, an account's holding in one market counting as one (default: readBatches' 250). */
  batchCalls?: number;
  /** Accounts per `storedHoldings` call (default {@link HOLDINGS_PER_CALL}). */
  accountsPerCall?: number;
  /** The block to read (default: the latest). */
  blockTag?: number;
  /** The markets each account has used (BorrowerBook.marketsOf): only those are read; default all. */
  marketsOf?: (account: string) => AccountMarkets;
}

/**
 * Accounts per `storedHoldings` call by default: about 6,300 gas each, so 1,000 accounts cost
 * about 6.3M gas, an eighth of the 50M eth_call cap common among public RPC nodes, while 10,000
 * borrowers in two markets take some twenty calls (docs/benchmarks.md#keeper-scan).
 */
export const HOLDINGS_PER_CALL = 1_000;

const HOLDINGS_CALL = addressListCall(MARKET, "storedHoldings");
const HOLDING_ROWS = uintRows(3);

/**
 * An account's holding from what its market stores (`storedHoldings`) and the market's state at
 * the same block: exactly `accountSnapshot` (the supply is the shares' worth rounded down, the
 * debt the principal grown by the borrow index since its snapshot, rounded up; FluxMarket's
 * `_sharesToAssets` and `_debtAt`).
 */
export function holdingOf(market: MarketFigures, borrowIndex: bigint, [shares, principal, index]: readonly bigint[]): Holding {
  const debt = principal === 0n ? 0n : mulDiv(principal!, borrowIndex, index!, true);
  return { supplied: shares === 0n ? 0n : toAssets(market, shares!), debt, shares: shares! };
}

/**
 * Reads `accounts`' positions and the markets' state at one block: the controller's parameters,
 * each market's state, configuration and price (and the keeper's inventory), then each market's
 * stored holdings of the accounts that used it (all accounts without `marketsOf`), a thousand
 * accounts per call; the twin values them. Every value comes from one block.
 */
export async function scanHealth(provider: Provider, chain: MarketsChain, accounts: readonly string[], o: ScanOptions = {}): Promise<Scan> {
  const { controller, oracle, markets } = chain;
  const perCall = o.accountsPerCall ?? HOLDINGS_PER_CALL;
  if (!Number.isInteger(perCall) || perCall < 1) throw new InputError(`accountsPerCall must be a positive integer, got ${perCall}`);
  const reads: Read[] = [{ target: controller, iface: CONTROLLER, fn: "riskParameters" }];
  for (const m of markets) {
    reads.push(
      { target: m.market, iface: MARKET, fn: "marketState" },
      { target: controller, iface: CONTROLLER, fn: "marketConfig", args: [m.market] },
      { target: oracle, iface: ORACLE, fn: "getPrice", args: [m.asset] },
    );
    if (o.keeper) {
      reads.push(
        { target: m.asset, iface: ERC20, fn: "balanceOf", args: [o.keeper] },
        { target: m.asset, iface: ERC20, fn: "allowance", args: [o.keeper, m.market] },
      );
    }
  }
  const fixed = reads.length;
  // each market's users: the accounts whose events show them borrowing or supplying there
  const users: number[][] = markets.map(() => []);
  accounts.forEach((account, i) => {
    const mine = o.marketsOf?.(account);
    markets.forEach((m, j) => {
      if (!mine || mine.borrow.has(m.market) || mine.supply.has(m.market)) users[j]!.push(i);
    });
  });
  const holdingReads: [market: number, from: number, to: number][] = [];
  users.forEach((list, j) => {
    for (let from = 0; from < list.length; from += perCall) {
      const to = Math.min(list.length, from + perCall);
      const chunk = list.slice(from, to).map((i) => accounts[i]!);
      reads.push({ target: markets[j]!.market, iface: MARKET, fn: "storedHoldings", args: [chunk], callData: HOLDINGS_CALL(chunk), decode: HOLDING_ROWS, weight: chunk.length });
      holdingReads.push([j, from, to]);
    }
  });
  const batch = await readBatches(provider, chain.multicall, reads, { batchCalls: o.batchCalls, blockTag: o.blockTag });
  const r = batch.results;
  const rp = valueOf(r[0], "controller.riskParameters()");
  const risk: RiskParameters = { liquidationRatioBps: rp[0], priceFactorBps: rp[1], closeFactorBps: rp[2], minDebtValue: rp[3] };
  let k = 1;
  const indexes: bigint[] = [];
  const scans: MarketScan[] = markets.map((info) => {
    const state = valueOf(r[k++], `${info.symbol} marketState()`)[0];
    const config = valueOf(r[k++], `controller.marketConfig(${info.symbol})`)[0];
    const price = r[k++]!;
    indexes.push(state.borrowIndex);
    const m: MarketScan = {
      info,
      market: info.market,
      totalAssets: state.totalAssets,
      totalShares: state.totalShares,
      collateralRatioBps: BigInt(config.collateralRatioBps),
      price: price.ok ? (price.value[0] as bigint) : undefined,
      priceError: price.ok ? undefined : MARKETS_DECODER.decode(price.revert),
      depositPaused: config.depositPaused,
      borrowPaused: config.borrowPaused,
    };
    if (o.keeper) {
      m.inventory = { balance: valueOf(r[k++], `${info.symbol} balanceOf`)[0], allowance: valueOf(r[k++], `${info.symbol} allowance`)[0] };
    }
    return m;
  });
  if (k !== fixed) throw new Error(`scanHealth: read ${k} fixed values, expected ${fixed}`);
  const none: Holding = { supplied: 0n, debt: 0n, shares: 0n };
  const holdings: Holding[][] = accounts.map(() => markets.map(() => none));
  for (const [j, from, to] of holdingReads) {
    const rows = valueOf(r[k++], `${markets[j]!.symbol} storedHoldings(${to - from} accounts)`)[0] as bigint[][];
    if (rows.length !== to - from) throw new Error(`${markets[j]!.symbol} storedHoldings: ${rows.length} entries for ${to - from} accounts`);
    for (let n = from; n < to; n++) {
      const row = rows[n - from]!;
      if (row[0] !== 0n || row[1] !== 0n) holdings[users[j]![n]!]![j] = holdingOf(scans[j]!, indexes[j]!, row);
    }
  }
  const out: AccountScan[] = accounts.map((account, i) => ({ account, holdings: holdings[i]!, position: positionOf(scans, holdings[i]!, risk) }));
  return { block: Number(batch.blockNumber), timestamp: Number(batch.timestamp), risk, markets: scans, accounts: out, roundTrips: batch.roundTrips, holdingsRead: users.reduce((n, list) => n + list.length, 0) };
}
