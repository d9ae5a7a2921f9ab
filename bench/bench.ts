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

/** Renders rows as a plain-text table with a header rule; `align` "r" right-aligns a column. */
export function renderTable(header: string[], rows: string[][], align: ("l" | "r")[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const cell = (text: string, i: number) => (align[i] === "r" ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const line = (cells: string[]) => cells.map((c, i) => cell(c, i)).join(" | ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n");
}
