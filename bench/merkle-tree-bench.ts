/**
 * The Merkle builder bench as an `npm run bench` entry: goals at 1,000,000 accounts — tree plus
 * every proof in at most 3 s and 1 GiB; the whole `emissions tree` command in at most 6 s and
 * 1 GiB and at least 4× faster than merkletreejs; one lookup at most 64 KiB of proof files (see
 * bench/merkle.ts for the peers and the method).
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
    const command = result.rows.find((r) => r.kind === "command" && r.size === 1_000_000);
    const peer = result.rows.find((r) => r.kind === "merkletreejs" && r.size === 1_000_000);
    const buildMet = big?.status === "ok" && (big.seconds ?? Infinity) <= 3 && (big.peakRssMiB ?? Infinity) <= 1024;
    const commandMet = command?.status === "ok" && (command.seconds ?? Infinity) <= 6 && (command.peakRssMiB ?? Infinity) <= 1024 &&
      peer?.seconds !== undefined && peer.seconds / command.seconds! >= 4;
    const lookupMet = (command?.lookupKiB ?? Infinity) <= 64;
    const met = buildMet && commandMet && lookupMet;
    return {
      title: result.title,
      text: `${result.text}\nGoal (1M accounts in ≤ 3 s and ≤ 1 GiB): ${buildMet ? "met" : "MISSED"}.` +
        `\nGoal (the whole command at 1M in ≤ 6 s, ≤ 1 GiB, ≥ 4× faster than merkletreejs): ${commandMet ? "met" : "MISSED"}.` +
        `\nGoal (one account's lookup at 1M fetches ≤ 64 KiB: largest index file + largest node file): ${lookupMet ? "met" : "MISSED"}.`,
      goalsMet: met,
    };
  },
};
