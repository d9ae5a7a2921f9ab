import { expect } from "chai";
import { id, solidityPacked, type BaseContract, type ContractTransactionResponse } from "ethers";
import { before, describe, it } from "mocha";
import { proposalId, Support } from "../src/governance/lifecycle.js";
import { flux, governanceFixture, type Env, type Fixture, type Signer, useFixture } from "./helpers/fixture.js";
import type { Action } from "../src/core/types.js";

/** Governor.ProposalState → bitmap bit, as in Governor._encodeStateBitmap. */
const bit = (state: number) => 1n << BigInt(state);
const ACTIVE = 1;
const PENDING = 0;
const SUCCEEDED = 4;
const DEFEATED = 3;
const QUEUED = 5;

describe("governance failure paths", () => {
  const suite = useFixture(governanceFixture);
  const load = () => suite.load();

  async function propose(f: Fixture, description = "set threshold", proposer: Signer = f.alice) {
    const action: Action = {
      target: await f.governor.getAddress(),
      value: 0n,
      calldata: f.governor.interface.encodeFunctionData("setProposalThreshold", [flux(50_000)]),
      summary: "threshold 50k",
    };
    await (await f.governor.connect(proposer).propose([action.target], [0n], [action.calldata], description)).wait();
    const pid = proposalId([action], description);
    return {
      pid,
      args: [[action.target], [0n], [action.calldata], id(description)] as [string[], bigint[], string[], string],
      snapshot: await f.governor.proposalSnapshot(pid),
      deadline: await f.governor.proposalDeadline(pid),
    };
  }

  it("refuses a proposer below the threshold", async () => {
    const f = await load();
    await expect(f.governor.connect(f.eve).propose([f.eve.address], [0n], ["0x"], "x"))
      .to.be.revertedWithCustomError(f.governor, "GovernorInsufficientProposerVotes")
      .withArgs(f.eve.address, 0n, flux(100_000));
  });

  it("refuses a vote before the voting period starts and after it ends", async () => {
    const f = await load();
    const p = await propose(f);
    await expect(f.governor.connect(f.bob).castVote(p.pid, Support.For))
      .to.be.revertedWithCustomError(f.governor, "GovernorUnexpectedProposalState")
      .withArgs(p.pid, PENDING, bit(ACTIVE));
    await suite.env.clock.increaseTo(p.snapshot + 1n);
    await (await f.governor.connect(f.alice).castVote(p.pid, Support.For)).wait();
    await suite.env.clock.increaseTo(p.deadline + 1n);
    await expect(f.governor.connect(f.bob).castVote(p.pid, Support.Against))
      .to.be.revertedWithCustomError(f.governor, "GovernorUnexpectedProposalState")
      .withArgs(p.pid, SUCCEEDED, bit(ACTIVE));
  });

  it("refuses a double vote, including a second fractional vote beyond the remaining weight", async () => {
    const f = await load();
    const p = await propose(f);
    await suite.env.clock.increaseTo(p.snapshot + 1n);
    await (await f.governor.connect(f.bob).castVote(p.pid, Support.For)).wait();
    await expect(f.governor.connect(f.bob).castVote(p.pid, Support.Against))
      .to.be.revertedWithCustomError(f.governor, "GovernorAlreadyCastVote")
      .withArgs(f.bob.address);
    await expect(f.governor.connect(f.carol).castVote(p.pid, 7))
      .to.be.revertedWithCustomError(f.governor, "GovernorInvalidVoteType");
    // carol (2M) votes 1M fractionally, then tries 1.5M more
    const split = (a: bigint, fo: bigint, ab: bigint) => solidityPacked(["uint128", "uint128", "uint128"], [a, fo, ab]);
    await (await f.governor.connect(f.carol).castVoteWithReasonAndParams(p.pid, 255, "", split(0n, flux(1_000_000), 0n))).wait();
    await expect(f.governor.connect(f.carol).castVoteWithReasonAndParams(p.pid, 255, "", split(flux(1_500_000), 0n, 0n)))
      .to.be.revertedWithCustomError(f.governor, "GovernorExceedRemainingWeight")
      .withArgs(f.carol.address, flux(1_500_000), flux(1_000_000));
    // a nominal vote takes the rest; after that nothing is left
    await (await f.governor.connect(f.carol).castVote(p.pid, Support.Against)).wait();
    await expect(f.governor.connect(f.carol).castVote(p.pid, Support.Against))
      .to.be.revertedWithCustomError(f.governor, "GovernorAlreadyCastVote");
    expect(await f.governor.usedVotes(p.pid, f.carol.address)).to.equal(flux(2_000_000));
  });

  it("defeats a proposal that misses quorum and refuses to queue it", async () => {
    const f = await load();
    // eve gets 100k (below the 400k quorum) before the proposal and is the only voter
    await (await f.token.connect(f.dave).transfer(f.eve.address, flux(100_000))).wait();
    await (await f.token.connect(f.eve).delegate(f.eve.address)).wait();
    const p = await propose(f);
    await suite.env.clock.increaseTo(p.snapshot + 1n);
    await (await f.governor.connect(f.eve).castVote(p.pid, Support.For)).wait();
    await suite.env.clock.increaseTo(p.deadline + 1n);
    expect(await f.governor.state(p.pid)).to.equal(BigInt(DEFEATED));
    await expect(f.governor.queue(...p.args))
      .to.be.revertedWithCustomError(f.governor, "GovernorUnexpectedProposalState")
      .withArgs(p.pid, DEFEATED, bit(SUCCEEDED));
  });

  it("refuses to execute before the Timelock delay has passed, then executes", async () => {
    const f = await load();
    const p = await propose(f);
    await suite.env.clock.increaseTo(p.snapshot + 1n);
    await (await f.governor.connect(f.alice).castVote(p.pid, Support.For)).wait();
    await suite.env.clock.increaseTo(p.deadline + 1n);
    await (await f.governor.queue(...p.args)).wait();
    expect(await f.governor.state(p.pid)).to.equal(BigInt(QUEUED));
    await expect(f.governor.execute(...p.args)).to.be.revertedWithCustomError(
      f.timelock,
      "TimelockUnexpectedOperationState",
    );
    await suite.env.clock.increaseTo(await f.governor.proposalEta(p.pid));
    await (await f.governor.connect(f.eve).execute(...p.args)).wait();
    expect(await f.governor.proposalThreshold()).to.equal(flux(50_000));
  });

  it("refuses every admin function to every caller but the Timelock", async () => {
    const f = await load();
    const someone = f.eve.address;
    const impl = f.manifest.implementations;
    type Call = [string, BaseContract, (s: Signer) => Promise<ContractTransactionResponse>, string];
    const calls: Call[] = [
      ["token.setMinterAllowance", f.token, (s) => f.token.connect(s).setMinterAllowance(someone, 1n), "OwnableUnauthorizedAccount"],
      ["token.transferOwnership", f.token, (s) => f.token.connect(s).transferOwnership(someone), "OwnableUnauthorizedAccount"],
      ["token.upgradeToAndCall", f.token, (s) => f.token.connect(s).upgradeToAndCall(impl.token!, "0x"), "OwnableUnauthorizedAccount"],
      ["governor.setVotingDelay", f.governor, (s) => f.governor.connect(s).setVotingDelay(1n), "GovernorOnlyExecutor"],
      ["governor.setVotingPeriod", f.governor, (s) => f.governor.connect(s).setVotingPeriod(7200n), "GovernorOnlyExecutor"],
      ["governor.setProposalThreshold", f.governor, (s) => f.governor.connect(s).setProposalThreshold(0n), "GovernorOnlyExecutor"],
      ["governor.updateQuorumNumerator", f.governor, (s) => f.governor.connect(s).updateQuorumNumerator(1n), "GovernorOnlyExecutor"],
      ["governor.updateTimelock", f.governor, (s) => f.governor.connect(s).updateTimelock(someone), "GovernorOnlyExecutor"],
      ["governor.setLateQuorumVoteExtension", f.governor, (s) => f.governor.connect(s).setLateQuorumVoteExtension(1n), "GovernorOnlyExecutor"],
      ["governor.setProposalGuardian", f.governor, (s) => f.governor.connect(s).setProposalGuardian(someone), "GovernorOnlyExecutor"],
      ["governor.relay", f.governor, (s) => f.governor.connect(s).relay(someone, 0n, "0x"), "GovernorOnlyExecutor"],
      ["governor.upgradeToAndCall", f.governor, (s) => f.governor.connect(s).upgradeToAndCall(impl.governor!, "0x"), "GovernorOnlyExecutor"],
      ["timelock.updateDelay", f.timelock, (s) => f.timelock.connect(s).updateDelay(0n), "TimelockUnauthorizedCaller"],
      ["timelock.grantRole", f.timelock, (s) => f.timelock.connect(s).grantRole(id("PROPOSER_ROLE"), someone), "AccessControlUnauthorizedAccount"],
      ["timelock.revokeRole", f.timelock, (s) => f.timelock.connect(s).revokeRole(id("PROPOSER_ROLE"), someone), "AccessControlUnauthorizedAccount"],
      ["timelock.schedule", f.timelock, (s) => f.timelock.connect(s).schedule(someone, 0n, "0x", id("0"), id("1"), 172_800n), "AccessControlUnauthorizedAccount"],
      ["timelock.scheduleBatch", f.timelock, (s) => f.timelock.connect(s).scheduleBatch([someone], [0n], ["0x"], id("0"), id("1"), 172_800n), "AccessControlUnauthorizedAccount"],
      ["timelock.cancel", f.timelock, (s) => f.timelock.connect(s).cancel(id("x")), "AccessControlUnauthorizedAccount"],
      ["timelock.upgradeToAndCall", f.timelock, (s) => f.timelock.connect(s).upgradeToAndCall(impl.timelock!, "0x"), "FluxTimelockUnauthorizedUpgrade"],
    ];
    for (const caller of [f.deployer, f.guardian, f.alice, f.eve]) {
      for (const [name, contract, call, error] of calls) {
        await expect(call(caller), `${name} by ${caller.address}`).to.be.revertedWithCustomError(contract, error);
      }
    }
  });

  it("lets the proposal guardian cancel an active or queued proposal; others cannot", async () => {
    const f = await load();
    expect(await f.governor.proposalGuardian()).to.equal(f.guardian.address);
    const p = await propose(f, "malicious one");
    await suite.env.clock.increaseTo(p.snapshot + 1n);
    // the proposer may cancel only while Pending; a random holder never
    await expect(f.governor.connect(f.alice).cancel(...p.args))
      .to.be.revertedWithCustomError(f.governor, "GovernorUnableToCancel")
      .withArgs(p.pid, f.alice.address);
    await expect(f.governor.connect(f.bob).cancel(...p.args))
      .to.be.revertedWithCustomError(f.governor, "GovernorUnableToCancel");
    await expect(f.governor.connect(f.guardian).cancel(...p.args)).to.emit(f.governor, "ProposalCanceled").withArgs(p.pid);
    expect(await f.governor.state(p.pid)).to.equal(2n);

    const q = await propose(f, "queued then canceled");
    await suite.env.clock.increaseTo(q.snapshot + 1n);
    await (await f.governor.connect(f.alice).castVote(q.pid, Support.For)).wait();
    await suite.env.clock.increaseTo(q.deadline + 1n);
    await (await f.governor.queue(...q.args)).wait();
    await expect(f.governor.connect(f.guardian).cancel(...q.args)).to.emit(f.timelock, "Cancelled");
    await suite.env.clock.increaseTo((await f.governor.proposalEta(q.pid)) + 1n);
    await expect(f.governor.execute(...q.args)).to.be.revertedWithCustomError(f.governor, "GovernorUnexpectedProposalState");
  });

  it("extends the deadline when quorum is reached late", async () => {
    const f = await load();
    const p = await propose(f);
    const extension = await f.governor.lateQuorumVoteExtension();
    await suite.env.clock.increaseTo(p.deadline - 10n);
    const tx = await f.governor.connect(f.dave).castVote(p.pid, Support.For);
    const rcpt = await tx.wait();
    const block = await suite.env.conn.ethers.provider.getBlock(rcpt!.blockNumber);
    const extended = BigInt(block!.timestamp) + extension;
    await expect(tx).to.emit(f.governor, "ProposalExtended").withArgs(p.pid, extended);
    expect(await f.governor.proposalDeadline(p.pid)).to.equal(extended);
    await suite.env.clock.increaseTo(p.deadline + 1n);
    expect(await f.governor.state(p.pid)).to.equal(BigInt(ACTIVE));
    await (await f.governor.connect(f.carol).castVote(p.pid, Support.Against)).wait();
  });

  it("gives no votes to tokens bought or delegated after the snapshot (flash-loan resistance)", async () => {
    const f = await load();
    const p = await propose(f);
    // after the snapshot: alice "lends" 4M to eve, who self-delegates; bob re-delegates to carol
    await suite.env.clock.increaseTo(p.snapshot + 1n);
    await (await f.token.connect(f.alice).transfer(f.eve.address, flux(4_000_000))).wait();
    await (await f.token.connect(f.eve).delegate(f.eve.address)).wait();
    await (await f.token.connect(f.bob).delegate(f.carol.address)).wait();
    expect(await f.token.getVotes(f.eve.address)).to.equal(flux(4_000_000));
    expect(await f.governor.getVotes(f.eve.address, p.snapshot)).to.equal(0n);
    // zero weight at the snapshot: the vote is refused outright
    await expect(f.governor.connect(f.eve).castVote(p.pid, Support.For)).to.be.revertedWithCustomError(
      f.governor,
      "GovernorAlreadyCastVote",
    );
    await expect(f.governor.connect(f.carol).castVote(p.pid, Support.Against))
      .to.emit(f.governor, "VoteCast")
      .withArgs(f.carol.address, p.pid, Support.Against, flux(2_000_000), "");
    await expect(f.governor.connect(f.alice).castVote(p.pid, Support.For))
      .to.emit(f.governor, "VoteCast")
      .withArgs(f.alice.address, p.pid, Support.For, flux(4_000_000), "");
    await expect(f.governor.connect(f.bob).castVote(p.pid, Support.For))
      .to.emit(f.governor, "VoteCast")
      .withArgs(f.bob.address, p.pid, Support.For, flux(3_000_000), "");
  });
});
