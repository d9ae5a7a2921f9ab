/**
 * Facts of Flux's risk model that reports and tools compute from the configured lines.
 */

/**
 * The largest drop of the collateral price a position opened at its borrow limit survives:
 * 1 - liquidationRatio / collateralRatio.
 */
export function bufferOf(collateralRatioBps: number, liquidationRatioBps: number): number {
  return 1 - liquidationRatioBps / collateralRatioBps;
}
