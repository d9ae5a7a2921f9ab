/**
 * Upgrades happen only through a passed proposal, and hardhat-upgrades checks the storage layout
 * of a new implementation against the deployed one before governance ever sees it.
 */
import { expect } from "chai";
import { before, describe, it } from "mocha";
import { upgradeAction } from "../src/governance/upgrades.js";
import { flux, governanceFixture, pass, type Fixture, useFixture } from "./helpers/fixture.js";
import type { Action } from "../src/core/types.js";

describe("upgrades through governance", () => {
  const suite = useFixture(governanceFixture);
  const load = () => suite.load();
  const passUpgrade = (f: Fixture, action: Action, description: string) => pass(suite.env, f, [action], description);

  it("upgrades the token by proposal, keeping balances, votes and allowances", async () => {
    const f = await load();
    const token = await f.token.getAddress();
    const action = await upgradeAction(f.upgrades, suite.env.conn.ethers, token, "FluxTokenV2");
    expect(action.summary).to.match(/upgrade .* to FluxTokenV2/);
    await passUpgrade(f, action, "Upgrade FLUX token to V2");
    const v2 = await suite.env.conn.ethers.getContractAt("FluxTokenV2", token);
    expect(await v2.implementationVersion()).to.equal(2n);
    expect(await v2.balanceOf(f.alice.address)).to.equal(flux(4_000_000));
    expect(await v2.getVotes(f.bob.address)).to.equal(flux(3_000_000));
    expect(await v2.owner()).to.equal(await f.timelock.getAddress());
  });

  it("upgrades the Governor by proposal, keeping its settings", async () => {
    const f = await load();
    const governor = await f.governor.getAddress();
    const action = await upgradeAction(f.upgrades, suite.env.conn.ethers, governor, "FluxGovernorV2");
    await passUpgrade(f, action, "Upgrade the Governor to V2");
    const v2 = await suite.env.conn.ethers.getContractAt("FluxGovernorV2", governor);
    expect(await v2.implementationVersion()).to.equal(2n);
    expect(await v2.votingPeriod()).to.equal(259_200n);
    expect(await v2.proposalGuardian()).to.equal(f.guardian.address);
  });

  it("refuses a layout-breaking implementation before any proposal is built", async () => {
    const f = await load();
    await expect(
      upgradeAction(f.upgrades, suite.env.conn.ethers, await f.token.getAddress(), "FluxTokenBadLayout"),
    ).to.be.rejectedWith(/New storage layout is incompatible[\s\S]*Inserted `totalMinted`/);
  });

  it("refuses a direct upgrade of a proxy by anyone but the Timelock, even with a valid implementation", async () => {
    const f = await load();
    const token = await f.token.getAddress();
    const action = await upgradeAction(f.upgrades, suite.env.conn.ethers, token, "FluxTokenV2");
    await expect(f.deployer.sendTransaction({ to: token, data: action.calldata })).to.be.revertedWithCustomError(
      f.token,
      "OwnableUnauthorizedAccount",
    );
  });
});
