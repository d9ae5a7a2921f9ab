/**
 * The Aave v3 peer of the gas bench: Aave's core contracts from the npm package
 * `@aave/core-v3@1.19.3` (Aave v3.0: the v3.0.x code line, `POOL_REVISION` 1; solc 0.8.10
 * bytecode, optimizer at 100,000 runs), deployed from the package's compiled artifacts on an
 * in-process network, its `Pool` and `PoolConfigurator` linked to the package's
 * logic libraries (the `__$…$__` placeholders of each artifact's `linkReferences` replaced by the
 * deployed library addresses).
 *
 * Deployed as Aave deploys a market (aave-v3-deploy), without the optional parts:
 * `PoolAddressesProvider` (owner and ACL admin: the deployer), `ACLManager` (the deployer is pool
 * admin), `Pool` and `PoolConfigurator` behind the provider's
 * `InitializableImmutableAdminUpgradeabilityProxy` (as in production: every Pool call pays the
 * proxy's delegatecall, as every Flux market call pays its beacon proxy's), `AaveOracle` over the
 * same AggregatorV3 mock feeds as Flux and the Venus peer (USD base, 8 decimals; it reads
 * `latestAnswer()`, which contracts/test/MockAggregator exposes like Chainlink's aggregators;
 * AaveOracle checks neither staleness nor rounds, FluxOracle does), one
 * `DefaultReserveInterestRateStrategy` per reserve, and per reserve an `AToken`, a
 * `VariableDebtToken` and a `StableDebtToken` proxy created by `PoolConfigurator.initReserves`.
 *
 * The cheapest honest setup: incentivesController = address(0) on every aToken and debt token (no
 * rewards hook on balance changes: Flux's emissions are off-chain Merkle claims, so neither side
 * pays one), no price-oracle sentinel, no isolation mode (debt ceiling 0), no siloed borrowing, no
 * e-mode, stable-rate borrowing off, liquidation protocol fee 0, flash loans left at their
 * defaults (not exercised). Treasury: the deployer (only `mintToTreasury` pays it, never called).
 *
 * Risk parameters mapped from Flux's markets config (`ignition/config/default.json`):
 * - LTV = 1 / collateral ratio, rounded down to a basis point (WETH 140% -> 71.42%, USDT
 *   130% -> 76.92%): Flux lets an account borrow collateral value / ratio, Aave collateral value
 *   x LTV.
 * - Liquidation threshold = 1 / Flux's unified liquidation ratio, rounded down, the same for every
 *   reserve (110% -> 90.90%): Flux liquidates when collateral < debt x ratio, Aave when
 *   collateral x threshold < debt (health factor below 1). Flux has one line for all assets; Aave's
 *   is per reserve, so every reserve gets the same one.
 * - Liquidation bonus = 1 / Flux's price factor, rounded to a basis point (97% -> 103.09%): Flux's
 *   liquidator pays 97% of the seized value, Aave's receives 103.09% of the repaid value.
 *   (threshold x bonus = 93.7% <= 100%, as Aave requires.)
 * - Close factor: Aave's is fixed at 50% (100% below health factor 0.95), Flux's config is 50%;
 *   in the scenario the health factor stays above 0.95, so both close at 50%.
 * - Reserve factor, supply and borrow caps (whole tokens; "unlimited" -> 0 = none) as configured.
 * - Interest: Aave's rate is base + slope1 x U / Uopt below the optimal usage and adds
 *   slope2 x (U - Uopt) / (1 - Uopt) above it, Flux's base + slopeLow x U, then
 *   + slopeHigh x (U - kink); so Uopt = kink, slope1 = slopeLow x kink, slope2 =
 *   slopeHigh x (1 - kink) give the same curve (Aave compounds borrow interest per second, Flux
 *   accrues linearly between operations: wei-level differences in the scenario).
 * The liquidator takes aTokens (`receiveAToken = true`), as Flux's liquidator receives shares of the
 * collateral market.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Contract, ContractFactory, type ContractTransactionResponse, type InterfaceAbi } from "ethers";
import type { MarketsConfig } from "../src/deploy/config.js";
import type { MockAggregator, MockERC20 } from "../types/ethers-contracts/index.js";
import { parseUnitsStrict } from "../src/core/amounts.js";
import type { Connection } from "../src/core/types.js";
import { deployMockAssetAndFeed, peerPackageDir, PeerUnavailableError } from "./peer-venus.js";

export const AAVE_PACKAGE = "@aave/core-v3";
export const AAVE_VERSION = "1.19.3";

/** What the peer is, for report headers. */
export const AAVE_DESCRIPTION = [
  `Aave peer: Aave v3.0 (v3.0.x, POOL_REVISION 1), npm ${AAVE_PACKAGE}@${AAVE_VERSION}, solc 0.8.10 bytecode from the package: Pool and PoolConfigurator (linked to`,
  "  SupplyLogic, BorrowLogic, LiquidationLogic, EModeLogic, BridgeLogic, FlashLoanLogic, PoolLogic, ConfiguratorLogic) behind the provider's proxies;",
  "  AaveOracle over the same feeds; per reserve a DefaultReserveInterestRateStrategy and AToken/VariableDebtToken/StableDebtToken proxies with",
  "  incentivesController = address(0) (no rewards hook); LTV = 1/collateral ratio, liquidation threshold = 1/liquidation ratio,",
  "  bonus = 1/price factor (bench/peer-aave.ts); the liquidator receives aTokens. No enterMarkets: a first supply becomes collateral.",
];

const ARTIFACTS = {
  PoolAddressesProvider: "protocol/configuration/PoolAddressesProvider.sol/PoolAddressesProvider.json",
  ACLManager: "protocol/configuration/ACLManager.sol/ACLManager.json",
  Pool: "protocol/pool/Pool.sol/Pool.json",
  PoolConfigurator: "protocol/pool/PoolConfigurator.sol/PoolConfigurator.json",
  AaveOracle: "misc/AaveOracle.sol/AaveOracle.json",
  DefaultReserveInterestRateStrategy: "protocol/pool/DefaultReserveInterestRateStrategy.sol/DefaultReserveInterestRateStrategy.json",
  AToken: "protocol/tokenization/AToken.sol/AToken.json",
  VariableDebtToken: "protocol/tokenization/VariableDebtToken.sol/VariableDebtToken.json",
  StableDebtToken: "protocol/tokenization/StableDebtToken.sol/StableDebtToken.json",
  SupplyLogic: "protocol/libraries/logic/SupplyLogic.sol/SupplyLogic.json",
  BorrowLogic: "protocol/libraries/logic/BorrowLogic.sol/BorrowLogic.json",
  LiquidationLogic: "protocol/libraries/logic/LiquidationLogic.sol/LiquidationLogic.json",
  EModeLogic: "protocol/libraries/logic/EModeLogic.sol/EModeLogic.json",
  BridgeLogic: "protocol/libraries/logic/BridgeLogic.sol/BridgeLogic.json",
  FlashLoanLogic: "protocol/libraries/logic/FlashLoanLogic.sol/FlashLoanLogic.json",
  PoolLogic: "protocol/libraries/logic/PoolLogic.sol/PoolLogic.json",
  ConfiguratorLogic: "protocol/libraries/logic/ConfiguratorLogic.sol/ConfiguratorLogic.json",
} as const;
type ArtifactName = keyof typeof ARTIFACTS;
/** The logic libraries, in an order where each one's own libraries come first (FlashLoanLogic links BorrowLogic). */
const LIBRARIES = [
  "SupplyLogic",
  "BorrowLogic",
  "LiquidationLogic",
  "EModeLogic",
  "BridgeLogic",
  "FlashLoanLogic",
  "PoolLogic",
  "ConfiguratorLogic",
] as const satisfies readonly ArtifactName[];

interface Artifact {
  abi: InterfaceAbi;
  bytecode: string;
  linkReferences: Record<string, Record<string, { start: number; length: number }[]>>;
}

/** Directory of the installed package's contract artifacts. */
export function aavePackageDir(): string {
  return path.join(peerPackageDir(AAVE_PACKAGE, AAVE_VERSION, "the Aave v3 peer"), "artifacts", "contracts");
}

/**
 * `a`'s bytecode with every library placeholder replaced by its address in `libraries`; throws if
 * one is missing.
 */
export function linkBytecode(a: Artifact, libraries: Map<string, string>, what: string): string {
  let code = a.bytecode;
  for (const [, libs] of Object.entries(a.linkReferences)) {
    for (const [lib, refs] of Object.entries(libs)) {
      const address = libraries.get(lib);
      if (!address) throw new PeerUnavailableError(`${what} needs ${lib}, which is not deployed`);
      const hex = address.toLowerCase().replace(/^0x/, "");
      for (const { start, length } of refs) {
        if (length !== 20) throw new PeerUnavailableError(`${what}: a ${length}-byte link reference`);
        const at = 2 + start * 2;
        code = code.slice(0, at) + hex + code.slice(at + 40);
      }
    }
  }
  if (code.includes("__$")) throw new PeerUnavailableError(`${what} still has unlinked placeholders`);
  return code;
}

export interface AaveMarket {
  symbol: string;
  asset: MockERC20;
  feed: MockAggregator;
  aToken: Contract;
  variableDebtToken: Contract;
  decimals: number;
}

export interface AaveDeployment {
  /** The Pool's ABI at its proxy. */
  pool: Contract;
  configurator: Contract;
  oracle: Contract;
  markets: Record<string, AaveMarket>;
}

const BPS = 10_000n;
const WAD_TO_RAY = 10n ** 9n;
const WAD = 10n ** 18n;

/** `10000 x 10000 / x` rounded down (the reciprocal of a basis-point ratio in basis points). */
const reciprocalBps = (bps: number) => (BPS * BPS) / BigInt(bps);

/**
 * Deploys the peer on `conn`, mirroring Flux's markets config (see the header): same mock assets
 * (decimals), same feeds (prices), caps, reserve factors, rate curves and risk parameters.
 */
export async function deployAavePeer(conn: Connection, cfg: MarketsConfig): Promise<AaveDeployment> {
  const dir = aavePackageDir();
  const { ethers } = conn;
  const [deployer] = await ethers.getSigners();
  if (!deployer) throw new Error("the network has no accounts");
  const artifacts = new Map<ArtifactName, Artifact>();
  const artifact = (name: ArtifactName): Artifact => {
    let a = artifacts.get(name);
    if (!a) {
      a = JSON.parse(readFileSync(path.join(dir, ARTIFACTS[name]), "utf8")) as Artifact;
      artifacts.set(name, a);
    }
    return a;
  };
  const libraries = new Map<string, string>();
  const deploy = async (name: ArtifactName, args: unknown[]): Promise<Contract> => {
    const a = artifact(name);
    const c = await new ContractFactory(a.abi, linkBytecode(a, libraries, name), deployer).deploy(...args);
    await c.waitForDeployment();
    return new Contract(await c.getAddress(), a.abi, deployer);
  };
  const at = (name: ArtifactName, address: string) => new Contract(address, artifact(name).abi, deployer);
  const send = async (c: Contract, fn: string, args: unknown[]) => {
    const receipt = await ((await c.getFunction(fn)(...args)) as ContractTransactionResponse).wait();
    if (!receipt || receipt.status !== 1) throw new Error(`Aave peer: ${fn} reverted`);
  };

  const provider = await deploy("PoolAddressesProvider", ["Flux bench", deployer.address]);
  await send(provider, "setACLAdmin", [deployer.address]);
  const acl = await deploy("ACLManager", [await provider.getAddress()]);
  await send(provider, "setACLManager", [await acl.getAddress()]);
  await send(acl, "addPoolAdmin", [deployer.address]);

  for (const lib of LIBRARIES) libraries.set(lib, await (await deploy(lib, [])).getAddress());
  const poolImpl = await deploy("Pool", [await provider.getAddress()]);
  await send(provider, "setPoolImpl", [await poolImpl.getAddress()]);
  const pool = at("Pool", (await provider.getFunction("getPool")()) as string);
  const configuratorImpl = await deploy("PoolConfigurator", []);
  await send(provider, "setPoolConfiguratorImpl", [await configuratorImpl.getAddress()]);
  const configurator = at("PoolConfigurator", (await provider.getFunction("getPoolConfigurator")()) as string);

  const poolAddr = await pool.getAddress();
  const aTokenImpl = await deploy("AToken", [poolAddr]);
  const variableImpl = await deploy("VariableDebtToken", [poolAddr]);
  const stableImpl = await deploy("StableDebtToken", [poolAddr]);

  const liquidationThreshold = reciprocalBps(cfg.liquidationRatioBps);
  const liquidationBonus = (BPS * BPS + BigInt(cfg.priceFactorBps) / 2n) / BigInt(cfg.priceFactorBps);
  const markets: Record<string, AaveMarket> = {};
  const assets: string[] = [];
  const sources: string[] = [];
  for (const m of cfg.list) {
    const { asset, feed, decimals, feedDecimals } = await deployMockAssetAndFeed(conn, m);
    if (feedDecimals !== 8) throw new Error(`the Aave peer prices in USD with 8 decimals; ${m.symbol}'s feed has ${feedDecimals}`);
    const r = m.rateModel;
    const strategy = await deploy("DefaultReserveInterestRateStrategy", [
      await provider.getAddress(),
      r.kink * WAD_TO_RAY,
      r.baseRatePerYear * WAD_TO_RAY,
      (r.slopeLowPerYear * r.kink / WAD) * WAD_TO_RAY,
      (r.slopeHighPerYear * (WAD - r.kink) / WAD) * WAD_TO_RAY,
      0n,
      0n,
      0n,
      0n,
      0n,
    ]);
    const assetAddr = await asset.getAddress();
    await send(configurator, "initReserves", [
      [
        {
          aTokenImpl: await aTokenImpl.getAddress(),
          stableDebtTokenImpl: await stableImpl.getAddress(),
          variableDebtTokenImpl: await variableImpl.getAddress(),
          underlyingAssetDecimals: decimals,
          interestRateStrategyAddress: await strategy.getAddress(),
          underlyingAsset: assetAddr,
          treasury: deployer.address,
          incentivesController: "0x0000000000000000000000000000000000000000",
          aTokenName: `Aave ${m.symbol}`,
          aTokenSymbol: `a${m.symbol}`,
          variableDebtTokenName: `Aave variable debt ${m.symbol}`,
          variableDebtTokenSymbol: `variableDebt${m.symbol}`,
          stableDebtTokenName: `Aave stable debt ${m.symbol}`,
          stableDebtTokenSymbol: `stableDebt${m.symbol}`,
          params: "0x",
        },
      ],
    ]);
    await send(configurator, "configureReserveAsCollateral", [
      assetAddr,
      reciprocalBps(m.collateralRatioBps),
      liquidationThreshold,
      liquidationBonus,
    ]);
    await send(configurator, "setReserveBorrowing", [assetAddr, true]);
    await send(configurator, "setReserveFactor", [assetAddr, m.reserveFactorBps]);
    // Aave's caps are whole tokens, 0 = none.
    const cap = (c: string) => (c === "unlimited" ? 0n : parseUnitsStrict(c, 0));
    await send(configurator, "setSupplyCap", [assetAddr, cap(m.supplyCap)]);
    await send(configurator, "setBorrowCap", [assetAddr, cap(m.borrowCap)]);
    const data = (await pool.getFunction("getReserveData")(assetAddr)) as { aTokenAddress: string; variableDebtTokenAddress: string };
    markets[m.symbol] = {
      symbol: m.symbol,
      asset,
      feed,
      aToken: at("AToken", data.aTokenAddress),
      variableDebtToken: at("VariableDebtToken", data.variableDebtTokenAddress),
      decimals,
    };
    assets.push(assetAddr);
    sources.push(await feed.getAddress());
  }
  const zero = "0x0000000000000000000000000000000000000000";
  const oracle = await deploy("AaveOracle", [await provider.getAddress(), assets, sources, zero, zero, 10n ** 8n]);
  await send(provider, "setPriceOracle", [await oracle.getAddress()]);
  return { pool, configurator, oracle, markets };
}
