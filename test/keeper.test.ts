/**
 * The keeper on an in-process chain (every transaction mined at once): it finds a liquidatable
 * account in the block of the price that makes it so and liquidates it in the next; it picks the
 * best pair of markets; it respects the profit threshold, its inventory and a dry run; it waits
 * out a stale feed and an unreachable RPC; it writes off bad debt; and its transaction sender
 * never executes an action twice (a dropped transaction, a nonce gap, a replaced nonce).
 */
import { expect } from "chai";
import hre from "hardhat";
import { before, describe, it } from "mocha";
import { parseUnits, type Provider } from "ethers";
import { governanceFixture, useFixture, type Fixture, type Signer } from "./helpers/fixture.js";
import { market, setPrice, supply, units } from "./helpers/markets.js";
import { flakyProvider } from "./helpers/flaky.js";
import { placeMulticall3 } from "../src/deploy/local.js";
import { BorrowerBook } from "../src/keeper/borrowers.js";
import { runKeeper, type KeeperOptions } from "../src/keeper/keeper.js";
import { marketsChain } from "../src/keeper/scan.js";
import { TxSender } from "../src/keeper/sender.js";
import { keeperCommand, LOCAL_KEEPER } from "../src/keeper/command.js";
import { mintAndApprove } from "../src/deploy/markets.js";

describe("keeper (in-process chain)", () => {
  const suite = useFixture((env) => {
    const base = governanceFixture(env);
    return async function keeperScene(): Promise<Fixture> {
      const f = await base();
      await placeMulticall3(hre.artifacts, env.conn);
      const s = await env.conn.ethers.getSigners();
      await supply(market(f, "USDT"), s[8]!, "1000000");
      // borrower 9: 10 WETH ($30,000), borrows 20,000 USDT (health 150%)
      await supply(market(f, "WETH"), s[9]!, "10");
      await (await market(f, "USDT").market.connect(s[9]!).borrow(units(market(f, "USDT"), "20000"), s[9]!.address)).wait();
      // the keeper's inventory, not yet approved
      await (await market(f, "USDT").asset.mint(s[10]!.address, units(market(f, "USDT"), "100000"))).wait();
      return f;
    };
  });
  let keeper: Signer, borrower: Signer, other: Signer;
  before(async () => {
    const s = await suite.env.conn.ethers.getSigners();
    [borrower, keeper, other] = [s[9]!, s[10]!, s[11]!];
  });

  async function options(f: Fixture, extra: Partial<KeeperOptions> = {}): Promise<KeeperOptions & { lines: string[] }> {
    const provider = suite.env.conn.ethers.provider;
    const chain = await marketsChain(provider, f.manifest);
    const book = await BorrowerBook.open({ chainId: f.manifest.chainId, controller: chain.controller, fromBlock: f.manifest.block, confirmations: 0 });
    const lines: string[] = [];
    const weth = chain.markets.find((m) => m.symbol === "WETH")!;
    return { provider, chain, book, signer: keeper, address: keeper.address, once: true, nativePrice: { market: weth.market }, retryMs: 20, log: (l) => lines.push(l), lines, ...extra };
  }

  const liquidations = async (f: Fixture) => market(f, "USDT").market.queryFilter(market(f, "USDT").market.filters.Liquidate());

  it("does nothing while every position is healthy, and says so with exit status 0", async () => {
    const f = await suite.load();
    const o = await options(f);
    const nonce = await keeper.getNonce();
    const sum = await runKeeper(o);
    expect(sum).to.include({ liquidations: 0, left: 0, exitCode: 0 });
    expect(o.lines[0]).to.match(/watching 1 borrowers .*inventory 100,000 USDT, 0 WBTC, 0 WETH/);
    // it approved its inventory once, before any liquidation
    expect(await keeper.getNonce()).to.equal(nonce + 1);
    expect(o.lines.join("\n")).to.match(/approve USDT to its market .*: mined/);
  });

  it("liquidates in the block after the price drop, with the contract's own amounts, and logs one line", async () => {
    const f = await suite.load();
    const o = await options(f);
    await runKeeper(o); // approvals
    await setPrice(market(f, "WETH"), "2150");
    const priceBlock = await suite.env.conn.ethers.provider.getBlockNumber();
    const controller = f.markets!.controller;
    // the contract's own quote at the block the keeper scanned
    const [repay, seize] = await controller.maxLiquidation(borrower.address, await market(f, "USDT").market.getAddress(), await market(f, "WETH").market.getAddress(), { blockTag: priceBlock });
    const o2 = await options(f);
    const sum = await runKeeper(o2);
    const logs = await liquidations(f);
    expect(logs).to.have.length(1);
    expect(logs[0]!.blockNumber).to.equal(priceBlock + 1);
    expect(logs[0]!.args.repaid).to.equal(repay);
    expect(logs[0]!.args.seizedShares).to.equal(seize);
    expect(sum.liquidations).to.equal(1);
    const line = o2.lines.find((l) => / liquidate: /.test(l))!;
    expect(line).to.match(new RegExp(`^block ${priceBlock} account ${borrower.address} health \\d+\\.\\d\\d% liquidate: repay 10,000\\.\\d+ USDT seize [\\d.]+ WETH \\(\\$[\\d,.]+ for \\$[\\d,.]+\\); tx 0x[0-9a-f]{64} mined in block ${priceBlock + 1}; profit \\$[\\d,.]+ net of gas`));
    // 50% close factor: one liquidation restores it above the line, so nothing is left
    expect(sum.left).to.equal(0);
    expect(sum.exitCode).to.equal(0);
  });

  it("--dry-run decides and sends nothing", async () => {
    const f = await suite.load();
    await setPrice(market(f, "WETH"), "2150");
    const nonce = await keeper.getNonce();
    const o = await options(f, { dryRun: true });
    const sum = await runKeeper(o);
    expect(await keeper.getNonce()).to.equal(nonce);
    expect(await liquidations(f)).to.have.length(0);
    expect(o.lines.join("\n")).to.match(/would liquidate: repay 10,000[\d.]* USDT .* \(400000 gas assumed\); dry run: nothing sent/);
    expect(sum.exitCode).to.equal(2);
    expect(sum.left).to.equal(1);
  });

  it("skips a liquidation whose profit net of gas is below --min-profit-usd", async () => {
    const f = await suite.load();
    await setPrice(market(f, "WETH"), "2150");
    const o = await options(f, { minProfitUsd: parseUnits("1000000", 18) });
    const sum = await runKeeper(o);
    expect(await liquidations(f)).to.have.length(0);
    expect(o.lines.join("\n")).to.match(/skip: liquidate: .*profit \$[\d,.]+ net of gas .* below the minimum \$1,000,000$/m);
    expect(sum.exitCode).to.equal(2);
  });

  it("repays what its inventory allows, warns that it runs low, and skips with no inventory at all", async () => {
    const f = await suite.load();
    const usdt = market(f, "USDT");
    await (await usdt.asset.connect(keeper).transfer(other.address, units(usdt, "96000"))).wait(); // 4,000 USDT left
    await setPrice(market(f, "WETH"), "2150");
    const o = await options(f, { maxRounds: 1 });
    await runKeeper(o);
    const logs = await liquidations(f);
    expect(logs).to.have.length(1);
    expect(logs[0]!.args.repaid).to.equal(units(usdt, "4000"));
    const text = o.lines.join("\n");
    expect(text).to.match(/WARNING inventory low: 4,000 USDT held \(\$4,000\), 10,000\.\d+ USDT needed for the liquidatable accounts/);
    expect(text).to.match(/liquidate: repay 4,000 USDT \(inventory-limited; max 10,000\.\d+ USDT\)/);
    const o2 = await options(f);
    const sum = await runKeeper(o2);
    expect(o2.lines.join("\n")).to.match(/skip: no inventory to repay: USDT \(needs [\d,.]+\)/);
    expect(sum.exitCode).to.equal(2);
  });

  it("picks the pair that pays the most when an account owes and holds in several markets", async () => {
    const f = await suite.load();
    const [usdt, weth, wbtc] = [market(f, "USDT"), market(f, "WETH"), market(f, "WBTC")];
    const s = await suite.env.conn.ethers.getSigners();
    const b2 = s[12]!;
    await supply(weth, s[13]!, "100");
    await supply(wbtc, b2, "1"); // $60,000
    await supply(weth, b2, "1"); // $3,000
    await (await usdt.market.connect(b2).borrow(units(usdt, "20000"), b2.address)).wait();
    await (await weth.market.connect(b2).borrow(units(weth, "3"), b2.address)).wait(); // $9,000
    await (await weth.asset.mint(keeper.address, units(weth, "10"))).wait();
    await setPrice(wbtc, "28000"); // collateral $31,000 < 110% of $29,000 (the line at $31,900), not under water
    await setPrice(usdt, "1");
    const o = await options(f, { maxRounds: 1 });
    await runKeeper(o);
    const line = o.lines.find((l) => l.includes(b2.address) && / liquidate: /.test(l))!;
    // WBTC is the collateral worth taking (WETH holds $3,000 only); of the debts, USDT repays 10,000 (50%) for more seize than 1.5 WETH ($4,500)
    expect(line).to.match(/repay 10,000(\.\d+)? USDT seize [\d.]+ WBTC/);
  });

  it("waits out a stale feed: says so once, then liquidates when the price is valid again", async () => {
    const f = await suite.load();
    const o0 = await options(f);
    await runKeeper(o0);
    await setPrice(market(f, "WETH"), "2150");
    await suite.env.networkTime(3601); // WETH's heartbeat is one hour
    const o = await options(f);
    const sum = await runKeeper(o);
    const text = o.lines.join("\n");
    expect(text).to.match(/feed WETH: price refused: OracleStalePrice\(/);
    expect(text).to.match(/skip: its collateral cannot be priced: WETH \(OracleStalePrice/);
    expect(sum.liquidations).to.equal(0);
    await setPrice(market(f, "WETH"), "2150");
    await setPrice(market(f, "USDT"), "1");
    const sum2 = await runKeeper(await options(f));
    expect(sum2.liquidations).to.equal(1);
  });

  it("writes off the bad debt of an account left without collateral", async () => {
    const f = await suite.load();
    await runKeeper(await options(f)); // approvals
    await setPrice(market(f, "WETH"), "1000"); // $10,000 of collateral for $20,000 of debt: under water
    const o = await options(f);
    const sum = await runKeeper(o);
    const text = o.lines.join("\n");
    expect(sum.liquidations).to.be.greaterThan(0);
    expect(sum.writeOffs).to.equal(1);
    expect(text).to.match(/write-off: bad debt in USDT \(no collateral left in any market\); tx 0x[0-9a-f]{64} mined/);
    expect(await market(f, "USDT").market.debtOf(borrower.address)).to.equal(0n);
    expect(sum.exitCode).to.equal(0);
  });

  it("retries with backoff while the RPC is unreachable, then liquidates", async () => {
    const f = await suite.load();
    await setPrice(market(f, "WETH"), "2150");
    const real = suite.env.conn.ethers.provider;
    const failures = { left: 3 };
    const flaky = flakyProvider(real, failures);
    const o = await options(f, { provider: flaky });
    const sum = await runKeeper(o);
    expect(o.lines.filter((l) => /^rpc unreachable .*retrying in/.test(l))).to.have.length(3);
    expect(sum.liquidations).to.equal(1);
    // --once gives up after maxFailures and exits 1
    failures.left = 100;
    const o2 = await options(f, { provider: flaky, maxFailures: 2 });
    const sum2 = await runKeeper(o2);
    expect(sum2.exitCode).to.equal(1);
    expect(o2.lines.at(-1)).to.match(/giving up after 2 attempts/);
  });

  it("stops after the current transaction when asked", async () => {
    const f = await suite.load();
    await setPrice(market(f, "WETH"), "2150");
    const control = { stop: false };
    const o = await options(f, { once: false, control, log: (l) => { o.lines.push(l); if (/ liquidate: .*mined/.test(l)) control.stop = true; } });
    const sum = await runKeeper(o);
    expect(sum.liquidations).to.equal(1);
    expect(o.lines.at(-1)).to.equal("stopped");
  });

  it("the command refuses bad options in one line, before anything is sent", async () => {
    const f = await suite.load();
    const ctx = { conn: suite.env.conn, manifest: f.manifest };
    const base = { once: true, dryRun: true, minProfitUsd: "0", nativeUsd: "", checkpoint: "", confirmations: 0, pollMs: 100, txTimeout: 5, from: "" };
    const log = () => undefined;
    await expect(keeperCommand(ctx, { ...base, minProfitUsd: "ten" }, { log })).to.be.rejectedWith(/--min-profit-usd: "ten" is not a USD amount/);
    await expect(keeperCommand(ctx, { ...base, nativeUsd: "-3" }, { log })).to.be.rejectedWith(/--native-usd: "-3" is not a USD amount/);
    await expect(keeperCommand(ctx, { ...base, confirmations: -1 }, { log })).to.be.rejectedWith(/--confirmations: must be a whole number/);
    await expect(keeperCommand(ctx, { ...base, pollMs: 0 }, { log })).to.be.rejectedWith(/--poll-ms: must be at least 10/);
  });

  it("the command signs as the local keeper account and resumes from its checkpoint", async () => {
    const f = await suite.load();
    const ctx = { conn: suite.env.conn, manifest: f.manifest };
    const { mkdtemp, readFile, writeFile } = await import("node:fs/promises");
    const dir = await mkdtemp("/tmp/flux-keeper-");
    const checkpoint = `${dir}/cp.json`;
    const lines: string[] = [];
    const args = { once: true, dryRun: false, minProfitUsd: "0", nativeUsd: "", checkpoint, confirmations: 0, pollMs: 100, txTimeout: 5, from: "" };
    const sum = await keeperCommand(ctx, args, { log: (l) => lines.push(l) });
    expect(sum.exitCode).to.equal(0);
    expect(lines[0]).to.include(`signing as keeper ${LOCAL_KEEPER}`);
    const cp = JSON.parse(await readFile(checkpoint, "utf8"));
    expect(cp).to.include({ version: 1, chainId: f.manifest.chainId });
    expect(Object.keys(cp.borrows)).to.deep.equal([borrower.address]);
    expect(cp.supplies[borrower.address]).to.deep.equal([await market(f, "WETH").market.getAddress()]);
    const lines2: string[] = [];
    await keeperCommand(ctx, args, { log: (l) => lines2.push(l) });
    expect(lines2.join("\n")).to.include(`checkpoint ${checkpoint} (block ${cp.block})`);
    await writeFile(checkpoint, JSON.stringify({ ...cp, chainId: 1 }));
    await expect(keeperCommand(ctx, args, { log })).to.be.rejectedWith(/the checkpoint is for controller .* on chain 1/);
    await writeFile(checkpoint, "{");
    await expect(keeperCommand(ctx, args, { log })).to.be.rejectedWith(/cp\.json: not JSON/);
    function log() {}
  });

  describe("the transaction sender", () => {
    async function manual(fn: () => Promise<void>) {
      const p = suite.env.conn.provider;
      await p.request({ method: "evm_setAutomine", params: [false] });
      try {
        await fn();
      } finally {
        await p.request({ method: "evm_setAutomine", params: [true] });
      }
    }
    const dropAll = async () => {
      const p = suite.env.conn.provider;
      const pending = (await p.request({ method: "eth_getBlockByNumber", params: ["pending", false] })) as { transactions: string[] };
      for (const h of pending.transactions) await p.request({ method: "hardhat_dropTransaction", params: [h] });
    };

    it("sends again with the same nonce when the node drops its transaction, and it is mined once", async () => {
      await suite.load();
      const provider = suite.env.conn.ethers.provider;
      const notes: string[] = [];
      let polls = 0;
      await manual(async () => {
        const sender = new TxSender(keeper, provider, {
          receiptTimeoutMs: 0,
          note: (l) => notes.push(l),
          sleep: async () => {
            polls++;
          },
        });
        const nonce = await keeper.getNonce();
        // the first attempt is dropped by the node before any block; the second is mined
        const orig = keeper.sendTransaction.bind(keeper);
        let sent = 0;
        keeper.sendTransaction = async (tx) => {
          const r = await orig(tx);
          if (++sent === 1) await dropAll();
          else await suite.env.conn.provider.request({ method: "hardhat_mine", params: ["0x1"] });
          return r;
        };
        try {
          const out = await sender.send({ to: other.address, data: "0x", gasLimit: 21_000n });
          expect(out.status).to.equal("mined");
          expect(out.attempts).to.equal(2);
        } finally {
          keeper.sendTransaction = orig;
        }
        expect(await keeper.getNonce()).to.equal(nonce + 1);
        expect(notes[0]).to.match(/sending again with nonce \d+ and fees \+25% \(attempt 2 of 4\)/);
      });
    });

    /** A sender whose waits mine one block (the chain is in manual mining). */
    const mining = (o: { receiptTimeoutMs?: number } = {}) =>
      new TxSender(keeper, suite.env.conn.ethers.provider, { receiptTimeoutMs: o.receiptTimeoutMs ?? 60_000, sleep: () => suite.env.conn.provider.request({ method: "hardhat_mine", params: ["0x1"] }).then(() => undefined) });

    it("fills a nonce gap instead of waiting behind it", async () => {
      await suite.load();
      await manual(async () => {
        const nonce = await keeper.getNonce();
        // a transaction of this key with a future nonce sits queued in the node
        await keeper.sendTransaction({ to: other.address, value: 1n, nonce: nonce + 1, gasLimit: 21_000n });
        const out = await mining().send({ to: other.address, data: "0x", gasLimit: 21_000n });
        expect(out.status).to.equal("mined");
        expect(await keeper.getNonce()).to.be.greaterThanOrEqual(nonce + 1);
      });
    });

    it("reports a reverted transaction with its receipt, whether the node mines it later or at once", async () => {
      const f = await suite.load();
      const usdt = market(f, "USDT");
      await mintAndApprove(usdt, keeper, units(usdt, "1"));
      const data = usdt.market.interface.encodeFunctionData("liquidate", [borrower.address, 1n, await market(f, "WETH").market.getAddress()]);
      const req = { to: await usdt.market.getAddress(), data, gasLimit: 500_000n };
      await manual(async () => {
        const out = await mining().send(req);
        expect(out.status).to.equal("reverted");
      });
      // automining: the node answers eth_sendTransaction with the revert, yet the transaction is mined
      const nonce = await keeper.getNonce();
      const out = await new TxSender(keeper, suite.env.conn.ethers.provider, { receiptTimeoutMs: 5_000, pollMs: 10 }).send(req);
      expect(out.status).to.equal("reverted");
      expect(await keeper.getNonce()).to.equal(nonce + 1);
    });
  });
});
