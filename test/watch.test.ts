/**
 * The watcher on an in-process chain: a correct root is verified and becomes the next epoch's
 * previous; a wrong root is MISMATCH with the guardian's exact revoke command, and that command
 * revokes it; a root that cannot be rebuilt is said once; a position near the line, liquidatable,
 * and back; aging and refused feeds; pauses; a queued proposal due soon and executed; --fail-on
 * and --once exit statuses; an RPC outage said once when it starts and once when it ends.
 */
import { expect } from "chai";
import hre from "hardhat";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "mocha";
import { id, ZeroHash, type Provider } from "ethers";
import { placeMulticall3 } from "../src/deploy/local.js";
import { setMarketWeights } from "../src/emissions/actions.js";
import { buildCommand, publishCommand, revokeCommand } from "../src/emissions/commands.js";
import { loadEpoch } from "../src/emissions/epoch.js";
import { iso } from "../src/core/format.js";
import { BorrowerBook } from "../src/keeper/borrowers.js";
import { marketsChain } from "../src/keeper/scan.js";
import { runWatch, type WatchKind, type WatchOptions, type WatchSummary } from "../src/keeper/watch.js";
import { watchCommand, type WatchArgs } from "../src/keeper/watch-command.js";
import { flux, useFixture, type Env } from "./helpers/fixture.js";
import { emissionsFixture, pass, referenceTree, type EmissionsFixture } from "./helpers/emissions.js";
import { market, setPrice, supply, units } from "./helpers/markets.js";
import { flakyProvider } from "./helpers/flaky.js";

const DAY = 86_400;
const tmp = (name: string) => mkdtemp(path.join(tmpdir(), `flux-watch-${name}-`));

/** The markets' prices posted again (fresh feeds). */
async function freshPrices(f: EmissionsFixture, weth = "3000"): Promise<void> {
  await setPrice(market(f, "USDT"), "1");
  await setPrice(market(f, "WBTC"), "60000");
  await setPrice(market(f, "WETH"), weth);
}

/** Emissions, Multicall3, and borrower 9: 10 WETH ($30,000) against 20,000 USDT (health 150%). */
function scene(env: Env, o: { weights: boolean }) {
  const base = emissionsFixture(env);
  return async function watchScene(): Promise<EmissionsFixture> {
    const f = await base();
    await placeMulticall3(hre.artifacts, env.conn);
    if (o.weights) {
      await pass(env, f, [await setMarketWeights(f.emissions!.schedule, [
        { market: await market(f, "USDT").market.getAddress(), supplyBps: 6_000, borrowBps: 2_000 },
        { market: await market(f, "WETH").market.getAddress(), supplyBps: 2_000, borrowBps: 0 },
      ])], "Weigh the markets");
    }
    await freshPrices(f);
    const s = await env.conn.ethers.getSigners();
    await supply(market(f, "USDT"), s[8]!, "1000000");
    await supply(market(f, "WETH"), s[9]!, "10");
    await (await market(f, "USDT").market.connect(s[9]!).borrow(units(market(f, "USDT"), "20000"), s[9]!.address)).wait();
    return f;
  };
}

function watchTests(suite: { readonly env: Env; load(): Promise<EmissionsFixture> }) {
  const ctxOf = (f: EmissionsFixture) => ({ conn: suite.env.conn, manifest: f.manifest });
  const args = (state: string, extra: Partial<WatchArgs> = {}): WatchArgs => ({ once: true, state, marginBps: 500, soon: "1d", failOn: "mismatch", confirmations: 0, pollMs: 20, ...extra });

  /** `watch --once` through the command; its lines and summary. */
  async function once(f: EmissionsFixture, state: string, extra: Partial<WatchArgs> = {}, o: { provider?: Provider; maxFailures?: number } = {}) {
    const lines: string[] = [];
    const sum = await watchCommand(ctxOf(f), args(state, extra), { log: (l) => lines.push(l), retryMs: 10, ...o });
    return { lines, sum, text: lines.join("\n") };
  }

  /** A watcher running in the background, polling every 20 ms. */
  async function live(f: EmissionsFixture, extra: Partial<WatchOptions> = {}) {
    const provider = suite.env.conn.ethers.provider;
    const chain = await marketsChain(provider, f.manifest);
    const book = await BorrowerBook.open({ chainId: f.manifest.chainId, controller: chain.controller, fromBlock: f.manifest.block, confirmations: 0 });
    const lines: string[] = [];
    const control = { stop: false };
    const done: Promise<WatchSummary> = runWatch({
      provider, manifest: f.manifest, chain, book, stateDir: await tmp("live"), marginBps: 500n, soonSeconds: DAY, failOn: new Set<WatchKind>(),
      confirmations: 0, pollMs: 20, retryMs: 20, log: (l) => lines.push(l), control, ...extra,
    });
    let mark = 0;
    return {
      lines,
      done,
      /** The first line after the previous match that matches `re` (waits for it). */
      async next(re: RegExp, timeoutMs = 30_000): Promise<string> {
        const until = Date.now() + timeoutMs;
        for (;;) {
          const i = lines.findIndex((l, k) => k >= mark && re.test(l));
          if (i >= 0) {
            mark = i + 1;
            return lines[i]!;
          }
          if (Date.now() > until) throw new Error(`no line matching ${re} after ${timeoutMs} ms; lines:\n${lines.join("\n")}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      },
      /** Lines after the previous match (no waiting). */
      rest: () => lines.slice(mark),
      async stop(): Promise<WatchSummary> {
        control.stop = true;
        return done;
      },
    };
  }

  return { ctxOf, once, live };
}

describe("watch (in-process chain)", () => {
  const suite = useFixture((env) => scene(env, { weights: true }));
  const { ctxOf, once, live } = watchTests(suite);

  async function buildEpoch(f: EmissionsFixture, previous = ""): Promise<{ dir: string; end: number }> {
    await suite.env.networkTime(2 * DAY);
    await freshPrices(f);
    const end = (await suite.env.clock.latest()) - 60;
    const dir = await tmp("epoch");
    await buildCommand(ctxOf(f), { out: dir, epochEnd: String(end), previous, balances: "", epochStart: "", confirmations: 0, pageSize: 5000, force: true });
    return { dir, end };
  }

  it("verifies a correct root, keeps the rebuild as the next epoch's previous, and says an epoch it cannot continue once", async () => {
    const f = await suite.load();
    const e = f.emissions!;
    const state = await tmp("state");
    const first = await buildEpoch(f);
    await publishCommand(ctxOf(f), { dir: first.dir, dryRun: false, from: f.operator.address });
    const root1 = (await loadEpoch(first.dir)).meta;
    const r1 = await once(f, state);
    expect(r1.sum.exitCode).to.equal(0);
    expect(r1.text).to.match(new RegExp(`^block \\d+ root ${root1.root} for the epoch ending ${iso(first.end)} verified \\(total [\\d,.]+ FLUX, ${root1.count} accounts\\)$`, "m"));
    // the watcher's own copy of the epoch, rebuilt with its own hasher
    expect((await loadEpoch(path.join(state, "epochs", String(first.end)))).meta.root).to.equal(root1.root);
    // a copy of this state without the saved epoch cannot continue it
    const orphan = await tmp("orphan");
    await cp(state, orphan, { recursive: true });
    await rm(path.join(orphan, "epochs", String(first.end)), { recursive: true });

    await suite.env.networkTime(DAY + 1);
    await (await e.distributor.connect(f.eve).activateRoot()).wait();
    const second = await buildEpoch(f, first.dir);
    await publishCommand(ctxOf(f), { dir: second.dir, dryRun: false, from: f.operator.address });
    const root2 = (await loadEpoch(second.dir)).meta.root;
    const r2 = await once(f, state);
    expect(r2.text).to.match(new RegExp(`root ${root2} for the epoch ending ${iso(second.end)} verified`));
    expect(r2.text).not.to.include(root1.root); // said once
    expect(r2.sum.exitCode).to.equal(0);

    const r3 = await once(f, orphan);
    expect(r3.lines.filter((l) => l.includes(root2))).to.have.length(1);
    expect(r3.text).to.match(new RegExp(`root ${root2} for the epoch ending .* cannot verify: it continues the active epoch ending ${iso(first.end)} \\(root ${root1.root}\\), which this watcher has not verified`));
    expect(r3.sum.exitCode).to.equal(0);
    expect((await once(f, orphan)).text).not.to.include(root2);
  });

  it("says MISMATCH with both roots and the guardian's exact revoke command, which revokes it; then verifies the right root", async () => {
    const f = await suite.load();
    const e = f.emissions!;
    const state = await tmp("state");
    const good = await buildEpoch(f);
    const goodRoot = (await loadEpoch(good.dir)).meta;
    const evil = referenceTree([[f.eve.address, goodRoot.total]]);
    await (await e.distributor.connect(f.operator).submitRoot(evil.root, evil.total, good.end, ZeroHash)).wait();
    const { lines, sum } = await once(f, state);
    const line = lines.find((l) => /MISMATCH/.test(l))!;
    expect(line).to.match(new RegExp(`^block \\d+ MISMATCH: root ${evil.root} for the epoch ending ${iso(good.end)} \\(total [\\d,.]+ FLUX\\) is not the root rebuilt from the chain, ${goodRoot.root} \\(total [\\d,.]+ FLUX\\): revoke it before \\d{4}-\\d\\d-\\d\\dT[\\d:]+Z, as the guardian: npx hardhat emissions revoke --network ${f.manifest.network} --root ${evil.root}$`));
    expect(sum.exitCode).to.equal(3);
    expect(sum.alert).to.match(/^mismatch: /);

    // the guardian runs the very command the line gives
    const cmd = /: (npx hardhat emissions revoke .*)$/.exec(line)![1]!;
    const root = /--root (0x[0-9a-f]{64})/.exec(cmd)![1]!;
    const out = await revokeCommand(ctxOf(f), { root, dryRun: false });
    expect(out).to.match(/revoked$/);
    expect((await e.distributor.pendingRoot()).root).to.equal(ZeroHash);

    const after = await once(f, state);
    expect(after.text).not.to.match(/MISMATCH/);
    expect(after.sum.exitCode).to.equal(0);
    await publishCommand(ctxOf(f), { dir: good.dir, dryRun: false, from: f.operator.address });
    expect((await once(f, state)).text).to.match(new RegExp(`root ${goodRoot.root} .* verified`));
    // a fresh state reads the history: the revoked root is no alert any more
    const fresh = await once(f, await tmp("fresh"));
    expect(fresh.text).to.match(new RegExp(`root ${evil.root} .* is not the root rebuilt .*; it is no longer pending \\(revoked\\)`));
    expect(fresh.sum.exitCode).to.equal(0);
  });

  it("says MISMATCH for a first root whose epoch ends before rewards start (nothing is owed), with the revoke command", async () => {
    const f = await suite.load();
    const e = f.emissions!;
    const [weights] = await e.schedule.queryFilter(e.schedule.filters.MarketWeightsSet());
    const start = Number(weights!.args.start);
    const evil = referenceTree([[f.eve.address, flux(1)]]);
    await (await e.distributor.connect(f.operator).submitRoot(evil.root, evil.total, start - 1, ZeroHash)).wait();
    const { lines, sum } = await once(f, await tmp("early"));
    expect(lines.find((l) => /MISMATCH/.test(l))).to.match(new RegExp(`MISMATCH: root ${evil.root} for the epoch ending ${iso(start - 1)} \\(total 1 FLUX\\) pays rewards for an epoch that ends before they start \\(${iso(start)}\\): nothing is owed: revoke it before .*, as the guardian: npx hardhat emissions revoke --network ${f.manifest.network} --root ${evil.root}$`));
    expect(sum.exitCode).to.equal(3);
  });

  it("--fail-on mismatch ends a running watcher with exit status 3 at the mismatch", async () => {
    const f = await suite.load();
    const w = await live(f, { failOn: new Set<WatchKind>(["mismatch"]) });
    await w.next(/watching/);
    await suite.env.networkTime(2 * DAY);
    const end = (await suite.env.clock.latest()) - 60;
    const evil = referenceTree([[f.eve.address, flux(1)]]);
    await (await f.emissions!.distributor.connect(f.operator).submitRoot(evil.root, evil.total, end, ZeroHash)).wait();
    const sum = await w.done;
    expect(sum.exitCode).to.equal(3);
    expect(sum.alert).to.match(/^mismatch: MISMATCH: root 0x[0-9a-f]{64} .* npx hardhat emissions revoke/);
    // the pass that saw it ends (every other line of that block is said), and nothing after it
    expect(w.lines.filter((l) => /MISMATCH/.test(l))).to.have.length(1);
    expect(w.lines.at(-1)).not.to.equal("stopped");
  });

  it("says a position entering the near-line zone, becoming liquidatable, and leaving, once each", async () => {
    const f = await suite.load();
    const borrower = (await suite.env.conn.ethers.getSigners())[9]!.address;
    const w = await live(f);
    await setPrice(market(f, "WETH"), "2400"); // 120%: above the zone (110% × 1.05 = 115.5%)
    await setPrice(market(f, "WETH"), "2250"); // 112.5%
    expect(await w.next(/account/)).to.match(new RegExp(`^block \\d+ account ${borrower} near the liquidation line: health 112\\.\\d\\d%, line 110\\.00% \\(zone below 115\\.50%\\)$`));
    await setPrice(market(f, "WETH"), "2260");
    await setPrice(market(f, "WETH"), "2150"); // 107.5%
    expect(await w.next(/account/)).to.match(new RegExp(`account ${borrower} LIQUIDATABLE: health 107\\.\\d\\d%, line 110\\.00%$`));
    await setPrice(market(f, "WETH"), "2240");
    expect(await w.next(/account/)).to.match(new RegExp(`account ${borrower} no longer liquidatable, still near the liquidation line: health 11[12]\\.\\d\\d%`));
    await setPrice(market(f, "WETH"), "3000");
    expect(await w.next(/account/)).to.match(new RegExp(`account ${borrower} left the zone: health 1[45]\\d\\.\\d\\d%, line 110\\.00%$`));
    await setPrice(market(f, "WETH"), "3100");
    await suite.env.conn.networkHelpers.mine(3);
    const sum = await w.stop();
    expect(w.rest().filter((l) => /account/.test(l))).to.deep.equal([]);
    expect(w.lines.at(-1)).to.equal("stopped");
    expect(sum.events.liquidatable).to.equal(1);
    expect(sum.exitCode).to.equal(0);
  });

  it("warns of a feed past 80% of its heartbeat, says when the oracle refuses it and when it is fresh again", async () => {
    const f = await suite.load();
    const w = await live(f);
    await w.next(/watching/);
    await suite.env.networkTime(3000); // WETH and WBTC: 1 h heartbeat
    expect(await w.next(/feed WETH/)).to.match(/^block \d+ feed WETH: WARNING its price is 50 min old, 83\.\d\d% of its 1 h heartbeat: refused from \d{4}-.*Z unless updated$/);
    await suite.env.networkTime(700);
    expect(await w.next(/feed WETH/)).to.match(/feed WETH: price refused: OracleStalePrice\(0x[0-9a-fA-F]{40}, \d+, 3600\); positions owing WETH cannot be valued or liquidated until it is updated$/);
    await setPrice(market(f, "WETH"), "3000");
    expect(await w.next(/feed WETH/)).to.match(/feed WETH: fresh again \(updated .*\)$/);
    const sum = await w.stop();
    expect(w.rest().filter((l) => /feed WETH/.test(l))).to.deep.equal([]);
    expect(sum.events.stale).to.be.greaterThanOrEqual(2);
  });

  it("says paused markets and paused claims; --fail-on paused exits 3", async () => {
    const f = await suite.load();
    const usdt = market(f, "USDT");
    await (await f.markets!.controller.connect(f.guardian).guardianPause(await usdt.market.getAddress(), false, true)).wait();
    await (await f.emissions!.distributor.connect(f.guardian).pause()).wait();
    const r = await once(f, await tmp("state"), { failOn: "paused,stale" });
    expect(r.text).to.match(/^block \d+ market USDT: borrows paused$/m);
    expect(r.text).to.match(new RegExp(`^block \\d+ rewards distributor ${await f.emissions!.distributor.getAddress()}: claims paused$`, "m"));
    expect(r.sum.exitCode).to.equal(3);
    expect(r.sum.alert).to.match(/^paused: market USDT: borrows paused/);
    expect((await once(f, await tmp("state"), { failOn: "stale" })).sum.exitCode).to.equal(0);
  });

  it("says a queued proposal once when its ETA comes within --soon, and when it is executed", async () => {
    const f = await suite.load();
    const g = f.governor;
    const w = await live(f, { soonSeconds: DAY });
    const description = "# Raise the emissions allowance\n\nTo 11M FLUX.";
    const action = { target: await f.token.getAddress(), value: 0n, calldata: f.token.interface.encodeFunctionData("setMinterAllowance", [await f.emissions!.distributor.getAddress(), flux(11_000_000)]) };
    const call: [string[], bigint[], string[]] = [[action.target], [action.value], [action.calldata]];
    await (await g.connect(f.alice).propose(...call, description)).wait();
    const pid = (await g.queryFilter(g.filters.ProposalCreated())).at(-1)!.args.proposalId;
    await suite.env.clock.increaseTo((await g.proposalSnapshot(pid)) + 1n);
    await (await g.connect(f.alice).castVote(pid, 1)).wait();
    await (await g.connect(f.bob).castVote(pid, 1)).wait();
    await suite.env.clock.increaseTo((await g.proposalDeadline(pid)) + 1n);
    await (await g.queue(...call, id(description))).wait();
    const eta = await g.proposalEta(pid);
    await suite.env.conn.networkHelpers.mine(2);
    await new Promise((r) => setTimeout(r, 200));
    expect(w.lines.filter((l) => /proposal \d/.test(l))).to.deep.equal([]); // two days away
    await suite.env.clock.increaseTo(eta - BigInt(DAY) + 10n);
    expect(await w.next(/proposal \d/)).to.match(new RegExp(`^block \\d+ proposal ${pid} "Raise the emissions allowance" executes soon: ETA ${iso(eta)} \\(in 23 h 59 min\\)$`));
    await suite.env.clock.increaseTo(eta);
    await (await g.execute(...call, id(description))).wait();
    expect(await w.next(/proposal \d/)).to.match(new RegExp(`proposal ${pid} "Raise the emissions allowance" executed \\(block \\d+\\)$`));
    const sum = await w.stop();
    expect(sum.events.proposal).to.equal(2);
    expect(w.rest().filter((l) => /proposal \d/.test(l))).to.deep.equal([]);
  });

  it("--once: 0 with nothing of the fail kinds, 3 with one; bad options refused in one line", async () => {
    const f = await suite.load();
    expect((await once(f, await tmp("state"), { failOn: "liquidatable" })).sum.exitCode).to.equal(0);
    await setPrice(market(f, "WETH"), "2150");
    const r = await once(f, await tmp("state"), { failOn: "liquidatable" });
    expect(r.sum.exitCode).to.equal(3);
    expect(r.lines[0]).to.match(/^watching .* 3 markets \(.*\), 0 borrowers known; roots of RewardsDistributor 0x[0-9a-fA-F]{40}; near-line margin 5\.00%; proposals due within 1 d; exit 3 on liquidatable; state /);
    expect((await once(f, await tmp("state"), { failOn: "none" })).sum.exitCode).to.equal(0);
    const state = await tmp("state");
    await expect(once(f, state, { failOn: "mismatch,fire" })).to.be.rejectedWith(/--fail-on "mismatch,fire": unknown kind "fire" \(kinds: mismatch, liquidatable, stale, paused, proposal, or none\)/);
    await expect(once(f, state, { soon: "tomorrow" })).to.be.rejectedWith(/--soon "tomorrow": must be seconds or a duration such as 30m, 6h, 1d/);
    await expect(once(f, state, { marginBps: -1 })).to.be.rejectedWith(/--margin-bps -1: must be 0 or more/);
    // a state of another deployment is refused
    await once(f, state);
    const file = path.join(state, "state.json");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(file, (await readFile(file, "utf8")).replace(/"chainId": \d+/, '"chainId": 1'));
    await expect(once(f, state)).to.be.rejectedWith(/state\.json: the state is for chain 1 .* give another --state/);
    await writeFile(file, "{");
    await expect(once(f, state)).to.be.rejectedWith(/state\.json: not JSON/);
  });

  it("says an RPC outage once when it starts and once when it ends; --once gives up with exit status 1", async () => {
    const f = await suite.load();
    await setPrice(market(f, "WETH"), "2150");
    const real = suite.env.conn.ethers.provider;
    const failures = { left: 4 };
    const flaky = flakyProvider(real, failures);
    const up = await live(f, { provider: flaky, once: true, retryMs: 10, maxFailures: 10, failOn: new Set<WatchKind>(["liquidatable"]) });
    const sum = await up.done;
    const text = up.lines.join("\n");
    expect(up.lines.filter((l) => /^rpc unreachable/.test(l))).to.have.length(1);
    expect(text).to.match(/^rpc unreachable \(connect ECONNREFUSED 127\.0\.0\.1:8646\); retrying with backoff from 0\.01 s up to 0\.3 s until it answers$/m);
    expect(text).to.match(/^rpc reachable again after \d+ s \(rpc unreachable/m);
    expect(text).to.match(/LIQUIDATABLE/);
    expect(sum.exitCode).to.equal(3);
    failures.left = 100;
    const down = await live(f, { provider: flaky, once: true, retryMs: 10, maxFailures: 2 });
    expect((await down.done).exitCode).to.equal(1);
    expect(down.lines.at(-1)).to.match(/rpc unreachable .*; giving up after 2 attempts/);
  });
});

describe("watch without market weights (a chain rewarding a balances file)", () => {
  const suite = useFixture((env) => scene(env, { weights: false }));
  const { ctxOf, once } = watchTests(suite);

  it("says once that a root it cannot rebuild from the chain cannot be verified, and why", async () => {
    const f = await suite.load();
    const dir = await tmp("balances");
    const balances = path.join(dir, "balances.csv");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(balances, `account,balance\n${f.alice.address},3\n${f.bob.address},1\n`);
    const end = (await suite.env.clock.latest()) - 10;
    const out = path.join(dir, "epoch");
    await buildCommand(ctxOf(f), { out, epochEnd: String(end), previous: "", balances, epochStart: String(f.manifest.timestamp + 10), confirmations: 0, pageSize: 5000 });
    await publishCommand(ctxOf(f), { dir: out, dryRun: false, from: f.operator.address });
    const root = (await loadEpoch(out)).meta.root;
    const state = await tmp("state");
    const r = await once(f, state);
    expect(r.text).to.match(new RegExp(`^block \\d+ root ${root} for the epoch ending ${iso(end)} cannot verify: .*no market weights are in force at the epoch start \\d+ \\(an epoch built from a balances file\\? verify it with emissions verify --balances <file>\\)$`, "m"));
    expect(r.sum.exitCode).to.equal(0);
    expect((await once(f, state)).text).not.to.include(root);
  });
});
