/**
 * `emissions status --all | --networks`: each chain's EmissionSchedule is independent, so the
 * status reads every chain's schedule from its own chain and warns when they disagree (rate,
 * decline, chain weights) or when the chains' own base shares add up to more than a day of the
 * configured rate. Two in-process chains (Conflux eSpace 1030, BNB Chain 56) deployed through the
 * real deployment path.
 */
import { expect } from "chai";
import hre from "hardhat";
import { before, describe, it } from "mocha";
import "./helpers/chai.js";
import { loadDeployConfig } from "../src/deploy/config.js";
import { deployFlux, type FluxDeployment } from "../src/deploy/deploy.js";
import { syncClocks } from "../src/deploy/local.js";
import { crossChainStatus } from "../src/emissions/commands.js";
import { chainConfig } from "../demo/start.js";
import { flux } from "./helpers/fixture.js";
import type { Connection } from "../src/core/types.js";

describe("emissions status across chains", () => {
  const chains: { name: string; conn: Connection; d: FluxDeployment }[] = [];
  const status = () => crossChainStatus(chains.map((c) => ({ manifest: c.d.manifest, provider: c.conn.ethers.provider })));
  /** Runs `fn` as chain `i`'s Timelock (the schedule's owner), as an executed proposal would. */
  async function asTimelock(i: number, fn: (schedule: FluxDeployment["emissions"] & object) => Promise<unknown>) {
    const c = chains[i]!;
    const timelock = c.d.manifest.contracts.timelock;
    await c.conn.networkHelpers.impersonateAccount(timelock);
    await c.conn.networkHelpers.setBalance(timelock, flux(1));
    const e = c.d.emissions!;
    await fn({ ...e, schedule: e.schedule.connect(await c.conn.ethers.getSigner(timelock)) });
  }

  before(async () => {
    const base = await loadDeployConfig("default");
    const conns = await Promise.all([1030, 56].map((chainId) => hre.network.create({ network: "default", override: { chainId } })));
    const start = await syncClocks(conns);
    for (const [i, [name, chainId]] of ([["conflux-local", 1030], ["bsc-local", 56]] as const).entries()) {
      const cfg = { ...chainConfig(base, chainId, start), markets: undefined };
      chains.push({ name, conn: conns[i]!, d: await deployFlux(hre, conns[i]!, cfg, { manifestDir: null, networkName: name }) });
    }
    await syncClocks(conns, { after: 3600 });
  });

  it("reports every chain's rate, weights and own share, and no warning when the schedules agree", async () => {
    const { lines, warnings } = await status();
    expect(warnings).to.deep.equal([]);
    expect(lines.join("\n")).to.match(/conflux-local \(schedule id 1030\): 20,000 FLUX a day, weights \(bps\) 1030: 3333\.33, 56: 3333\.33, 128: 3333\.33; gives itself 6,666\.66/);
    expect(lines.join("\n")).to.match(/bsc-local \(schedule id 56\): 20,000 FLUX a day/);
    expect(lines.join("\n")).to.match(/together the chains' own schedules give them 13,333\.33\d* FLUX in the next 24 h; the lowest configured day is 19,999\.99\d* FLUX/);
  });

  it("warns, naming both chains, when one chain's weights differ and the own shares add up past the daily rate", async () => {
    await asTimelock(1, async (e) => (await e.schedule.setChainWeightsBps([1030n, 56n, 128n], [1000n, 8000n, 1000n])).wait());
    const { warnings } = await status();
    expect(warnings).to.have.length(2);
    expect(warnings[0]).to.match(/^WARNING: conflux-local and bsc-local disagree on the chain weights: chain 1030 3333\.33 vs 1000\.00 bps, chain 56 3333\.33 vs 8000\.00 bps, chain 128 3333\.33 vs 1000\.00 bps$/);
    // bsc gives itself 16,000 a day, conflux still 6,666.66: 22,666.66 > 20,000
    expect(warnings[1]).to.match(/^WARNING: the chains' own schedules together emit 22,666\.66\d* FLUX in the next 24 h, more than the 19,999\.99\d* FLUX a day configured .*: conflux-local 6,666\.66\d*, bsc-local 16,000$/);
  });

  it("warns when two chains disagree on the rate", async () => {
    await asTimelock(1, async (e) => (await e.schedule.setEqualChainWeights([1030n, 56n, 128n])).wait());
    await asTimelock(0, async (e) => (await e.schedule.setEmissionRate(flux(30_000), 0n)).wait());
    const { warnings } = await status();
    expect(warnings).to.deep.equal([
      "WARNING: conflux-local and bsc-local disagree on the base rate: 30,000 (decline 0) vs 20,000 (decline 0) FLUX a day",
    ]);
  });

  it("refuses fewer than two deployments with emissions", async () => {
    await expect(crossChainStatus([{ manifest: chains[0]!.d.manifest, provider: chains[0]!.conn.ethers.provider }]))
      .to.be.rejectedWith(/needs at least two deployments with emissions \(got conflux-local\)/);
  });
});
