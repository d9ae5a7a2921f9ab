/**
 * A governance proposal's whole life on a chain whose clock we control (the embedded Hardhat
 * network or a local node): propose → voting starts → votes → voting ends → queue → Timelock
 * delay → execute. Used by `npm start`, by tests, and later by `proposal simulate`.
 * Every step is reported in plain words through `log`.
 */
import { AbiCoder, id, keccak256, type Signer, type TypedDataDomain } from "ethers";
import type { FluxGovernor } from "../../types/ethers-contracts/index.js";
import { formatFlux } from "../core/format.js";
import type { Action, Clock } from "../core/types.js";
import { iso, short } from "../core/format.js";

export enum Support {
  Against = 0,
  For = 1,
  Abstain = 2,
  /** GovernorCountingFractional: params carry (against, for, abstain) as three packed uint128. */
  Fractional = 255,
}
const SUPPORT_WORD: Record<number, string> = { 0: "against", 1: "for", 2: "abstain", 255: "split" };

/** Governor.ProposalState, in order. */
export const PROPOSAL_STATES = [
  "Pending",
  "Active",
  "Canceled",
  "Defeated",
  "Succeeded",
  "Queued",
  "Expired",
  "Executed",
] as const;

export interface Vote {
  voter: Signer;
  support: Support;
  reason?: string;
  /** Cast with an EIP-712 signature relayed by `relayer` instead of sending it oneself. */
  bySignature?: boolean;
}

/** Computes the proposal id exactly as OpenZeppelin's Governor.hashProposal does. */
export function proposalId(actions: readonly Action[], description: string): bigint {
  const encoded = AbiCoder.defaultAbiCoder().encode(
    ["address[]", "uint256[]", "bytes[]", "bytes32"],
    [actions.map((a) => a.target), actions.map((a) => a.value), actions.map((a) => a.calldata), id(description)],
  );
  return BigInt(keccak256(encoded));
}

/** EIP-712 domain of a Governor (name from the contract, version "1"). */
export async function governorDomain(governor: FluxGovernor): Promise<TypedDataDomain> {
  const [, name, version, chainId, verifyingContract] = await governor.eip712Domain();
  return { name, version, chainId, verifyingContract };
}

/** Signs a `Ballot` (castVoteBySig) for `voter`. */
export async function signBallot(
  governor: FluxGovernor,
  voter: Signer,
  id_: bigint,
  support: Support,
): Promise<string> {
  const address = await voter.getAddress();
  const nonce = await governor.nonces(address);
  return voter.signTypedData(
    await governorDomain(governor),
    { Ballot: [
      { name: "proposalId", type: "uint256" },
      { name: "support", type: "uint8" },
      { name: "voter", type: "address" },
      { name: "nonce", type: "uint256" },
    ] },
    { proposalId: id_, support, voter: address, nonce },
  );
}

/** Signs an `ExtendedBallot` (castVoteWithReasonAndParamsBySig). */
export async function signExtendedBallot(
  governor: FluxGovernor,
  voter: Signer,
  id_: bigint,
  support: Support,
  reason: string,
  params: string,
): Promise<string> {
  const address = await voter.getAddress();
  const nonce = await governor.nonces(address);
  return voter.signTypedData(
    await governorDomain(governor),
    { ExtendedBallot: [
      { name: "proposalId", type: "uint256" },
      { name: "support", type: "uint8" },
      { name: "voter", type: "address" },
      { name: "nonce", type: "uint256" },
      { name: "reason", type: "string" },
      { name: "params", type: "bytes" },
    ] },
    { proposalId: id_, support, voter: address, nonce, reason, params },
  );
}

export interface LifecycleResult {
  proposalId: bigint;
  votes: { voter: string; support: Support; weight: bigint }[];
  forVotes: bigint;
  againstVotes: bigint;
  abstainVotes: bigint;
  quorum: bigint;
  eta: bigint;
  executedTx: string;
}

/**
 * Carries a proposal through its whole life. `proposer` must hold enough votes; `relayer`
 * submits signed votes and executes (anyone may).
 */
export async function runProposal(args: {
  governor: FluxGovernor;
  clock: Clock;
  proposer: Signer;
  relayer: Signer;
  actions: readonly Action[];
  description: string;
  votes: readonly Vote[];
  log?: (line: string) => void;
  /** The proposal is already on the Governor (e.g. proposed from a Snapshot signal): skip `propose`. */
  alreadyProposed?: boolean;
}): Promise<LifecycleResult> {
  const { governor, clock, proposer, relayer, actions, description, votes } = args;
  const log = args.log ?? (() => {});
  const who = async (s: Signer) => short(await s.getAddress());

  const pid = proposalId(actions, description);
  const title = proposalTitle(description);
  if (args.alreadyProposed) {
    if (Number(await governor.proposalSnapshot(pid)) === 0) throw new Error(`proposal ${pid} is not on the Governor`);
    log(`proposal "${title}" is on the Governor:`);
  } else {
    log(`${await who(proposer)} proposes "${title}":`);
  }
  for (const a of actions) log(`    - ${a.summary}`);
  if (!args.alreadyProposed) {
    await (await governor.connect(proposer).propose(
      actions.map((a) => a.target),
      actions.map((a) => a.value),
      actions.map((a) => a.calldata),
      description,
    )).wait();
  }
  const snapshot = await governor.proposalSnapshot(pid);
  const deadline = await governor.proposalDeadline(pid);
  log(`  proposal ${short(pid.toString())} created; voting opens at ${iso(snapshot)} and closes at ${iso(deadline)}`);

  await clock.increaseTo(snapshot + 1n);
  log(`  voting is open (state ${PROPOSAL_STATES[Number(await governor.state(pid))]})`);

  const cast: LifecycleResult["votes"] = [];
  for (const v of votes) {
    const voter = await v.voter.getAddress();
    const weight = await governor.getVotes(voter, snapshot);
    if (v.bySignature) {
      const sig = await signBallot(governor, v.voter, pid, v.support);
      await (await governor.connect(args.relayer).castVoteBySig(pid, v.support, voter, sig)).wait();
    } else if (v.reason) {
      await (await governor.connect(v.voter).castVoteWithReason(pid, v.support, v.reason)).wait();
    } else {
      await (await governor.connect(v.voter).castVote(pid, v.support)).wait();
    }
    cast.push({ voter, support: v.support, weight });
    log(
      `  ${short(voter)} votes ${SUPPORT_WORD[v.support]} with ${formatFlux(weight)} FLUX` +
        (v.bySignature ? ` (signed off-line, relayed by ${await who(relayer)})` : "") +
        (v.reason ? ` — "${v.reason}"` : ""),
    );
  }

  const [againstVotes, forVotes, abstainVotes] = await governor.proposalVotes(pid);
  const quorum = await governor.quorum(snapshot);
  log(
    `  tally: for ${formatFlux(forVotes)}, against ${formatFlux(againstVotes)}, abstain ${formatFlux(abstainVotes)}; ` +
      `quorum ${formatFlux(quorum)} (for + abstain count) ${forVotes + abstainVotes >= quorum ? "reached" : "NOT reached"}`,
  );

  const end = await governor.proposalDeadline(pid);
  await clock.increaseTo(end + 1n);
  const state = PROPOSAL_STATES[Number(await governor.state(pid))];
  log(`  voting closed: ${state}`);
  if (state !== "Succeeded") throw new Error(`proposal ${pid} ended ${state}, cannot queue`);

  const targets = actions.map((a) => a.target);
  const values = actions.map((a) => a.value);
  const calldatas = actions.map((a) => a.calldata);
  const descHash = id(description);
  await (await governor.connect(relayer).queue(targets, values, calldatas, descHash)).wait();
  const eta = await governor.proposalEta(pid);
  log(`  queued in the Timelock by ${await who(relayer)}; executable from ${iso(eta)}`);

  await clock.increaseTo(eta);
  const tx = await governor.connect(relayer).execute(targets, values, calldatas, descHash);
  await tx.wait();
  log(`  executed by ${await who(relayer)} (tx ${short(tx.hash)}); state ${PROPOSAL_STATES[Number(await governor.state(pid))]}`);

  return { proposalId: pid, votes: cast, forVotes, againstVotes, abstainVotes, quorum, eta, executedTx: tx.hash };
}

/** A proposal's title: the first line of its description, without a Markdown heading mark. */
export function proposalTitle(description: string): string {
  return description.split("\n")[0]!.replace(/^#+\s*/, "");
}
