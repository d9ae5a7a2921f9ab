/** `npm start` runs this same function; here it must complete its story on three chains and write their manifests. */
import { expect } from "chai";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import hre from "hardhat";
import { describe, it } from "mocha";
import { readManifest } from "../src/manifest/index.js";
import { DAY_SECONDS } from "../src/emissions/schedule.js";
import { BONUS_DAYS_IN_EPOCH } from "../demo/emissions.js";
import { PROPOSAL_STATES } from "../src/governance/lifecycle.js";
import { LAUNCH_BONUS, runStart, START_CHAINS } from "../demo/start.js";
import { formatFlux } from "../src/core/format.js";

describe("npm start", () => {
  it("deploys three chains, runs their markets, carries a risk proposal on the first, emits on all (a launch bonus on one), claims, and writes three manifests", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flux-start-"));
    const lines: string[] = [];
    const reportFile = path.join(dir, "report", "start.html");
    const r = await runStart(hre, { manifestDir: dir, log: (l) => lines.push(l), reportFile });
    const text = lines.join("\n");
    expect(text).to.match(/npm run devnet` in one terminal, then `npm run app` in another/);
    const bonusChainId = START_CHAINS.find((c) => c.newlyLaunched)!.chainId;
    expect(bonusChainId).to.equal(128);

    // three chains, each a network with its own chain id and its own manifest named after it
    expect(r.chains.map((c) => c.chainId)).to.deep.equal([1030, 56, 128]);
    expect(r.chains.map((c) => c.name)).to.deep.equal(["conflux-local", "bsc-local", "heco-local"]);
    for (const c of r.chains) {
      const m = await readManifest(c.name, dir);
      expect(m.network).to.equal(c.name);
      expect(m.chainId).to.equal(c.chainId);
      expect(m.scheduleChainId).to.equal(c.chainId);
      expect(c.deployment.manifestFile).to.equal(path.join(dir, `${c.name}.json`));
      expect(m.contracts.governor).to.equal(await c.deployment.governor.getAddress());
      expect(m.contracts.controller).to.equal(await c.deployment.markets!.controller.getAddress());
      expect(Object.keys(m.markets ?? {})).to.deep.equal(["USDT", "WETH", "WBTC"]);
      const net = await c.deployment.governor.runner!.provider!.getNetwork();
      expect(Number(net.chainId)).to.equal(c.chainId);
    }

    // the Snapshot signal ran between the market activity and the on-chain proposal, over all three chains
    const sig = r.signal;
    expect(sig.report.chains.map((c) => c.chainId)).to.deep.equal([1030, 56, 128]);
    expect(sig.report.agrees).to.equal(true);
    expect(sig.report.passed).to.equal(true);
    const flux = (n: number) => BigInt(n) * 10n ** 18n;
    // every holder self-delegated on every chain: power is three times each chain's
    expect(sig.report.exact).to.deep.equal([flux(3 * 7_000_000), flux(3 * 2_000_000), flux(3 * 1_000_000)]);
    expect(Object.fromEntries(sig.votes.map((v) => [r.names[v.voter], v.choice]))).to.deep.equal({ alice: "For", bob: "For", carol: "Against", dave: "Abstain" });
    // the passed signal became the on-chain proposal, with the id it stated
    expect(sig.onchain).to.deep.equal({ chainId: 1030, proposalId: r.proposal.lifecycle.proposalId });
    const at = (s: string) => text.indexOf(s);
    expect(at("== 3. Market activity")).to.be.greaterThan(0);
    expect(at("== 4. An off-chain signal on Snapshot")).to.be.greaterThan(at("== 3. Market activity"));
    expect(at("== 5. The signal's proposal on conflux-local")).to.be.greaterThan(at("== 4. An off-chain signal"));
    for (const step of ["every signature verified", "the hub's reported scores agree with the chains", "PASSED", "proposal from-snapshot", "is on the Governor"]) {
      expect(text, step).to.include(step);
    }

    // the risk proposal on the first chain, executed, and its liquidation scene
    const p = r.proposal;
    expect(p.chainId).to.equal(1030);
    expect(p.ratioBefore).to.equal(14_000n);
    expect(p.ratioAfter).to.equal(15_000n);
    expect(PROPOSAL_STATES[Number(await r.chains[0]!.deployment.governor.state(p.lifecycle.proposalId))]).to.equal("Executed");
    expect(p.positionBefore).to.match(/→ safe$/);
    expect(p.positionAfter).to.match(/→ over limit$/);
    expect(p.liquidation.repaid).to.be.greaterThan(0n);
    for (const step of ["votes for", "votes against", "votes abstain", "quorum", "queued", "executed", "LIQUIDATABLE", "the keeper repaid"]) {
      expect(text, step).to.include(step);
    }
    // the liquidation is the keeper's: its decision line, in the block after the price drop's
    expect(text).to.match(/keeper: watching|signing as keeper/);
    expect(text).to.match(/account 0xa0Ee7A…9720 health \d+\.\d\d% liquidate: repay [\d,.]+ USDT seize [\d.]+ WETH .*; tx 0x[0-9a-f]{6}…[0-9a-f]{4} mined in block \d+; profit \$[\d,.]+ net of gas/);
    // the other chains saw no risk proposal
    for (const c of r.chains.slice(1)) {
      const m = c.deployment.markets!;
      expect((await m.controller.marketConfig(await m.markets.WETH!.market.getAddress())).collateralRatioBps, c.name).to.equal(14_000n);
    }

    // emissions: one window on every chain; the bonus only on the newly launched chain
    for (const c of r.chains) {
      expect(c.emissions.epoch.meta.epochStart).to.equal(r.epoch.start);
      expect(c.emissions.epoch.meta.epochEnd).to.equal(r.epoch.end);
      expect(c.budget).to.equal(c.emissions.epoch.meta.budget);
      expect(c.bonus > 0n).to.equal(c.chainId === bonusChainId);
    }
    const bonus = r.chains.find((c) => c.chainId === bonusChainId)!;
    const others = r.chains.filter((c) => c.chainId !== bonusChainId);
    // same window, same start, equal weights: the base shares are equal to the wei
    expect(others[0]!.budget).to.equal(others[1]!.budget);
    const twoDays = (LAUNCH_BONUS.amount * 2n * BigInt(DAY_SECONDS)) / BigInt(LAUNCH_BONUS.duration);
    for (const o of others) {
      expect(bonus.budget - o.budget).to.be.greaterThan(twoDays);
      expect(bonus.budget - o.budget).to.equal(bonus.bonus);
    }
    // the epoch ends BONUS_DAYS_IN_EPOCH days into the bonus: exactly that much of it, to the wei
    expect(bonus.bonus).to.equal((LAUNCH_BONUS.amount * BigInt(BONUS_DAYS_IN_EPOCH * DAY_SECONDS)) / BigInt(LAUNCH_BONUS.duration));

    // per chain: Σ paid + carry out = budget + carry in, and every claim is what the distributor paid
    for (const c of r.chains) {
      const meta = c.emissions.epoch.meta;
      expect(meta.distributed + meta.carryOut, c.name).to.equal(meta.budget + meta.carryIn);
      expect(c.claimed.length, c.name).to.be.greaterThan(0);
      const distributor = c.deployment.emissions!.distributor;
      for (const x of c.claimed) expect(await distributor.claimed(x.account), `${c.name} ${x.account}`).to.equal(x.amount);
      expect((await distributor.totals()).totalClaimed).to.equal(c.claimed.reduce((s, x) => s + x.amount, 0n));
    }
    // chains differ: their claims are not the same amounts
    expect(new Set(r.chains.map((c) => c.claimed.reduce((s, x) => s + x.amount, 0n))).size).to.equal(3);
    for (const step of ["Launch FLUX emissions", "publishes root", "root activated", "claims", "== Summary"]) {
      expect(text, step).to.include(step);
    }
    for (const c of r.chains) expect(text.slice(at("== Summary"))).to.include(c.name);

    // the summary as a page: charts of the signal, the on-chain vote and the emissions, and the claims
    const html = await readFile(reportFile, "utf8");
    expect(html).to.match(/^<!doctype html>/);
    expect(html.match(/<svg /g)).to.have.length(3);
    for (const c of r.chains) expect(html).to.include(`${c.name} (${c.chainId})`);
    expect(html).to.include("launch bonus");
    expect(html).to.include(formatFlux(r.chains[0]!.claimed[0]!.amount));
    expect(html).to.include("Recounted from the chains at the snapshot; the hub&#39;s scores agree");
  });
});
