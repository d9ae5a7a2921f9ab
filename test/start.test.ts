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
  it("deploys, carries a proposal through its whole life, prints each step and writes the manifest", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flux-start-"));
    const lines: string[] = [];
    const r = await runStart(hre, { manifestDir: dir, log: (l) => lines.push(l) });
    expect(r.votingPeriodAfter).to.equal(r.votingPeriodBefore / 2n);
    const text = lines.join("\n");
    for (const step of ["proposes", "votes for", "votes against", "votes abstain", "quorum", "queued", "executed"]) {
      expect(text, step).to.include(step);
    }
    const m = await readManifest("default", dir);
    expect(m.contracts.governor).to.equal(await r.deployment.governor.getAddress());
  });
});
