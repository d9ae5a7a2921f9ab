/**
 * Tally indexes OpenZeppelin Governors as they are: these tests pin the exact interface it reads.
 */
import { expect } from "chai";
import { id, type Interface } from "ethers";
import { before, describe, it } from "mocha";
import { runProposal, Support } from "../src/governance/lifecycle.js";
import { flux, governanceFixture, type Env, type Fixture, useFixture } from "./helpers/fixture.js";

/** IGovernor's own functions (OpenZeppelin Contracts 5.x), as Tally and ERC-165 see them. */
const IGOVERNOR_FUNCTIONS = [
  "name()",
  "version()",
  "COUNTING_MODE()",
  "hashProposal(address[],uint256[],bytes[],bytes32)",
  "getProposalId(address[],uint256[],bytes[],bytes32)",
  "state(uint256)",
  "proposalThreshold()",
  "proposalSnapshot(uint256)",
  "proposalDeadline(uint256)",
  "proposalProposer(uint256)",
  "proposalEta(uint256)",
  "proposalNeedsQueuing(uint256)",
  "votingDelay()",
  "votingPeriod()",
  "quorum(uint256)",
  "getVotes(address,uint256)",
  "getVotesWithParams(address,uint256,bytes)",
  "hasVoted(uint256,address)",
  "propose(address[],uint256[],bytes[],string)",
  "queue(address[],uint256[],bytes[],bytes32)",
  "execute(address[],uint256[],bytes[],bytes32)",
  "cancel(address[],uint256[],bytes[],bytes32)",
  "castVote(uint256,uint8)",
  "castVoteWithReason(uint256,uint8,string)",
  "castVoteWithReasonAndParams(uint256,uint8,string,bytes)",
  "castVoteBySig(uint256,uint8,address,bytes)",
  "castVoteWithReasonAndParamsBySig(uint256,uint8,address,string,bytes,bytes)",
];

const selector = (sig: string) => Number.parseInt(id(sig).slice(2, 10), 16);
const interfaceId = (sigs: string[]) =>
  "0x" + (sigs.reduce((x, s) => (x ^ selector(s)) >>> 0, 0) >>> 0).toString(16).padStart(8, "0");

const EVENTS: Record<string, string> = {
  ProposalCreated: "ProposalCreated(uint256,address,address[],uint256[],string[],bytes[],uint256,uint256,string)",
  VoteCast: "VoteCast(address,uint256,uint8,uint256,string)",
  VoteCastWithParams: "VoteCastWithParams(address,uint256,uint8,uint256,string,bytes)",
  ProposalQueued: "ProposalQueued(uint256,uint256)",
  ProposalExecuted: "ProposalExecuted(uint256)",
  ProposalCanceled: "ProposalCanceled(uint256)",
};

describe("Governor interface that Tally indexes", () => {
  const suite = useFixture(governanceFixture);
  const load = () => suite.load();

  it("answers ERC-165 for IGovernor (current and pre-5.1 ids), IERC1155Receiver and IERC165", async () => {
    const f = await load();
    const iGovernor = interfaceId(IGOVERNOR_FUNCTIONS);
    expect(iGovernor).to.equal("0xcdbdfcee");
    expect(await f.governor.supportsInterface(iGovernor)).to.equal(true);
    const legacy = interfaceId(IGOVERNOR_FUNCTIONS.filter((s) => !s.startsWith("getProposalId")));
    expect(await f.governor.supportsInterface(legacy)).to.equal(true);
    expect(await f.governor.supportsInterface("0x4e2312e0")).to.equal(true); // IERC1155Receiver
    expect(await f.governor.supportsInterface("0x01ffc9a7")).to.equal(true); // IERC165
    expect(await f.governor.supportsInterface("0xffffffff")).to.equal(false);
    for (const sig of IGOVERNOR_FUNCTIONS) {
      expect((f.governor.interface as Interface).getFunction(sig), sig).to.not.equal(null);
    }
  });

  it("exposes COUNTING_MODE, the ERC-6372 timestamp clock, quorum(timepoint), threshold and timelock", async () => {
    const f = await load();
    expect(await f.governor.COUNTING_MODE()).to.equal("support=bravo,fractional&quorum=for,abstain&params=fractional");
    expect(await f.governor.CLOCK_MODE()).to.equal("mode=timestamp");
    expect(await f.token.CLOCK_MODE()).to.equal("mode=timestamp");
    const now = await suite.env.clock.latest();
    expect(await f.governor.clock()).to.equal(BigInt(now));
    expect(await f.token.clock()).to.equal(BigInt(now));
    expect(await f.governor.quorum(now - 1)).to.equal(flux(10_000_000) * 4n / 100n);
    expect(await f.governor.proposalThreshold()).to.equal(flux(100_000));
    expect(await f.governor.timelock()).to.equal(await f.timelock.getAddress());
    expect(await f.governor.token()).to.equal(await f.token.getAddress());
    expect(await f.governor.name()).to.equal("Flux Governor");
    expect(await f.governor.version()).to.equal("1");
    expect(await f.governor.votingDelay()).to.equal(86_400n);
    expect(await f.governor.votingPeriod()).to.equal(259_200n);
  });

  it("emits ProposalCreated / VoteCast / VoteCastWithParams / ProposalQueued / ProposalExecuted / ProposalCanceled with the exact signatures", async () => {
    const f = await load();
    for (const [name, sig] of Object.entries(EVENTS)) {
      expect((f.governor.interface as Interface).getEvent(name)!.format("sighash"), name).to.equal(sig);
    }
    expect(f.governor.interface.getEvent("VoteCast")!.inputs[0]!.indexed).to.equal(true);
    const from = (await suite.env.conn.ethers.provider.getBlockNumber()) + 1;
    await runProposal({
      governor: f.governor,
      clock: suite.env.clock,
      proposer: f.alice,
      relayer: f.eve,
      actions: [{
        target: await f.governor.getAddress(),
        value: 0n,
        calldata: f.governor.interface.encodeFunctionData("setVotingDelay", [3600n]),
        summary: "voting delay 1 h",
      }],
      description: "Shorter voting delay",
      votes: [{ voter: f.alice, support: Support.For }],
    });
    const logs = await suite.env.conn.ethers.provider.getLogs({ address: await f.governor.getAddress(), fromBlock: from });
    const topics = new Set(logs.map((l) => l.topics[0]));
    for (const name of ["ProposalCreated", "VoteCast", "ProposalQueued", "ProposalExecuted"]) {
      expect(topics.has(id(EVENTS[name]!)), name).to.equal(true);
    }
  });
});
