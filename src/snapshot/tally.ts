/**
 * `snapshot tally`: recompute a Snapshot vote's result without trusting the hub. Every vote's
 * signed message is fetched and verified (its hash is the vote's id, its EIP-712 signature recovers
 * the voter, it votes on this proposal with the choice the hub lists); each voter's power is read
 * from the chains at the proposal's snapshot the way Snapshot's multichain/erc20-votes strategies
 * read it; snapshot.js's voting class computes the scores; and each number is set beside the hub's.
 *
 * Exact sums are kept in wei (bigint); Snapshot's scores are floats of whole FLUX, so the
 * comparison with the hub allows a relative difference of 1e-9 (float rounding, not power).
 */
import type { Provider } from "ethers";
import { SnapshotHub, type HubProposal } from "./client.js";
import { powerChains, snapshotTime, strategyPower, toScore } from "./power.js";
import { votingScores, type VotingType } from "./sdk.js";
import { SIGNAL_CHOICES } from "./settings.js";
import { InputError } from "../core/errors.js";
import { iso, formatFlux } from "../core/format.js";

export const RELATIVE_TOLERANCE = 1e-9;

export interface VoterLine {
  voter: string;
  choice: number;
  /** Power on each chain, in `chains` order (wei). */
  byChain: bigint[];
  power: bigint;
  hubVp: number;
  agrees: boolean;
}

export interface TallyReport {
  proposal: HubProposal;
  chains: { chainId: number; token: string; block: number }[];
  snapshotTime: number;
  voters: VoterLine[];
  /** Exact per-choice sums (wei). */
  exact: bigint[];
  /** snapshot.js's voting class on our powers. */
  scores: number[];
  hubScores: number[];
  scoresAgree: boolean;
  /** Every voter's power and every score agree with the hub. */
  agrees: boolean;
  quorumReached: boolean;
  /** For a For/Against/Abstain signal: closed, quorum reached, and For > Against. */
  passed: boolean;
}

const close = (a: number, b: number) => Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));

export async function tallyProposal(hub: SnapshotHub, id: string, providers: Record<number, Provider>, opts: { gateway?: string } = {}): Promise<TallyReport> {
  const proposal = await hub.proposal(id);
  const author = await hub.signedMessage(proposal.id, proposal.ipfs, "proposal", opts.gateway);
  if (author.signer.toLowerCase() !== proposal.author.toLowerCase()) throw new InputError(`proposal ${id}: signed by ${author.signer}, but the hub names ${proposal.author}`);
  const chains = powerChains(proposal.strategies, providers, (chainId) => {
    throw new InputError(`proposal ${id} counts chain ${chainId}: give an RPC for it (--networks)`);
  });
  const spaceProvider = providers[Number(proposal.network)];
  if (!spaceProvider) throw new InputError(`proposal ${id} takes its snapshot on chain ${proposal.network}: give an RPC for it (--networks)`);
  const time = await snapshotTime(spaceProvider, Number(proposal.snapshot));

  const votes = await hub.votes(id);
  const seen = new Set<string>();
  for (const v of votes) {
    const key = v.voter.toLowerCase();
    if (seen.has(key)) throw new InputError(`proposal ${id}: the hub lists two votes from ${v.voter}`);
    seen.add(key);
    const { signer, message } = await hub.signedMessage(v.id, v.ipfs, "vote", opts.gateway);
    if (signer.toLowerCase() !== key) throw new InputError(`vote ${v.id}: signed by ${signer}, but the hub names ${v.voter}`);
    if (message.proposal !== id) throw new InputError(`vote ${v.id}: signed for proposal ${String(message.proposal)}, not ${id}`);
    if (Number(message.choice) !== v.choice) throw new InputError(`vote ${v.id}: signed choice ${String(message.choice)}, the hub lists ${v.choice}`);
  }
  const { blocks, power: powers } = await strategyPower(chains, time, votes.map((v) => v.voter));
  const voters: VoterLine[] = votes.map((v) => {
    const byChain = powers.get(v.voter)!;
    const power = byChain.reduce((a, b) => a + b, 0n);
    return { voter: v.voter, choice: v.choice, byChain, power, hubVp: v.vp, agrees: close(toScore(power), v.vp) };
  });
  const counted = voters.filter((v) => v.power > 0n);
  const r = votingScores(proposal.type as VotingType, proposal.choices, counted.map((v) => ({ choice: v.choice, balance: toScore(v.power), scores: [toScore(v.power)] })), proposal.strategies);
  const exact = proposal.choices.map((_, i) => counted.filter((v) => v.choice === i + 1).reduce((a, v) => a + v.power, 0n));
  const scoresAgree = r.scores.length === proposal.scores.length && r.scores.every((s, i) => close(s, proposal.scores[i]!));
  const total = exact.reduce((a, b) => a + b, 0n);
  const quorumReached = toScore(total) >= proposal.quorum;
  const isSignal = SIGNAL_CHOICES.every((c, i) => proposal.choices[i] === c) && proposal.choices.length === SIGNAL_CHOICES.length;
  return {
    proposal,
    chains: chains.map((c, i) => ({ chainId: c.chainId, token: c.token, block: blocks[i]! })),
    snapshotTime: time,
    voters,
    exact,
    scores: r.scores,
    hubScores: proposal.scores,
    scoresAgree,
    agrees: scoresAgree && voters.every((v) => v.agrees),
    quorumReached,
    passed: isSignal && proposal.state === "closed" && quorumReached && exact[0]! > exact[1]!,
  };
}

const BAR_WIDTH = 30n;

/** The report as lines a person reads, with a bar per choice (its share of the votes cast). */
export function renderTally(r: TallyReport): string[] {
  const p = r.proposal;
  const lines = [
    `Snapshot proposal ${p.id} in ${p.space.id}: "${p.title}" (${p.state})`,
    `snapshot: block ${p.snapshot} on chain ${p.network} at ${iso(r.snapshotTime)}; ` +
      r.chains.map((c) => `chain ${c.chainId} block ${c.block}`).join(", "),
    `${r.voters.length} signed votes, every signature verified`,
  ];
  for (const v of r.voters) {
    lines.push(
      `  ${v.voter} ${String(p.choices[v.choice - 1]).padEnd(8)} ${formatFlux(v.power).padStart(22)} FLUX ` +
        `(${r.chains.map((c, i) => `${c.chainId}: ${formatFlux(v.byChain[i]!)}`).join(", ")})  hub ${v.hubVp}  ${v.agrees ? "agrees" : "DIFFERS"}`,
    );
  }
  lines.push(`result (recomputed with snapshot.js ${p.type} voting):`);
  const total = r.exact.reduce((a, b) => a + b, 0n);
  p.choices.forEach((c, i) => {
    const ok = close(r.scores[i]!, r.hubScores[i] ?? NaN);
    const bar = total === 0n ? "" : "█".repeat(Number((r.exact[i]! * BAR_WIDTH) / total));
    lines.push(`  ${c.padEnd(8)} ${bar.padEnd(Number(BAR_WIDTH))} ${formatFlux(r.exact[i]!).padStart(22)} FLUX   hub ${r.hubScores[i]}  ${ok ? "agrees" : "DIFFERS"}`);
  });
  lines.push(`quorum ${p.quorum} FLUX: ${r.quorumReached ? "reached" : "not reached"}; ${r.passed ? "PASSED" : p.state === "closed" ? "not passed" : `voting ${p.state}`}`);
  lines.push(r.agrees ? "the hub's reported scores agree with the chains" : "the hub's reported scores DO NOT agree with the chains");
  return lines;
}
