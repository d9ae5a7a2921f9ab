/**
 * Finding blocks by time on a chain we only reach by RPC.
 */
import type { Provider } from "ethers";
import { InputError } from "./errors.js";

/** The number of the last block with timestamp ≤ `timestamp` (binary search over the chain's blocks). */
export async function blockAtOrBefore(provider: Provider, timestamp: number): Promise<number> {
  const time = async (n: number) => {
    const b = await provider.getBlock(n);
    if (!b) throw new InputError(`block ${n} not found`);
    return b.timestamp;
  };
  let hi = await provider.getBlockNumber();
  if ((await time(hi)) <= timestamp) return hi;
  let lo = 0;
  if ((await time(0)) > timestamp) throw new InputError(`the chain has no block at or before ${timestamp}`);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await time(mid)) <= timestamp) lo = mid;
    else hi = mid;
  }
  return lo;
}
