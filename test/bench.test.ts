/**
 * The markets gas bench (`npm run bench`) measures what it says: the same operations, twice each,
 * on Flux, on the Compound v2 (Venus) peer and on the Aave v3 peer, from the same scenario. No gas targets here: those live
 * in the bench's summary line.
 */
import { expect } from "chai";
import hre from "hardhat";
import { describe, it } from "mocha";
import { loadDeployConfig } from "../src/deploy/config.js";
import { OPERATIONS, runMarketsGasBench } from "../bench/markets-gas.js";

describe("markets gas bench", () => {
  it("measures every operation twice on Flux and on both peers, with positive gas and the same end state", async () => {
    const r = await runMarketsGasBench(hre, await loadDeployConfig("default"));

    const expected = OPERATIONS.flatMap((op) => [`${op}#1`, `${op}#2`]);
    expect([...r.flux.gas.keys()]).to.deep.equal(expected);
    expect([...r.venus.gas.keys()]).to.deep.equal(expected);
    expect([...r.aave.gas.keys()]).to.deep.equal(expected);
    expect(r.rows.map((row) => `${row.operation}#${row.occurrence}`)).to.deep.equal(expected);
    for (const row of r.rows) {
      for (const gas of [row.fluxGas, row.venusGas, row.aaveGas]) {
        expect(gas > 21_000n, `${row.operation} ${row.occurrence}: ${gas} gas`).to.equal(true);
        expect(gas < 3_000_000n, `${row.operation} ${row.occurrence}: ${gas} gas`).to.equal(true);
      }
      expect(row.venusRatio).to.equal(Number(row.fluxGas) / Number(row.venusGas));
      expect(row.aaveRatio).to.equal(Number(row.fluxGas) / Number(row.aaveGas));
      expect(row.met).to.equal(row.fluxGas <= row.venusGas && row.fluxGas <= row.aaveGas);
    }
    // Writing a zero slot costs more: a first deposit creates the balance, a second only grows it.
    const deposit = r.rows.filter((row) => row.operation === "deposit");
    expect(deposit[0]!.fluxGas > deposit[1]!.fluxGas).to.equal(true);
    expect(deposit[0]!.venusGas > deposit[1]!.venusGas).to.equal(true);
    expect(deposit[0]!.aaveGas > deposit[1]!.aaveGas).to.equal(true);

    // Same scenario on all three: the borrower ends with the same debt (interest differs by
    // wei-level: per-second vs per-block, linear vs compounded accrual) and the same collateral
    // (same incentive, within Aave's basis-point bonus, same prices).
    const abs = (x: bigint) => (x < 0n ? -x : x);
    for (const [name, peer] of [["Venus", r.venus], ["Aave", r.aave]] as const) {
      expect(abs(r.flux.end.debt - peer.end.debt) < 10n ** 6n, `${name}: debts differ by 1 USDT or more`).to.equal(true);
      expect(abs(r.flux.end.collateral - peer.end.collateral) < 10n ** 15n, `${name}: collateral differs by 0.001 WETH or more`).to.equal(true);
    }
    expect(r.venus.extras.size).to.equal(1); // Compound's enterMarkets
    expect(r.aave.extras.size).to.equal(0); // Aave: a first supply is collateral
  });
});
