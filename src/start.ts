/**
 * The story `npm start` tells, as a library so a test runs exactly the same code.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { parseUnits } from "ethers";
import { loadDeployConfig } from "./deploy/config.js";
import { deployFlux, type FluxDeployment } from "./deploy/deploy.js";
import { localClock } from "./deploy/local.js";
import type { DeployedMarket } from "./deploy/markets.js";
import { runProposal, short, Support, type LifecycleResult } from "./governance/lifecycle.js";
import { bpsToPercent, describePosition, positionText, usd } from "./markets/format.js";
import { formatFlux } from "./util/amounts.js";
import { runEmissionsStory, type EmissionsStory } from "./emissions/story.js";

export interface StartResult {
  deployment: FluxDeployment;
  proposal: LifecycleResult;
  ratioBefore: bigint;
  ratioAfter: bigint;
  positionBefore: string;
  positionAfter: string;
  liquidation: { repaid: bigint; seizedShares: bigint };
  emissions: EmissionsStory;
}

export async function runStart(
  hre: HardhatRuntimeEnvironment,
  opts: { log?: (line: string) => void; manifestDir?: string | null } = {},
): Promise<StartResult> {
  const log = opts.log ?? (() => {});
  const conn = await hre.network.create();
  const networkName = conn.networkName;
  const cfg = await loadDeployConfig(networkName);
  log(`== 1. Deploy FLUX governance and the lending markets on "${networkName}" (chain ${cfg.chainId})`);
  const d = await deployFlux(hre, conn, cfg, {
    networkName,
    manifestDir: opts.manifestDir,
    log: (l) => log(`  ${l}`),
  });
  const { token, governor, timelock } = d;
  if (!d.markets) throw new Error(`the "${networkName}" config has no markets`);
  const { controller } = d.markets;
  const usdt = d.markets.markets.USDT;
  const weth = d.markets.markets.WETH;
  if (!usdt || !weth) throw new Error("npm start needs USDT and WETH markets");
  log(`  token      ${d.manifest.contracts.token}  (${await token.symbol()}, cap ${formatFlux(await token.cap())})`);
  log(`  governor   ${d.manifest.contracts.governor}  (${await governor.COUNTING_MODE()})`);
  log(`  timelock   ${d.manifest.contracts.timelock}  (delay ${await timelock.getMinDelay()} s)`);
  log(`  controller ${d.manifest.contracts.controller}`);
  for (const m of Object.values(d.markets.markets)) {
    const c = await controller.marketConfig(await m.market.getAddress());
    log(`  market ${m.symbol.padEnd(5)} ${await m.market.getAddress()}  (collateral ratio ${bpsToPercent(c.collateralRatioBps)})`);
  }
  const risk = await controller.riskParameters();
  log(`  one liquidation line at ${bpsToPercent(risk.liquidationRatioBps)}, liquidation at ${bpsToPercent(risk.priceFactorBps)} of the oracle price, no auction`);

  const signers = await conn.ethers.getSigners();
  const [relayer, alice, bob, carol, dave] = signers;
  const [supplier, borrower, liquidator] = [signers[8], signers[9], signers[10]];
  if (!relayer || !alice || !bob || !carol || !dave || !supplier || !borrower || !liquidator) {
    throw new Error("the embedded network needs 11 accounts");
  }

  log(`\n== 2. Holders delegate their votes to themselves`);
  for (const [name, s] of [["alice", alice], ["bob", bob], ["carol", carol], ["dave", dave]] as const) {
    await (await token.connect(s).delegate(s.address)).wait();
    log(`  ${name} ${short(s.address)} holds ${formatFlux(await token.balanceOf(s.address))} FLUX and self-delegates`);
  }
  await conn.networkHelpers.mine(1);

  log(`\n== 3. Market activity`);
  const fund = async (m: DeployedMarket, who: typeof supplier, amount: string) => {
    const v = parseUnits(amount, m.decimals);
    await (await m.asset.mint(who.address, v)).wait();
    await (await m.asset.connect(who).approve(await m.market.getAddress(), v)).wait();
    return v;
  };
  await (await usdt.market.connect(supplier).deposit(await fund(usdt, supplier, "1000000"), supplier.address)).wait();
  log(`  supplier ${short(supplier.address)} deposits 1,000,000 USDT`);
  await (await weth.market.connect(borrower).deposit(await fund(weth, borrower, "10"), borrower.address)).wait();
  log(`  borrower ${short(borrower.address)} deposits 10 WETH ($30,000 at $3,000)`);
  await (await usdt.market.connect(borrower).borrow(parseUnits("20000", 6), borrower.address)).wait();
  log(`  borrower borrows 20,000 USDT`);
  const positionBefore = positionText(await describePosition(controller, borrower.address));
  log(`  borrower: ${positionBefore}`);
  const state = await usdt.market.marketState();
  log(`  USDT market: supplied ${formatFlux(state.totalAssets, 6)}, borrowed ${formatFlux(state.totalBorrows, 6)}, ` +
    `borrow APR ${(Number(state.borrowRatePerYear) / 1e16).toFixed(2)}%, supply APR ${(Number(state.supplyRatePerYear) / 1e16).toFixed(3)}%`);

  log(`\n== 4. A risk proposal through its whole life`);
  const wethAddr = await weth.market.getAddress();
  const ratioBefore = (await controller.marketConfig(wethAddr)).collateralRatioBps;
  const ratioAfter = 15_000n;
  const proposal = await runProposal({
    governor,
    clock: localClock(conn),
    proposer: alice,
    relayer,
    actions: [{
      target: await controller.getAddress(),
      value: 0n,
      calldata: controller.interface.encodeFunctionData("setCollateralRatio", [wethAddr, ratioAfter]),
      summary: `FluxController.setCollateralRatio(WETH, ${ratioAfter}): WETH collateral ratio ${bpsToPercent(ratioBefore)} → ${bpsToPercent(ratioAfter)}`,
    }],
    description: `# Raise the WETH collateral ratio to 150%\n\nETH volatility is up; widen the buffer above the 110% liquidation line.`,
    votes: [
      { voter: alice, support: Support.For, reason: "a wider buffer for volatile collateral" },
      { voter: bob, support: Support.For, bySignature: true },
      { voter: carol, support: Support.Against, reason: "hurts borrowers" },
      { voter: dave, support: Support.Abstain },
    ],
    log: (l) => log(l),
  });
  // Feeds post fresh prices (the voting period outlasted their heartbeats).
  await (await weth.feed.setAnswer(parseUnits("3000", 8))).wait();
  await (await usdt.feed.setAnswer(parseUnits("1", 8))).wait();
  const positionAfter = positionText(await describePosition(controller, borrower.address));
  log(`  effect on the borrower: ${positionAfter}`);

  log(`\n== 5. ETH falls 28% to $2,150: below the 110% line, liquidated instantly at 97% of the oracle price`);
  await (await weth.feed.setAnswer(parseUnits("2150", 8))).wait();
  log(`  borrower: ${positionText(await describePosition(controller, borrower.address))}`);
  const usdtAddr = await usdt.market.getAddress();
  const [repay, seizeShares] = await controller.maxLiquidation(borrower.address, usdtAddr, wethAddr);
  await fund(usdt, liquidator, formatFlux(repay, 6).replace(/,/g, ""));
  await (await usdt.market.connect(liquidator).liquidate(borrower.address, repay, wethAddr)).wait();
  const [seizedWeth] = await weth.market.accountSnapshot(liquidator.address);
  log(`  liquidator ${short(liquidator.address)} repays ${formatFlux(repay, 6)} USDT (close factor ${bpsToPercent(risk.closeFactorBps)}) ` +
    `and receives ${formatFlux(seizedWeth)} WETH (${usd(seizedWeth * 2150n)} at the oracle price: repaid / 0.97)`);
  log(`  borrower: ${positionText(await describePosition(controller, borrower.address))}`);

  log(`\n== 6. Emissions: a proposal launches them, one epoch is built from the markets' events, published, and claimed`);
  const emissions = await runEmissionsStory({
    conn,
    d,
    proposer: alice,
    relayer,
    votes: [
      { voter: alice, support: Support.For },
      { voter: bob, support: Support.For },
      { voter: carol, support: Support.For },
    ],
    claimers: [supplier, borrower, liquidator],
    log: (l) => log(l),
  });

  log(`\n== Result`);
  log(`  WETH collateral ratio ${bpsToPercent(ratioBefore)} → ${bpsToPercent((await controller.marketConfig(wethAddr)).collateralRatioBps)} by proposal ${short(proposal.proposalId.toString())}`);
  const claimedTotal = emissions.claimed.reduce((x, c) => x + c.amount, 0n);
  log(`  emitted to chain ${d.emissions!.scheduleChainId} in the epoch: ${formatFlux(emissions.epoch.meta.budget)} FLUX; claimed by ${emissions.claimed.length} users: ${formatFlux(claimedTotal)} FLUX`);
  if (d.manifestFile) log(`  manifest: ${d.manifestFile}`);
  return {
    emissions,
    deployment: d,
    proposal,
    ratioBefore,
    ratioAfter: (await controller.marketConfig(wethAddr)).collateralRatioBps,
    positionBefore,
    positionAfter,
    liquidation: { repaid: repay, seizedShares: seizeShares },
  };
}
