/**
 * The dashboard page: per chain, the emissions chart and figures, the roots with the challenge
 * window's countdown, governance proposals with votes, quorum and a Tally link, and the markets.
 * Every figure is a value read by app/src/dashboard.ts, shown with its exact value in `data-*`.
 */
import { countdown, hasRoot, type RootView } from "./claim.js";
import { readFailure } from "./chain.js";
import { lineChart } from "./chart.js";
import type { AppConfig } from "./config.js";
import { readDashboard, type ChainDashboard, type MarketRow, type Proposal } from "./dashboard.js";
import { cutUnits, fluxAmount, h, render } from "./dom.js";
import { MAX_UINT256 } from "../../src/core/amounts.js";

const pct = (wad: bigint) => `${(Number((wad * 10_000n) / 10n ** 18n) / 100).toFixed(2)}%`;
const bps = (b: number) => `${(b / 100).toFixed(2)}%`;
const date = (t: bigint) => new Date(Number(t) * 1000).toISOString().replace(".000Z", "Z");
const units = (v: bigint, decimals: number) => h("span", { class: "amount", title: `${v} base units`, "data-raw": v.toString() }, cutUnits(v, decimals, 2));

function rootBlock(label: string, r: RootView, now: bigint, window: bigint, pending: boolean): HTMLElement {
  if (!hasRoot(r)) return h("div", { "data-root": label }, h("h4", {}, label), h("p", {}, "none"));
  const at = r.submittedAt + window;
  return h("div", { "data-root": label }, h("h4", {}, label),
    h("dl", {},
      h("dt", {}, "Root"), h("dd", {}, h("code", { "data-field": "root" }, r.root)),
      h("dt", {}, "Epoch ends"), h("dd", { "data-field": "epochEnd", "data-raw": r.epochEnd.toString() }, date(r.epochEnd)),
      h("dt", {}, "Total"), h("dd", { "data-field": "total" }, fluxAmount(r.total), " FLUX"),
      h("dt", {}, "Content hash"), h("dd", {}, h("code", { "data-field": "contentHash" }, r.contentHash)),
      pending ? h("dt", {}, "Challenge window") : null,
      pending ? h("dd", { "data-field": "activates", "data-raw": at.toString() }, at <= now ? "over: anyone may activate it" : `ends in ${countdown(at, now)} (${date(at)})`) : null,
    ));
}

function emissionsSection(d: ChainDashboard): HTMLElement | null {
  const e = d.emissions;
  if (!e) return null;
  const from = e.scheduled[0]?.[0] ?? Number(d.now);
  return h("section", { "aria-label": `Emissions on ${d.chain.name}`, "data-section": "emissions" },
    h("h3", {}, "Emissions"),
    lineChart(`FLUX emissions on ${d.chain.name}`, [
      { name: "scheduled", color: "#0b5394", points: e.scheduled },
      { name: "published", color: "#b45f06", points: e.published, step: true },
      { name: "claimed", color: "#38761d", points: e.claimed, step: true },
    ], from, Number(d.now)),
    h("dl", {},
      h("dt", {}, "Scheduled so far"), h("dd", { "data-field": "scheduledNow" }, fluxAmount(e.scheduledNow), " FLUX"),
      h("dt", {}, "Today's rate"), h("dd", { "data-field": "ratePerDay" }, fluxAmount(e.ratePerDay), " FLUX / day"),
      h("dt", {}, "Claimed"), h("dd", { "data-field": "totalClaimed" }, fluxAmount(e.totalClaimed), " FLUX"),
      h("dt", {}, "Claims"), h("dd", { "data-field": "paused" }, e.paused ? "paused" : "open"),
      ...e.bonuses.flatMap((b, i) => [h("dt", {}, `Launch bonus ${i + 1}`), h("dd", { "data-field": `bonus-${i}` }, fluxAmount(b.amount), ` FLUX, ${date(b.start)} → ${date(b.end)}${b.end <= d.now ? " (ended)" : ""}`)]),
    ),
    h("h3", {}, "Roots"),
    h("div", { class: "grid" }, rootBlock("Active root", e.active, d.now, e.challengeWindow, false), rootBlock("Pending root", e.pending, d.now, e.challengeWindow, true)),
  );
}

function proposalRow(p: Proposal): HTMLElement {
  const title = p.description.split("\n")[0]!.replace(/^#\s*/, "").slice(0, 120);
  const counted = p.forVotes + p.abstainVotes;
  const progress = p.quorum === null ? "fixed at the snapshot" : p.quorum === 0n ? "100%" : `${Math.min(100, Number((counted * 10_000n) / p.quorum) / 100).toFixed(2)}% of ${cutUnits(p.quorum, 18, 0)}`;
  return h("tr", { "data-proposal": p.id.toString() },
    h("td", {}, p.tally ? h("a", { href: p.tally, rel: "noopener" }, title) : title),
    h("td", { "data-field": "state" }, p.state),
    h("td", { "data-field": "for" }, fluxAmount(p.forVotes)),
    h("td", { "data-field": "against" }, fluxAmount(p.againstVotes)),
    h("td", { "data-field": "abstain" }, fluxAmount(p.abstainVotes)),
    h("td", { "data-field": "quorum", "data-raw": p.quorum?.toString() ?? "" }, progress),
  );
}

function marketRow(m: MarketRow, now: bigint): HTMLElement {
  const cap = (v: bigint) => (v === MAX_UINT256 ? "none" : units(v, m.decimals));
  const age = m.priceUpdatedAt === null ? "no feed" : `${countdown(now, m.priceUpdatedAt)} ago`.replace("now ago", "just now") + (m.priceStale ? " (stale: older than the oracle's heartbeat)" : "");
  return h("tr", { "data-market": m.symbol },
    h("th", { scope: "row" }, m.symbol, m.depositPaused || m.borrowPaused ? h("small", {}, ` (${[m.depositPaused && "deposits", m.borrowPaused && "borrows"].filter(Boolean).join(", ")} paused)`) : ""),
    h("td", { "data-field": "supply" }, units(m.totalSupplied, m.decimals)),
    h("td", { "data-field": "borrow" }, units(m.totalBorrows, m.decimals)),
    h("td", { "data-field": "utilization", "data-raw": m.utilization.toString() }, pct(m.utilization)),
    h("td", { "data-field": "supplyRate", "data-raw": m.supplyRatePerYear.toString() }, pct(m.supplyRatePerYear)),
    h("td", { "data-field": "borrowRate", "data-raw": m.borrowRatePerYear.toString() }, pct(m.borrowRatePerYear)),
    h("td", { "data-field": "supplyCap" }, cap(m.supplyCap)),
    h("td", { "data-field": "borrowCap" }, cap(m.borrowCap)),
    h("td", { "data-field": "price", "data-raw": m.priceUsd?.toString() ?? "" }, m.priceUsd === null ? "no feed" : `$${cutUnits(m.priceUsd, 18, 2)}`),
    h("td", { "data-field": "priceAge", "data-raw": m.priceUpdatedAt?.toString() ?? "", "data-stale": String(m.priceStale), class: m.priceStale ? "error" : undefined }, age),
    h("td", { "data-field": "collateralRatio", "data-raw": String(m.collateralRatioBps) }, bps(m.collateralRatioBps)),
  );
}

function chainSection(d: ChainDashboard): HTMLElement {
  const c = d.chain;
  return h("article", { class: "card", "data-chain": String(c.chainId), "data-block": d.blockNumber.toString(), "data-now": d.now.toString() },
    h("h2", {}, `${c.name} `, h("small", {}, `chain ${c.chainId}, block ${d.blockNumber}, ${date(d.now)}`)),
    emissionsSection(d),
    h("section", { "aria-label": `Governance on ${c.name}`, "data-section": "governance" }, h("h3", {}, "Governance"),
      d.proposals.length === 0 ? h("p", {}, "No proposals yet.") : h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": `Proposals on ${c.name}` }, h("table", {},
        h("thead", {}, h("tr", {}, ...["Proposal", "State", "For", "Against", "Abstain", "Quorum (for + abstain)"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, ...d.proposals.map(proposalRow))))),
    d.markets.length === 0 ? null : h("section", { "aria-label": `Markets on ${c.name}`, "data-section": "markets" }, h("h3", {}, "Markets"),
      h("p", {}, `Liquidation line: ${bps(d.liquidationRatioBps ?? 0)} of debt; liquidators pay ${bps(d.priceFactorBps ?? 0)} of the oracle price.`),
      h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": `Markets on ${c.name} (scrolls sideways)` }, h("table", {},
        h("thead", {}, h("tr", {}, ...["Market", "Supplied", "Borrowed", "Utilization", "Supply APR", "Borrow APR", "Supply cap", "Borrow cap", "Price", "Price age", "Collateral ratio"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, ...d.markets.map((m) => marketRow(m, d.now)))))),
  );
}

/** Reads every chain and draws the page in `root`. */
export async function showDashboard(config: AppConfig, root: HTMLElement): Promise<void> {
  const parts = await Promise.all(config.chains.map(async (chain) => {
    try {
      return chainSection(await readDashboard(config, chain));
    } catch (e) {
      return h("article", { class: "card", "data-chain": String(chain.chainId), "data-status": "unreachable" }, h("h2", {}, chain.name), h("p", { class: "status error", role: "status" }, readFailure(chain, e)));
    }
  }));
  render(root, ...parts);
}
