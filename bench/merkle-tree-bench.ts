/**
 * The Merkle builder bench as an `npm run bench` entry: goal 1,000,000 accounts, tree plus every
 * proof, in at most 3 s and 1 GiB here (see bench/merkle.ts for the peers and the method).
 */
import { merkleBench } from "./merkle.js";
import type { Bench } from "./bench.js";

export const merkleTreeBench: Bench = {
  name: "merkle tree",
  steps: 1,
  async run(_hre, progress) {
    const result = await merkleBench({});
    progress.step("done");
    const big = result.rows.find((r) => r.kind === "ours" && r.size === 1_000_000);
    const met = big?.status === "ok" && (big.seconds ?? Infinity) <= 3 && (big.peakRssMiB ?? Infinity) <= 1024;
    return {
      title: result.title,
      text: `${result.text}\nGoal (1M accounts in ≤ 3 s and ≤ 1 GiB): ${met ? "met" : "MISSED"}.`,
      goalsMet: met,
    };
  },
};
