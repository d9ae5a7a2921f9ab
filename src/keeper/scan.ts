/**
 * The health of every borrower at one block, read through Multicall3 in batches: the
 * controller's risk parameters, each market's totals, configuration and oracle price (or why the
 * oracle refuses it), the keeper's inventory of each asset, and each account's supply and debt in
 * the markets it has used; then, for the accounts found liquidatable only, their shares in those
 * markets (what a seize may take), at the same block. Positions are computed by the TypeScript twin
 * of the controller (src/markets/liquidation.ts), so that 10,000 accounts cost a few dozen round
 * trips instead of one call per account (see `npm run bench`, "keeper scan").
 */
import { getAddress, Interface, type Provider } from "ethers";
import { IFluxController__factory } from "../../types/ethers-contracts/factories/contracts/markets/interfaces/IFluxController__factory.js";
import { FluxMarket__factory } from "../../types/ethers-contracts/factories/contracts/markets/FluxMarket__factory.js";
import { IFluxOracle__factory } from "../../types/ethers-contracts/factories/contracts/markets/interfaces/IFluxOracle__factory.js";
import { addressCall, MULTICALL3_ADDRESS, readBatches, uintWords, valueOf, type Read } from "../core/multicall.js";
import { RevertDecoder } from "../core/revert.js";
import { ChainStateError, InputError } from "../core/errors.js";
import type { Manifest } from "../manifest/index.js";
import type { AccountMarkets } from "./borrowers.js";
import { isUnpriced, positionOf, toAssets, type Holding, type MarketFigures, type Position, type RiskParameters, type Unpriced } from "../markets/liquidation.js";

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

/**
 * One account at the scanned block: its holding in each market (listing order) and its position.
 * The shares (what a seize may take) are read for liquidatable accounts only (`sharesRead`); the
 * others' `shares` are 0n, and nothing may seize from them.
 */
export interface AccountScan {
  account: string;
  holdings: Holding[];
  position: Position | Unpriced;
  sharesRead: boolean;
}

export interface Scan {
  block: number;
  timestamp: number;
  risk: RiskParameters;
  markets: MarketScan[];
  accounts: AccountScan[];
  /** RPC round trips the scan took. */
  roundTrips: number;
}

export interface ScanOptions {
  /** Whose inventory to read (the keeper's address). */
  keeper?: string;
  /** Calls per Multicall3 batch. */
  batchCalls?: number;
  /** The block to read (default: the latest). */
  blockTag?: number;
  /** The markets each account has used (BorrowerBook.marketsOf): only those are read; default all. */
  marketsOf?: (account: string) => AccountMarkets;
}

const ONE_WORD = uintWords(1);
const TWO_WORDS = uintWords(2);
const SNAPSHOT_CALL = addressCall(MARKET, "accountSnapshot");
const SHARES_CALL = addressCall(MARKET, "sharesOf");

/** Reads `accounts`' positions and the markets' state at one block (see the module comment). */
export async function scanHealth(provider: Provider, chain: MarketsChain, accounts: readonly string[], o: ScanOptions = {}): Promise<Scan> {
  const { controller, oracle, markets } = chain;
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
  // phase 1: each account in the markets it has used (all of them without `marketsOf`): where it
  // borrowed, accountSnapshot (supply and debt, interest accrued); where it only supplied, its
  // shares (a cheaper read: the supply is the shares' worth at the market's totals, the same floor
  // division as accountSnapshot's)
  const kinds: Read["fn"][][] = accounts.map((account) => {
    const mine = o.marketsOf?.(account);
    return markets.map((m) => (!mine || mine.borrow.has(m.market) ? "accountSnapshot" : mine.supply.has(m.market) ? "sharesOf" : ""));
  });
  accounts.forEach((account, i) => {
    markets.forEach((m, j) => {
      const fn = kinds[i]![j]!;
      if (fn === "accountSnapshot") reads.push({ target: m.market, iface: MARKET, fn, args: [account], callData: SNAPSHOT_CALL(account), decode: TWO_WORDS });
      else if (fn === "sharesOf") reads.push({ target: m.market, iface: MARKET, fn, args: [account], callData: SHARES_CALL(account), decode: ONE_WORD });
    });
  });
  const batch = await readBatches(provider, chain.multicall, reads, { batchCalls: o.batchCalls, blockTag: o.blockTag });
  const r = batch.results;
  const rp = valueOf(r[0], "controller.riskParameters()");
  const risk: RiskParameters = { liquidationRatioBps: rp[0], priceFactorBps: rp[1], closeFactorBps: rp[2], minDebtValue: rp[3] };
  let k = 1;
  const scans: MarketScan[] = markets.map((info) => {
    const state = valueOf(r[k++], `${info.symbol} marketState()`)[0];
    const config = valueOf(r[k++], `controller.marketConfig(${info.symbol})`)[0];
    const price = r[k++]!;
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
  // a holding read by accountSnapshot lacks its shares (it gives the supply's worth, not the shares)
  const sharesMissing = (i: number, j: number) => kinds[i]![j] === "accountSnapshot";
  const out: AccountScan[] = accounts.map((account, i) => {
    const holdings: Holding[] = markets.map((m, j) => {
      const fn = kinds[i]![j];
      if (fn === "sharesOf") {
        const [shares] = valueOf(r[k++], `${m.symbol} sharesOf(${account})`) as unknown as [bigint];
        return shares === 0n ? none : { supplied: toAssets(scans[j]!, shares), debt: 0n, shares };
      }
      if (fn !== "accountSnapshot") return none;
      const [supplied, debt] = valueOf(r[k++], `${m.symbol} accountSnapshot(${account})`);
      return { supplied, debt, shares: 0n };
    });
    return { account, holdings, position: positionOf(scans, holdings, risk), sharesRead: !markets.some((_, j) => sharesMissing(i, j)) };
  });
  // phase 2: the shares still missing (what a seize can take), of the liquidatable accounts only, at the same block
  const shareReads: Read[] = [];
  const where: [AccountScan, number][] = [];
  for (const [i, a] of out.entries()) {
    if (isUnpriced(a.position) || !a.position.liquidatable) continue;
    a.holdings.forEach((_, j) => {
      if (!sharesMissing(i, j)) return;
      shareReads.push({ target: markets[j]!.market, iface: MARKET, fn: "sharesOf", args: [a.account], callData: SHARES_CALL(a.account), decode: ONE_WORD });
      where.push([a, j]);
    });
    a.sharesRead = true;
  }
  let roundTrips = batch.roundTrips;
  if (shareReads.length) {
    const second = await readBatches(provider, chain.multicall, shareReads, { batchCalls: o.batchCalls, blockTag: Number(batch.blockNumber) });
    roundTrips += second.roundTrips;
    second.results.forEach((res, n) => {
      const [a, j] = where[n]!;
      a.holdings[j] = { ...a.holdings[j]!, shares: valueOf(res, `${markets[j]!.symbol} sharesOf(${a.account})`)[0] as bigint };
    });
  }
  return { block: Number(batch.blockNumber), timestamp: Number(batch.timestamp), risk, markets: scans, accounts: out, roundTrips };
}
