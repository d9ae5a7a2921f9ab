/**
 * The liquidation keeper: follows the chain block by block, learns the borrowers from the
 * markets' events (BorrowerBook), reads every position in Multicall3 batches (scanHealth), picks
 * for each liquidatable account the liquidation that pays the most (planAccount), prices its gas
 * in USD from the oracle, and liquidates when the profit net of gas reaches the threshold and the
 * inventory of the debt asset allows, or writes off the bad debt of an account with no collateral.
 *
 * Every decision is one log line: block, account, health, action, amounts, profit, transaction.
 * Nothing stops it but a stop request: a reverted or dropped transaction, another keeper that
 * liquidated first, an RPC outage or a stale feed is logged, and it goes on (an outage with
 * backoff: 1 s, doubling up to 30 s). A stop request is honoured between transactions, never in
 * the middle of one. `once` runs rounds until one does nothing more, then reports whether any
 * account is left liquidatable (see {@link KeeperSummary}).
 */
import type { Provider, Signer } from "ethers";
import { formatFlux, usd } from "../core/format.js";
import { describeFailure, isUnreachable, revertData } from "../core/revert.js";
import { messageOf } from "../core/errors.js";
import { MAX_UINT256 } from "../core/amounts.js";
import { collateralValue, isUnpriced, type Position } from "../markets/liquidation.js";
import type { BorrowerBook } from "./borrowers.js";
import { planAccount, type LiquidationPlan, type Plan, type WriteOffPlan } from "./decide.js";
import { ERC20, MARKET, MARKETS_DECODER, scanHealth, type MarketScan, type MarketsChain, type Scan } from "./scan.js";
import { sleep, TxSender, type SendOutcome, type SenderOptions } from "./sender.js";

/** The gas a liquidation is assumed to take when it cannot be estimated (a dry run without allowance). */
export const ASSUMED_LIQUIDATION_GAS = 400_000n;

export interface KeeperOptions {
  provider: Provider;
  chain: MarketsChain;
  book: BorrowerBook;
  /** Who liquidates: its inventory is read, its transactions sent (not in a dry run). */
  signer?: Signer;
  /** The keeper's address (the signer's, or for a dry run without a key, none). */
  address?: string;
  dryRun?: boolean;
  once?: boolean;
  /** Least profit net of gas, USD with 18 decimals (default 0). */
  minProfitUsd?: bigint;
  /** How gas is priced: a market whose asset is the wrapped native coin (18 decimals), or a fixed USD price (18 decimals) of one coin. */
  nativePrice: { market: string } | { usd: bigint };
  /** Warn when the inventory of a debt asset is worth less than this (USD, 18 decimals; default $1,000). */
  lowInventoryUsd?: bigint;
  /** Between polls of the head (default 500 ms). */
  pollMs?: number;
  /** Calls per Multicall3 batch. */
  batchCalls?: number;
  /** The first wait after a failed round (default 1 s); it doubles up to 30 times this. */
  retryMs?: number;
  /** `once`: how many rounds at most (default 10). */
  maxRounds?: number;
  /** `once`: how many failed rounds in a row (an unreachable RPC) before giving up (default 5). */
  maxFailures?: number;
  sender?: SenderOptions;
  log: (line: string) => void;
  /** Called after each round with its scan (the first round includes the inventory approvals). */
  onRound?: (scan: Scan) => void;
  /** Set `stop` to end the run after the current transaction. */
  control?: { stop: boolean };
}

export interface KeeperSummary {
  rounds: number;
  liquidations: number;
  writeOffs: number;
  /** Decisions not carried out: unprofitable, no inventory, unpriced, reverted, dropped. */
  skipped: number;
  /** `once`: accounts still liquidatable (or with bad debt) at the end. */
  left: number;
  /** `once`: the run could not complete (e.g. the RPC stayed unreachable). */
  failed?: string;
  /** The exit status for `--once`: 0 all handled, 1 could not run, 2 accounts left. */
  exitCode: number;
}

/** A health factor (bps) as a percentage, ∞ for an account without debt. */
export const pct = (bps: bigint) => (bps === MAX_UINT256 ? "∞" : `${(Number(bps) / 100).toFixed(2)}%`);
const signedUsd = (v: bigint) => (v < 0n ? `-${usd(-v)}` : usd(v));

export async function runKeeper(o: KeeperOptions): Promise<KeeperSummary> {
  const k = new Keeper(o);
  return k.run();
}

class Keeper {
  readonly sum: KeeperSummary = { rounds: 0, liquidations: 0, writeOffs: 0, skipped: 0, left: 0, exitCode: 0 };
  readonly control: { stop: boolean };
  readonly sender?: TxSender;
  #feedState = new Map<string, string>();
  #lowWarned = new Set<string>();
  #last = new Map<string, string>();

  constructor(readonly o: KeeperOptions) {
    this.control = o.control ?? { stop: false };
    if (o.signer && !o.dryRun) this.sender = new TxSender(o.signer, o.provider, { ...o.sender, note: (l) => o.log(`  ${l}`) });
  }

  async run(): Promise<KeeperSummary> {
    const o = this.o;
    let seen = -1;
    let failures = 0;
    const retryMs = o.retryMs ?? 1000;
    let backoff = retryMs;
    while (!this.control.stop) {
      try {
        const head = await o.provider.getBlockNumber();
        if (head === seen && !o.once) {
          await sleep(o.pollMs ?? 500);
          continue;
        }
        await o.book.update(o.provider, o.chain.markets.map((m) => m.market), head);
        const scan = await scanHealth(o.provider, o.chain, o.book.accounts(), { keeper: o.address, blockTag: head, batchCalls: o.batchCalls, marketsOf: (a) => o.book.marketsOf(a) });
        this.sum.rounds++;
        if (this.sum.rounds === 1) {
          o.log(this.inventoryLine(scan, `keeper ${o.address ?? "(no key: dry run)"} watching ${o.book.accounts().length} borrowers from block ${head}`));
          await this.prepare(scan);
        }
        this.feedLines(scan);
        const acted = await this.round(scan);
        o.onRound?.(scan);
        seen = head;
        failures = 0;
        backoff = retryMs;
        if (o.once && (!acted || this.sum.rounds >= (o.maxRounds ?? 10) || o.dryRun)) break;
      } catch (e) {
        failures++;
        const what = isUnreachable(e) ? `rpc unreachable (${messageOf(e).split("\n")[0]})` : `error: ${describeFailure(e, { decoder: MARKETS_DECODER })?.message ?? messageOf(e)}`;
        if (o.once && failures >= (o.maxFailures ?? 5)) {
          o.log(`${what}; giving up after ${failures} attempts`);
          this.sum.failed = what;
          break;
        }
        o.log(`${what}; retrying in ${backoff / 1000} s`);
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 30 * retryMs);
      }
    }
    if (this.control.stop) o.log("stopped");
    if (o.once && !this.sum.failed) await this.countLeft();
    this.sum.exitCode = this.sum.failed ? 1 : this.sum.left > 0 ? 2 : 0;
    return this.sum;
  }

  /** Acts on every liquidatable account of the scan, most profitable first; whether anything was sent and mined. */
  async round(scan: Scan): Promise<boolean> {
    const plans = scan.accounts.map((a) => planAccount(scan, a, { useInventory: !!this.o.address })).filter((p): p is Plan => p !== null);
    plans.sort((a, b) => (gross(b) > gross(a) ? 1 : gross(b) < gross(a) ? -1 : 0));
    this.inventoryWarnings(scan, plans);
    let acted = false;
    for (const plan of plans) {
      if (this.control.stop) break;
      if (plan.kind === "skip") {
        this.sum.skipped++;
        this.decision(scan, plan.account, plan.position, `skip: ${plan.reason}`);
      } else if (plan.kind === "write-off") {
        acted = (await this.writeOff(scan, plan)) || acted;
      } else {
        acted = (await this.liquidate(scan, plan)) || acted;
      }
    }
    return acted;
  }

  /**
   * One decision line. A decision that only repeats the account's previous one (the same skip or
   * dry-run verdict, block after block) is not logged again until it changes.
   */
  decision(scan: Scan, account: string, position: Position | undefined, text: string, repeatable = true): void {
    if (repeatable) {
      const key = text.replace(/[\d,.]+/g, "#");
      if (this.#last.get(account) === key) return;
      this.#last.set(account, key);
    } else this.#last.delete(account);
    this.o.log(`block ${scan.block} account ${account} health ${position ? pct(position.healthBps) : "?"} ${text}`);
  }

  gasUsd(scan: Scan, gasWei: bigint): bigint {
    const p = this.o.nativePrice;
    if ("usd" in p) return collateralValue(gasWei, p.usd);
    const m = scan.markets.find((x) => x.market === p.market);
    return m?.price === undefined ? 0n : collateralValue(gasWei, m.price);
  }

  async liquidate(scan: Scan, p: LiquidationPlan): Promise<boolean> {
    const o = this.o;
    const d = p.debt.info;
    const c = p.collateral.info;
    const what = `liquidate: repay ${formatFlux(p.repay, d.decimals)} ${d.symbol}${p.cutByInventory ? ` (inventory-limited; max ${formatFlux(p.maxRepay, d.decimals)} ${d.symbol})` : ""}` +
      ` seize ${formatFlux(p.seizeAssets, c.decimals)} ${c.symbol} (${usd(p.seizeUsd)} for ${usd(p.repayUsd)})`;
    const data = MARKET.encodeFunctionData("liquidate", [p.account, p.repay, p.collateral.market]);
    const allowance = p.debt.inventory?.allowance ?? 0n;
    let gas: bigint;
    let assumed = false;
    try {
      if (allowance < p.repay && (o.dryRun || !this.sender)) throw new NeedsAllowance();
      if (allowance < p.repay) {
        const ok = await this.approve(scan, p.debt, p);
        if (!ok) return false;
        p.debt.inventory!.allowance = MAX_UINT256;
      }
      gas = await o.provider.estimateGas({ from: o.address, to: p.debt.market, data });
    } catch (e) {
      if (!(e instanceof NeedsAllowance) && !/ERC20Insufficient(Allowance|Balance)/.test(this.reason(e))) {
        if (isUnreachable(e)) throw e;
        this.sum.skipped++;
        this.decision(scan, p.account, p.position, `skip: ${what} would revert: ${this.reason(e)}`);
        return false;
      }
      gas = ASSUMED_LIQUIDATION_GAS;
      assumed = true;
    }
    const fee = await o.provider.getFeeData();
    const gasPrice = fee.gasPrice ?? fee.maxFeePerGas ?? 0n;
    const gasCost = this.gasUsd(scan, gas * gasPrice);
    const net = p.grossUsd - gasCost;
    const profit = `profit ${signedUsd(net)} net of gas ${usd(gasCost)}${assumed ? ` (${gas} gas assumed)` : ""}`;
    if (net < (o.minProfitUsd ?? 0n)) {
      this.sum.skipped++;
      this.decision(scan, p.account, p.position, `skip: ${what}: ${profit} below the minimum ${usd(o.minProfitUsd ?? 0n)}`);
      return false;
    }
    if (o.dryRun || !this.sender) {
      this.decision(scan, p.account, p.position, `would ${what}; ${profit}; dry run: nothing sent`);
      return false;
    }
    const out = await this.sender.send({ to: p.debt.market, data, gasLimit: (gas * 6n) / 5n });
    return this.report(scan, p.account, p.position, what, out, (spent) => `profit ${signedUsd(p.grossUsd - this.gasUsd(scan, spent))} net of gas`, () => this.sum.liquidations++);
  }

  /**
   * Before the first round: lets each market pull the keeper's whole inventory of its asset
   * (`approve` of the maximum), so that a liquidation is one transaction when its block comes.
   */
  async prepare(scan: Scan): Promise<void> {
    if (!this.sender) return;
    for (const m of scan.markets) {
      const inv = m.inventory;
      if (!inv || inv.balance === 0n || inv.allowance >= inv.balance) continue;
      if (await this.approve(scan, m)) inv.allowance = MAX_UINT256;
    }
  }

  async approve(scan: Scan, m: MarketScan, p?: LiquidationPlan): Promise<boolean> {
    const data = ERC20.encodeFunctionData("approve", [m.market, MAX_UINT256]);
    const gas = await this.o.provider.estimateGas({ from: this.o.address, to: m.info.asset, data });
    const out = await this.sender!.send({ to: m.info.asset, data, gasLimit: (gas * 6n) / 5n });
    const what = `approve ${m.info.symbol} to its market ${m.market}`;
    if (p) return this.report(scan, p.account, p.position, what, out, () => "", () => undefined);
    this.o.log(`block ${scan.block} ${what}: ${out.status}${"hash" in out ? ` (tx ${out.hash})` : ""}`);
    return out.status === "mined";
  }

  async writeOff(scan: Scan, p: WriteOffPlan): Promise<boolean> {
    let acted = false;
    for (const m of p.markets) {
      if (this.control.stop) break;
      const what = `write-off: bad debt in ${m.info.symbol} (no collateral left in any market)`;
      const data = MARKET.encodeFunctionData("writeOffBadDebt", [p.account]);
      let gas: bigint;
      try {
        gas = await this.o.provider.estimateGas({ from: this.o.address, to: m.market, data });
      } catch (e) {
        if (isUnreachable(e)) throw e;
        this.sum.skipped++;
        this.decision(scan, p.account, p.position, `skip: ${what} would revert: ${this.reason(e)}`);
        continue;
      }
      if (this.o.dryRun || !this.sender) {
        this.decision(scan, p.account, p.position, `would ${what}; dry run: nothing sent`);
        continue;
      }
      const out = await this.sender.send({ to: m.market, data, gasLimit: (gas * 6n) / 5n });
      acted = this.report(scan, p.account, p.position, what, out, (spent) => `cost ${usd(this.gasUsd(scan, spent))} of gas`, () => this.sum.writeOffs++) || acted;
    }
    return acted;
  }

  report(scan: Scan, account: string, position: Position | undefined, what: string, out: SendOutcome, money: (spentWei: bigint) => string, count: () => void): boolean {
    if (out.status === "mined") {
      count();
      const spent = out.receipt.gasUsed * out.receipt.gasPrice;
      const m = money(spent);
      this.decision(scan, account, position, `${what}; tx ${out.hash} mined in block ${out.receipt.blockNumber}${m ? `; ${m}` : ""}`, false);
      return true;
    }
    this.sum.skipped++;
    if (out.status === "reverted") {
      this.decision(scan, account, position, `FAILED ${what}; tx ${out.hash} reverted in block ${out.receipt.blockNumber} (another keeper may have been first)`, false);
      return true; // the nonce moved on: state changed, look again
    }
    if (out.status === "replaced") {
      this.decision(scan, account, position, `FAILED ${what}; nonce ${out.nonce} was taken by another transaction of this key: not executed`, false);
      return true;
    }
    this.decision(scan, account, position, `FAILED ${what}; dropped: ${out.reason}`, false);
    return false;
  }

  reason(e: unknown): string {
    const data = revertData(e);
    return data !== undefined ? MARKETS_DECODER.decode(data) : (describeFailure(e, { decoder: MARKETS_DECODER })?.message ?? messageOf(e));
  }

  inventoryLine(scan: Scan, head: string): string {
    if (!this.o.address) return head;
    const items = scan.markets.map((m) => `${formatFlux(m.inventory?.balance ?? 0n, m.info.decimals)} ${m.info.symbol}`);
    return `${head}; inventory ${items.join(", ")}`;
  }

  /** A line when a feed's state changes (refused → valid or back), once per change. */
  feedLines(scan: Scan): void {
    for (const m of scan.markets) {
      const now = m.priceError ?? "ok";
      const before = this.#feedState.get(m.market) ?? "ok";
      if (now !== before) this.o.log(now === "ok" ? `block ${scan.block} feed ${m.info.symbol}: the price is valid again` : `block ${scan.block} feed ${m.info.symbol}: price refused: ${now}; accounts owing ${m.info.symbol} cannot be liquidated until it is valid`);
      this.#feedState.set(m.market, now);
    }
  }

  /** Warns, once per asset until it recovers, when the inventory cannot repay what liquidatable accounts owe, or is worth less than the floor. */
  inventoryWarnings(scan: Scan, plans: readonly Plan[]): void {
    if (!this.o.address || this.o.dryRun) return;
    const floor = this.o.lowInventoryUsd ?? 1000n * 10n ** 18n;
    for (const m of scan.markets) {
      const held = m.inventory?.balance ?? 0n;
      const needed = plans.filter((p): p is LiquidationPlan => p.kind === "liquidate" && p.debt.market === m.market).reduce((s, p) => s + p.maxRepay, 0n);
      const worth = m.price === undefined ? floor : collateralValue(held, m.price);
      const low = held < needed || (needed > 0n && worth < floor);
      if (low && !this.#lowWarned.has(m.market)) {
        this.o.log(`block ${scan.block} WARNING inventory low: ${formatFlux(held, m.info.decimals)} ${m.info.symbol} held (${usd(worth)}), ${formatFlux(needed, m.info.decimals)} ${m.info.symbol} needed for the liquidatable accounts`);
        this.#lowWarned.add(m.market);
      } else if (!low) this.#lowWarned.delete(m.market);
    }
  }

  /** `once`: how many accounts are still liquidatable at the head. */
  async countLeft(): Promise<void> {
    try {
      const head = await this.o.provider.getBlockNumber();
      const scan = await scanHealth(this.o.provider, this.o.chain, this.o.book.accounts(), { blockTag: head, batchCalls: this.o.batchCalls, marketsOf: (a) => this.o.book.marketsOf(a) });
      this.sum.left = scan.accounts.filter((a) => !isUnpriced(a.position) && a.position.liquidatable).length;
      if (this.sum.left) this.o.log(`block ${head}: ${this.sum.left} account(s) left liquidatable`);
    } catch (e) {
      this.sum.failed = `rpc: ${messageOf(e)}`;
    }
  }
}

class NeedsAllowance extends Error {}

function gross(p: Plan): bigint {
  return p.kind === "liquidate" ? p.grossUsd : 0n;
}
