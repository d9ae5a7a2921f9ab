/**
 * FLUX voting power at a Snapshot proposal's snapshot, on every chain of the space, two ways:
 *
 * - `strategyPower`: what Snapshot's `multichain` + `erc20-votes` strategies compute. The snapshot
 *   is a block on the space's network; on each other chain the block is the last one at or before
 *   that block's timestamp (Snapshot's blockfinder does the same by timestamp); power is
 *   `getVotes(voter)` called at that block.
 * - `pastVotesPower`: the token's own ERC-5805 history, `getPastVotes(voter, timestamp)` (FLUX
 *   uses the timestamp clock, ERC-6372). The local hub counts with this one, so `snapshot tally`
 *   checks the hub with an independent method rather than with the same code.
 *
 * Both return exact wei (bigint); Snapshot's float scores are derived from them only for display
 * and for snapshot.js's voting classes.
 */
import { Contract, formatUnits, type Provider } from "ethers";
import { blockAtOrBefore } from "../core/blocks.js";
import { votesStrategyChains, type Strategy } from "./settings.js";
import { InputError } from "../core/errors.js";

export const VOTES_ABI = [
  "function getVotes(address account) view returns (uint256)",
  "function getPastVotes(address account, uint256 timepoint) view returns (uint256)",
];

/** One chain of a space: its chain id, FLUX token, and an RPC provider for it. */
export interface PowerChain {
  chainId: number;
  token: string;
  provider: Provider;
}

/** The chains a space's strategies count, each with its provider; `missing(chainId)` reports a chain without one. */
export function powerChains(strategies: Strategy[], providers: Record<number, Provider>, missing: (chainId: number) => never): PowerChain[] {
  return votesStrategyChains(strategies).map((c) => ({ ...c, provider: providers[c.chainId] ?? missing(c.chainId) }));
}

/** The timestamp of block `snapshot` on the space's network. */
export async function snapshotTime(provider: Provider, snapshot: number): Promise<number> {
  const b = await provider.getBlock(snapshot);
  if (!b) throw new InputError(`snapshot block ${snapshot} does not exist on the space's network`);
  return b.timestamp;
}

/** Per voter, power on each chain (in `chains` order), as Snapshot's strategies compute it, and the block read on each chain. */
export async function strategyPower(chains: PowerChain[], time: number, voters: string[]): Promise<{ blocks: number[]; power: Map<string, bigint[]> }> {
  const perChain = await Promise.all(
    chains.map(async (c) => {
      const blockTag = await blockAtOrBefore(c.provider, time);
      const token = new Contract(c.token, VOTES_ABI, c.provider);
      return { blockTag, votes: await Promise.all(voters.map((v) => token.getFunction("getVotes").staticCall(v, { blockTag }) as Promise<bigint>)) };
    }),
  );
  return { blocks: perChain.map((p) => p.blockTag), power: new Map(voters.map((v, i) => [v, perChain.map((p) => p.votes[i]!)])) };
}

/**
 * Per chain power of one voter from the token's checkpoints: `getPastVotes(voter, time)`, or the
 * current votes when no block after `time` exists yet (ERC-5805 refuses a timepoint that is not in
 * the past, and with no later block the current votes are the votes at `time`).
 */
export async function pastVotesPower(chains: PowerChain[], time: number, voter: string): Promise<bigint[]> {
  return Promise.all(
    chains.map(async (c) => {
      const token = new Contract(c.token, VOTES_ABI, c.provider);
      const latest = await c.provider.getBlock("latest");
      if (latest && latest.timestamp <= time) return (await token.getFunction("getVotes").staticCall(voter, { blockTag: latest.number })) as bigint;
      return (await token.getFunction("getPastVotes").staticCall(voter, time)) as bigint;
    }),
  );
}

/** Snapshot's float representation of an 18-decimal amount (what its scores hold). */
export function toScore(wei: bigint): number {
  return Number(formatUnits(wei, 18));
}
