/** Small DOM helpers shared by the pages (no framework: the pages are small and static-hostable). */
import { formatFlux } from "../../src/core/format.js";

type Child = Node | string | null | undefined | false;

/** `h("p", { class: "x" }, "text", node)`: an element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/**
 * A FLUX amount for reading: thousands separators and at most four decimals (cut, never rounded
 * up), with the exact amount in wei on hover (`title`) and in `data-wei` for tests.
 */
export function fluxAmount(wei: bigint, decimals = 18): HTMLSpanElement {
  const full = formatFlux(wei, decimals);
  const [whole, frac = ""] = full.split(".");
  const shown = frac.slice(0, 4).replace(/0+$/, "");
  const text = `${whole}${shown ? "." + shown : ""}${frac.length > 4 && /[1-9]/.test(frac.slice(4)) ? "…" : ""}`;
  return h("span", { class: "amount", title: `${wei.toString()} wei`, "data-wei": wei.toString() }, text);
}

/** An amount in units of `decimals` with thousands separators and at most `places` decimals (cut, never rounded up). */
export function cutUnits(v: bigint, decimals: number, places: number): string {
  const [whole, frac = ""] = formatFlux(v, decimals).split(".");
  const kept = frac.slice(0, places);
  return kept ? `${whole}.${kept}` : whole!;
}

/** Replaces the children of `el`. */
export function render(el: Element, ...children: Child[]): void {
  el.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
}
