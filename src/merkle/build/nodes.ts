/**
 * Stage 4: the inner nodes, level by level from the deepest (a level's nodes depend only on the
 * level below; a large level is split into pieces for the tasks), and meanwhile every proof: the
 * siblings from the leaf to the root, as node indices.
 */
import { MAX_PIECES } from "../layout.js";
import type { Build } from "./context.js";

/** All proofs: value v's is `proofNodes[proofOffsets[v] .. proofOffsets[v+1])`. */
export interface Proofs {
  proofOffsets: Uint32Array;
  proofNodes: Uint32Array;
}

/**
 * Hashes every inner node. With `eager`, the proofs are computed meanwhile (while the helper
 * thread hashes, if any); otherwise on first use. Returns them, or how to get them.
 */
export function hashNodes(b: Build, treeIndex: Uint32Array, eager: boolean): () => Proofs {
  const { n, L, tasks } = b;
  let proofs: Proofs | undefined;
  for (let d = n > 1 ? 31 - Math.clz32(n - 1) : -1; d >= 0; d--) {
    const lo = 2 ** d - 1;
    const hi = Math.min(2 ** (d + 1) - 1, n - 1);
    if (lo >= hi) continue;
    if (tasks.parallel && d >= 2 && hi - lo >= 2 * L.chunk) {
      const ids = publishLevel(b, lo, hi);
      if (!proofs && eager) {
        proofs = allProofs(b.mem, L.proofs, L.proofCount, treeIndex);
        b.phase("proofs");
      }
      for (let p = ids.length - 1; p >= 0; p--) tasks.settle(ids[p]!);
    } else {
      b.hash.nodes(L.tree, lo, hi);
    }
  }
  b.phase("keccak: nodes");
  if (eager) {
    proofs ??= allProofs(b.mem, L.proofs, L.proofCount, treeIndex);
    b.phase("proofs");
  }
  const { mem } = b;
  return () => (proofs ??= allProofs(mem, L.proofs, L.proofCount, treeIndex));
}

/** Publishes nodes [lo, hi) of one level as up to MAX_PIECES tasks; returns their ids. */
function publishLevel(b: Build, lo: number, hi: number): number[] {
  const pieces = Math.min(MAX_PIECES, Math.ceil((hi - lo) / b.L.chunk));
  const ids: number[] = [];
  for (let p = 0; p < pieces; p++) {
    ids.push(b.tasks.nodes(lo + Math.floor(((hi - lo) * p) / pieces), lo + Math.floor(((hi - lo) * (p + 1)) / pieces)));
  }
  return ids;
}

/** The proofs of all values, into the proofs region: the siblings from each leaf to the root. */
function allProofs(mem: Uint8Array, at: number, count: number, treeIndex: Uint32Array): Proofs {
  const n = treeIndex.length;
  const proofNodes = new Uint32Array(mem.buffer, at, count);
  const proofOffsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) proofOffsets[i + 1] = proofOffsets[i]! + (31 - Math.clz32(treeIndex[i]! + 1));
  if (proofOffsets[n] !== proofNodes.length) throw new Error("internal: proof lengths");
  for (let i = 0, p = 0; i < n; i++) {
    let t = treeIndex[i]!;
    while (t > 0) {
      proofNodes[p++] = t & 1 ? t + 1 : t - 1;
      t = (t - 1) >>> 1;
    }
  }
  return { proofOffsets, proofNodes };
}
