/**
 * The TypeScript twin of the markets' position and liquidation arithmetic: the controller's
 * `accountPosition`, `liquidationSeize` and `maxLiquidation` (contracts/markets/FluxController.sol)
 * over the pure functions of contracts/markets/libraries/PositionMath.sol and the market's share
 * conversion (`convertToShares`, `accountSnapshot`), computed from values read once per scan, with
 * the contracts' own rounding: debt value and the liquidation line round up, collateral value,
 * borrow limit and seized collateral round down, a repayment priced back from collateral rounds up.
 *
 * The keeper decides from it, so that one batched read of every market and account is enough to
 * price every liquidation of a block; `test/markets.liquidation.test.ts` checks it, result for
 * result, against the deployed contracts on random positions.
 */
import { MAX_UINT256 } from "../core/amounts.js";

/** 100% in basis points. */
export const BPS = 10_000n;
const WAD = 10n ** 18n;


/** `a * b / d`, rounded down or up (OpenZeppelin's Math.mulDiv; exact on bigint). */
export function mulDiv(a: bigint, b: bigint, d: bigint, up = false): bigint {
  const p = a * b;
  const q = p / d;
  return up && q * d !== p ? q + 1n : q;
}

/** What the controller's parameters are (riskParameters()). */
export interface RiskParameters {
  liquidationRatioBps: bigint;
  priceFactorBps: bigint;
  closeFactorBps: bigint;
  minDebtValue: bigint;
}

/**
 * One market as the scan read it, interest accrued to the block read: its totals (for share
 * conversion), its collateral ratio, and its oracle price (`undefined` when the oracle refuses
 * it: a stale, invalid or missing feed).
 */
export interface MarketFigures {
  market: string;
  totalAssets: bigint;
  totalShares: bigint;
  collateralRatioBps: bigint;
  price: bigint | undefined;
}

/** An account's holding in one market: `accountSnapshot` (supplied, rounded down; debt, rounded up) and `sharesOf`. */
export interface Holding {
  supplied: bigint;
  debt: bigint;
  shares: bigint;
}

/** The controller's AccountPosition. */
export interface Position {
  collateralValue: bigint;
  debtValue: bigint;
  borrowLimitValue: bigint;
  liquidationValue: bigint;
  healthBps: bigint;
  borrowAllowed: boolean;
  liquidatable: boolean;
}

/** A position that cannot be valued: a market where the account owes has no valid price (the controller reverts). */
export interface Unpriced {
  unpricedMarket: string;
}

/** collateralValue / debtValue of PositionMath: USD (18 decimals) of `amount` at `price`. */
export const collateralValue = (amount: bigint, price: bigint) => (amount * price) / WAD;
export const debtValue = (amount: bigint, price: bigint) => mulDiv(amount, price, WAD, true);

/**
 * The controller's `_positionAndRead` over `markets` (listing order) and the account's holdings
 * (same order): its position, or which market's missing price makes the controller revert.
 * A supply-only market without a valid price is valued at zero, as the contract does.
 */
export function positionOf(markets: readonly MarketFigures[], holdings: readonly Holding[], risk: RiskParameters): Position | Unpriced {
  let collateral = 0n;
  let debt = 0n;
  let limit = 0n;
  for (let i = 0; i < markets.length; i++) {
    const m = markets[i]!;
    const h = holdings[i]!;
    if (h.supplied === 0n && h.debt === 0n) continue;
    if (h.debt > 0n && m.price === undefined) return { unpricedMarket: m.market };
    const price = m.price ?? 0n;
    if (h.supplied > 0n) {
      const value = collateralValue(h.supplied, price);
      collateral += value;
      limit += (value * BPS) / m.collateralRatioBps;
    }
    if (h.debt > 0n) debt += debtValue(h.debt, price);
  }
  return finish(collateral, debt, limit, risk.liquidationRatioBps);
}

export const isUnpriced = (p: Position | Unpriced): p is Unpriced => "unpricedMarket" in p;

/** PositionMath.finish. */
function finish(collateral: bigint, debt: bigint, limit: bigint, liquidationRatioBps: bigint): Position {
  const liquidationValue = mulDiv(debt, liquidationRatioBps, BPS, true);
  return {
    collateralValue: collateral,
    debtValue: debt,
    borrowLimitValue: limit,
    liquidationValue,
    healthBps: debt === 0n ? MAX_UINT256 : (collateral * BPS) / debt,
    borrowAllowed: debt <= limit,
    liquidatable: debt > 0n && collateral < liquidationValue,
  };
}

/** PositionMath.maxRepay: the close factor of `debt`, or all of it for a dust or under-water position. */
export function maxRepay(p: Position, debt: bigint, risk: RiskParameters): bigint {
  const dust = p.debtValue <= 2n * risk.minDebtValue;
  const underWater = p.collateralValue * risk.priceFactorBps < p.debtValue * BPS;
  return dust || underWater ? debt : (debt * risk.closeFactorBps) / BPS;
}

/** PositionMath.seizePrice: 1 / price factor, or collateral / debt for a solvent position with a thin cushion. */
export function seizePrice(p: Position, priceFactorBps: bigint): { num: bigint; den: bigint } {
  const thin = p.collateralValue >= p.debtValue && p.collateralValue * priceFactorBps < p.debtValue * BPS;
  return thin ? { num: p.collateralValue, den: p.debtValue } : { num: BPS, den: priceFactorBps };
}

/** The market's convertToShares (rounded down). */
export function toShares(m: MarketFigures, assets: bigint): bigint {
  if (m.totalShares === 0n) return assets;
  if (m.totalAssets === 0n) return 0n;
  return mulDiv(assets, m.totalShares, m.totalAssets);
}

/** The market's share-to-asset conversion, rounded down (what a seized share withdraws). */
export function toAssets(m: MarketFigures, shares: bigint): bigint {
  if (m.totalShares === 0n) return shares;
  return mulDiv(shares, m.totalAssets, m.totalShares);
}

/** A liquidation the controller would accept: repay `repay` of the debt market, seize `seizeShares` of the collateral market. */
export interface Quote {
  repay: bigint;
  seizeShares: bigint;
}

/** Why {@link quoteLiquidation} refuses: the controller's error for the same call. */
export type Refusal =
  | { error: "ControllerNotLiquidatable" }
  | { error: "ControllerRepayTooLarge"; maxRepay: bigint }
  | { error: "ControllerSeizeTooLarge"; seizeShares: bigint; available: bigint }
  | { error: "MarketZeroAmount" };

export interface PairInput {
  position: Position;
  risk: RiskParameters;
  debtMarket: MarketFigures;
  collateralMarket: MarketFigures;
  /** The borrower's holding in the debt market and in the collateral market. */
  debtHolding: Holding;
  collateralHolding: Holding;
}

function seizeShares(x: PairInput, repay: bigint): bigint {
  const { num, den } = seizePrice(x.position, x.risk.priceFactorBps);
  const assets = mulDiv(repay * x.debtMarket.price!, num, den * x.collateralMarket.price!);
  return toShares(x.collateralMarket, assets);
}

/** The controller's `liquidationSeize(debtMarket, collateralMarket, borrower, repay)`: the shares seized, or the refusal. */
export function quoteLiquidation(x: PairInput, repay: bigint): Quote | Refusal {
  if (repay === 0n) return { error: "MarketZeroAmount" };
  if (!x.position.liquidatable) return { error: "ControllerNotLiquidatable" };
  const max = maxRepay(x.position, x.debtHolding.debt, x.risk);
  if (repay > max) return { error: "ControllerRepayTooLarge", maxRepay: max };
  let shares = seizeShares(x, repay);
  const available = x.collateralHolding.shares;
  if (shares > available) {
    if (seizeShares(x, repay - 1n) >= available) return { error: "ControllerSeizeTooLarge", seizeShares: shares, available };
    shares = available;
  }
  return { repay, seizeShares: shares };
}

/** The controller's `maxLiquidation(borrower, debtMarket, collateralMarket)`: (0, 0) when not liquidatable. */
export function maxLiquidation(x: PairInput): Quote {
  if (!x.position.liquidatable) return { repay: 0n, seizeShares: 0n };
  let repay = maxRepay(x.position, x.debtHolding.debt, x.risk);
  const available = x.collateralHolding.shares;
  let shares = seizeShares(x, repay);
  if (shares > available) {
    // _repayForAllShares: the least underlying that converts to all the shares, priced back, rounded up
    let assets = x.collateralHolding.supplied;
    if (toShares(x.collateralMarket, assets) < available) assets++;
    const { num, den } = seizePrice(x.position, x.risk.priceFactorBps);
    repay = mulDiv(assets * den, x.collateralMarket.price!, x.debtMarket.price! * num, true);
    shares = available;
  }
  return { repay, seizeShares: shares };
}

export const isRefusal = (q: Quote | Refusal): q is Refusal => "error" in q;
