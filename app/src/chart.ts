/**
 * A small SVG step/line chart of bigint series over time (no library: the page stays static and
 * small). Values are scaled to the chart by exact bigint division, so no float touches an amount
 * until it becomes a pixel.
 */
import { cutUnits } from "./dom.js";

export interface Series {
  name: string;
  color: string;
  /** (unix seconds, wei), sorted by time. */
  points: readonly (readonly [number, bigint])[];
  /** Step (hold the value until the next point) or straight lines between points. */
  step?: boolean;
}

const NS = "http://www.w3.org/2000/svg";
const el = (tag: string, attrs: Record<string, string | number>) => {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
};

/** The chart as an `<svg role="img">` with a title naming each series' last value. */
export function lineChart(title: string, series: readonly Series[], from: number, to: number): SVGSVGElement {
  const W = 560, H = 220, L = 70, R = 10, T = 10, B = 40;
  const max = series.flatMap((s) => s.points.map((p) => p[1])).reduce((a, b) => (b > a ? b : a), 1n);
  const span = Math.max(1, to - from);
  const x = (t: number) => L + ((Math.min(Math.max(t, from), to) - from) / span) * (W - L - R);
  const y = (v: bigint) => T + (H - T - B) - Number((v * 10_000n) / max) / 10_000 * (H - T - B);
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img" }) as SVGSVGElement;
  const last = series.map((s) => `${s.name} ${cutUnits(s.points.at(-1)?.[1] ?? 0n, 18, 0)} FLUX`).join(", ");
  svg.setAttribute("aria-label", `${title}: ${last}`);
  svg.append(el("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#999" }), el("line", { x1: L, y1: T, x2: L, y2: H - B, stroke: "#999" }));
  const label = (text: string, ax: number, ay: number, anchor = "middle") => {
    const t = el("text", { x: ax, y: ay, "text-anchor": anchor });
    t.textContent = text;
    svg.append(t);
  };
  label(cutUnits(max, 18, 0), L - 4, T + 10, "end");
  label("0", L - 4, H - B, "end");
  label(new Date(from * 1000).toISOString().slice(0, 10), L, H - B + 16, "start");
  label(new Date(to * 1000).toISOString().slice(0, 10), W - R, H - B + 16, "end");
  series.forEach((s, i) => {
    if (!s.points.length) return;
    let d = "";
    s.points.forEach(([t, v], j) => {
      const px = x(t).toFixed(1), py = y(v).toFixed(1);
      if (j === 0) d += `M${px},${py}`;
      else d += s.step ? `H${px}V${py}` : `L${px},${py}`;
    });
    if (s.step) d += `H${x(to).toFixed(1)}`;
    svg.append(el("path", { d, fill: "none", stroke: s.color, "stroke-width": 2 }));
    const key = el("rect", { x: L + 10 + i * 150, y: H - 14, width: 10, height: 10, fill: s.color });
    svg.append(key);
    label(s.name, L + 24 + i * 150, H - 5, "start");
  });
  return svg;
}
