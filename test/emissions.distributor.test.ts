/**
 * The rewards distributor's root lifecycle and claims on the embedded chain, with trees built by
 * OpenZeppelin's own StandardMerkleTree.
 */
import { expect } from "chai";
import { ZeroAddress, ZeroHash } from "ethers";
import { before, describe, it } from "mocha";
import { addLaunchBonus, replaceDistributor } from "../src/emissions/actions.js";
import { deploySuccessorDistributor } from "../src/deploy/emissions.js";
import { statusCommand } from "../src/emissions/commands.js";
import { proposalSchema } from "../src/proposals/define.js";
import { resolveProposal } from "../src/proposals/resolve.js";
import hre from "hardhat";
import { flux, type Env, useFixture } from "./helpers/fixture.js";
import { emissionsFixture, pass, referenceTree, type EmissionsFixture } from "./helpers/emissions.js";

const DAY = 86_400;

describe("rewards distributor", () => {
  const suite = useFixture(emissionsFixture);
  const load = () => suite.load();

  /** An epoch end one second ago, and this chain's budget up to it. */
  async function epochEnd(f: EmissionsFixture) {
    const end = (await suite.env.clock.latest()) - 1;
    const e = f.emissions!;
    return { end, budget: await e.schedule.cumulativeEmission(e.scheduleChainId, end) };
  }

  it("submits, waits the challenge window, activates (minting the total), and pays claims by anyone for anyone", async () => {
    const f = await load();
    const d = f.emissions!.distributor;
    const { end, budget } = await epochEnd(f);
    expect(budget).to.be.greaterThan(flux(20_000)); // ~6,666.67 a day for several days of governance
    const t = referenceTree([[f.alice.address, flux(1_000)], [f.bob.address, flux(2_500)], [f.carol.address, 1n]]);
    await expect(d.connect(f.operator).submitRoot(t.root, t.total, end, t.contentHash)).to.emit(d, "RootSubmitted");
    await expect(d.activateRoot()).to.be.revertedWithCustomError(d, "DistributorChallengeWindow");
    await suite.env.networkTime(DAY);
    await expect(d.connect(f.eve).activateRoot()).to.emit(d, "RootActivated").withArgs(t.root, t.total, end, t.contentHash, t.total);
    expect(await f.token.balanceOf(await d.getAddress())).to.equal(t.total);

    const a = t.proof(f.alice.address);
    await expect(d.connect(f.eve).claim(f.alice.address, a.amount, a.proof))
      .to.emit(d, "Claimed").withArgs(f.alice.address, flux(1_000), flux(1_000), f.eve.address);
    expect(await f.token.balanceOf(f.alice.address)).to.equal(flux(4_001_000));
    await expect(d.claim(f.alice.address, a.amount, a.proof)).to.be.revertedWithCustomError(d, "DistributorNothingToClaim");
    await expect(d.claim(f.alice.address, a.amount + 1n, a.proof)).to.be.revertedWithCustomError(d, "DistributorInvalidProof");

    // next epoch: cumulative amounts grow; the difference is paid
    await suite.env.networkTime(DAY);
    const next = await epochEnd(f);
    const t2 = referenceTree([[f.alice.address, flux(1_600)], [f.bob.address, flux(2_500)], [f.carol.address, 1n]]);
    await (await d.connect(f.operator).submitRoot(t2.root, t2.total, next.end, t2.contentHash)).wait();
    await suite.env.networkTime(DAY);
    await expect(d.activateRoot()).to.emit(d, "RootActivated").withArgs(t2.root, t2.total, next.end, t2.contentHash, flux(600));
    const a2 = t2.proof(f.alice.address);
    await expect(d.claim(f.alice.address, a2.amount, a2.proof)).to.emit(d, "Claimed").withArgs(f.alice.address, flux(600), flux(1_600), f.deployer.address);
    const [funded, claimed] = await d.totals();
    expect(funded).to.equal(t2.total);
    expect(claimed).to.equal(flux(1_600));
  });

  it("refuses a zero root, a non-operator, a decreasing total, a stale or future epoch, and a total over the schedule's budget", async () => {
    const f = await load();
    const d = f.emissions!.distributor;
    const { end, budget } = await epochEnd(f);
    const t = referenceTree([[f.alice.address, flux(10)]]);
    await expect(d.connect(f.eve).submitRoot(t.root, t.total, end, ZeroHash)).to.be.revertedWithCustomError(d, "DistributorNotOperator");
    await expect(d.connect(f.operator).submitRoot(ZeroHash, t.total, end, ZeroHash)).to.be.revertedWithCustomError(d, "DistributorZeroRoot");
    await expect(d.connect(f.operator).submitRoot(t.root, budget + 1n, end, ZeroHash))
      .to.be.revertedWithCustomError(d, "DistributorOverBudget").withArgs(budget + 1n, budget);
    await expect(d.connect(f.operator).submitRoot(t.root, t.total, end + 3600, ZeroHash)).to.be.revertedWithCustomError(d, "DistributorBadEpoch");
    await (await d.connect(f.operator).submitRoot(t.root, t.total, end, ZeroHash)).wait();
    await suite.env.networkTime(DAY);
    await (await d.activateRoot()).wait();
    const later = await epochEnd(f);
    await expect(d.connect(f.operator).submitRoot(t.root, t.total - 1n, later.end, ZeroHash))
      .to.be.revertedWithCustomError(d, "DistributorTotalDecreased");
    await expect(d.connect(f.operator).submitRoot(t.root, t.total, end, ZeroHash)).to.be.revertedWithCustomError(d, "DistributorBadEpoch");
  });

  it("lets the guardian revoke a malicious pending root; the operator cannot stall by re-submitting", async () => {
    const f = await load();
    const d = f.emissions!.distributor;
    const { end } = await epochEnd(f);
    const evil = referenceTree([[f.eve.address, flux(5_000)]]);
    await (await d.connect(f.operator).submitRoot(evil.root, evil.total, end, ZeroHash)).wait();
    // a second submission while the first waits is refused (no window reset by re-submitting)
    const other = referenceTree([[f.eve.address, flux(4_000)]]);
    await expect(d.connect(f.operator).submitRoot(other.root, other.total, end, ZeroHash)).to.be.revertedWithCustomError(d, "DistributorRootPending");
    await expect(d.connect(f.eve).revokePendingRoot(evil.root)).to.be.revertedWithCustomError(d, "DistributorNotGuardian");
    // a revocation names the root it means: any other is refused, and the pending root stays
    await expect(d.connect(f.guardian).revokePendingRoot(other.root)).to.be.revertedWithCustomError(d, "DistributorNotPendingRoot").withArgs(other.root, evil.root);
    await expect(d.connect(f.guardian).revokePendingRoot(evil.root)).to.emit(d, "RootRevoked").withArgs(evil.root, f.guardian.address);
    await expect(d.connect(f.guardian).revokePendingRoot(evil.root)).to.be.revertedWithCustomError(d, "DistributorNoPendingRoot");
    await suite.env.networkTime(DAY);
    await expect(d.activateRoot()).to.be.revertedWithCustomError(d, "DistributorNoPendingRoot");
    expect((await d.activeRoot()).root).to.equal(ZeroHash);
    // an honest root goes through at once after the revocation
    const honest = referenceTree([[f.alice.address, flux(100)]]);
    await (await d.connect(f.operator).submitRoot(honest.root, honest.total, end, ZeroHash)).wait();
    await suite.env.networkTime(DAY);
    // a submission after the window activates the pending root first, then queues the new one
    const later = await epochEnd(f);
    const next = referenceTree([[f.alice.address, flux(200)]]);
    await expect(d.connect(f.operator).submitRoot(next.root, next.total, later.end, ZeroHash))
      .to.emit(d, "RootActivated").withArgs(honest.root, honest.total, end, ZeroHash, honest.total);
    expect((await d.pendingRoot()).root).to.equal(next.root);
  });

  it("pays a batch once per account even with duplicates, refuses a bad proof in a batch, and honours the pause", async () => {
    const f = await load();
    const d = f.emissions!.distributor;
    const { end } = await epochEnd(f);
    const t = referenceTree([[f.alice.address, flux(10)], [f.bob.address, flux(20)], [f.carol.address, flux(30)]]);
    await (await d.connect(f.operator).submitRoot(t.root, t.total, end, ZeroHash)).wait();
    await suite.env.networkTime(DAY);
    await (await d.activateRoot()).wait();
    const [a, b] = [t.proof(f.alice.address), t.proof(f.bob.address)];
    await expect(d.connect(f.guardian).pause()).to.emit(d, "PauseSet").withArgs(true, f.guardian.address);
    await expect(d.claim(f.alice.address, a.amount, a.proof)).to.be.revertedWithCustomError(d, "DistributorPaused");
    await expect(d.connect(f.guardian).unpause()).to.be.revertedWithCustomError(d, "OwnableUnauthorizedAccount");
    await pass(suite.env, f, [{ target: await d.getAddress(), value: 0n, calldata: d.interface.encodeFunctionData("unpause"), summary: "unpause" }], "Unpause claims");
    await expect(d.claimMany([f.alice.address, f.bob.address], [a.amount, b.amount + 1n], [a.proof, b.proof]))
      .to.be.revertedWithCustomError(d, "DistributorInvalidProof");
    await expect(d.claimMany([f.alice.address, f.bob.address, f.alice.address], [a.amount, b.amount, a.amount], [a.proof, b.proof, a.proof]))
      .to.changeTokenBalances(suite.env.conn.ethers, f.token, [f.alice, f.bob], [flux(10), flux(20)]);
    await expect(d.claimMany([f.alice.address], [a.amount], [a.proof, a.proof])).to.be.revertedWithCustomError(d, "DistributorLengthMismatch");
    const [, claimed] = await d.totals();
    expect(claimed).to.equal(flux(30));
  });

  it("cannot mint beyond the allowance governance granted", async () => {
    const f = await load();
    const d = f.emissions!.distributor;
    await pass(suite.env, f, [{
      target: await f.token.getAddress(), value: 0n,
      calldata: f.token.interface.encodeFunctionData("setMinterAllowance", [await d.getAddress(), flux(5)]),
      summary: "allowance 5 FLUX",
    }], "Lower the distributor allowance");
    const { end } = await epochEnd(f);
    const t = referenceTree([[f.alice.address, flux(10)]]);
    await (await d.connect(f.operator).submitRoot(t.root, t.total, end, ZeroHash)).wait();
    await suite.env.networkTime(DAY);
    await expect(d.activateRoot()).to.be.revertedWithCustomError(f.token, "FluxMintAllowanceExceeded");
  });

  it("raises the chain's budget by a launch bonus while it runs, and stops when it ends", async () => {
    const f = await load();
    const e = f.emissions!;
    const start = (await suite.env.clock.latest()) + 10 * DAY;
    await pass(suite.env, f, [await addLaunchBonus(e.schedule, e.scheduleChainId, flux(1_000_000), start, 14 * DAY)], "Launch bonus");
    const at = (t: number) => e.schedule.cumulativeEmission(e.scheduleChainId, t);
    const base = (await at(start + DAY)) - (await at(start)); // one day inside the bonus
    expect(base).to.be.greaterThan(flux(78_095));
    expect(base).to.be.lessThan(flux(78_096));
    // over the whole bonus, this chain gets exactly 1,000,000 more than an equal chain without one
    // (each chain's base is floored once, so the two bases may differ by one wei)
    const other = (t: number) => e.schedule.cumulativeEmission(56, t);
    const extra = (await at(start + 14 * DAY)) - (await at(start)) - ((await other(start + 14 * DAY)) - (await other(start)));
    expect(extra - flux(1_000_000)).to.be.oneOf([-1n, 0n, 1n]);
    const after = (await at(start + 15 * DAY)) - (await at(start + 14 * DAY));
    expect(after).to.be.lessThan(flux(6_667));
    expect(after).to.be.greaterThan(flux(6_666));
    // the other chains do not get the bonus
    expect((await e.schedule.cumulativeEmission(56, start + DAY)) - (await e.schedule.cumulativeEmission(56, start))).to.be.lessThan(flux(6_667));
  });

  it("refuses every admin function to every caller but the Timelock", async () => {
    const f = await load();
    const d = f.emissions!.distributor;
    const s = f.emissions!.schedule;
    for (const caller of [f.deployer, f.operator, f.guardian]) {
      await expect(d.connect(caller).setOperator(caller.address)).to.be.revertedWithCustomError(d, "OwnableUnauthorizedAccount");
      await expect(d.connect(caller).setGuardian(caller.address)).to.be.revertedWithCustomError(d, "OwnableUnauthorizedAccount");
      await expect(d.connect(caller).setChallengeWindow(3600)).to.be.revertedWithCustomError(d, "OwnableUnauthorizedAccount");
      await expect(d.connect(caller).unpause()).to.be.revertedWithCustomError(d, "OwnableUnauthorizedAccount");
      await expect(d.connect(caller).retire(caller.address)).to.be.revertedWithCustomError(d, "OwnableUnauthorizedAccount");
      await expect(s.connect(caller).setEmissionRate(1n, 0n)).to.be.revertedWithCustomError(s, "OwnableUnauthorizedAccount");
      await expect(s.connect(caller).setEqualChainWeights([1])).to.be.revertedWithCustomError(s, "OwnableUnauthorizedAccount");
      await expect(s.connect(caller).addLaunchBonus(1, 1n, 2n ** 40n, 3600)).to.be.revertedWithCustomError(s, "OwnableUnauthorizedAccount");
      await expect(s.connect(caller).upgradeToAndCall(caller.address, "0x")).to.be.revertedWithCustomError(s, "OwnableUnauthorizedAccount");
    }
  });

  it("is not a proxy: claims before the first root say so, and there is nothing to upgrade", async () => {
    const f = await load();
    const d = f.emissions!.distributor;
    expect(d.interface.fragments.some((x) => "name" in x && x.name === "upgradeToAndCall")).to.equal(false);
    // no ERC-1967 implementation slot
    const slot = await suite.env.conn.ethers.provider.getStorage(await d.getAddress(), "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc");
    expect(slot).to.equal(ZeroHash);
    await expect(d.claim(f.alice.address, 1n, [])).to.be.revertedWithCustomError(d, "DistributorNoActiveRoot");
    expect(await d.predecessor()).to.equal(ZeroAddress);
  });

  it("is replaced by proposal: the successor continues the cumulative tree and never pays twice", async () => {
    const f = await load();
    const d = f.emissions!.distributor;
    const { end } = await epochEnd(f);
    const t = referenceTree([[f.alice.address, flux(100)], [f.bob.address, flux(50)]]);
    await (await d.connect(f.operator).submitRoot(t.root, t.total, end, t.contentHash)).wait();
    await suite.env.networkTime(DAY);
    await (await d.activateRoot()).wait();
    const a = t.proof(f.alice.address);
    await (await d.claim(f.alice.address, a.amount, a.proof)).wait(); // bob waits for the successor

    const lines: string[] = [];
    const next = await deploySuccessorDistributor(suite.env.conn, d, (l) => lines.push(l));
    expect(lines[0]).to.match(/^Deploying a successor to the rewards distributor 0x[0-9a-fA-F]{40}/);
    expect(await next.predecessor()).to.equal(await d.getAddress());
    expect(await next.owner()).to.equal(await f.timelock.getAddress());
    // no root before the predecessor hands over
    const { end: end2 } = await epochEnd(f);
    await expect(next.connect(f.operator).submitRoot(t.root, t.total, end2, ZeroHash))
      .to.be.revertedWithCustomError(next, "DistributorAwaitingPredecessor").withArgs(await d.getAddress());

    await pass(suite.env, f, await replaceDistributor(f.token, d, next, flux(10_000_000)), "Replace the rewards distributor");
    expect(await d.successor()).to.equal(await next.getAddress());
    expect(await f.token.minterAllowance(await d.getAddress())).to.equal(0n);
    expect(await f.token.minterAllowance(await next.getAddress())).to.equal(flux(10_000_000));
    expect(await f.token.balanceOf(await next.getAddress())).to.equal(flux(50));
    expect(await next.claimed(f.alice.address)).to.equal(flux(100));
    await expect(d.claim(f.bob.address, t.proof(f.bob.address).amount, t.proof(f.bob.address).proof))
      .to.be.revertedWithCustomError(d, "DistributorRetired").withArgs(await next.getAddress());
    // `emissions status` says so, on the old manifest and on the updated one
    const conn = suite.env.conn;
    const old = await statusCommand({ conn, manifest: f.manifest });
    expect(old).to.include(`RETIRED: claims continue on ${await next.getAddress()}`);
    const updated = { ...f.manifest, contracts: { ...f.manifest.contracts, rewardsDistributor: await next.getAddress() } };
    const now = await statusCommand({ conn, manifest: updated });
    expect(now).to.include(`successor of ${await d.getAddress()}`);
    expect(now).to.not.include("RETIRED");

    // the next epoch's tree is cumulative across both contracts; activation mints only the increase
    await suite.env.networkTime(DAY);
    const later = await epochEnd(f);
    const t2 = referenceTree([[f.alice.address, flux(160)], [f.bob.address, flux(50)]]);
    await (await next.connect(f.operator).submitRoot(t2.root, t2.total, later.end, t2.contentHash)).wait();
    await suite.env.networkTime(DAY);
    await expect(next.activateRoot()).to.emit(next, "RootActivated").withArgs(t2.root, t2.total, later.end, t2.contentHash, flux(60));
    const [a2, b2] = [t2.proof(f.alice.address), t2.proof(f.bob.address)];
    await expect(next.claimMany([f.alice.address, f.bob.address], [a2.amount, b2.amount], [a2.proof, b2.proof]))
      .to.changeTokenBalances(suite.env.conn.ethers, f.token, [f.alice, f.bob], [flux(60), flux(50)]);
    const [funded, claimed] = await next.totals();
    expect(funded).to.equal(flux(210));
    expect(claimed).to.equal(flux(210));
  });

  it("resolves the replaceDistributor proposal action to retire + the two allowances, whose postconditions hold once executed", async () => {
    const f = await load();
    const d = f.emissions!.distributor;
    const next = await deploySuccessorDistributor(suite.env.conn, d, () => {});
    const p = proposalSchema.parse({
      title: "Replace the rewards distributor",
      rationale: "new code",
      networks: ["default"],
      actions: [{ kind: "replaceDistributor", successor: await next.getAddress(), allowanceFlux: "1000" }],
    });
    const r = await resolveProposal(p, "default", f.manifest, hre.artifacts);
    const token = await f.token.getAddress();
    expect(r.actions.map((a) => a.target)).to.deep.equal([await d.getAddress(), token, token]);
    const provider = suite.env.conn.ethers.provider;
    expect(await r.actions[0]!.postcondition.check(provider)).to.match(/successor returned 0x0{40}/);
    await pass(suite.env, f, r.actions, "Replace the rewards distributor");
    for (const a of r.actions) expect(await a.postcondition.check(provider), a.postcondition.what).to.equal(null);
    expect(await f.token.minterAllowance(await next.getAddress())).to.equal(flux(1_000));
    // a proxy upgrade of the distributor is no longer a proposal action
    expect(proposalSchema.safeParse({ ...p, actions: [{ kind: "upgradeProxy", proxy: "rewardsDistributor", implementation: token }] }).success).to.equal(false);
  });
});
