/**
 * The ABIs the operator tools call the contracts through. Where a compiled interface exists
 * (IFluxMarket, IEmissionSchedule, IRewardsDistributor) the tools take its ABI from the build
 * (typechain's copy), so a change of the contract changes the tools; here every fragment of it is
 * checked against the deployed contract's compiled ABI, so the concrete contract still implements
 * its interface exactly. The remaining hand-written fragments (the FLUX token's votes, read by the
 * Snapshot tools) must equally be exactly the compiled contract's (name, types, indexed flags,
 * output names): a change to a contract that the tools would silently misread fails here.
 */
import { expect } from "chai";
import hre from "hardhat";
import { describe, it } from "mocha";
import { Interface, type Fragment } from "ethers";
import { DISTRIBUTOR_ABI } from "../src/emissions/commands.js";
import { SCHEDULE_ABI } from "../src/emissions/epoch.js";
import { SCHEDULE_VIEWS_ABI } from "../src/emissions/schedule.js";
import { MARKET_EVENTS, SCHEDULE_EVENTS } from "../src/emissions/events.js";
import { VOTES_ABI } from "../src/snapshot/power.js";
import { IFluxController__factory } from "../types/ethers-contracts/factories/contracts/markets/interfaces/IFluxController__factory.js";
import { IFluxMarket__factory } from "../types/ethers-contracts/factories/contracts/markets/interfaces/IFluxMarket__factory.js";
import { IFluxOracle__factory } from "../types/ethers-contracts/factories/contracts/markets/interfaces/IFluxOracle__factory.js";
import { IFluxRiskSteward__factory } from "../types/ethers-contracts/factories/contracts/markets/interfaces/IFluxRiskSteward__factory.js";

const cases: [string, Interface][] = [
  ["FluxMarket", MARKET_EVENTS],
  ["EmissionSchedule", SCHEDULE_EVENTS],
  ["EmissionSchedule", new Interface(SCHEDULE_ABI)],
  ["EmissionSchedule", new Interface(SCHEDULE_VIEWS_ABI)],
  ["RewardsDistributor", new Interface(DISTRIBUTOR_ABI)],
  ["FluxToken", new Interface(VOTES_ABI)],
  // The markets' interfaces as a whole: each concrete contract implements its interface exactly.
  ["FluxMarket", new Interface(IFluxMarket__factory.abi)],
  ["FluxController", new Interface(IFluxController__factory.abi)],
  ["FluxOracle", new Interface(IFluxOracle__factory.abi)],
  ["FluxRiskSteward", new Interface(IFluxRiskSteward__factory.abi)],
];

const full = (f: Fragment) => f.format("full");

describe("the ABIs the tools use", () => {
  for (const [contract, ours] of cases) {
    it(`match ${contract}'s compiled ABI (${ours.fragments.length} fragments)`, async () => {
      const compiled = new Interface((await hre.artifacts.readArtifact(contract)).abi as never);
      for (const f of ours.fragments) {
        const name = (f as Fragment & { name: string }).name;
        const match =
          f.type === "event" ? compiled.getEvent(name) : f.type === "error" ? compiled.getError(name) : compiled.getFunction(name);
        expect(match, `${contract}.${name} exists`).to.not.equal(null);
        expect(full(f), `${contract}.${name}`).to.equal(full(match!));
      }
    });
  }
});
