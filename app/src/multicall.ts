/**
 * Batched reads: every value a refresh needs from one chain goes out as one Multicall3
 * `aggregate3` eth_call (canonical address 0xcA11…CA11), each call allowed to fail on its own, so
 * a page refresh costs one RPC round trip per chain instead of one per value.
 */
import { Interface, type JsonRpcProvider, type Result } from "ethers";

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
export async function readBatch(provider: JsonRpcProvider, multicall: string, reads: readonly Read[], blockTag?: number): Promise<Batch> {
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
