/**
 * The TypeScript twin of the controller's position and liquidation math (src/markets/liquidation.ts)
 * against the deployed contracts, to the wei and to the error: random positions across the three
 * markets, random price moves and accrued interest, then, at one block, every account's position
 * (accountPosition), every pair's maxLiquidation, and liquidationSeize at random repayments,
 * including the refusals (not liquidatable, over the close factor, a seize larger than the shares).
 */
import { expect } from "chai";
import { ZeroAddress, type Provider } from "ethers";
import hre from "hardhat";
import { describe, it } from "mocha";
import { governanceFixture, useFixture } from "./helpers/fixture.js";
import { market, setPrice, supply, units } from "./helpers/markets.js";
import { placeMulticall3 } from "../src/deploy/local.js";
import { marketsChain, scanHealth, MARKETS_DECODER } from "../src/keeper/scan.js";
import { BorrowerBook } from "../src/keeper/borrowers.js";
import { isRefusal, isUnpriced, maxLiquidation, quoteLiquidation, type PairInput } from "../src/markets/liquidation.js";
import { revertData } from "../src/core/revert.js";
import { FluxMarket__factory } from "../types/ethers-contracts/factories/contracts/markets/FluxMarket__factory.js";
import { rngFraction } from "../bench/random.js";

describe("liquidation math: the TypeScript twin against the contracts", () => {
  const suite = useFixture((env) => governanceFixture(env));

  for (const seed of [1, 2, 3]) {
    it(`agrees with accountPosition, maxLiquidation and liquidationSeize on random positions (seed ${seed})`, async () => {
      const f = await suite.load();
      const conn = suite.env.conn;
      await placeMulticall3(hre.artifacts, conn);
      const rand = rngFraction(seed);
      const signers = await conn.ethers.getSigners();
      const [usdt, weth, wbtc] = [market(f, "USDT"), market(f, "WETH"), market(f, "WBTC")];
      const all = [usdt, weth, wbtc];
      // deep liquidity in every market
      await supply(usdt, signers[19]!, "5000000");
      await supply(weth, signers[19]!, "2000");
      await supply(wbtc, signers[19]!, "100");
      const prices = { USDT: 1, WETH: 3000, WBTC: 60000 } as const;
      const accounts = signers.slice(8, 18);
      for (const a of accounts) {
        // collateral in one to three markets, $2,000 to $200,000 each
        for (const m of all) {
          if (rand() < 0.4 && m !== all[Math.floor(rand() * 3)]) continue;
          const usd = 2_000 + rand() * 198_000;
          const symbol = m === usdt ? "USDT" : m === weth ? "WETH" : "WBTC";
          await supply(m, a, (usd / prices[symbol]).toFixed(m.decimals > 6 ? 6 : m.decimals));
        }
        // borrow 70-100% of the limit from one or two markets
        const limit = await f.markets!.controller.availableToBorrow(a.address, await usdt.market.getAddress());
        const share = 0.7 + rand() * 0.3;
        const debtMarkets = rand() < 0.5 ? [usdt] : [usdt, rand() < 0.5 ? weth : wbtc];
        for (const m of debtMarkets) {
          const usdAmount = (Number(limit) / 1e6) * share / debtMarkets.length;
          const symbol = m === usdt ? "USDT" : m === weth ? "WETH" : "WBTC";
          const amount = units(m, (usdAmount / prices[symbol]).toFixed(Math.min(m.decimals, 6)));
          if (amount > 0n) await (await m.market.connect(a).borrow(amount, a.address)).wait().catch(() => undefined);
        }
      }
      // a year of interest, then prices fall by 20% to 55% (fresh answers keep the feeds valid)
      await suite.env.networkTime(365 * 86_400);
      await setPrice(usdt, (1 - rand() * 0.05).toFixed(4));
      await setPrice(weth, (3000 * (0.8 - rand() * 0.35)).toFixed(2));
      await setPrice(wbtc, (60000 * (0.8 - rand() * 0.35)).toFixed(2));
      await conn.networkHelpers.mine(1);

      const provider = conn.ethers.provider;
      const chain = await marketsChain(provider, f.manifest);
      const block = await provider.getBlockNumber();
      const scan = await scanHealth(provider, chain, accounts.map((a) => a.address), { blockTag: block, batchCalls: 7 });
      // the keeper's scan reads each account only where the events say it borrowed or supplied:
      // the same holdings and positions
      const book = await BorrowerBook.open({ chainId: f.manifest.chainId, controller: chain.controller, fromBlock: f.manifest.block, confirmations: 0 });
      await book.update(provider, chain.markets.map((m) => m.market), block);
      const keeperScan = await scanHealth(provider, chain, accounts.map((a) => a.address), { blockTag: block, batchCalls: 7, marketsOf: (a) => book.marketsOf(a) });
      expect(scan.holdingsRead).to.equal(accounts.length * chain.markets.length);
      expect(keeperScan.holdingsRead).to.be.lessThan(scan.holdingsRead);
      for (const [i, a] of scan.accounts.entries()) {
        const b = keeperScan.accounts[i]!;
        expect(b.position, a.account).to.deep.equal(a.position);
        expect(b.holdings, a.account).to.deep.equal(a.holdings);
        // every holding as the market itself says: accountSnapshot and sharesOf at the scanned block
        for (const [j, m] of chain.markets.entries()) {
          const market = FluxMarket__factory.connect(m.market, provider);
          const [supplied, debt] = await market.accountSnapshot(a.account, { blockTag: block });
          const shares = await market.sharesOf(a.account, { blockTag: block });
          expect([a.holdings[j]!.supplied, a.holdings[j]!.debt, a.holdings[j]!.shares], `${a.account} in ${m.symbol}`).to.deep.equal([supplied, debt, shares]);
        }
      }
      const controller = f.markets!.controller;
      let liquidatable = 0;
      let allShares = 0; // maxLiquidation's "smallest repayment that takes every share" branch
      const refusals = new Set<string>();
      for (const a of scan.accounts) {
        const onChain = await controller.accountPosition(a.account, { blockTag: block });
        expect(isUnpriced(a.position)).to.equal(false);
        const p = a.position as Exclude<typeof a.position, { unpricedMarket: string }>;
        expect([p.collateralValue, p.debtValue, p.borrowLimitValue, p.liquidationValue, p.healthBps, p.borrowAllowed, p.liquidatable])
          .to.deep.equal([onChain.collateralValue, onChain.debtValue, onChain.borrowLimitValue, onChain.liquidationValue, onChain.healthBps, onChain.borrowAllowed, onChain.liquidatable], a.account);
        if (p.liquidatable) liquidatable++;
        for (let d = 0; d < scan.markets.length; d++) {
          for (let c = 0; c < scan.markets.length; c++) {
            const x: PairInput = { position: p, risk: scan.risk, debtMarket: scan.markets[d]!, collateralMarket: scan.markets[c]!, debtHolding: a.holdings[d]!, collateralHolding: a.holdings[c]! };
            const [repay, shares] = await controller.maxLiquidation(a.account, scan.markets[d]!.market, scan.markets[c]!.market, { blockTag: block });
            const twin = maxLiquidation(x);
            expect([twin.repay, twin.seizeShares]).to.deep.equal([repay, shares], `${a.account} ${d}/${c}`);
            if (twin.seizeShares > 0n && twin.seizeShares === a.holdings[c]!.shares) allShares++;
            if (a.holdings[d]!.debt === 0n) continue;
            // liquidationSeize at random repayments up to 1.3x the largest allowed
            const max = repay > 0n ? repay : a.holdings[d]!.debt;
            for (const r of [1n, max, max + 1n, (max * BigInt(Math.floor(rand() * 1300))) / 1000n]) {
              const quote = quoteLiquidation(x, r);
              let contract: { shares?: bigint; error?: string };
              try {
                contract = { shares: await controller.liquidationSeize(scan.markets[d]!.market, scan.markets[c]!.market, a.account, r, { blockTag: block }) };
              } catch (e) {
                contract = { error: MARKETS_DECODER.decode(revertData(e)!).replace(/\(.*$/, "") };
              }
              if (isRefusal(quote)) {
                refusals.add(quote.error);
                if (quote.error === "MarketZeroAmount") continue; // the market refuses zero before asking the controller
                expect(contract.error).to.equal(quote.error, `${a.account} ${d}/${c} repay ${r}`);
              } else {
                expect(contract.shares).to.equal(quote.seizeShares, `${a.account} ${d}/${c} repay ${r}`);
              }
            }
          }
        }
      }
      // the random scene reaches the cases that matter
      expect(liquidatable, "liquidatable accounts").to.be.greaterThan(0);
      expect(allShares, "pairs where the seize takes every share").to.be.greaterThan(0);
      expect([...refusals]).to.include.members(["ControllerRepayTooLarge", "ControllerNotLiquidatable"]);
    });
  }

  it("scanHealth refuses a bad accountsPerCall in one line, before reading anything", async () => {
    let requests = 0;
    const provider = { call: async () => (requests++, "0x"), getBlockNumber: async () => (requests++, 1) } as unknown as Provider;
    const chain = { controller: ZeroAddress, oracle: ZeroAddress, multicall: ZeroAddress, markets: [] };
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      await expect(scanHealth(provider, chain, [], { accountsPerCall: bad })).to.be.rejectedWith(new RegExp(`^accountsPerCall must be a positive integer, got ${bad}$`));
    }
    expect(requests).to.equal(0);
  });

  it("a market without a valid price values supply there at zero, and makes a position with debt there unpriced (the controller reverts)", async () => {
    const f = await suite.load();
    const conn = suite.env.conn;
    await placeMulticall3(hre.artifacts, conn);
    const s = await conn.ethers.getSigners();
    const [usdt, weth, wbtc] = [market(f, "USDT"), market(f, "WETH"), market(f, "WBTC")];
    await supply(usdt, s[19]!, "1000000");
    await supply(weth, s[19]!, "100");
    await supply(weth, s[8]!, "10");
    await supply(wbtc, s[8]!, "1");
    await (await usdt.market.connect(s[8]!).borrow(units(usdt, "10000"), s[8]!.address)).wait();
    await supply(usdt, s[9]!, "100000");
    await (await weth.market.connect(s[9]!).borrow(units(weth, "1"), s[9]!.address)).wait();
    await suite.env.networkTime(3601); // WETH's and WBTC's feeds (1 h heartbeat) go stale; USDT's (24 h) does not
    const provider = conn.ethers.provider;
    const scan = await scanHealth(provider, await marketsChain(provider, f.manifest), [s[8]!.address, s[9]!.address]);
    const wethScan = scan.markets.find((m) => m.info.symbol === "WETH")!;
    expect(wethScan.price).to.equal(undefined);
    expect(wethScan.priceError).to.match(/^OracleStalePrice\(/);
    const [supplyOnly, owesWeth] = scan.accounts;
    const onChain = await f.markets!.controller.accountPosition(s[8]!.address, { blockTag: scan.block });
    expect(isUnpriced(supplyOnly!.position)).to.equal(false);
    expect((supplyOnly!.position as { collateralValue: bigint }).collateralValue).to.equal(onChain.collateralValue).and.to.equal(0n);
    expect((supplyOnly!.position as { liquidatable: boolean }).liquidatable).to.equal(onChain.liquidatable).and.to.equal(true);
    expect(owesWeth!.position).to.deep.equal({ unpricedMarket: wethScan.market });
    await expect(f.markets!.controller.accountPosition(s[9]!.address, { blockTag: scan.block })).to.be.revertedWithCustomError(f.markets!.oracle, "OracleStalePrice");
  });
});
