/**
 * `proposal from-snapshot`: a passed Snapshot signal becomes the on-chain proposal it carries.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { Provider, Signer } from "ethers";
import type { Manifest } from "../manifest/index.js";
import { bindProposer } from "../governance/description.js";
import type { Proposal } from "../proposals/define.js";
import { resolveProposal } from "../proposals/resolve.js";
import { preflight, proposeAs, type ProposerOptions } from "../proposals/run.js";
import { InputError } from "../core/errors.js";
import type { Action, Connection } from "../core/types.js";
import type { SnapshotHub } from "./client.js";
import { parseSignalBody } from "./signal.js";
import { tallyProposal, type TallyReport } from "./tally.js";

/**
 * `proposal from-snapshot`: turns a passed Snapshot signal into the on-chain proposal it carries
 * (see signal.ts). Refused unless our own recount says the vote passed, the signal
 * carries calls for this chain's Governor (the manifest's), the calls match `module` when one is
 * given, every call succeeds when the Timelock makes it, and the signer (`proposer`, else the
 * proposer role's key, see src/keys) is the proposer the description is bound to (`#proposer=`: the Governor
 * refuses anyone else, so nobody can front-run it). Proposes with the signal's exact description,
 * so the on-chain id is the one the signal stated.
 */
export async function proposeFromSnapshot(args: {
  hre: HardhatRuntimeEnvironment;
  conn: Connection;
  manifest: Manifest;
  hub: SnapshotHub;
  id: string;
  /** RPC per chain id, for every chain the space counts (the recount reads them). */
  providers: Record<number, Provider>;
  module?: Proposal;
  /** The signer to propose with; without it, the proposer role's key (src/keys: `from`, PROPOSER_PRIVATE_KEY, the bound proposer's local account). */
  proposer?: Signer;
} & ProposerOptions): Promise<{ proposalId: bigint; tx: string; description: string; actions: Action[]; report: TallyReport; unsigned?: string }> {
  const { hre, conn, manifest: m } = args;
  const report = await tallyProposal(args.hub, args.id, args.providers);
  if (!report.passed) {
    const why = report.proposal.state !== "closed" ? `voting is ${report.proposal.state}` : !report.quorumReached ? "quorum was not reached" : "For did not beat Against";
    throw new InputError(`Snapshot proposal ${args.id} has not passed (${why})`);
  }
  const { chains } = parseSignalBody(report.proposal.body, `Snapshot proposal ${args.id}`);
  const calls = chains.find((c) => c.chainId === m.chainId);
  if (!calls) throw new InputError(`Snapshot proposal ${args.id} carries no calls for chain ${m.chainId} (it has ${chains.map((c) => c.chainId).join(", ")})`);
  if (calls.governor.toLowerCase() !== m.contracts.governor.toLowerCase()) {
    throw new InputError(`Snapshot proposal ${args.id} targets Governor ${calls.governor} on chain ${m.chainId}, but ${m.network}'s is ${m.contracts.governor}`);
  }
  // parseSignalBody refused a description bound to no proposer or to another than the block's
  const bound = calls.proposer;
  const description = calls.description;
  if (args.proposer) {
    const signerAddress = await args.proposer.getAddress();
    if (signerAddress !== bound) throw new InputError(`Snapshot proposal ${args.id} is bound to proposer ${bound}; the signer ${signerAddress} cannot propose it (GovernorRestrictedProposer)`);
  }
  const actions: Action[] = calls.targets.map((target, i) => ({ target, value: BigInt(calls.values[i]!), calldata: calls.calldatas[i]!, summary: `call ${i + 1} to ${target}` }));
  if (args.module) {
    const expected = await resolveProposal(args.module, m.network, m, hre.artifacts);
    const same = bindProposer(expected.description, bound) === description && expected.actions.length === actions.length &&
      expected.actions.every((a, i) => a.target === actions[i]!.target && a.value === actions[i]!.value && a.calldata === actions[i]!.calldata);
    if (!same) throw new InputError(`Snapshot proposal ${args.id} does not carry the calls and description of the given proposal module`);
    expected.actions.forEach((a, i) => (actions[i]!.summary = a.summary));
  }
  await preflight(conn, hre, { network: m.network, actions }, m.contracts.timelock, m.contracts.governor);
  const r = await proposeAs(conn, { network: m.network, chainId: m.chainId, governor: m.contracts.governor }, actions, () => description, {
    hre, from: args.from, unsigned: args.unsigned, log: args.log, signer: args.proposer, bound, name: `Snapshot proposal ${args.id}`,
  });
  return { proposalId: r.proposalId, tx: r.tx, description, actions, report, unsigned: r.unsigned };
}
