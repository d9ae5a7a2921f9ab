/**
 * Governance on deployments built by the real deployment path (`deployFlux`) from every shipped
 * config (`ignition/config/*.json`), each on an in-process network created with that config's
 * chain id:
 *  - genesis: the treasury sits with the Timelock, the float with its holders (the deployer, for
 *    the real networks), and governance can start (threshold and quorum within the float);
 *  - front-running: an exported proposal is bound to its proposer (`#proposer=`), so another
 *    holder above the threshold cannot propose its exact calls and description first;
 *  - cancel rights (FluxGovernor._validateCancel): the proposal guardian, when set, at any stage
 *    before execution (a queued proposal's Timelock operation goes with it); the proposer only while
 *    Pending, with or without a guardian.
 */
import { expect } from "chai";
import { readdirSync } from "node:fs";
import path from "node:path";
import { id, toBeHex, ZeroHash } from "ethers";
import { before, describe, it } from "mocha";
import { CONFIG_DIR, initialSupply, votableFloat } from "../src/deploy/config.js";
import { Support, proposalId } from "../src/governance/lifecycle.js";
import { quorumOf } from "../src/governance/quorum.js";
import { toExport } from "../src/proposals/run.js";
import { deployShipped, type ShippedDeployment } from "./helpers/shipped.js";
import type { Action } from "../src/core/types.js";

const PENDING = 0n;
const ACTIVE = 1n;
const CANCELED = 2n;
const SUCCEEDED = 4n;
const QUEUED = 5n;

/** Every shipped config with its own guardian, and the local one also without a guardian. */
const CASES: { config: string; guardian: boolean }[] = [
  ...readdirSync(CONFIG_DIR).filter((f) => f.endsWith(".json")).sort().map((f) => path.basename(f, ".json"))
    .map((config) => ({ config, guardian: config === "default" })),
  { config: "default", guardian: false },
];

for (const c of CASES) {
  describe(`governance on a deployment from ignition/config/${c.config}.json (${c.guardian ? "with" : "without"} a proposal guardian)`, () => {
    let s: ShippedDeployment;
    before(async () => {
      s = await deployShipped(c.config, c.guardian ? {} : { proposalGuardian: null });
    });

    /** A harmless proposal (sets the threshold to what it is) with a unique description. */
    async function propose(description: string) {
      const g = s.d.governor;
      const action: Action = {
        target: await g.getAddress(),
        value: 0n,
        calldata: g.interface.encodeFunctionData("setProposalThreshold", [await g.proposalThreshold()]),
        summary: "threshold unchanged",
      };
      await (await g.connect(s.proposer).propose([action.target], [0n], [action.calldata], description)).wait();
      const pid = proposalId([action], description);
      return {
        pid,
        args: [[action.target], [0n], [action.calldata], id(description)] as [string[], bigint[], string[], string],
      };
    }

    it("mints the treasury to the Timelock and the float to its holders; governance can start", async () => {
      const { d, cfg } = s;
      const [deployer] = await s.conn.ethers.getSigners();
      expect(await d.token.totalSupply()).to.equal(initialSupply(cfg.token));
      expect(await d.token.balanceOf(await d.timelock.getAddress())).to.equal(cfg.token.treasury);
      const genesis = d.manifest.genesis!;
      expect(genesis.treasury).to.equal(cfg.token.treasury.toString());
      cfg.token.allocations.forEach((a, i) => {
        const g = genesis.allocations[i]!;
        expect(g.amount).to.equal(a.amount.toString());
        expect(g.deployer).to.equal(a.account === "deployer");
        expect(g.account).to.equal(a.account === "deployer" ? deployer!.address : a.account);
      });
      const float = votableFloat(cfg.token);
      expect(float).to.be.at.least(cfg.governor.proposalThreshold);
      const at = BigInt(await s.clock.latest()) - 1n;
      const quorum = await d.governor.quorum(at);
      expect(quorum).to.equal(quorumOf(await d.token.getPastTotalSupply(at), cfg.governor.quorumPercent));
      expect(quorum).to.be.at.most(float);
    });

    it(c.guardian ? "has the configured guardian" : "has no guardian", async () => {
      const guardian = await s.d.governor.proposalGuardian();
      if (c.guardian) expect(guardian).to.equal(s.guardian?.address);
      else expect(BigInt(guardian)).to.equal(0n);
    });

    it("lets the proposer cancel while Pending", async () => {
      const p = await propose(`pending then canceled (${c.config})`);
      expect(await s.d.governor.state(p.pid)).to.equal(PENDING);
      await expect(s.d.governor.connect(s.proposer).cancel(...p.args)).to.emit(s.d.governor, "ProposalCanceled").withArgs(p.pid);
      expect(await s.d.governor.state(p.pid)).to.equal(CANCELED);
    });

    it(`refuses the proposer's cancel while Active, Succeeded and Queued${c.guardian ? "; the guardian cancels the queued proposal and its Timelock operation" : ""}`, async () => {
      const g = s.d.governor;
      const p = await propose(`voted, queued (${c.config})`);
      const refused = async (state: bigint) => {
        expect(await g.state(p.pid)).to.equal(state);
        await expect(g.connect(s.proposer).cancel(...p.args))
          .to.be.revertedWithCustomError(g, "GovernorUnableToCancel")
          .withArgs(p.pid, s.proposer.address);
      };
      await s.clock.increaseTo((await g.proposalSnapshot(p.pid)) + 1n);
      await refused(ACTIVE);
      await (await g.connect(s.proposer).castVote(p.pid, Support.For)).wait();
      await s.clock.increaseTo((await g.proposalDeadline(p.pid)) + 1n);
      await refused(SUCCEEDED);
      await (await g.queue(...p.args)).wait();
      await refused(QUEUED);
      // GovernorTimelockControl's salt: the Governor's address (left-aligned) XOR the description hash
      const salt = toBeHex((BigInt(await g.getAddress()) << 96n) ^ BigInt(p.args[3]), 32);
      const opId = await s.d.timelock.hashOperationBatch(p.args[0], p.args[1], p.args[2], ZeroHash, salt);
      expect(await s.d.timelock.isOperationPending(opId)).to.equal(true);
      if (!c.guardian) return;
      await expect(g.connect(s.guardian!).cancel(...p.args)).to.emit(s.d.timelock, "Cancelled").withArgs(opId);
      expect(await g.state(p.pid)).to.equal(CANCELED);
      expect(await s.d.timelock.isOperation(opId)).to.equal(false);
    });

    if (c.guardian) {
      it("lets the guardian cancel an Active proposal", async () => {
        const p = await propose(`active, canceled by the guardian (${c.config})`);
        await s.clock.increaseTo((await s.d.governor.proposalSnapshot(p.pid)) + 1n);
        await expect(s.d.governor.connect(s.guardian!).cancel(...p.args)).to.emit(s.d.governor, "ProposalCanceled").withArgs(p.pid);
      });
    }

    it("refuses a front-runner above the threshold the exported (proposer-bound) proposal; the bound proposer proposes it under the exported id", async () => {
      const g = s.d.governor;
      const governor = await g.getAddress();
      const actions: Action[] = [{ target: governor, value: 0n, calldata: g.interface.encodeFunctionData("setProposalThreshold", [await g.proposalThreshold()]), summary: "" }];
      const ex = toExport({ chainId: s.cfg.chainId, governor, actions, description: `# Signal-carried (${c.config})\n\nExact calls and text.` }, s.proposer.address);
      expect(await g.getVotes(s.other.address, BigInt(await s.clock.latest()) - 1n)).to.be.at.least(await g.proposalThreshold());
      await expect(g.connect(s.other).propose(ex.targets, ex.values, ex.calldatas, ex.description))
        .to.be.revertedWithCustomError(g, "GovernorRestrictedProposer")
        .withArgs(s.other.address);
      await expect(g.connect(s.proposer).propose(ex.targets, ex.values, ex.calldatas, ex.description))
        .to.emit(g, "ProposalCreated");
      expect(await g.proposalProposer(BigInt(ex.proposalId))).to.equal(s.proposer.address);
      expect((await g.hashProposal(ex.targets, ex.values, ex.calldatas, id(ex.description))).toString()).to.equal(ex.proposalId);
    });

    it("refuses a cancel by a holder who is neither proposer nor guardian", async () => {
      const p = await propose(`someone else's (${c.config})`);
      await expect(s.d.governor.connect(s.other).cancel(...p.args))
        .to.be.revertedWithCustomError(s.d.governor, "GovernorUnableToCancel")
        .withArgs(p.pid, s.other.address);
    });
  });
}
