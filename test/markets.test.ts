/**
 * Flux markets through governance and in use: risk-parameter proposals move a position between
 * safe and liquidatable, interest and reserves, instant fixed-price liquidation, bad debt.
 */
import { expect } from "chai";
import { before, describe, it } from "mocha";
import { beaconUpgradeAction } from "../src/governance/upgrades.js";
import { governanceFixture, pass, type Signer, useFixture } from "./helpers/fixture.js";
import { market, setPrice, supply, units } from "./helpers/markets.js";
import type { Action } from "../src/core/types.js";

const E18 = 10n ** 18n;

describe("Flux markets", () => {
  const suite = useFixture(governanceFixture);
  let supplier: Signer, borrower: Signer, liquidator: Signer;
  before(async () => {
    const signers = await suite.env.conn.ethers.getSigners();
    [supplier, borrower, liquidator] = [signers[8]!, signers[9]!, signers[10]!];
  });
  const load = () => suite.load();

  /** Supplier brings 1M USDT; borrower brings 10 WETH ($30,000) and borrows 20,000 USDT (health 150%). */
  async function withPosition() {
    const f = await suite.load();
    const usdt = market(f, "USDT");
    const weth = market(f, "WETH");
    await supply(usdt, supplier, "1000000");
    await supply(weth, borrower, "10");
    await (await usdt.market.connect(borrower).borrow(units(usdt, "20000"), borrower.address)).wait();
    return { f, usdt, weth, controller: f.markets!.controller };
  }


  it("reports an account's position and a market's state in one call each", async () => {
    const { usdt, controller } = await withPosition();
    const p = await controller.accountPosition(borrower.address);
    expect(p.collateralValue).to.equal(30_000n * E18);
    expect(p.borrowLimitValue).to.equal(30_000n * E18 * 10_000n / 14_000n); // 140% for WETH collateral
    expect(p.debtValue).to.equal(20_000n * E18);
    expect(p.liquidationValue).to.equal(22_000n * E18);
    expect(p.healthBps).to.equal(15_000n);
    expect(p.borrowAllowed).to.equal(true);
    expect(p.liquidatable).to.equal(false);
    const s = await usdt.market.marketState();
    expect(s.totalBorrows).to.equal(units(usdt, "20000"));
    expect(s.utilization).to.equal(20_000n * E18 / 1_000_000n);
    // kinked model: 0% base + 8% x utilization below the kink
    expect(s.borrowRatePerYear).to.equal(8n * 10n ** 16n * s.utilization / E18);
    expect(s.supplyRatePerYear).to.equal(s.borrowRatePerYear * s.utilization / E18 * 9_000n / 10_000n);
    const available = await controller.availableToBorrow(borrower.address, await usdt.market.getAddress());
    expect(available).to.equal((p.borrowLimitValue - p.debtValue) / 10n ** 12n); // 6-decimal USDT
    const [state, config, price] = await controller.marketOverview(await usdt.market.getAddress());
    expect(state.totalBorrows).to.equal(s.totalBorrows);
    expect(state.borrowRatePerYear).to.equal(s.borrowRatePerYear);
    expect(config.collateralRatioBps).to.equal(13_000n);
    expect(config.supplyCap).to.equal(units(usdt, "100000000"));
    expect(config.borrowCap).to.equal(units(usdt, "80000000"));
    expect(price).to.equal(10n ** 30n); // $1 per 6-decimal unit, scaled to 1e36 / 1e6
  });

  it("upgrades every market at once through the beacon, by proposal only", async () => {
    const { f, usdt, weth } = await withPosition();
    const beacon = await f.markets!.beacon.getAddress();
    const action = await beaconUpgradeAction(f.upgrades, suite.env.conn.ethers, beacon, "FluxMarketV2");
    await expect(f.deployer.sendTransaction({ to: beacon, data: action.calldata }))
      .to.be.revertedWithCustomError(f.markets!.beacon, "OwnableUnauthorizedAccount");
    await pass(suite.env, f, [action], "Upgrade every market to V2");
    for (const m of [usdt, weth]) {
      const v2 = await suite.env.conn.ethers.getContractAt("FluxMarketV2", await m.market.getAddress());
      expect(await v2.implementationVersion()).to.equal(2n);
    }
    expect(await usdt.market.debtOf(borrower.address)).to.be.greaterThanOrEqual(units(usdt, "20000"));
  });

  it("a proposal raising the liquidation ratio makes a safe position liquidatable; lowering it makes it safe again", async () => {
    const { f, usdt, weth, controller } = await withPosition();
    await setPrice(weth, "2400"); // collateral $24,000 against $20,000: health 120%
    expect((await controller.accountPosition(borrower.address)).liquidatable).to.equal(false);
    const target = await controller.getAddress();
    const set = (bps: number): Action => ({
      target,
      value: 0n,
      calldata: controller.interface.encodeFunctionData("setLiquidationRatio", [bps]),
      summary: `liquidation ratio → ${bps / 100}%`,
    });
    await pass(suite.env, f, [set(12_500)], "Raise the liquidation ratio to 125%");
    await setPrice(weth, "2400"); // refresh the feeds after the voting period (heartbeats 1 h / 1 day)
    await setPrice(usdt, "1");
    expect((await controller.riskParameters()).liquidationRatioBps).to.equal(12_500n);
    expect((await controller.accountPosition(borrower.address)).liquidatable).to.equal(true);

    await pass(suite.env, f, [set(11_000)], "Restore the liquidation ratio to 110%");
    await setPrice(weth, "2400");
    await setPrice(usdt, "1");
    const p = await controller.accountPosition(borrower.address);
    expect(p.liquidatable).to.equal(false);
    expect(p.healthBps).to.be.greaterThan(11_000n);
  });

  it("a proposal raising a collateral ratio puts a position over its limit: no more borrowing or withdrawing, but not liquidatable", async () => {
    const { f, usdt, weth, controller } = await withPosition();
    await pass(suite.env, f, [{
      target: await controller.getAddress(),
      value: 0n,
      calldata: controller.interface.encodeFunctionData("setCollateralRatio", [await weth.market.getAddress(), 16_000]),
      summary: "WETH collateral ratio 140% → 160%",
    }], "Raise the WETH collateral ratio to 160%");
    await setPrice(weth, "3000");
    await setPrice(usdt, "1");
    const p = await controller.accountPosition(borrower.address);
    expect(p.borrowLimitValue).to.equal(30_000n * E18 * 10_000n / 16_000n);
    expect(p.borrowAllowed).to.equal(false);
    expect(p.liquidatable).to.equal(false);
    await expect(usdt.market.connect(borrower).borrow(units(usdt, "100"), borrower.address))
      .to.be.revertedWithCustomError(controller, "ControllerBorrowLimitExceeded");
    await expect(weth.market.connect(borrower).withdraw(units(weth, "0.1"), borrower.address))
      .to.be.revertedWithCustomError(controller, "ControllerBorrowLimitExceeded");
    // repaying is always possible
    await (await usdt.asset.mint(borrower.address, units(usdt, "5000"))).wait();
    await (await usdt.asset.connect(borrower).approve(await usdt.market.getAddress(), units(usdt, "5000"))).wait();
    await (await usdt.market.connect(borrower).repay(units(usdt, "5000"), borrower.address)).wait();
    expect((await controller.accountPosition(borrower.address)).borrowAllowed).to.equal(true);
  });

  it("liquidates instantly at 97% of the oracle price, within the close factor, and the position improves", async () => {
    const { usdt, weth, controller } = await withPosition();
    await setPrice(weth, "2150"); // collateral $21,500 < $22,000 = 110% of the debt
    const before = await controller.accountPosition(borrower.address);
    expect(before.liquidatable).to.equal(true);
    const [usdtAddr, wethAddr] = [await usdt.market.getAddress(), await weth.market.getAddress()];
    const [maxRepay, seizeShares] = await controller.maxLiquidation(borrower.address, usdtAddr, wethAddr);
    // close factor 50% of the debt, which has accrued a few seconds of interest
    expect(maxRepay).to.be.greaterThanOrEqual(units(usdt, "10000"));
    expect(maxRepay).to.be.lessThan(units(usdt, "10000.001"));
    await expect(usdt.market.connect(liquidator).liquidate(borrower.address, maxRepay + 1n, wethAddr))
      .to.be.revertedWithCustomError(controller, "ControllerRepayTooLarge");
    await expect(usdt.market.connect(borrower).liquidate(borrower.address, maxRepay, wethAddr))
      .to.be.revertedWithCustomError(usdt.market, "MarketSelfLiquidation");
    await (await usdt.asset.mint(liquidator.address, maxRepay)).wait();
    await (await usdt.asset.connect(liquidator).approve(usdtAddr, maxRepay)).wait();
    await expect(usdt.market.connect(liquidator).liquidate(borrower.address, maxRepay, wethAddr))
      .to.emit(usdt.market, "Liquidate")
      .withArgs(liquidator.address, borrower.address, wethAddr, maxRepay, seizeShares, (left: bigint) => left >= maxRepay);
    // seized: $10,000 / 0.97 of WETH at $2,150 = 4.7952… WETH, rounded down
    const [seized] = await weth.market.accountSnapshot(liquidator.address);
    const expected = maxRepay * 10n ** 12n * E18 * 10_000n / 9_700n / (2_150n * E18);
    expect(seized).to.be.lessThanOrEqual(expected);
    expect(expected - seized).to.be.lessThan(10n);
    const after = await controller.accountPosition(borrower.address);
    expect(after.healthBps).to.be.greaterThan(before.healthBps);
    expect(after.liquidatable).to.equal(false);
  });

  it("refuses to liquidate a healthy account", async () => {
    const { usdt, weth, controller } = await withPosition();
    await expect(usdt.market.connect(liquidator).liquidate(borrower.address, 1n, await weth.market.getAddress()))
      .to.be.revertedWithCustomError(controller, "ControllerNotLiquidatable");
  });

  it("writes off bad debt against reserves first, then lowers the suppliers' exchange rate by the rest", async () => {
    const { usdt, weth, controller } = await withPosition();
    await suite.env.networkTime(365 * 86_400); // a year of interest builds reserves
    await setPrice(usdt, "1");
    await setPrice(weth, "1500"); // collateral $15,000 < debt: under water
    const [usdtAddr, wethAddr] = [await usdt.market.getAddress(), await weth.market.getAddress()];
    const [repay, seize] = await controller.maxLiquidation(borrower.address, usdtAddr, wethAddr);
    expect(seize).to.equal(await weth.market.sharesOf(borrower.address)); // all collateral
    await (await usdt.asset.mint(liquidator.address, repay)).wait();
    await (await usdt.asset.connect(liquidator).approve(usdtAddr, repay)).wait();
    await (await usdt.market.connect(liquidator).liquidate(borrower.address, repay, wethAddr)).wait();
    expect(await controller.hasNoCollateral(borrower.address)).to.equal(true);
    const before = await usdt.market.marketState();
    const debt = await usdt.market.debtOf(borrower.address);
    expect(debt).to.be.greaterThan(before.reserves);
    const receipt = (await (await usdt.market.writeOffBadDebt(borrower.address)).wait())!;
    const event = receipt.logs.map((l) => usdt.market.interface.parseLog(l)).find((e) => e?.name === "BadDebtWrittenOff")!;
    const [account, written, fromReserves, toSuppliers] = event.args as unknown as [string, bigint, bigint, bigint];
    expect(account).to.equal(borrower.address);
    expect(written).to.be.greaterThanOrEqual(debt); // a second of interest more, in the write-off's block
    // what leaves the books is the debt as totalBorrows holds it (debts round up, by a few wei)
    expect(fromReserves + toSuppliers).to.be.within(written - 5n, written);
    const after = await usdt.market.marketState();
    expect(after.reserves).to.equal(0n); // reserves absorbed first, all of them
    expect(toSuppliers).to.be.greaterThan(0n);
    expect(after.totalAssets).to.equal(after.cash + after.totalBorrows); // no claim on missing assets
    expect(after.exchangeRate).to.be.lessThan(before.exchangeRate);
    expect(await usdt.market.debtOf(borrower.address)).to.equal(0n);
    await expect(usdt.market.writeOffBadDebt(borrower.address))
      .to.be.revertedWithCustomError(usdt.market, "MarketNoBadDebt");
  });

  it("lets the risk council only tighten, through the steward contract: bounded steps, once a day", async () => {
    const { f, weth, controller } = await withPosition();
    const steward = f.markets!.riskSteward!;
    const stewardAddr = await steward.getAddress();
    expect((await controller.roles())[2]).to.equal(stewardAddr);
    const council = await suite.env.conn.ethers.getSigner(await steward.council());
    const wethAddr = await weth.market.getAddress();
    expect((await controller.marketConfig(wethAddr)).collateralRatioBps).to.equal(14_000n);
    await expect(steward.connect(council).raiseCollateralRatio(wethAddr, 15_000))
      .to.emit(controller, "CollateralRatioSet").withArgs(wethAddr, 14_000n, 15_000n, stewardAddr);
    await expect(steward.connect(council).raiseCollateralRatio(wethAddr, 15_100))
      .to.be.revertedWithCustomError(steward, "StewardCooldown");
    await suite.env.networkTime(86_400);
    await expect(steward.connect(council).raiseCollateralRatio(wethAddr, 16_001))
      .to.be.revertedWithCustomError(steward, "StewardOutOfBounds");
    await expect(steward.connect(council).raiseCollateralRatio(wethAddr, 14_000)) // loosening needs a proposal
      .to.be.revertedWithCustomError(steward, "StewardOutOfBounds");
    await expect(steward.connect(f.eve).raiseCollateralRatio(wethAddr, 15_500))
      .to.be.revertedWithCustomError(steward, "StewardNotCouncil").withArgs(f.eve.address);
    await expect(controller.connect(council).stewardRaiseCollateralRatio(wethAddr, 15_500))
      .to.be.revertedWithCustomError(controller, "ControllerNotSteward").withArgs(council.address);
    await expect(steward.connect(council).setCouncil(f.eve.address))
      .to.be.revertedWithCustomError(steward, "StewardNotTimelock").withArgs(council.address);
    expect(await steward.TIMELOCK()).to.equal(await f.timelock.getAddress());
  });

  it("accrues interest per second; the Timelock alone sweeps the reserve factor's share to itself", async () => {
    const { f, usdt } = await withPosition();
    const s0 = await usdt.market.marketState();
    await suite.env.networkTime(365 * 86_400);
    await (await usdt.market.accrueInterest()).wait();
    const s1 = await usdt.market.marketState();
    const interest = s1.totalBorrows - s0.totalBorrows;
    // simple interest over one accrual: borrows x rate x time (the block may add a second)
    const expectedMin = s0.totalBorrows * s0.borrowRatePerYear / E18;
    expect(interest).to.be.greaterThanOrEqual(expectedMin);
    expect(interest - expectedMin).to.be.lessThan(expectedMin / 1_000_000n + 2n);
    expect(s1.reserves).to.equal(interest * 1_000n / 10_000n);
    expect(s1.exchangeRate).to.be.greaterThan(s0.exchangeRate);
    const timelock = await f.timelock.getAddress();
    // Reserves are the first buffer against bad debt: only the Timelock (by proposal) takes them.
    await expect(usdt.market.connect(f.eve).sweepReserves())
      .to.be.revertedWithCustomError(usdt.market, "OwnableUnauthorizedAccount").withArgs(f.eve.address);
    const marketAddr = await usdt.market.getAddress();
    await pass(suite.env, f, [{
      target: marketAddr,
      value: 0n,
      calldata: usdt.market.interface.encodeFunctionData("sweepReserves"),
      summary: "Sweep the USDT market's reserves to the treasury",
    }], "Sweep USDT reserves");
    expect(await usdt.asset.balanceOf(timelock)).to.be.greaterThanOrEqual(s1.reserves);
    expect((await usdt.market.marketState()).reserves).to.equal(0n);
  });
});
