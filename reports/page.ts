/**
 * Self-contained HTML pages with inline SVG charts, for results a person would rather see than
 * read (`npm start`'s summary, `npm run crash`). No scripts, no external assets, no dependency:
 * one file that opens in any browser. Values are plotted as numbers (display only); the exact
 * amounts stay in the tables, formatted from bigint.
 */
/** Escapes text for HTML content and attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const PALETTE = ["#2f6fde", "#e0823d", "#3aa35b", "#b04fc2", "#c9473f", "#7a8a99"];

export interface BarSeries {
  name: string;
  values: number[];
}

/** Horizontal bars, one row per category, series stacked (e.g. one segment per chain). */
export function stackedBars(o: { categories: string[]; series: BarSeries[]; unit: string }): string {
  const rowH = 28;
  const left = 150;
  const width = 640;
  const plot = width - left - 130;
  const totals = o.categories.map((_, i) => o.series.reduce((s, x) => s + (x.values[i] ?? 0), 0));
  const max = Math.max(...totals, 1e-18);
  const legendH = 6 + 16 * o.series.length;
  const height = legendH + o.categories.length * rowH + 8;
  const parts: string[] = [];
  o.series.forEach((s, j) => {
    parts.push(`<rect x="${left}" y="${4 + 16 * j}" width="12" height="12" fill="${PALETTE[j % PALETTE.length]}"/>` +
      `<text x="${left + 16}" y="${14 + 16 * j}" font-size="12">${esc(s.name)}</text>`);
  });
  o.categories.forEach((c, i) => {
    const y = legendH + i * rowH;
    parts.push(`<text x="${left - 8}" y="${y + 18}" font-size="13" text-anchor="end">${esc(c)}</text>`);
    let x = left;
    o.series.forEach((s, j) => {
      const w = ((s.values[i] ?? 0) / max) * plot;
      if (w > 0) parts.push(`<rect x="${x.toFixed(1)}" y="${y + 5}" width="${w.toFixed(1)}" height="${rowH - 10}" fill="${PALETTE[j % PALETTE.length]}"><title>${esc(`${c} · ${s.name}: ${fmt(s.values[i] ?? 0)} ${o.unit}`)}</title></rect>`);
      x += w;
    });
    parts.push(`<text x="${(x + 6).toFixed(1)}" y="${y + 18}" font-size="12">${esc(`${fmt(totals[i]!)} ${o.unit}`)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img">${parts.join("")}</svg>`;
}

/** A step-line chart over x (e.g. time), one line per series, with axis labels. */
export function lineChart(o: { x: number[]; series: BarSeries[]; xLabel: string; yLabel: string; yMin?: number }): string {
  const width = 640;
  const [l, r, t, b] = [56, 16, 12 + 16 * o.series.length, 40];
  const height = 200 + t;
  const xs = o.x;
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs, xMin + 1);
  const all = o.series.flatMap((s) => s.values);
  const yMin = o.yMin ?? Math.min(...all, 0);
  const yMax = Math.max(...all, yMin + 1e-9);
  const px = (v: number) => l + ((v - xMin) / (xMax - xMin)) * (width - l - r);
  const py = (v: number) => height - b - ((v - yMin) / (yMax - yMin)) * (height - t - b);
  const parts = [
    `<line x1="${l}" y1="${height - b}" x2="${width - r}" y2="${height - b}" stroke="#999"/>`,
    `<line x1="${l}" y1="${t}" x2="${l}" y2="${height - b}" stroke="#999"/>`,
    `<text x="${(width + l) / 2}" y="${height - 8}" font-size="12" text-anchor="middle">${esc(o.xLabel)}</text>`,
    `<text x="14" y="${(height - b + t) / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${(height - b + t) / 2})">${esc(o.yLabel)}</text>`,
    `<text x="${l - 6}" y="${py(yMax) + 4}" font-size="11" text-anchor="end">${fmt(yMax)}</text>`,
    `<text x="${l - 6}" y="${py(yMin) + 4}" font-size="11" text-anchor="end">${fmt(yMin)}</text>`,
    `<text x="${l}" y="${height - b + 14}" font-size="11" text-anchor="middle">${fmt(xMin)}</text>`,
    `<text x="${width - r}" y="${height - b + 14}" font-size="11" text-anchor="end">${fmt(xMax)}</text>`,
  ];
  o.series.forEach((s, j) => {
    let d = "";
    s.values.forEach((v, i) => {
      const x = px(xs[i]!);
      d += i === 0 ? `M${x.toFixed(1)},${py(v).toFixed(1)}` : `H${x.toFixed(1)}V${py(v).toFixed(1)}`;
    });
    parts.push(`<path d="${d}" fill="none" stroke="${PALETTE[j % PALETTE.length]}" stroke-width="2"/>`);
    // one legend row per series, above the plot
    parts.push(`<rect x="${l + 8}" y="${4 + 16 * j}" width="12" height="12" fill="${PALETTE[j % PALETTE.length]}"/><text x="${l + 24}" y="${14 + 16 * j}" font-size="12">${esc(s.name)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img">${parts.join("")}</svg>`;
}

/** An HTML table; cells are text (escaped). */
export function table(headers: string[], rows: string[][], align: ("l" | "r")[] = []): string {
  const cell = (tag: string, text: string, i: number) => `<${tag}${align[i] === "r" ? ' class="r"' : ""}>${esc(text)}</${tag}>`;
  return `<table><thead><tr>${headers.map((h, i) => cell("th", h, i)).join("")}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((c, i) => cell("td", c, i)).join("")}</tr>`).join("") + `</tbody></table>`;
}

export interface Section {
  heading: string;
  /** Plain-text paragraphs (escaped). */
  text?: string[];
  /** Trusted HTML built with this module (charts, tables). */
  html?: string[];
}

/** The whole page. */
export function page(title: string, sections: Section[]): string {
  const body = sections.map((s) =>
    `<section><h2>${esc(s.heading)}</h2>${(s.text ?? []).map((p) => `<p>${esc(p)}</p>`).join("")}${(s.html ?? []).join("")}</section>`).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;max-width:900px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:22px}h2{font-size:17px;margin-top:1.8em;border-bottom:1px solid #ddd}table{border-collapse:collapse;margin:.6em 0}
td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:left}.r{text-align:right;font-variant-numeric:tabular-nums}svg{display:block;margin:.5em 0}</style>
</head><body><h1>${esc(title)}</h1>
${body}
</body></html>
`;
}

function fmt(v: number): string {
  return v.toLocaleString("en-US", { maximumFractionDigits: Math.abs(v) < 10 ? 3 : 0 });
}
