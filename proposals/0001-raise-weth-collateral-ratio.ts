/**
 * Proposal 0001: a wider buffer for ETH collateral on every chain that lists WETH.
 * `npx hardhat proposal simulate proposals/0001-raise-weth-collateral-ratio.ts`
 */
import { defineProposal } from "../src/proposals/define.js";

export default defineProposal({
  title: "Raise the WETH collateral ratio to 150% and tighten its caps",
  rationale:
    "ETH volatility is up. At 150% a position at its borrow limit survives a 26.7% drop before the 110% liquidation line " +
    "(21.4% at 140%). Caps are cut to limit exposure while the ratio applies.",
  networks: ["default"],
  actions: [
    { kind: "setCollateralRatio", market: "WETH", bps: 15_000 },
    { kind: "setCaps", market: "WETH", supplyCap: "40000", borrowCap: "15000" },
  ],
});
