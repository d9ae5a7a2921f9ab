/**
 * An emission epoch end to end on the embedded chain, through the operator commands' own code:
 * market activity → `emissions build` from the chain's events → `verify` (the watcher) → `diff`
 * → `publish` → challenge window → activation → claims by users and on their behalf; a malicious
 * root caught by the watcher and revoked; a launch bonus starting and ending; and the CLI's exit
 * code on bad input.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, it } from "mocha";
import { ZeroHash } from "ethers";
import { addLaunchBonus, setMarketWeights } from "../src/emissions/actions.js";
import { buildCommand, diffCommand, publishCommand, statusCommand, verifyCommand } from "../src/emissions/commands.js";
import { loadEpoch } from "../src/emissions/epoch.js";
import { loadScheduleFromChain, budgetBetween } from "../src/emissions/schedule.js";
import { flux, pass, useFixture, type Env } from "./helpers/fixture.js";
import { emissionsFixture, referenceTree } from "./helpers/emissions.js";
import { market, setPrice, supply, units } from "./helpers/markets.js";
import { InputError } from "../src/core/errors.js";

const DAY = 86_400;
const run = promisify(execFile);

describe("emission epochs end to end", () => {
  const suite = useFixture((e: Env) => emissionsFixture(e));

  it("builds epochs from market events, verifies, publishes, activates, claims; a malicious root is caught and revoked; a launch bonus starts and ends", async () => {
    const f = await suite.load();
    const env = suite.env;
    const e = f.emissions!;
    const signers = await env.conn.ethers.getSigners();
    const [supplier, borrower] = [signers[8]!, signers[9]!];
    const usdt = market(f, "USDT");
    const weth = market(f, "WETH");
    const chain = e.scheduleChainId;

    const bonusStart = (await env.clock.latest()) + 8 * DAY;
    await pass(env, f, [
      await setMarketWeights(e.schedule, [
        { market: await usdt.market.getAddress(), supplyBps: 5_000, borrowBps: 3_000 },
        { market: await weth.market.getAddress(), supplyBps: 2_000, borrowBps: 0 },
      ]),
      await addLaunchBonus(e.schedule, chain, flux(1_000_000), bonusStart, 14 * DAY),
    ], "Weigh the markets and add a launch bonus");
    const weightsFrom = await env.clock.latest();

    await setPrice(usdt, "1"); // the feeds post fresh prices after the voting period
    await setPrice(weth, "3000");
    await supply(usdt, supplier, "1000000");
    await supply(weth, borrower, "10");
    await (await usdt.market.connect(borrower).borrow(units(usdt, "10000"), borrower.address)).wait();

    const ctx = { conn: env.conn, manifest: f.manifest };
    const dir1 = await mkdtemp(path.join(tmpdir(), "flux-epoch1-"));
    const end1 = bonusStart + DAY; // one day into the bonus
    await env.clock.increaseTo(end1 + 60);
    const summary = await buildCommand(ctx, {
      out: dir1, epochEnd: String(end1), previous: "", balances: "", epochStart: String(weightsFrom), confirmations: 0, pageSize: 7,
    });
    expect(summary).to.match(/budget .* FLUX/);
    const epoch1 = await loadEpoch(dir1);
    // without --epoch-start, a first epoch starts when the first market weights came in force
    const dirDefault = await mkdtemp(path.join(tmpdir(), "flux-epoch1-default-"));
    await buildCommand(ctx, { out: dirDefault, epochEnd: String(end1), previous: "", balances: "", epochStart: "", confirmations: 0, pageSize: 5000, force: true });
    const byDefault = await loadEpoch(dirDefault);
    expect(byDefault.meta.epochStart).to.equal(weightsFrom);
    expect(byDefault.meta.root).to.equal(epoch1.meta.root);
    // the budget is the schedule's, as the TypeScript model computes it from the chain
    const model = await loadScheduleFromChain(e.schedule);
    expect(epoch1.meta.budget).to.equal(budgetBetween(model, BigInt(chain), BigInt(weightsFrom), BigInt(end1)));
    expect(epoch1.meta.distributed + epoch1.meta.carryOut).to.equal(epoch1.meta.budget);
    expect(epoch1.meta.bySource[`${(await weth.market.getAddress()).toLowerCase()}:borrow`]).to.equal(undefined);
    expect(epoch1.cumulative.get(supplier.address)! > 0n).to.equal(true);
    expect(epoch1.cumulative.get(borrower.address)! > 0n).to.equal(true);

    expect((await verifyCommand(ctx, { dir: dir1, previous: "", balances: "", confirmations: 0 })).ok).to.equal(true);
    expect(await diffCommand({ dir: dir1, top: 5 })).to.match(/ok {3}distributed \+ carry out = budget \+ carry in/);
    expect(await publishCommand(ctx, { dir: dir1, dryRun: true, from: f.operator.address })).to.match(/dry run/);
    expect((await e.distributor.pendingRoot()).root).to.equal(ZeroHash);
    await publishCommand(ctx, { dir: dir1, dryRun: false, from: f.operator.address });
    expect((await verifyCommand(ctx, { dir: dir1, previous: "", balances: "", confirmations: 0 })).ok).to.equal(true);
    await expect(e.distributor.activateRoot()).to.be.revertedWithCustomError(e.distributor, "DistributorChallengeWindow");
    await env.clock.increaseTo((await env.clock.latest()) + DAY + 1);
    await (await e.distributor.connect(f.eve).activateRoot()).wait();
    expect(await statusCommand(ctx)).to.match(/active: 0x[0-9a-f]{64}/);

    // claims: the supplier for itself, the borrower's on its behalf (proofs from OpenZeppelin's own library)
    const t1 = epoch1;
    const proofOf = (account: string) => {
      const dump = referenceTree([...t1.cumulative]);
      return dump.proof(account);
    };
    const s = proofOf(supplier.address);
    await (await e.distributor.connect(supplier).claim(supplier.address, s.amount, s.proof)).wait();
    const b = proofOf(borrower.address);
    await (await e.distributor.connect(f.eve).claim(borrower.address, b.amount, b.proof)).wait();
    expect(await f.token.balanceOf(supplier.address)).to.equal(s.amount);

    // epoch 1 left its closing balances: epoch 2 resumes from them, reading only the events after it
    expect(epoch1.closing!.epochEnd).to.equal(end1);
    expect(epoch1.closing!.balances.get(`${(await usdt.market.getAddress()).toLowerCase()}:supply`)!.get(supplier.address)! > 0n).to.equal(true);
    await env.clock.increaseTo(end1 + 2 * DAY);
    await supply(usdt, f.dave, "250000"); // a new supplier inside epoch 2

    // epoch 2 spans the end of the bonus; a malicious root is submitted first, caught and revoked
    const end2 = bonusStart + 15 * DAY;
    await env.clock.increaseTo(end2 + 60);
    const dir2 = await mkdtemp(path.join(tmpdir(), "flux-epoch2-"));
    await buildCommand(ctx, { out: dir2, epochEnd: String(end2), previous: dir1, balances: "", epochStart: "", confirmations: 0, pageSize: 5000 });
    const epoch2 = await loadEpoch(dir2);
    expect(epoch2.meta.fromBlock).to.equal(epoch1.closing!.nextBlock);
    expect(epoch2.meta.fromBlock!).to.be.greaterThan(f.manifest.block);
    expect(epoch2.cumulative.get(f.dave.address)! > 0n).to.equal(true);
    expect(epoch2.meta.budget).to.equal(budgetBetween(model, BigInt(chain), BigInt(end1), BigInt(end2)));
    // the bonus ended inside the epoch: 13 days of it, then the base rate only
    const base = budgetBetween(model, 56n, BigInt(end1), BigInt(end2));
    expect(epoch2.meta.budget - base - (flux(1_000_000) - flux(1_000_000) / 14n)).to.be.oneOf([-1n, 0n, 1n, 2n]);
    for (const [a, v] of epoch1.cumulative) expect(epoch2.cumulative.get(a)! >= v).to.equal(true);

    const evil = referenceTree([[f.eve.address, epoch2.meta.total]]);
    await (await e.distributor.connect(f.operator).submitRoot(evil.root, evil.total, end2, ZeroHash)).wait();
    const watcher = await verifyCommand(ctx, { dir: dir2, previous: dir1, balances: "", confirmations: 0 });
    expect(watcher.ok).to.equal(false);
    expect(watcher.text).to.match(/PENDING root .* differs .* revoke it/);
    await (await e.distributor.connect(f.guardian).revokePendingRoot(evil.root)).wait();
    await publishCommand(ctx, { dir: dir2, dryRun: false, from: f.operator.address });
    const verified = await verifyCommand(ctx, { dir: dir2, previous: dir1, balances: "", confirmations: 0 });
    expect(verified.ok).to.equal(true);
    // the watcher recomputed from the deployment block: same root, and the same closing balances
    expect(verified.text).to.match(/ok +balances\.json .* equals the balances recomputed from the deployment block/);
    const closingFile = path.join(dir2, "balances.json");
    const closingText = await readFile(closingFile, "utf8");
    await writeFile(closingFile, closingText.replace(/"(\d)(\d*)"/, (_m, a: string, b: string) => `"${(Number(a) % 9) + 1}${b}"`));
    const tampered = await verifyCommand(ctx, { dir: dir2, previous: dir1, balances: "", confirmations: 0 });
    expect(tampered.ok).to.equal(false);
    expect(tampered.text).to.match(/FAIL balances\.json/);
    await writeFile(closingFile, closingText.replace(`"epochEnd": ${end2}`, `"epochEnd": ${end2 - 1}`));
    await expect(loadEpoch(dir2)).to.be.rejectedWith(InputError, /balances\.json: epochEnd \d+ is not epoch\.json's \d+/);
    await writeFile(closingFile, "{");
    await expect(loadEpoch(dir2)).to.be.rejectedWith(InputError, /balances\.json: not JSON/);
    await writeFile(closingFile, closingText);
    await env.clock.increaseTo((await env.clock.latest()) + DAY + 1);
    await (await e.distributor.activateRoot()).wait();
    const s2 = referenceTree([...epoch2.cumulative]).proof(supplier.address);
    await expect(e.distributor.claim(supplier.address, s2.amount, s2.proof))
      .to.emit(e.distributor, "Claimed").withArgs(supplier.address, s2.amount - s.amount, s2.amount, f.deployer.address);
    expect(await diffCommand({ dir: dir2, previous: dir1, top: 3 })).to.match(/ok {3}no cumulative amount decreased/);
  });

  it("builds an epoch from a balances file (a source outside the markets), verifies it, and refuses a bad file writing nothing", async () => {
    const f = await suite.load();
    const env = suite.env;
    const e = f.emissions!;
    const ctx = { conn: env.conn, manifest: f.manifest };
    const dir = await mkdtemp(path.join(tmpdir(), "flux-balances-"));
    const balances = path.join(dir, "balances.csv");
    await writeFile(balances, `account,balance\n${f.alice.address},3\n${f.bob.address},1\n`);
    const start = f.manifest.timestamp + 10;
    const end = (await env.clock.latest()) - 10;
    const out = path.join(dir, "epoch");
    await buildCommand(ctx, { out, epochEnd: String(end), previous: "", balances, epochStart: String(start), confirmations: 0, pageSize: 5000 });
    const epoch = await loadEpoch(out);
    const budget = (await e.schedule.cumulativeEmission(e.scheduleChainId, end)) - (await e.schedule.cumulativeEmission(e.scheduleChainId, start));
    expect(budget).to.be.greaterThan(10n ** 21n);
    expect(epoch.meta.source).to.equal("balances");
    expect(epoch.meta.budget).to.equal(budget);
    expect(epoch.cumulative.get(f.alice.address)).to.equal((budget * 3n) / 4n);
    expect(epoch.cumulative.get(f.bob.address)).to.equal(budget / 4n);
    expect(epoch.meta.distributed + epoch.meta.carryOut).to.equal(budget);
    expect((await verifyCommand(ctx, { dir: out, previous: "", balances, confirmations: 0 })).ok).to.equal(true);
    await expect(verifyCommand(ctx, { dir: out, previous: "", balances: "", confirmations: 0 })).to.be.rejectedWith(/--balances is required/);

    await writeFile(balances, `${f.alice.address},3\n${f.alice.address.toLowerCase()},1\n`);
    const bad = path.join(dir, "bad-epoch");
    await expect(buildCommand(ctx, { out: bad, epochEnd: String(end), previous: "", balances, epochStart: String(start), confirmations: 0, pageSize: 5000 }))
      .to.be.rejectedWith(/balances\.csv: line 2: duplicate account/);
    await expect(buildCommand(ctx, { out: bad, epochEnd: String(end), previous: "", balances, epochStart: "", confirmations: 0, pageSize: 5000 }))
      .to.be.rejectedWith(/--epoch-start is required/);
    expect((await readdir(dir)).sort()).to.deep.equal(["balances.csv", "epoch"]);
  });

  it("`npx hardhat emissions tree` exits non-zero on bad input and writes nothing; succeeds on good input", async function () {
    this.timeout(120_000);
    const dir = await mkdtemp(path.join(tmpdir(), "flux-cli-"));
    await writeFile(path.join(dir, "bad.csv"), "0x70997970C51812dc3A010C7d01b50e0d17dc79C8,1.5\n");
    const npx = process.platform === "win32" ? "npx.cmd" : "npx";
    const bad = await run(npx, ["hardhat", "emissions", "tree", "--input", path.join(dir, "bad.csv"), "--out", path.join(dir, "out")]).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).to.equal(1);
    expect((bad as { stderr: string }).stderr).to.match(/bad\.csv:1: amount "1\.5" is fractional/);
    expect(await readdir(dir)).to.deep.equal(["bad.csv"]);
    await writeFile(path.join(dir, "good.json"), JSON.stringify({ "0x70997970C51812dc3A010C7d01b50e0d17dc79C8": "5" }));
    const good = await run(npx, ["hardhat", "emissions", "tree", "--input", path.join(dir, "good.json"), "--out", path.join(dir, "out")]);
    expect(JSON.parse(good.stdout).total).to.equal("5");
    expect((await readdir(path.join(dir, "out"))).sort()).to.deep.equal(["proofs", "root.json", "tree.json"]);
  });
});
