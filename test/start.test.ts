/** `npm start` runs this same function; here it must complete its story and write the manifest. */
import { expect } from "chai";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import hre from "hardhat";
import { describe, it } from "mocha";
import { readManifest } from "../src/deploy/manifest.js";
import { runStart } from "../src/start.js";

describe("npm start", () => {
  it("deploys, runs markets, carries a risk proposal through its whole life, liquidates, emits, claims, and writes the manifest", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flux-start-"));
    const lines: string[] = [];
    const r = await runStart(hre, { manifestDir: dir, log: (l) => lines.push(l) });
    expect(r.ratioBefore).to.equal(14_000n);
    expect(r.ratioAfter).to.equal(15_000n);
    expect(r.positionBefore).to.match(/→ safe$/);
    expect(r.positionAfter).to.match(/→ over limit$/);
    expect(r.liquidation.repaid).to.be.greaterThan(0n);
    const text = lines.join("\n");
    for (const step of ["proposes", "votes for", "votes against", "votes abstain", "quorum", "queued", "executed", "LIQUIDATABLE", "repays"]) {
      expect(text, step).to.include(step);
    }
    // the emissions chapter: an epoch with a launch bonus, published and claimed
    const e = r.emissions;
    expect(e.claimed.length).to.be.greaterThan(0);
    const bonusChain = e.perChain.find((c) => c.chainId === 1030)!;
    const other = e.perChain.find((c) => c.chainId === 56)!;
    expect(bonusChain.amount - other.amount).to.be.greaterThan(10n ** 18n * 142_000n); // two days of 1M / 14
    expect(e.epoch.meta.distributed + e.epoch.meta.carryOut).to.equal(e.epoch.meta.budget + e.epoch.meta.carryIn);
    const distributor = r.deployment.emissions!.distributor;
    for (const c of e.claimed) expect(await distributor.claimed(c.account)).to.equal(c.amount);
    for (const step of ["Launch FLUX emissions", "publishes root", "root activated", "claims"]) {
      expect(text, step).to.include(step);
    }
    const m = await readManifest("default", dir);
    expect(m.contracts.governor).to.equal(await r.deployment.governor.getAddress());
    expect(m.contracts.controller).to.equal(await r.deployment.markets!.controller.getAddress());
    expect(Object.keys(m.markets ?? {})).to.deep.equal(["USDT", "WETH", "WBTC"]);
  });
});
