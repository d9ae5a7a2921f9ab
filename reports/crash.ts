/**
 * The crash replay's report (`npm run crash`): the results of every scenario under each set of
 * lines, side by side, as a text table and as a page with charts.
 */
import type { CrashResult } from "../demo/types.js";
import { bufferOf } from "../src/markets/risk.js";
import { lineChart, page, table } from "./page.js";
import { usd, renderTable } from "../src/core/format.js";

export interface CrashReport {
  results: CrashResult[];
  text: string;
  /** The same as a page: per scenario, the price path and positions liquidated under each set of lines. */
  html: string;
}

/** The results as a table (text) and as a page with a price chart and a liquidations chart per scenario. */
export function renderCrash(results: CrashResult[]): { text: string; html: string } {
  const header = ["scenario", "lines", "positions liquidated", "liquidations", "debt repaid", "collateral seized", "bad debt", "first hit at"];
  const rows = results.map((r) => [
    r.scenario,
    r.lines,
    `${r.liquidatedPositions}/${r.positions}`,
    String(r.liquidations),
    usd(r.repaidUsd),
    usd(r.seizedUsd),
    usd(r.badDebtUsd),
    r.firstLiquidationAt === null ? "never" : `-${((1 - r.firstLiquidationAt) * 100).toFixed(1)}%`,
  ]);
  const align: ("l" | "r")[] = ["l", "l", "r", "r", "r", "r", "r", "r"];
  const intro = [
    "Crash replay: positions opened at their borrow limit (WETH collateral, USDT debt), liquidated instantly at every price step.",
    `Buffer before liquidation from the borrow limit: Flux 130% → ${(bufferOf(13_000, 11_000) * 100).toFixed(1)}%, 140% → ${(bufferOf(14_000, 11_000) * 100).toFixed(1)}%; ` +
      [...new Map(results.map((r) => [r.lines, r.buffer])).entries()].map(([lines, buffer]) => `${lines} → ${(buffer * 100).toFixed(3)}%`).join("; ") + ".",
  ];
  const text = [...intro, "", renderTable(header, rows, align)].join("\n");
  const scenarios = [...new Set(results.map((r) => r.scenario))];
  const html = page("Crash replay: Flux's lines vs Compound-style lines", [
    { heading: "Summary", text: intro, html: [table(header, rows, align)] },
    ...scenarios.map((name) => {
      const runs = results.filter((r) => r.scenario === name);
      const x = runs[0]!.steps.map((s) => s.t / 60);
      return {
        heading: name,
        html: [
          lineChart({ x, series: [{ name: "WETH price (× start)", values: runs[0]!.steps.map((s) => s.factor) }], xLabel: "minutes", yLabel: "price", yMin: 0 }),
          lineChart({ x, series: runs.map((r) => ({ name: `liquidated: ${r.lines}`, values: r.steps.map((s) => s.liquidatedPositions) })), xLabel: "minutes", yLabel: "positions liquidated", yMin: 0 }),
        ],
      };
    }),
  ]);
  return { text, html };
}
