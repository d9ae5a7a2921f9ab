/** Stage 3: the leaves in ascending hash order, placed from the end of the node array. */
import { sharedUint32 } from "../proof-json.js";
import { sortByBytes, type SortScratch } from "../sort.js";
import type { Build } from "./context.js";

/** Copies each leaf hash to its node; returns the node index of each value's leaf. */
export function placeLeaves(b: Build, scratch: SortScratch): Uint32Array {
  const { mem, n, L } = b;
  const byLeaf = sortByBytes(mem, L.leaf, 32, 32, n, scratch);
  const treeIndex = sharedUint32(n); // (shared: see `proof-json.ts`)
  const words = new Uint32Array(mem.buffer);
  for (let s = 0; s < n; s++) {
    const v = byLeaf[s]!;
    const t = L.nodeCount - 1 - s;
    treeIndex[v] = t;
    const src = (L.leaf + 32 * v) >> 2;
    const dst = (L.tree + 32 * t) >> 2;
    for (let w = 0; w < 8; w++) words[dst + w] = words[src + w]!;
  }
  b.phase("leaf sort");
  return treeIndex;
}
