/**
 * The Governor's quorum rule (OpenZeppelin GovernorVotesQuorumFraction with FluxGovernor's
 * denominator of 100): `totalSupply × quorumPercent / 100`, rounded down, where total supply is the
 * token's checkpointed total at the proposal's snapshot — every FLUX in existence, including the
 * Timelock's treasury and the rewards distributor's unclaimed balance. The deployment validator and
 * the Snapshot space settings use this same function.
 */
export const QUORUM_DENOMINATOR = 100n;

/** Votes (For + Abstain) a proposal needs when `totalSupply` FLUX exist at its snapshot. */
export function quorumOf(totalSupply: bigint, quorumPercent: number | bigint): bigint {
  return (totalSupply * BigInt(quorumPercent)) / QUORUM_DENOMINATOR;
}
