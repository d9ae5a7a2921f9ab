/**
 * Proposals as code: a module is type-checked and validated, resolved against manifests, exported
 * for Tally with the Governor's own proposal id, and simulated through its whole life with its
 * postconditions checked; bad modules and reverting actions fail before anything is sent.
 */
import { expect } from "chai";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import hre from "hardhat";
import { describe, it, after } from "mocha";
import { id } from "ethers";
import { writeManifest } from "../src/manifest/index.js";
import { loadProposal } from "../src/proposals/load.js";
import { exportProposal, simulateProposal, type TallyExport } from "../src/proposals/run.js";
import { governanceFixture, useFixture, type Env } from "./helpers/fixture.js";
import { InputError } from "../src/core/errors.js";

const P0001 = "proposals/0001-raise-weth-collateral-ratio.ts";
const temps: string[] = [];
async function tempModule(name: string, body: string): Promise<string> {
  const file = path.join("proposals", `__test_${name}.ts`);
  await writeFile(file, `import { defineProposal } from "../src/proposals/define.js";\nexport default defineProposal(${body});\n`);
  temps.push(file);
  return file;
}

describe("proposals as code", () => {
  const suite = useFixture((e: Env) => governanceFixture(e));
  after(async () => {
    for (const f of temps) await rm(f, { force: true });
  });

  it("simulates proposal 0001 through its whole life and its postconditions hold", async () => {
    const lines: string[] = [];
    const r = await simulateProposal(hre, await loadProposal(P0001), { log: (l) => lines.push(l) });
    expect(r.failed).to.deep.equal([]);
    expect(lines.join("\n")).to.match(/ok {3}WETH collateral ratio is 15000 bps/);
    expect(r.resolved.description).to.match(/^# Raise the WETH collateral ratio to 150%/);
    expect(r.resolved.description).to.include("## Promised after execution");
  });

  it("simulates under another network's config on an embedded chain with that config's chain id", async () => {
    const r = await simulateProposal(hre, await loadProposal(P0001, { typecheck: false }), { configNetwork: "devnet-bsc" });
    expect(r.failed).to.deep.equal([]);
    expect(r.resolved.chainId).to.equal(56);
  });

  it("exports Tally-ready JSON whose proposalId is the Governor's own; one object per chain for several networks", async () => {
    const f = await suite.load();
    const dir = await mkdtemp(path.join(tmpdir(), "flux-manifests-"));
    await writeManifest({ ...f.manifest, network: "default" }, dir);
    const p = { ...(await loadProposal(P0001, { typecheck: false })), networks: ["default"] };
    const one = (await exportProposal(hre, p, { proposer: f.alice.address, manifestDir: dir })) as TallyExport;
    const onChain = await f.governor.hashProposal(one.targets, one.values, one.calldatas, id(one.description));
    expect(one.proposalId).to.equal(onChain.toString());
    // bound to its proposer: the description ends with #proposer=<lowercase address>
    expect(one.proposer).to.equal(f.alice.address);
    expect(one.description.endsWith(`\n\n#proposer=${f.alice.address.toLowerCase()}`)).to.equal(true);
    // proposing it: refused to bob (above the threshold), accepted from alice, under the exported id
    await expect(f.governor.connect(f.bob).propose(one.targets, one.values, one.calldatas, one.description))
      .to.be.revertedWithCustomError(f.governor, "GovernorRestrictedProposer").withArgs(f.bob.address);
    await expect(f.governor.connect(f.alice).propose(one.targets, one.values, one.calldatas, one.description))
      .to.emit(f.governor, "ProposalCreated");
    expect(await f.governor.proposalProposer(BigInt(one.proposalId))).to.equal(f.alice.address);
    expect(one.chainId).to.equal(31337);
    expect(one.targets[0]).to.equal(f.manifest.contracts.controller);
    await writeManifest({ ...f.manifest, network: "bsc-copy", chainId: 56 }, dir);
    const many = (await exportProposal(hre, { ...p, networks: ["default", "bsc-copy"] }, { proposer: f.alice.address, manifestDir: dir })) as Record<string, TallyExport>;
    expect(many["56"]!.description).to.equal(one.description);
    expect(Object.keys(many).sort()).to.deep.equal(["31337", "56"]);
    expect(many["56"]!.calldatas).to.deep.equal(one.calldatas);
  });

  it("refuses a module that does not type-check, naming file and line", async () => {
    const file = await tempModule("typeerror", `{ title: "Bad", rationale: "x", networks: ["default"], actions: [{ kind: "setCollateralRatio", market: "WETH", bps: "15000" }] }`);
    await expect(loadProposal(file)).to.be.rejectedWith(InputError, /__test_typeerror\.ts:2:\d+: .*string.*number/s);
  });

  it("refuses a module that does not validate, naming the field", async () => {
    const file = await tempModule("invalid", `{ title: "Bad market", rationale: "x", networks: ["default"], actions: [{ kind: "setCollateralRatio", market: "W ETH", bps: 15000 }] }`);
    await expect(loadProposal(file)).to.be.rejectedWith(InputError, /__test_invalid\.ts: actions\.0\.market/);
  });

  it("refuses an unknown market and an action that would revert, before anything is proposed", async () => {
    const unknown = await loadProposal(await tempModule("unknown", `{ title: "Unknown", rationale: "x", networks: ["default"], actions: [{ kind: "setCollateralRatio", market: "DOGE", bps: 15000 }] }`), { typecheck: false });
    await expect(simulateProposal(hre, unknown)).to.be.rejectedWith(InputError, /action 1 \(setCollateralRatio\): unknown market "DOGE"/);
    const reverting = await loadProposal(await tempModule("revert", `{ title: "Below the line", rationale: "x", networks: ["default"], actions: [{ kind: "setCollateralRatio", market: "WETH", bps: 10500 }] }`), { typecheck: false });
    await expect(simulateProposal(hre, reverting)).to.be.rejectedWith(InputError, /action 1 .* would revert on default: ControllerBadParameter\("collateralRatio", \d+\)$/);
  });
});
