/**
 * Batched reads through Multicall3 (canonical address {@link MULTICALL3_ADDRESS} on every chain
 * Flux runs on, and placed there by the devnet): many view calls go out as one `aggregate3`
 * eth_call, each allowed to fail on its own, so a page refresh or a keeper's health scan costs
 * one RPC round trip per batch instead of one per value. Browser-safe (ethers only).
 */
import { Interface, type FunctionFragment, type Provider, type Result } from "ethers";

/** Multicall3's address, the same on every EVM chain it is deployed to (mds1/multicall). */
export const MULTICALL3_ADDRESS = "0xcA11bde05977b3631167028862bE2a173976CA11";

const MULTICALL3 = new Interface([
  "function aggregate3((address target, bool allowFailure, bytes callData)[] calls) payable returns ((bool success, bytes returnData)[] returnData)",
  "function getCurrentBlockTimestamp() view returns (uint256 timestamp)",
  "function getBlockNumber() view returns (uint256 blockNumber)",
]);

/** One read: `fn(...args)` on `target` through `iface` (or `decode` for a faster decoding of its return data). */
export interface Read {
  target: string;
  iface: Interface;
  fn: string;
  args?: readonly unknown[];
  /** Decodes the return data instead of `iface` (e.g. {@link uintRows} for an array of uint256 tuples). */
  decode?: (returnData: string) => Result;
  /** The call data, already encoded (e.g. by {@link addressListCall}): `iface`, `fn` and `args` then only name the call. */
  callData?: string;
  /** How many calls' worth this read is, for batching (default 1): a batched view over n accounts weighs n. */
  weight?: number;
}

/** A read's outcome: its decoded result, or the revert data when it reverted. */
export type ReadResult = { ok: true; value: Result } | { ok: false; revert: string };

/** The block the batch was read at (the multicall's own view of it). */
export interface Batch {
  results: ReadResult[];
  blockNumber: bigint;
  timestamp: bigint;
}

const AGGREGATE3 = MULTICALL3.getFunction("aggregate3")!.selector.slice(2);
const word = (n: number) => n.toString(16).padStart(64, "0");

/**
 * `aggregate3(calls)` calldata, encoded by hand: the same bytes as ethers' ABI coder (tested), at a
 * fraction of its cost for thousands of calls. `calls[i].callData` is 0x-prefixed hex.
 */
export function encodeAggregate3(calls: readonly { target: string; allowFailure: boolean; callData: string }[]): string {
  const parts: string[] = [`0x${AGGREGATE3}`, word(32), word(calls.length)];
  const bodies: string[] = [];
  let offset = 32 * calls.length;
  for (const c of calls) {
    const data = c.callData.slice(2);
    const len = data.length / 2;
    const padded = data.padEnd(Math.ceil(len / 32) * 64, "0");
    parts.push(word(offset));
    const body = `${c.target.slice(2).toLowerCase().padStart(64, "0")}${word(c.allowFailure ? 1 : 0)}${word(96)}${word(len)}${padded}`;
    bodies.push(body);
    offset += body.length / 2;
  }
  return parts.join("") + bodies.join("");
}

/** The `(bool success, bytes returnData)[]` that `aggregate3` returns, decoded by hand (see {@link encodeAggregate3}). */
export function decodeAggregate3(result: string): { success: boolean; returnData: string }[] {
  const h = result.slice(2);
  // an ABI word read as a number: offsets and lengths, far below 2^53
  const at = (byte: number) => {
    if (byte * 2 + 64 > h.length) throw new Error("aggregate3: return data too short");
    return parseInt(h.slice(byte * 2 + 40, byte * 2 + 64), 16);
  };
  const array = at(0);
  const n = at(array);
  const base = array + 32;
  const out = new Array<{ success: boolean; returnData: string }>(n);
  for (let k = 0; k < n; k++) {
    const tuple = base + at(base + 32 * k);
    const bytes = tuple + at(tuple + 32);
    const len = at(bytes);
    if ((bytes + 32 + len) * 2 > h.length) throw new Error("aggregate3: return data too short");
    out[k] = { success: at(tuple) !== 0, returnData: `0x${h.slice((bytes + 32) * 2, (bytes + 32 + len) * 2)}` };
  }
  return out;
}

/** Reads every `reads` in one eth_call to Multicall3 at `multicall` (at `blockTag`, default latest), with the block number and time. */
export async function readBatch(provider: Provider, multicall: string, reads: readonly Read[], blockTag?: number): Promise<Batch> {
  const calls = [
    { target: multicall, allowFailure: false, callData: MULTICALL3.encodeFunctionData("getBlockNumber") },
    { target: multicall, allowFailure: false, callData: MULTICALL3.encodeFunctionData("getCurrentBlockTimestamp") },
    ...reads.map((r) => ({ target: r.target, allowFailure: true, callData: r.callData ?? r.iface.encodeFunctionData(fragment(r.iface, r.fn), r.args ?? []) })),
  ];
  const data = await provider.call({ to: multicall, data: encodeAggregate3(calls), blockTag });
  const [block, time, ...rest] = decodeAggregate3(data);
  return {
    blockNumber: BigInt(block!.returnData),
    timestamp: BigInt(time!.returnData),
    results: rest.map((r, i) => {
      if (!r.success) return { ok: false, revert: r.returnData };
      const read = reads[i]!;
      return { ok: true, value: read.decode ? read.decode(r.returnData) : read.iface.decodeFunctionResult(fragment(read.iface, read.fn), r.returnData) };
    }),
  };
}

/** Function fragments by interface and name, looked up once (ethers looks a name up in the whole ABI on every call). */
const FRAGMENTS = new WeakMap<Interface, Map<string, FunctionFragment>>();
function fragment(iface: Interface, fn: string): FunctionFragment {
  let m = FRAGMENTS.get(iface);
  if (!m) FRAGMENTS.set(iface, (m = new Map()));
  let f = m.get(fn);
  if (!f) {
    f = iface.getFunction(fn) ?? undefined;
    if (!f) throw new Error(`no function ${fn} in the interface`);
    m.set(fn, f);
  }
  return f;
}

/**
 * The call data of `fn(address[])` on `iface`, built by hand (selector, offset, length and the
 * padded addresses), for batched views such as a market's `storedHoldings`: thousands of
 * addresses per scan cost ethers' ABI coder more than the chain takes to read them.
 */
export function addressListCall(iface: Interface, fn: string): (accounts: readonly string[]) => string {
  const selector = fragment(iface, fn).selector;
  return (accounts) => `${selector}${word(32)}${word(accounts.length)}${accounts.map((a) => a.slice(2).toLowerCase().padStart(64, "0")).join("")}`;
}

/**
 * A decoder of a returned array of static tuples of `width` uint256 words (such as
 * `StoredHolding[]`): its one value is the array of rows, each `width` bigints. Refuses return
 * data of any other shape.
 */
export function uintRows(width: number): (returnData: string) => Result {
  return (data) => {
    const words = (data.length - 2) / 64;
    const n = words >= 2 ? parseInt(data.slice(66, 130), 16) : -1;
    if (!Number.isInteger(words) || words < 2 || BigInt(`0x${data.slice(2, 66)}`) !== 32n || words !== 2 + n * width) {
      throw new Error(`expected an array of ${width}-word tuples as return data, got ${(data.length - 2) / 2} bytes`);
    }
    const rows = new Array<bigint[]>(n);
    for (let i = 0, at = 130; i < n; i++) {
      const row = new Array<bigint>(width);
      for (let w = 0; w < width; w++, at += 64) row[w] = BigInt(`0x${data.slice(at, at + 64)}`);
      rows[i] = row;
    }
    return [rows] as unknown as Result;
  };
}

/** The value of a read that must have succeeded, or an Error naming it. */
export function valueOf(r: ReadResult | undefined, what: string): Result {
  if (!r) throw new Error(`${what}: not read`);
  if (!r.ok) throw new Error(`${what}: the call reverted (${r.revert.slice(0, 10)})`);
  return r.value;
}

/** Calls (weight, see {@link Read}) per aggregate3 of {@link readBatches} by default: far below nodes' eth_call gas caps for views of a few thousand gas each; on the embedded chain 250 measured faster than 500 or 1,000 per batch (Multicall3's return data grows in memory). */
export const DEFAULT_BATCH_CALLS = 250;

/**
 * Reads every one of `reads`, up to `batchCalls` of weight per aggregate3 eth_call (a read
 * heavier than that goes alone), all at one block: the block
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
  let chunk: Read[] = [];
  let weight = 0;
  for (const r of reads) {
    const w = r.weight ?? 1;
    if (chunk.length && weight + w > size) {
      chunks.push(chunk);
      chunk = [];
      weight = 0;
    }
    chunk.push(r);
    weight += w;
  }
  if (chunk.length || chunks.length === 0) chunks.push(chunk);
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
