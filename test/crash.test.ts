/**
 * The crash replay (`npm run crash`) on the real contracts: Flux's buffer between the borrow line
 * and the liquidation line holds exactly as designed, and Compound-style lines liquidate earlier.
 */
import { expect } from "chai";
import hre from "hardhat";
import { before, describe, it } from "mocha";
import { loadDeployConfig, type DeployConfig } from "../src/deploy/config.js";
import { renderCrash } from "../reports/crash.js";
import { APRIL_2021, COMPOUND_LINES, FLUX_LINES, replayCrash, type Lines, type Scenario } from "../demo/crash.js";
import { bufferOf } from "../src/markets/risk.js";

const drop = (pct: number): Scenario => ({
  name: `drop-${pct}`,
  description: `-${pct}% at once`,
  path: [{ t: 0, factor: 1 }, { t: 60, factor: 1 - pct / 100 }],
});
const withRatio = (bps: number): Lines => ({ ...FLUX_LINES, name: `${bps / 100}%`, wethCollateralRatioBps: bps });

describe("crash replay", () => {
  let cfg: DeployConfig;
  before(async () => {
    cfg = await loadDeployConfig("default");
  });

  it("computes the buffers of the design: 15.4% for 130% and 21.4% for 140%", () => {
    expect(Math.abs(bufferOf(13_000, 11_000) - 0.1538)).to.be.lessThan(0.0001);
    expect(Math.abs(bufferOf(14_000, 11_000) - 0.2143)).to.be.lessThan(0.0001);
  });

  for (const [ratio, survives, dies] of [[13_000, 15.3, 15.5], [14_000, 21.3, 21.5]] as const) {
    it(`a position at its limit with a ${ratio / 100}% ratio survives a ${survives}% drop and is liquidated at ${dies}%`, async () => {
      const ok = await replayCrash(hre, cfg, drop(survives), withRatio(ratio), { positions: 2 });
      expect(ok.liquidations).to.equal(0);
      const hit = await replayCrash(hre, cfg, drop(dies), withRatio(ratio), { positions: 2 });
      expect(hit.liquidatedPositions).to.equal(2);
      expect(hit.badDebtUsd).to.equal(0n);
    });
  }

  it("April 2021: Flux's lines liquidate only after the whole -21.8%, Compound-style lines from the first -8%", async () => {
    const flux = await replayCrash(hre, cfg, APRIL_2021, FLUX_LINES, { positions: 3 });
    const compound = await replayCrash(hre, cfg, APRIL_2021, COMPOUND_LINES, { positions: 3 });
    // (hardhat's chai matchers make closeTo integer-only, so compare differences)
    expect(Math.abs(flux.firstLiquidationAt! - 0.782)).to.be.lessThan(1e-9);
    expect(Math.abs(compound.firstLiquidationAt! - 0.92)).to.be.lessThan(1e-9);
    expect(flux.liquidations).to.be.lessThan(compound.liquidations);
    expect(flux.repaidUsd).to.be.lessThan(compound.repaidUsd);
    expect(flux.badDebtUsd).to.equal(0n);
    // the liquidator never receives more than repaid / 0.97 at the oracle price
    expect(flux.seizedUsd * 9_700n).to.be.lessThanOrEqual(flux.repaidUsd * 10_000n);
    // step by step: Flux liquidates nobody at -8%, Compound-style lines everyone
    expect(flux.steps.map((s) => s.liquidatedPositions)).to.deep.equal([0, 0, 3]);
    expect(compound.steps.map((s) => s.liquidatedPositions)).to.deep.equal([0, 3, 3]);
    expect(flux.steps.map((s) => s.t)).to.deep.equal(APRIL_2021.path.map((p) => p.t));

    // the report: the table, and a page with the price path and both liquidation curves
    const { text, html } = renderCrash([flux, compound]);
    expect(text).to.match(/april-2021 +\| Flux \(140% \/ 110% \/ 97%\)/);
    expect(html.match(/<svg /g)).to.have.length(2);
    expect(html).to.include("liquidated: " + FLUX_LINES.name);
    expect(html).to.include("liquidated: " + COMPOUND_LINES.name);
  });
});
