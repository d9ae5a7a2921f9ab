/**
 * The markets gas bench (`npm run bench`) measures what it says: the same operations, twice each,
 * on Flux and on the Compound v2 peer, from the same scenario. No gas targets here: those live
 * in the bench's summary line.
 */
import { expect } from "chai";
import hre from "hardhat";
import { describe, it } from "mocha";
import { loadDeployConfig } from "../src/deploy/config.js";
import { OPERATIONS, runMarketsGasBench } from "../bench/markets-gas.js";

describe("markets gas bench", () => {
  it("measures every operation twice on Flux and on the peer, with positive gas and the same end state", async () => {
    const r = await runMarketsGasBench(hre, await loadDeployConfig("default"));

    const expected = OPERATIONS.flatMap((op) => [`${op}#1`, `${op}#2`]);
    expect([...r.flux.gas.keys()]).to.deep.equal(expected);
    expect([...r.peer.gas.keys()]).to.deep.equal(expected);
    expect(r.rows.map((row) => `${row.operation}#${row.occurrence}`)).to.deep.equal(expected);
    for (const row of r.rows) {
      for (const gas of [row.fluxGas, row.peerGas]) {
        expect(gas > 21_000n, `${row.operation} ${row.occurrence}: ${gas} gas`).to.equal(true);
        expect(gas < 3_000_000n, `${row.operation} ${row.occurrence}: ${gas} gas`).to.equal(true);
      }
      expect(row.ratio).to.equal(Number(row.fluxGas) / Number(row.peerGas));
    }
    // Writing a zero slot costs more: a first deposit creates the balance, a second only grows it.
    const deposit = r.rows.filter((row) => row.operation === "deposit");
    expect(deposit[0]!.fluxGas > deposit[1]!.fluxGas).to.equal(true);
    expect(deposit[0]!.peerGas > deposit[1]!.peerGas).to.equal(true);

    // Same scenario on both: the borrower ends with the same debt (interest differs by wei-level
    // per-second vs per-block accrual) and the same collateral (same incentive, same prices).
    const abs = (x: bigint) => (x < 0n ? -x : x);
    expect(abs(r.flux.end.debt - r.peer.end.debt) < 10n ** 6n, "debts differ by 1 USDT or more").to.equal(true);
    expect(abs(r.flux.end.collateral - r.peer.end.collateral) < 10n ** 15n, "collateral differs by 0.001 WETH or more").to.equal(true);
    expect(r.peer.extras.size).to.equal(1); // Compound's enterMarkets
  });
});
