/**
 * Crash replay: opens positions at their borrow limit, walks a price path of the collateral, and
 * lets a liquidation bot act instantly at every step, under Flux's lines and under
 * Compound-style lines, on the real contracts in a fresh in-process chain per run.
 *
 * Flux lines: WETH collateral ratio 140%, liquidation at 110%, liquidation at 97% of the oracle
 * price. Compound-style lines: a 75% collateral factor with liquidation at the same line
 * (collateral ratio 133.34%, liquidation ratio 133.33%: the contracts require the borrow line to
 * sit strictly above the liquidation line, so one basis point separates them) and Compound's 8%
 * liquidation incentive (price factor 1/1.08 = 92.59%).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { parseUnits } from "ethers";
import type { DeployConfig } from "../src/deploy/config.js";
import { deployFlux } from "../src/deploy/deploy.js";
import { mintAndApprove } from "../src/deploy/markets.js";
import { bufferOf } from "../src/markets/risk.js";
import { renderCrash, type CrashReport } from "../reports/crash.js";
import type { CrashResult } from "./types.js";

export interface PricePoint {
  /** Seconds from the start of the path. */
  t: number;
  /** Collateral price relative to the start (1 = unchanged). */
  factor: number;
}

export interface Scenario {
  name: string;
  description: string;
  path: PricePoint[];
}

/** April 18 2021: an 8% drop, then 15% more, within five minutes. */
export const APRIL_2021: Scenario = {
  name: "april-2021",
  description: "Apr 18 2021: -8% then -15% within 5 minutes",
  path: [
    { t: 0, factor: 1 },
    { t: 150, factor: 0.92 },
    { t: 300, factor: 0.92 * 0.85 },
  ],
};

/** March 12 2020: a 50% drop over one day, walked hourly. */
export const MARCH_2020: Scenario = {
  name: "march-2020",
  description: "Mar 12 2020: -50% over one day (hourly)",
  path: Array.from({ length: 25 }, (_, h) => ({ t: h * 3600, factor: 1 - 0.5 * (h / 24) })),
};

export interface Lines {
  name: string;
  stableCollateralRatioBps: number;
  wethCollateralRatioBps: number;
  liquidationRatioBps: number;
  priceFactorBps: number;
  closeFactorBps: number;
}

export const FLUX_LINES: Lines = {
  name: "Flux (140% / 110% / 97%)",
  stableCollateralRatioBps: 13_000,
  wethCollateralRatioBps: 14_000,
  liquidationRatioBps: 11_000,
  priceFactorBps: 9_700,
  closeFactorBps: 5_000,
};

export const COMPOUND_LINES: Lines = {
  name: "Compound-style (75% CF, same line, 8% bonus)",
  stableCollateralRatioBps: 13_334,
  wethCollateralRatioBps: 13_334,
  liquidationRatioBps: 13_333,
  priceFactorBps: 9_259,
  closeFactorBps: 5_000,
};

const E18 = 10n ** 18n;
const WETH_START = 3000;

/** Runs one scenario under one set of lines on a fresh in-process chain. */
export async function replayCrash(
  hre: HardhatRuntimeEnvironment,
  baseConfig: DeployConfig,
  scenario: Scenario,
  lines: Lines,
  opts: { positions?: number; onStep?: (step: number, of: number) => void } = {},
): Promise<CrashResult> {
  const conn = await hre.network.create();
  const cfg = structuredClone(baseConfig);
  if (!cfg.markets) throw new Error("the config has no markets");
  cfg.markets.liquidationRatioBps = lines.liquidationRatioBps;
  cfg.markets.priceFactorBps = lines.priceFactorBps;
  cfg.markets.closeFactorBps = lines.closeFactorBps;
  for (const m of cfg.markets.list) {
    m.collateralRatioBps = m.symbol === "USDT" ? lines.stableCollateralRatioBps : lines.wethCollateralRatioBps;
    m.supplyCap = "unlimited";
    m.borrowCap = "unlimited";
  }
  const d = await deployFlux(hre, conn, cfg, { manifestDir: null });
  const markets = d.markets!;
  const usdt = markets.markets.USDT!;
  const weth = markets.markets.WETH!;
  const controller = markets.controller;
  const signers = await conn.ethers.getSigners();
  const [supplier, bot] = [signers[10]!, signers[11]!];
  const borrowers = signers.slice(12, 12 + (opts.positions ?? 6));

  const setWeth = async (factor: number) => {
    const price = parseUnits((WETH_START * factor).toFixed(8), 8);
    await (await weth.feed.setAnswer(price)).wait();
    await (await usdt.feed.setAnswer(parseUnits("1", 8))).wait();
  };

  await mintAndApprove(usdt, supplier, parseUnits("100000000", 6));
  await (await usdt.market.connect(supplier).deposit(parseUnits("100000000", 6), supplier.address)).wait();
  const usdtAddr = await usdt.market.getAddress();
  const wethAddr = await weth.market.getAddress();
  for (const [i, b] of borrowers.entries()) {
    const collateral = parseUnits(String(5 * (i + 1)), 18); // 5, 10, 15 … WETH
    await mintAndApprove(weth, b, collateral);
    await (await weth.market.connect(b).deposit(collateral, b.address)).wait();
    const max = await controller.availableToBorrow(b.address, usdtAddr);
    await (await usdt.market.connect(b).borrow(max, b.address)).wait(); // exactly at the limit
  }

  const result: CrashResult = {
    scenario: scenario.name,
    lines: lines.name,
    positions: borrowers.length,
    liquidatedPositions: 0,
    liquidations: 0,
    repaidUsd: 0n,
    seizedUsd: 0n,
    badDebtUsd: 0n,
    firstLiquidationAt: null,
    buffer: bufferOf(lines.wethCollateralRatioBps, lines.liquidationRatioBps),
    steps: [],
  };
  const liquidated = new Set<string>();
  const start = await conn.networkHelpers.time.latest();
  for (const [step, point] of scenario.path.entries()) {
    await conn.networkHelpers.time.increaseTo(start + point.t + 1);
    await setWeth(point.factor);
    for (const b of borrowers) {
      // The bot liquidates as long as the position is below the line and collateral remains.
      for (let round = 0; round < 20; round++) {
        const [repay, seize] = await controller.maxLiquidation(b.address, usdtAddr, wethAddr);
        if (repay === 0n || seize === 0n) break;
        await mintAndApprove(usdt, bot, repay);
        await (await usdt.market.connect(bot).liquidate(b.address, repay, wethAddr)).wait();
        result.liquidations++;
        result.repaidUsd += repay * 10n ** 12n;
        const seizedWeth = seize * (await weth.market.marketState()).exchangeRate / E18;
        result.seizedUsd += seizedWeth * BigInt(Math.round(WETH_START * point.factor * 1e8)) / 10n ** 8n;
        liquidated.add(b.address);
        result.firstLiquidationAt ??= point.factor;
      }
    }
    result.steps.push({ t: point.t, factor: point.factor, liquidatedPositions: liquidated.size });
    opts.onStep?.(step + 1, scenario.path.length);
  }
  result.liquidatedPositions = liquidated.size;
  for (const b of borrowers) {
    const p = await controller.accountPosition(b.address);
    if (p.debtValue > p.collateralValue) result.badDebtUsd += p.debtValue - p.collateralValue;
  }
  return result;
}

/** Runs every crash scenario under both sets of lines, and renders the results side by side. */
export async function runCrashReport(
  hre: HardhatRuntimeEnvironment,
  cfg: DeployConfig,
  hooks: { onRun?: (name: string, steps: number) => void; onStep?: (step: number) => void } = {},
): Promise<CrashReport> {
  const results: CrashResult[] = [];
  for (const scenario of [APRIL_2021, MARCH_2020]) {
    for (const lines of [FLUX_LINES, COMPOUND_LINES]) {
      hooks.onRun?.(`${scenario.name} / ${lines.name}`, scenario.path.length);
      results.push(await replayCrash(hre, cfg, scenario, lines, { onStep: hooks.onStep }));
    }
  }
  return { results, ...renderCrash(results) };
}
