/**
 * The operator tools call the contracts through small human-readable ABI fragments, so they run
 * without compiled artifacts. Each fragment must be exactly the compiled contract's (name, types,
 * indexed flags, output names): a change to a contract that the tools would silently misread
 * fails here.
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

const cases: [string, Interface][] = [
  ["FluxMarket", MARKET_EVENTS],
  ["EmissionSchedule", SCHEDULE_EVENTS],
  ["EmissionSchedule", new Interface(SCHEDULE_ABI)],
  ["EmissionSchedule", new Interface(SCHEDULE_VIEWS_ABI)],
  ["RewardsDistributor", new Interface(DISTRIBUTOR_ABI)],
  ["FluxToken", new Interface(VOTES_ABI)],
];

const full = (f: Fragment) => f.format("full");

describe("hand-written ABI fragments", () => {
  for (const [contract, ours] of cases) {
    it(`match ${contract}'s compiled ABI (${ours.fragments.length} fragments)`, async () => {
      const compiled = new Interface((await hre.artifacts.readArtifact(contract)).abi as never);
      for (const f of ours.fragments) {
        const name = (f as Fragment & { name: string }).name;
        const match = f.type === "event" ? compiled.getEvent(name) : compiled.getFunction(name);
        expect(match, `${contract}.${name} exists`).to.not.equal(null);
        expect(full(f), `${contract}.${name}`).to.equal(full(match!));
      }
    });
  }
});
