/**
 * Deploys the lending markets of one chain (after its governance): mock assets and feeds where
 * the config asks for them (local chains only), then the FluxMarkets Ignition module, then checks
 * that every contract answers to the Timelock.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { ZeroAddress, type Signer } from "ethers";
import { buildMarketsModule, type MarketModuleSpec } from "../../ignition/modules/FluxMarkets.js";
import type { FluxController, FluxMarket, FluxOracle, FluxRiskSteward, MockAggregator, MockERC20, UpgradeableBeacon } from "../../types/ethers-contracts/index.js";
import { MAX_UINT256, parseUnitsStrict } from "../core/amounts.js";
import type { MarketsConfig } from "./config.js";
import { ignitionRunOptions, isLocalDevNode, isSimulatedNetwork } from "./local.js";
import type { Connection, UpgradesApi } from "../core/types.js";
import { ChainStateError } from "../core/errors.js";

/**
 * Chain ids on which mock assets and feeds may be deployed, besides any in-process simulated
 * network and any local development node (`isLocalDevNode`: the devnet, `npx hardhat node`).
 */
export const LOCAL_CHAIN_IDS = new Set([31337]);

export interface DeployedMarket {
  symbol: string;
  market: FluxMarket;
  asset: MockERC20; // typed as the mock for convenience; only `mint` is mock-specific
  feed: MockAggregator;
  decimals: number;
  mockAsset: boolean;
  mockFeed: boolean;
}

export interface MarketsDeployment {
  controller: FluxController;
  oracle: FluxOracle;
  beacon: UpgradeableBeacon;
  /** The risk steward contract (the controller's steward), when the config names a risk council. */
  riskSteward?: FluxRiskSteward;
  markets: Record<string, DeployedMarket>;
  implementations: { controller: string; oracle: string; market: string };
}

/** Mints `amount` (in the asset's units) of a mock market asset to `who` and approves the market to pull it. */
export async function mintAndApprove(m: DeployedMarket, who: Signer, amount: bigint): Promise<void> {
  await (await m.asset.mint(await who.getAddress(), amount)).wait();
  await (await m.asset.connect(who).approve(await m.market.getAddress(), amount)).wait();
}

/** An error in a deployment's postconditions or preconditions. */
export class MarketsDeployError extends ChainStateError {}

export async function deployMarkets(
  hre: HardhatRuntimeEnvironment,
  conn: Connection,
  upgrades: UpgradesApi,
  cfg: MarketsConfig,
  timelock: string,
  chainId: number,
  log: (line: string) => void,
): Promise<MarketsDeployment> {
  const { ethers } = conn;
  const usesMocks = cfg.list.some((m) => typeof m.asset !== "string" || typeof m.feed !== "string");
  if (usesMocks && !LOCAL_CHAIN_IDS.has(chainId) && !isSimulatedNetwork(conn) && !(await isLocalDevNode(conn))) {
    throw new MarketsDeployError(`mock assets or feeds are only allowed on local chains, not chain ${chainId}`);
  }
  log("Checking that market implementations are upgrade-safe…");
  await upgrades.validateImplementation(await ethers.getContractFactory("FluxOracle"), { kind: "uups" });
  await upgrades.validateImplementation(await ethers.getContractFactory("FluxController"), { kind: "uups" });
  await upgrades.validateImplementation(await ethers.getContractFactory("FluxMarket"), { kind: "beacon" });

  const specs: MarketModuleSpec[] = [];
  const decimalsOf: Record<string, number> = {};
  for (const m of cfg.list) {
    let asset: string;
    let decimals: number;
    if (typeof m.asset === "string") {
      asset = m.asset;
      decimals = Number(await (await ethers.getContractAt("MockERC20", asset)).decimals());
    } else {
      const token = await ethers.deployContract("MockERC20", [m.asset.mock.name, m.symbol, m.asset.mock.decimals]);
      asset = await token.getAddress();
      decimals = m.asset.mock.decimals;
      log(`  mock ${m.symbol} (${decimals} decimals) at ${asset}`);
    }
    let feed: string;
    if (typeof m.feed === "string") {
      feed = m.feed;
    } else {
      const answer = parseUnitsStrict(m.feed.mock.price, m.feed.mock.decimals);
      const agg = await ethers.deployContract("MockAggregator", [m.feed.mock.decimals, answer]);
      feed = await agg.getAddress();
      log(`  mock ${m.symbol}/USD feed at ${m.feed.mock.price} at ${feed}`);
    }
    decimalsOf[m.symbol] = decimals;
    const toUnits = (c: string) => (c === "unlimited" ? MAX_UINT256 : parseUnitsStrict(c, decimals));
    specs.push({
      symbol: m.symbol,
      asset,
      feed,
      heartbeat: BigInt(m.heartbeat),
      collateralRatioBps: BigInt(m.collateralRatioBps),
      supplyCap: toUnits(m.supplyCap),
      borrowCap: toUnits(m.borrowCap),
      rateModel: m.rateModel,
      reserveFactorBps: BigInt(m.reserveFactorBps),
    });
  }

  log(`Deploying oracle, controller, market beacon and ${specs.length} markets…`);
  const result = await conn.ignition.deploy(
    buildMarketsModule({
      timelock,
      guardian: cfg.guardian ?? ZeroAddress,
      steward: cfg.steward ?? ZeroAddress,
      liquidationRatioBps: BigInt(cfg.liquidationRatioBps),
      priceFactorBps: BigInt(cfg.priceFactorBps),
      closeFactorBps: BigInt(cfg.closeFactorBps),
      minDebtValue: cfg.minDebtValueUsd,
      markets: specs,
    }),
    await ignitionRunOptions(conn),
  );
  const at = async <T>(name: string, addr: string) => (await ethers.getContractAt(name, addr)) as unknown as T;
  const r = result as unknown as Record<string, { getAddress(): Promise<string> }>;
  const controller = await at<FluxController>("FluxController", await r.controller!.getAddress());
  const oracle = await at<FluxOracle>("FluxOracle", await r.oracle!.getAddress());
  const beacon = await at<UpgradeableBeacon>("UpgradeableBeacon", await r.beacon!.getAddress());
  const riskSteward = r.riskSteward ? await at<FluxRiskSteward>("FluxRiskSteward", await r.riskSteward.getAddress()) : undefined;

  await upgrades.forceImport(await controller.getAddress(), await ethers.getContractFactory("FluxController"), { kind: "uups" });
  await upgrades.forceImport(await oracle.getAddress(), await ethers.getContractFactory("FluxOracle"), { kind: "uups" });
  await upgrades.forceImport(await beacon.getAddress(), await ethers.getContractFactory("FluxMarket"));

  const markets: Record<string, DeployedMarket> = {};
  for (const [i, s] of specs.entries()) {
    const m = cfg.list[i]!;
    markets[s.symbol] = {
      symbol: s.symbol,
      market: await at<FluxMarket>("FluxMarket", await r[s.symbol]!.getAddress()),
      asset: await at<MockERC20>("MockERC20", s.asset),
      feed: await at<MockAggregator>("MockAggregator", s.feed),
      decimals: decimalsOf[s.symbol]!,
      mockAsset: typeof m.asset !== "string",
      mockFeed: typeof m.feed !== "string",
    };
  }

  const d: MarketsDeployment = {
    controller,
    oracle,
    beacon,
    ...(riskSteward ? { riskSteward } : {}),
    markets,
    implementations: {
      controller: await r.controllerImpl!.getAddress(),
      oracle: await r.oracleImpl!.getAddress(),
      market: await r.marketImpl!.getAddress(),
    },
  };
  await verifyMarkets(d, timelock, cfg.steward);
  return d;
}

/**
 * Every markets contract answers to the Timelock, every configured market is listed, and the
 * controller's steward is the risk steward contract (bound to this controller and Timelock, called
 * by `council`), or nobody when no council is configured.
 */
export async function verifyMarkets(d: MarketsDeployment, timelock: string, council: string | null = null): Promise<void> {
  const [, , steward] = await d.controller.roles();
  const checks: [string, boolean][] = [
    ["controller owner is the Timelock", (await d.controller.owner()) === timelock],
    ["oracle owner is the Timelock", (await d.oracle.owner()) === timelock],
    ["market beacon owner is the Timelock", (await d.beacon.owner()) === timelock],
  ];
  if (d.riskSteward) {
    checks.push(
      ["controller steward is the risk steward contract", steward === (await d.riskSteward.getAddress())],
      ["risk steward acts on this controller", (await d.riskSteward.CONTROLLER()) === (await d.controller.getAddress())],
      ["risk steward answers to the Timelock", (await d.riskSteward.TIMELOCK()) === timelock],
      ["risk steward council is the configured one", (await d.riskSteward.council()) === council],
    );
  } else {
    checks.push(["no steward without a risk council", steward === ZeroAddress && council === null]);
  }
  for (const m of Object.values(d.markets)) {
    checks.push([`${m.symbol} owner is the Timelock`, (await m.market.owner()) === timelock]);
    checks.push([`${m.symbol} is listed`, await d.controller.isListed(await m.market.getAddress())]);
  }
  const failed = checks.filter(([, ok]) => !ok).map(([what]) => what);
  if (failed.length) throw new MarketsDeployError(`markets deployment check failed: ${failed.join("; ")}`);
}
