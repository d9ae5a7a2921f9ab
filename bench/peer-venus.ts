/**
 * The Compound v2 peer of the gas bench: Venus core-pool contracts from the npm package
 * `@venusprotocol/venus-protocol@0.7.0`, deployed from the package's compiled artifacts (their
 * sources pin solc 0.5.16, which this project cannot compile) on an in-process network.
 *
 * Why this package: Compound v2 itself is not on the npm registry. Venus is the Compound v2 fork
 * native to BNB Chain (one of Flux's chains). In release 0.7.0 (April 2023, then Venus's
 * production core-pool code) the comptroller is still Compound's monolithic `Comptroller` behind a
 * `Unitroller` and the vToken is Compound's CToken (solc 0.5.16); later releases split the
 * comptroller into Diamond facets (9.x) and add pools, liquidation thresholds, flash loans and a
 * deviation-bounded oracle (10.3.0), moving away from Compound v2. 0.7.0 also has a tiny
 * dependency tree (dotenv, OpenZeppelin upgradeable 4.x), while 9.x/10.x pull in Hardhat 2
 * toolchains and other Venus packages (9.7.0's tree does not even resolve: it wants
 * `@venusprotocol/governance-contracts@^2.13.0`, which the npm registry this project uses lacks).
 * Its `hardhat ^2` peer dependency needs an npm `overrides` entry next to Hardhat 3 (README,
 * "Gas bench"). Contracts used, all from the package:
 * `Unitroller`, `Comptroller`, `ComptrollerLens`, `VBep20Immutable` (one per market) and
 * `JumpRateModel` (one per market). Two bench-only helpers come from this repository
 * (contracts/test/bench/): `PeerFeedOracle` (the Compound `PriceOracle` interface over the same
 * AggregatorV3 feeds, with the same checks as FluxOracle) and `PeerAccessControlMock` (Venus's
 * access-control manager, only consulted by admin setters).
 *
 * Configured as production Compound/Venus markets are: every market listed, collateral factors,
 * supply and borrow caps, reserve factors, close factor and liquidation incentive set, the oracle
 * set, no liquidator contract, no VAI, XVS (COMP-like) speeds zero, no redeem fee.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Contract, ContractFactory, type ContractTransactionResponse, type InterfaceAbi } from "ethers";
import type { MarketsConfig } from "../src/deploy/config.js";
import type { MockAggregator, MockERC20, PeerFeedOracle } from "../types/ethers-contracts/index.js";
import { MAX_UINT256, parseUnitsStrict } from "../src/core/amounts.js";
import type { Connection } from "../src/core/types.js";
import { FluxError } from "../src/core/errors.js";

export const VENUS_PACKAGE = "@venusprotocol/venus-protocol";
export const VENUS_VERSION = "0.7.0";

/** What the peer is, for report headers. */
export const PEER_DESCRIPTION = [
  `Peer: Compound v2 as forked by Venus (BNB Chain core pool), npm ${VENUS_PACKAGE}@${VENUS_VERSION}, solc 0.5.16 bytecode from the package:`,
  "  Unitroller -> Comptroller (monolithic, as in Compound v2) + ComptrollerLens; per market one VBep20Immutable (Compound's CErc20Immutable) and one JumpRateModel;",
  "  oracle: PeerFeedOracle (contracts/test/bench: Compound's PriceOracle interface over the same AggregatorV3 feeds and checks as FluxOracle, keyed by vToken, no proxy).",
  "  Venus vs Compound v2 on these paths: supply caps (mint also reads totalSupply and exchangeRateStored), a global protocolPaused flag besides per-action",
  "  pauses, the liquidity check in a separate ComptrollerLens that calls back into the comptroller and would add VAI debt (no VAI here), a redeem-fee",
  "  lookup (treasuryPercent 0 here), a liquidatorContract gate (unset), the XVS flywheel in place of COMP's (speeds 0); and no protocol seize share",
  "  (Compound v2.8+ moves 2.8% of seized cTokens to reserves, a little more gas). Compound needs enterMarkets before collateral counts; Flux does not.",
];

/** The package is missing or has another version. */
export class PeerUnavailableError extends FluxError {}

const ARTIFACTS = {
  Unitroller: "artifacts/contracts/Comptroller/Unitroller.sol/Unitroller.json",
  Comptroller: "artifacts/contracts/Comptroller/Comptroller.sol/Comptroller.json",
  ComptrollerLens: "artifacts/contracts/Lens/ComptrollerLens.sol/ComptrollerLens.json",
  VBep20Immutable: "artifacts/contracts/Tokens/VTokens/VBep20Immutable.sol/VBep20Immutable.json",
  JumpRateModel: "artifacts/contracts/InterestRateModels/JumpRateModel.sol/JumpRateModel.json",
} as const;
type ArtifactName = keyof typeof ARTIFACTS;

interface Artifact {
  abi: InterfaceAbi;
  bytecode: string;
}

/**
 * Directory of the installed npm package `pkg` (resolved like any dependency of this project),
 * which must be exactly `version`; `role` says what the bench uses it for.
 */
export function peerPackageDir(pkg: string, version: string, role: string): string {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve(`${pkg}/package.json`);
  } catch {
    throw new PeerUnavailableError(
      `${pkg}@${version} is not installed: it is ${role} of the gas bench ` +
        `(add it as a devDependency: npm install --save-dev --save-exact ${pkg}@${version})`,
    );
  }
  const installed = (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
  if (installed !== version) throw new PeerUnavailableError(`${pkg} is ${installed}, the bench's peer is ${version}`);
  return path.dirname(manifest);
}

/** Directory of the installed Venus package. */
export function venusPackageDir(): string {
  return peerPackageDir(VENUS_PACKAGE, VENUS_VERSION, "the Compound v2 peer");
}

function loadArtifact(dir: string, name: ArtifactName): Artifact {
  const a = JSON.parse(readFileSync(path.join(dir, ARTIFACTS[name]), "utf8")) as Artifact & { linkReferences?: object };
  if (a.linkReferences && Object.keys(a.linkReferences).length > 0) {
    throw new PeerUnavailableError(`${name} in ${VENUS_PACKAGE} needs linked libraries`);
  }
  return a;
}

export interface PeerMarket {
  symbol: string;
  vToken: Contract;
  asset: MockERC20;
  feed: MockAggregator;
  decimals: number;
}

export interface PeerDeployment {
  /** The Comptroller's ABI at the Unitroller's address. */
  comptroller: Contract;
  oracle: PeerFeedOracle;
  markets: Record<string, PeerMarket>;
}

const E18 = 10n ** 18n;

/**
 * A peer's own copy of one market's mock asset and mock feed, as the config describes them (the
 * bench runs each protocol on its own network, so each deploys its own).
 */
export async function deployMockAssetAndFeed(
  conn: Connection,
  m: MarketsConfig["list"][number],
): Promise<{ asset: MockERC20; feed: MockAggregator; decimals: number; feedDecimals: number }> {
  if (typeof m.asset === "string" || typeof m.feed === "string" || !("mock" in m.feed)) {
    throw new Error(`the bench needs mock assets and feeds; ${m.symbol} has a deployed one`);
  }
  const decimals = m.asset.mock.decimals;
  const feedDecimals = m.feed.mock.decimals;
  const asset = (await conn.ethers.deployContract("MockERC20", [m.asset.mock.name, m.symbol, decimals])) as unknown as MockERC20;
  const feed = (await conn.ethers.deployContract("MockAggregator", [
    feedDecimals,
    parseUnitsStrict(m.feed.mock.price, feedDecimals),
  ])) as unknown as MockAggregator;
  return { asset, feed, decimals, feedDecimals };
}

/**
 * Deploys the peer on `conn`, mirroring Flux's markets config: same mock assets (decimals), same
 * feeds (prices), caps, reserve factors and rate curves; Flux's collateral ratio R becomes the
 * collateral factor 1/R, Flux's liquidation price factor F the liquidation incentive 1/F, and the
 * close factor is the same. (Compound liquidates at the collateral factor: it has no separate
 * liquidation line.)
 */
export async function deployVenusPeer(conn: Connection, cfg: MarketsConfig): Promise<PeerDeployment> {
  const dir = venusPackageDir();
  const { ethers } = conn;
  const [deployer] = await ethers.getSigners();
  if (!deployer) throw new Error("the network has no accounts");
  const deploy = async (name: ArtifactName, args: unknown[]): Promise<Contract> => {
    const a = loadArtifact(dir, name);
    const c = await new ContractFactory(a.abi, a.bytecode, deployer).deploy(...args);
    await c.waitForDeployment();
    return new Contract(await c.getAddress(), a.abi, deployer);
  };
  const send = async (c: Contract, fn: string, args: unknown[]) => {
    const tx = (await c.getFunction(fn)(...args)) as ContractTransactionResponse;
    await expectNoFailure(c, tx, `${fn}`);
  };

  const acm = await ethers.deployContract("PeerAccessControlMock");
  const oracle = (await ethers.deployContract("PeerFeedOracle")) as unknown as PeerFeedOracle;
  const lens = await deploy("ComptrollerLens", []);
  const unitroller = await deploy("Unitroller", []);
  const implementation = await deploy("Comptroller", []);
  await send(unitroller, "_setPendingImplementation", [await implementation.getAddress()]);
  await send(implementation, "_become", [await unitroller.getAddress()]);
  const comptroller = new Contract(await unitroller.getAddress(), loadArtifact(dir, "Comptroller").abi, deployer);
  await send(comptroller, "_setAccessControl", [await acm.getAddress()]);
  await send(comptroller, "_setComptrollerLens", [await lens.getAddress()]);
  await send(comptroller, "_setPriceOracle", [await oracle.getAddress()]);
  await send(comptroller, "_setCloseFactor", [BigInt(cfg.closeFactorBps) * E18 / 10_000n]);
  await send(comptroller, "_setLiquidationIncentive", [E18 * 10_000n / BigInt(cfg.priceFactorBps)]);

  const markets: Record<string, PeerMarket> = {};
  for (const m of cfg.list) {
    const { asset, feed, decimals } = await deployMockAssetAndFeed(conn, m);
    const r = m.rateModel;
    const rateModel = await deploy("JumpRateModel", [r.baseRatePerYear, r.slopeLowPerYear, r.slopeHighPerYear, r.kink]);
    // Compound's convention: vTokens have 8 decimals and start at 0.02 underlying per vToken.
    const initialExchangeRate = 2n * 10n ** BigInt(18 + decimals - 8 - 2);
    const vToken = await deploy("VBep20Immutable", [
      await asset.getAddress(),
      await comptroller.getAddress(),
      await rateModel.getAddress(),
      initialExchangeRate,
      `Venus ${m.symbol}`,
      `v${m.symbol}`,
      8,
      deployer.address,
    ]);
    const vAddr = await vToken.getAddress();
    await (await oracle.setFeed(vAddr, await feed.getAddress(), m.heartbeat, decimals)).wait();
    await send(comptroller, "_supportMarket", [vAddr]);
    await send(comptroller, "_setCollateralFactor", [vAddr, E18 * 10_000n / BigInt(m.collateralRatioBps)]);
    const toUnits = (cap: string) => (cap === "unlimited" ? MAX_UINT256 : parseUnitsStrict(cap, decimals));
    await send(comptroller, "_setMarketSupplyCaps", [[vAddr], [toUnits(m.supplyCap)]]);
    // Compound: a borrow cap of 0 means none.
    await send(comptroller, "_setMarketBorrowCaps", [[vAddr], [m.borrowCap === "unlimited" ? 0n : toUnits(m.borrowCap)]]);
    await send(vToken, "_setReserveFactor", [BigInt(m.reserveFactorBps) * E18 / 10_000n]);
    markets[m.symbol] = { symbol: m.symbol, vToken, asset, feed, decimals };
  }
  return { comptroller, oracle, markets };
}

/**
 * Compound v2 reports most failures as an error code and a `Failure` event instead of reverting;
 * this waits for `tx` and throws if the receipt carries one (from `c` or the comptroller).
 */
export async function expectNoFailure(c: Contract, tx: ContractTransactionResponse, what: string) {
  const receipt = await tx.wait();
  if (!receipt || receipt.status !== 1) throw new Error(`peer: ${what} reverted`);
  for (const log of receipt.logs) {
    const parsed = c.interface.parseLog(log);
    if (parsed?.name === "Failure") {
      const [error, info, detail] = parsed.args as unknown as [bigint, bigint, bigint];
      throw new Error(`peer: ${what} failed with Compound error ${error}, info ${info}, detail ${detail}`);
    }
  }
  return receipt;
}
