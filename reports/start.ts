/**
 * `npm start`'s summary as a page (reports/start.html): the Snapshot signal by choice and chain,
 * the on-chain vote, what each chain emitted (base share and launch bonus) and what was claimed.
 */
import { toScore } from "../src/snapshot/power.js";
import type { StartResult } from "../demo/types.js";
import { page, stackedBars, table } from "./page.js";
import { bpsToPercent, formatFlux } from "../src/core/format.js";

export function startReportHtml(r: StartResult): string {
  const name = (a: string) => r.names[a] ?? a;
  const sig = r.signal.report;
  const p = r.proposal;
  const l = p.lifecycle;
  const choices = sig.proposal.choices;
  const signalBars = stackedBars({
    categories: choices,
    series: sig.chains.map((c, ci) => ({
      name: `chain ${c.chainId}`,
      values: choices.map((_, k) => toScore(sig.voters.filter((v) => v.choice === k + 1).reduce((s, v) => s + v.byChain[ci]!, 0n))),
    })),
    unit: "FLUX",
  });
  const onchainBars = stackedBars({
    categories: ["For", "Against", "Abstain"],
    series: [{ name: `votes on ${p.name}`, values: [l.forVotes, l.againstVotes, l.abstainVotes].map(toScore) }],
    unit: "FLUX",
  });
  const emissionBars = stackedBars({
    categories: r.chains.map((c) => `${c.name} (${c.chainId})`),
    series: [
      { name: "base share", values: r.chains.map((c) => toScore(c.budget - c.bonus)) },
      { name: "launch bonus", values: r.chains.map((c) => toScore(c.bonus)) },
    ],
    unit: "FLUX",
  });
  const claims = r.chains.flatMap((c) => c.claimed.map((x) => [c.name, name(x.account), x.account, formatFlux(x.amount)]));
  return page("FLUX: three chains, one story (npm start)", [
    {
      heading: "What changed",
      text: [
        `The WETH collateral ratio on ${p.name} (chain ${p.chainId}) is ${bpsToPercent(p.ratioAfter)} (was ${bpsToPercent(p.ratioBefore)}), ` +
          `first signalled on Snapshot (${sig.passed ? "passed" : "not passed"}), then proposed from the signal, voted, queued and executed on-chain.`,
        `The borrower: ${p.positionBefore} before; ${p.positionAfter} after the change.`,
      ],
    },
    {
      heading: "Snapshot signal: votes by choice, power from each chain",
      text: [`Recounted from the chains at the snapshot; the hub's scores ${sig.agrees ? "agree" : "DO NOT agree"}. Quorum ${sig.proposal.quorum.toLocaleString("en-US")} FLUX.`],
      html: [signalBars, table(["voter", "choice", "power (all chains)"], sig.voters.map((v) => [name(v.voter), choices[v.choice - 1] ?? "?", formatFlux(v.power)]), ["l", "l", "r"])],
    },
    {
      heading: `On-chain vote on ${p.name}`,
      html: [onchainBars, table(["voter", "support", "weight"], l.votes.map((v) => [name(v.voter), ["against", "for", "abstain"][v.support] ?? "split", formatFlux(v.weight)]), ["l", "l", "r"])],
    },
    {
      heading: "What each chain emitted in the epoch, and what was claimed",
      html: [emissionBars, table(["chain", "who", "account", "claimed (FLUX)"], claims, ["l", "l", "l", "r"])],
    },
  ]);
}
