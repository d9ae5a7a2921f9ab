/**
 * Writing the proof files (`proof-layout.ts`) of a tree into a directory: `proofs/layout.json`,
 * every index file and every node file. Run by the output writer (`output.ts`) on the main
 * thread, or by the proof thread (`proof-thread.ts`) while the main thread writes tree.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { indexFile, nodeFile, proofLayout, type ProofLayout } from "./proof-layout.js";

/** What makes the proof files' JSON (a `RewardTree`, or a `ProofJson` over its shared memory). */
export interface ProofFileMaker {
  indexStarts(L: ProofLayout): Uint32Array;
  indexFileJson(starts: Uint32Array, p: number): Uint8Array;
  nodeFileJson(L: ProofLayout, r: number): Uint8Array;
}

/** proofs/layout.json, every index file and every node file of a tree of `count` accounts and root `root`; `tick(done, total)` reports progress. */
export function writeProofFiles(tmp: string, count: number, root: string, make: ProofFileMaker, tick: (done: number, total: number) => void): ProofLayout {
  const L = proofLayout(count, root);
  mkdirSync(path.join(tmp, "proofs", "index"), { recursive: true });
  mkdirSync(path.join(tmp, "proofs", "nodes"));
  writeFileSync(path.join(tmp, "proofs", "layout.json"), JSON.stringify(L) + "\n");
  const starts = make.indexStarts(L);
  const indexCount = 2 ** L.indexBits;
  const nodeCount = 2 ** L.nodeDepth;
  const total = indexCount + nodeCount;
  const firstNode = nodeCount - 1;
  writeEach(total, (k) => {
    tick(k, total);
    if (k < indexCount) return [path.join(tmp, indexFile(L, k)), make.indexFileJson(starts, k)];
    return [path.join(tmp, nodeFile(firstNode + k - indexCount)), make.nodeFileJson(L, firstNode + k - indexCount)];
  });
  return L;
}

/**
 * Writes `count` small files made by `make(k)`, in order, with synchronous calls: for thousands
 * of files of a few KB this measured about 5× faster than writing them through the thread pool
 * (1.1 s against 5.1 s for 12,288 files of 20 KB on a busy 2-core machine).
 */
function writeEach(count: number, make: (k: number) => [string, Uint8Array]): void {
  for (let k = 0; k < count; k++) {
    const [file, data] = make(k);
    writeFileSync(file, data, { flag: "wx" });
  }
}
