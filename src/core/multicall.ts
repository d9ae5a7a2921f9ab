/**
 * Batched reads through Multicall3 (canonical address {@link MULTICALL3_ADDRESS} on every chain
 * Flux runs on, and placed there by the devnet): many view calls go out as one `aggregate3`
 * eth_call, each allowed to fail on its own, so a page refresh or a keeper's health scan costs
 * one RPC round trip per batch instead of one per value. Browser-safe (ethers only).
 */
import { Interface, type Provider, type Result } from "ethers";

/** Multicall3's address, the same on every EVM chain it is deployed to (mds1/multicall). */
export const MULTICALL3_ADDRESS = "0xcA11bde05977b3631167028862bE2a173976CA11";

const MULTICALL3 = new Interface([
  "function aggregate3((address target, bool allowFailure, bytes callData)[] calls) payable returns ((bool success, bytes returnData)[] returnData)",
  "function getCurrentBlockTimestamp() view returns (uint256 timestamp)",
  "function getBlockNumber() view returns (uint256 blockNumber)",
]);

/** One read: `fn(...args)` on `target` through `iface`. */
export interface Read {
  target: string;
  iface: Interface;
  fn: string;
  args?: readonly unknown[];
}

/** A read's outcome: its decoded result, or the revert data when it reverted. */
export type ReadResult = { ok: true; value: Result } | { ok: false; revert: string };

/** The block the batch was read at (the multicall's own view of it). */
export interface Batch {
  results: ReadResult[];
  blockNumber: bigint;
  timestamp: bigint;
}

/** Reads every `reads` in one eth_call to Multicall3 at `multicall` (at `blockTag`, default latest), with the block number and time. */
export async function readBatch(provider: Provider, multicall: string, reads: readonly Read[], blockTag?: number): Promise<Batch> {
  const calls = [
    { target: multicall, allowFailure: false, callData: MULTICALL3.encodeFunctionData("getBlockNumber") },
    { target: multicall, allowFailure: false, callData: MULTICALL3.encodeFunctionData("getCurrentBlockTimestamp") },
    ...reads.map((r) => ({ target: r.target, allowFailure: true, callData: r.iface.encodeFunctionData(r.fn, r.args ?? []) })),
  ];
  const data = await provider.call({ to: multicall, data: MULTICALL3.encodeFunctionData("aggregate3", [calls]), blockTag });
  const [out] = MULTICALL3.decodeFunctionResult("aggregate3", data) as unknown as [{ success: boolean; returnData: string }[]];
  const [block, time, ...rest] = out;
  return {
    blockNumber: BigInt(block!.returnData),
    timestamp: BigInt(time!.returnData),
    results: rest.map((r, i) =>
      r.success ? { ok: true, value: reads[i]!.iface.decodeFunctionResult(reads[i]!.fn, r.returnData) } : { ok: false, revert: r.returnData },
    ),
  };
}

/** The value of a read that must have succeeded, or an Error naming it. */
export function valueOf(r: ReadResult | undefined, what: string): Result {
  if (!r) throw new Error(`${what}: not read`);
  if (!r.ok) throw new Error(`${what}: the call reverted (${r.revert.slice(0, 10)})`);
  return r.value;
}

/** Calls per aggregate3 of {@link readBatches} by default: below Hardhat's and common nodes' eth_call gas caps for views of a few thousand gas each. */
export const DEFAULT_BATCH_CALLS = 500;

/**
 * Reads every one of `reads`, `batchCalls` per aggregate3 eth_call, all at one block: the block
 * is `blockTag` or, by default, the latest block when the reads start, so that a scan split into
 * many batches still sees one state. Batches go out `parallel` at a time (default 4). Returns
 * the results in order, the block and its time, and how many RPC round trips it took.
 */
export async function readBatches(
  provider: Provider,
  multicall: string,
  reads: readonly Read[],
  o: { blockTag?: number; batchCalls?: number; parallel?: number } = {},
): Promise<Batch & { roundTrips: number }> {
  const size = o.batchCalls ?? DEFAULT_BATCH_CALLS;
  if (!Number.isInteger(size) || size < 1) throw new Error(`readBatches: batchCalls must be a positive integer, got ${size}`);
  let roundTrips = 0;
  const blockTag = o.blockTag ?? (roundTrips++, await provider.getBlockNumber());
  const chunks: Read[][] = [];
  for (let i = 0; i < reads.length; i += size) chunks.push(reads.slice(i, i + size));
  if (chunks.length === 0) chunks.push([]);
  const out: Batch[] = new Array(chunks.length);
  const parallel = Math.max(1, o.parallel ?? 4);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(parallel, chunks.length) }, async () => {
    while (next < chunks.length) {
      const k = next++;
      roundTrips++;
      out[k] = await readBatch(provider, multicall, chunks[k]!, blockTag);
    }
  }));
  return { results: out.flatMap((b) => b.results), blockNumber: out[0]!.blockNumber, timestamp: out[0]!.timestamp, roundTrips };
}
