/**
 * Plain-words formatting shared by every command and report: token amounts, USD values, basis
 * points, short hashes, timestamps and text tables.
 */
import { FLUX_DECIMALS } from "./amounts.js";

/** Formats wei as a FLUX decimal string without losing precision (trailing zeros trimmed). */
export function formatFlux(wei: bigint, decimals = FLUX_DECIMALS): string {
  const neg = wei < 0n;
  const abs = neg ? -wei : wei;
  const base = 10n ** BigInt(decimals);
  const whole = abs / base;
  const frac = (abs % base).toString().padStart(decimals, "0").replace(/0+$/, "");
  const wholeStr = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${neg ? "-" : ""}${wholeStr}${frac ? "." + frac : ""}`;
}

/** USD value with 18 decimals, rounded to cents for display. */
export function usd(value: bigint): string {
  const cents = (value + 5n * 10n ** 15n) / 10n ** 16n;
  return `$${formatFlux(cents * 10n ** 16n).replace(/(\.\d)$/, "$10")}`;
}

/** Basis points as a percentage with two decimals ("13000" → "130.00%"). */
export const bpsToPercent = (bps: bigint | number): string => `${(Number(bps) / 100).toFixed(2)}%`;

/** A long hex string (address, hash) shortened to `0x123456…abcd` for display. */
export function short(hex: string): string {
  return hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex;
}

/** A timestamp (seconds) as an ISO date-time without milliseconds. */
export function iso(ts: bigint | number): string {
  return new Date(Number(ts) * 1000).toISOString().replace(".000Z", "Z");
}

/** Renders rows as a plain-text table with a header rule; `align` "r" right-aligns a column. */
export function renderTable(header: string[], rows: string[][], align: ("l" | "r")[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const cell = (text: string, i: number) => (align[i] === "r" ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const line = (cells: string[]) => cells.map((c, i) => cell(c, i)).join(" | ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n");
}
