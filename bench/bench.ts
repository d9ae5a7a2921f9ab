/**
 * The shape of a benchmark run by `npm run bench` (scripts/bench.ts): each bench has a name, says
 * how many progress steps it will report, runs on the Hardhat runtime and returns a printable
 * section. Adding a bench means adding one entry to the list in scripts/bench.ts.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

export interface BenchProgress {
  /** Called once per completed step, with a short label of what just finished. */
  step(label: string): void;
}

export interface BenchSection {
  title: string;
  /** Ready-to-print text (header, table, summary). */
  text: string;
  /** Whether every goal of the bench is met. */
  goalsMet: boolean;
}

export interface Bench {
  name: string;
  /** Number of `progress.step` calls a run makes (for the progress bar). */
  steps: number;
  run(hre: HardhatRuntimeEnvironment, progress: BenchProgress): Promise<BenchSection>;
}

