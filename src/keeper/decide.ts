/**
 * What to do about one account of a scan, decided from the scan alone (no RPC): nothing (it is
 * healthy), a write-off of its bad debt (debt left and no collateral in any market), a skip with
 * its reason, or the liquidation that pays the most: for every market where it owes and every
 * market where it holds collateral with a valid price, the controller's `maxLiquidation` (by its
 * twin), cut to the keeper's inventory of the debt asset, valued at oracle prices with the
 * contracts' rounding. Gas is priced later, by the keeper, from the node's estimate.
 */
import { formatFlux } from "../core/format.js";
import {
  collateralValue,
  debtValue,
  isRefusal,
  isUnpriced,
  maxLiquidation,
  quoteLiquidation,
  toAssets,
  type PairInput,
  type Position,
} from "../markets/liquidation.js";
import type { AccountScan, MarketScan, Scan } from "./scan.js";

/** The best liquidation of an account. */
export interface LiquidationPlan {
  kind: "liquidate";
  account: string;
  position: Position;
  debt: MarketScan;
  collateral: MarketScan;
  /** Underlying of the debt market repaid, and the largest repayment the controller allows (before the inventory cut). */
  repay: bigint;
  maxRepay: bigint;
  seizeShares: bigint;
  /** Underlying the seized shares are worth now (rounded down). */
  seizeAssets: bigint;
  /** USD (18 decimals): what is repaid (rounded up), what is seized (rounded down), and the difference. */
  repayUsd: bigint;
  seizeUsd: bigint;
  grossUsd: bigint;
  /** Whether the keeper's inventory of the debt asset cut the repayment. */
  cutByInventory: boolean;
}

export interface WriteOffPlan {
  kind: "write-off";
  account: string;
  position: Position;
  /** The markets where the account still owes. */
  markets: MarketScan[];
}

export interface SkipPlan {
  kind: "skip";
  account: string;
  position?: Position;
  reason: string;
}

export type Plan = LiquidationPlan | WriteOffPlan | SkipPlan;

/** The plan for one scanned account, or `null` when it is not liquidatable. */
export function planAccount(scan: Scan, a: AccountScan, o: { useInventory: boolean }): Plan | null {
  const markets = scan.markets;
  const owes = markets.filter((_, i) => a.holdings[i]!.debt > 0n);
  if (owes.length === 0) return null;
  if (isUnpriced(a.position)) {
    const m = markets.find((x) => x.market === (a.position as { unpricedMarket: string }).unpricedMarket)!;
    return { kind: "skip", account: a.account, reason: `cannot value the position: the ${m.info.symbol} price is refused (${m.priceError ?? "no price"})` };
  }
  const position = a.position;
  if (!position.liquidatable) return null;
  if (a.holdings.every((h) => h.shares === 0n)) return { kind: "write-off", account: a.account, position, markets: owes };
  let best: LiquidationPlan | undefined;
  const shortOf: string[] = [];
  const unpricedCollateral: string[] = [];
  markets.forEach((debt, d) => {
    if (a.holdings[d]!.debt === 0n) return;
    markets.forEach((collateral, c) => {
      if (a.holdings[c]!.shares === 0n) return;
      if (collateral.price === undefined) {
        unpricedCollateral.push(`${collateral.info.symbol} (${collateral.priceError ?? "no price"})`);
        return;
      }
      const x: PairInput = { position, risk: scan.risk, debtMarket: debt, collateralMarket: collateral, debtHolding: a.holdings[d]!, collateralHolding: a.holdings[c]! };
      const max = maxLiquidation(x);
      if (max.repay === 0n) return;
      let q = max;
      const held = debt.inventory?.balance ?? 0n;
      const cut = o.useInventory && held < max.repay;
      if (cut) {
        if (held === 0n) {
          shortOf.push(`${debt.info.symbol} (needs ${formatFlux(max.repay, debt.info.decimals)})`);
          return;
        }
        const quoted = quoteLiquidation(x, held);
        if (isRefusal(quoted)) return;
        q = quoted;
      }
      const seizeAssets = toAssets(collateral, q.seizeShares);
      const repayUsd = debtValue(q.repay, debt.price!);
      const seizeUsd = collateralValue(seizeAssets, collateral.price);
      const plan: LiquidationPlan = {
        kind: "liquidate",
        account: a.account,
        position,
        debt,
        collateral,
        repay: q.repay,
        maxRepay: max.repay,
        seizeShares: q.seizeShares,
        seizeAssets,
        repayUsd,
        seizeUsd,
        grossUsd: seizeUsd - repayUsd,
        cutByInventory: cut,
      };
      if (!best || plan.grossUsd > best.grossUsd) best = plan;
    });
  });
  if (best) return best;
  if (shortOf.length) return { kind: "skip", account: a.account, position, reason: `no inventory to repay: ${[...new Set(shortOf)].join(", ")}` };
  if (unpricedCollateral.length) return { kind: "skip", account: a.account, position, reason: `its collateral cannot be priced: ${[...new Set(unpricedCollateral)].join(", ")}` };
  return { kind: "skip", account: a.account, position, reason: "no pair of markets the controller would accept" };
}
