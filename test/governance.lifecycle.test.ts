import { expect } from "chai";
import { id, solidityPacked } from "ethers";
import { before, describe, it } from "mocha";
import { proposalId, runProposal, signBallot, signExtendedBallot, Support } from "../src/governance/lifecycle.js";
import { flux, governanceFixture, type Env, type Fixture, useFixture } from "./helpers/fixture.js";
import type { Action } from "../src/core/types.js";

describe("governance lifecycle", () => {
  const suite = useFixture(governanceFixture);
  const load = () => suite.load();

  async function votingPeriodAction(f: Fixture, seconds: bigint): Promise<Action> {
    return {
      target: await f.governor.getAddress(),
      value: 0n,
      calldata: f.governor.interface.encodeFunctionData("setVotingPeriod", [seconds]),
      summary: `set voting period to ${seconds}`,
    };
  }

  it("allocates, delegates, proposes, votes for/against/abstain (also by signature), queues, waits, executes", async () => {
    const f = await load();
    expect(await f.token.getVotes(f.alice.address)).to.equal(flux(4_000_000));
    const action = await votingPeriodAction(f, 2n * 86_400n);
    const lines: string[] = [];
    const r = await runProposal({
      governor: f.governor,
      clock: suite.env.clock,
      proposer: f.alice,
      relayer: f.eve,
      actions: [action],
      description: "Set voting period to two days",
      votes: [
        { voter: f.alice, support: Support.For },
        { voter: f.bob, support: Support.Against, bySignature: true },
        { voter: f.carol, support: Support.For, reason: "ok" },
        { voter: f.dave, support: Support.Abstain },
      ],
      log: (l) => lines.push(l),
    });
    expect(r.forVotes).to.equal(flux(6_000_000));
    expect(r.againstVotes).to.equal(flux(3_000_000));
    expect(r.abstainVotes).to.equal(flux(1_000_000));
    expect(r.quorum).to.equal(flux(400_000)); // 4% of the 10M supply at the snapshot
    expect(await f.governor.votingPeriod()).to.equal(2n * 86_400n);
    expect(await f.governor.state(r.proposalId)).to.equal(7n); // Executed
    expect(lines.join("\n")).to.match(/executed by/);
    expect(lines.join("\n")).to.match(/relayed by/);
  });

  it("computes the proposal id exactly as the Governor does", async () => {
    const f = await load();
    const action = await votingPeriodAction(f, 3600n * 30n);
    const onChain = await f.governor.hashProposal([action.target], [0n], [action.calldata], id("desc"));
    expect(proposalId([action], "desc")).to.equal(onChain);
  });

  it("accepts castVoteBySig and castVoteWithReasonAndParamsBySig (fractional split), refuses a replayed or forged signature", async () => {
    const f = await load();
    const action = await votingPeriodAction(f, 3600n * 30n);
    await (await f.governor.connect(f.alice).propose([action.target], [0n], [action.calldata], "sig votes")).wait();
    const pid = proposalId([action], "sig votes");
    await suite.env.clock.increaseTo((await f.governor.proposalSnapshot(pid)) + 1n);

    const sig = await signBallot(f.governor, f.bob, pid, Support.For);
    await expect(f.governor.connect(f.eve).castVoteBySig(pid, Support.For, f.bob.address, sig))
      .to.emit(f.governor, "VoteCast")
      .withArgs(f.bob.address, pid, Support.For, flux(3_000_000), "");
    // replay: the nonce moved, so the same signature no longer recovers to bob
    await expect(f.governor.connect(f.eve).castVoteBySig(pid, Support.For, f.bob.address, sig))
      .to.be.revertedWithCustomError(f.governor, "GovernorInvalidSignature")
      .withArgs(f.bob.address);
    // forged: carol's signature claimed as dave's
    const carolSig = await signBallot(f.governor, f.carol, pid, Support.Against);
    await expect(f.governor.connect(f.eve).castVoteBySig(pid, Support.Against, f.dave.address, carolSig))
      .to.be.revertedWithCustomError(f.governor, "GovernorInvalidSignature");

    // carol splits 2M: 0.5M against, 1M for, 0.5M abstain, in a signed extended ballot
    const params = solidityPacked(["uint128", "uint128", "uint128"], [flux(500_000), flux(1_000_000), flux(500_000)]);
    const ext = await signExtendedBallot(f.governor, f.carol, pid, Support.Fractional, "split", params);
    await expect(
      f.governor.connect(f.eve).castVoteWithReasonAndParamsBySig(pid, 255, f.carol.address, "split", params, ext),
    ).to.emit(f.governor, "VoteCastWithParams");
    const [against, forV, abstain] = await f.governor.proposalVotes(pid);
    expect([against, forV, abstain]).to.deep.equal([flux(500_000), flux(4_000_000), flux(500_000)]);
    expect(await f.governor.usedVotes(pid, f.carol.address)).to.equal(flux(2_000_000));
  });
});
