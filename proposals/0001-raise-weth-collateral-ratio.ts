/**
 * Proposal 0001: a wider buffer for ETH collateral on every chain that lists WETH. It targets the
 * devnet's three chains (`npm run devnet`), so it can be simulated, exported and submitted as is:
 * `npx hardhat proposal simulate proposals/0001-raise-weth-collateral-ratio.ts`
 * A proposal for the real chains lists their networks instead (e.g. "conflux", "bsc").
 */
import { defineProposal } from "../src/proposals/define.js";

export default defineProposal({
  title: "Raise the WETH collateral ratio to 150% and tighten its caps",
  rationale:
    "ETH volatility is up. At 150% a position at its borrow limit survives a 26.7% drop before the 110% liquidation line " +
    "(21.4% at 140%). Caps are cut to limit exposure while the ratio applies.",
  networks: ["devnet-conflux", "devnet-bsc", "devnet-heco"],
  actions: [
    { kind: "setCollateralRatio", market: "WETH", bps: 15_000 },
    { kind: "setCaps", market: "WETH", supplyCap: "40000", borrowCap: "15000" },
  ],
});
