/** Stage 3: the leaves in ascending hash order, placed from the end of the node array. */
import { sharedUint32 } from "../proof-json.js";
import { sortByBytes, type SortScratch } from "../sort.js";
import type { Build } from "./context.js";

/**
 * Copies each leaf hash to its node; returns the node index of each value's leaf. The copy runs
 * in input order — sequential reads, each hash written to its node — rather than in tree order,
 * which reads the hashes at random: on the machine of docs/benchmarks.md scattered writes cost
 * about half as much as gathered reads here.
 */
export function placeLeaves(b: Build, scratch: SortScratch): Uint32Array {
  const { mem, n, L } = b;
  const byLeaf = sortByBytes(mem, L.leaf, 32, 32, n, scratch);
  const treeIndex = sharedUint32(n); // (shared: see `proof-json.ts`)
  for (let s = 0; s < n; s++) treeIndex[byLeaf[s]!] = L.nodeCount - 1 - s;
  const words = new Uint32Array(mem.buffer);
  for (let v = 0, src = L.leaf >> 2; v < n; v++, src += 8) {
    const dst = (L.tree + 32 * treeIndex[v]!) >> 2;
    for (let w = 0; w < 8; w++) words[dst + w] = words[src + w]!;
  }
  b.phase("leaf sort");
  return treeIndex;
}
