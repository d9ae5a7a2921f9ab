/**
 * Plain-words formatting of market positions and parameters, shared by `npm start` and
 * `npm run crash`.
 */
import type { FluxController } from "../../types/ethers-contracts/index.js";
import { bpsToPercent, usd } from "../core/format.js";

export interface PositionLine {
  collateral: string;
  limit: string;
  debt: string;
  health: string;
  state: "safe" | "over limit" | "LIQUIDATABLE";
}

export async function describePosition(controller: FluxController, account: string): Promise<PositionLine> {
  const p = await controller.accountPosition(account);
  const health = p.debtValue === 0n ? "∞" : bpsToPercent(p.healthBps);
  return {
    collateral: usd(p.collateralValue),
    limit: usd(p.borrowLimitValue),
    debt: usd(p.debtValue),
    health,
    state: p.liquidatable ? "LIQUIDATABLE" : p.borrowAllowed ? "safe" : "over limit",
  };
}

export function positionText(p: PositionLine): string {
  return `collateral ${p.collateral}, borrow limit ${p.limit}, debt ${p.debt}, health ${p.health} → ${p.state}`;
}
