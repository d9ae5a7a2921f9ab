/**
 * `npm run bench`: runs every benchmark in BENCHES with a progress bar, then prints each one's
 * section (header, table, goal summary). To add a bench, implement `Bench` (bench/bench.ts)
 * and append it to BENCHES. `BENCH=<name>[,<name>...] npm run bench` runs only the named benches
 * (e.g. `BENCH=allocation`).
 */
import hre from "hardhat";
import cliProgress from "cli-progress";
import type { Bench, BenchSection } from "../bench/bench.js";
import { allocationBench } from "../bench/allocation.js";
import { claimsGasBench } from "../bench/claims-gas.js";
import { marketsGasBench } from "../bench/markets-gas.js";
import { merkleTreeBench } from "../bench/merkle-tree-bench.js";
import { keeperScanBench } from "../bench/keeper-scan.js";
import { runCommand } from "../src/core/command.js";

const ALL: Bench[] = [marketsGasBench, claimsGasBench, allocationBench, merkleTreeBench, keeperScanBench];
const only = process.env.BENCH?.split(",").map((s) => s.trim());
const BENCHES = only ? ALL.filter((b) => only.includes(b.name)) : ALL;
if (BENCHES.length === 0) throw new Error(`BENCH=${process.env.BENCH} names no bench (${ALL.map((b) => b.name).join(", ")})`);

const bar = new cliProgress.SingleBar(
  { format: " {bench} {bar} {value}/{total} | {label}", hideCursor: true },
  cliProgress.Presets.shades_classic,
);
await runCommand(async () => {
  const started = Date.now();
  const sections: BenchSection[] = [];
  for (const bench of BENCHES) {
    bar.start(bench.steps, 0, { bench: bench.name, label: "starting" });
    try {
      sections.push(await bench.run(hre, { step: (label) => bar.increment(1, { label }) }));
    } finally {
      bar.stop();
    }
  }
  for (const s of sections) {
    console.log(`\n== ${s.title}\n${s.text}`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`\n${sections.filter((s) => s.goalsMet).length}/${sections.length} benches meet their goals (${seconds} s).`);
}, { hre });
