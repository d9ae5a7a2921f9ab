/**
 * Deploys FLUX governance on one chain. The same code path serves tests, `npm start` and a real
 * network (`npx hardhat run scripts/deploy.ts --network <name>`):
 *   config validated → implementations validated as upgrade-safe (hardhat-upgrades) →
 *   Ignition module → proxies registered with hardhat-upgrades (so later upgrades are checked
 *   against the deployed storage layout) → roles verified → manifest written.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { upgrades } from "@openzeppelin/hardhat-upgrades";
import { ZeroAddress } from "ethers";
import {
  CANCELLER_ROLE,
  DEFAULT_ADMIN_ROLE,
  EXECUTOR_ROLE,
  fluxGovernanceModule,
  PROPOSER_ROLE,
} from "../../ignition/modules/FluxGovernance.js";
import { assertDeployable, DEPLOYER, resolveAllocations, type DeployConfig } from "./config.js";
import { type Manifest, writeManifest } from "../manifest/index.js";
import { deployMarkets, preflightMarkets, type MarketsDeployment } from "./markets.js";
import { deployEmissions, type EmissionsDeployment } from "./emissions.js";
import type { FluxGovernor, FluxTimelock, FluxToken } from "../../types/ethers-contracts/index.js";
import { formatFlux } from "../core/format.js";
import type { Connection, UpgradesApi } from "../core/types.js";
import { ChainStateError } from "../core/errors.js";
import { ignitionRunOptions } from "./local.js";

export interface FluxDeployment {
  manifest: Manifest;
  token: FluxToken;
  governor: FluxGovernor;
  timelock: FluxTimelock;
  upgrades: UpgradesApi;
  /** Present when the network's config has a `markets` section. */
  markets?: MarketsDeployment;
  /** Present when the network's config has an `emissions` section. */
  emissions?: EmissionsDeployment;
  manifestFile?: string;
}

export interface DeployOptions {
  /** Name used for the manifest file; defaults to the connection's network name. */
  networkName?: string;
  /** Directory for the manifest; `null` writes none (tests). */
  manifestDir?: string | null;
  /** Progress lines; silent by default. */
  log?: (line: string) => void;
}

/** A deployment postcondition that did not hold. */
export class DeploymentCheckError extends ChainStateError {}

export async function deployFlux(
  hre: HardhatRuntimeEnvironment,
  conn: Connection,
  cfg: DeployConfig,
  opts: DeployOptions = {},
): Promise<FluxDeployment> {
  const log = opts.log ?? (() => {});
  const { ethers } = conn;
  const networkName = opts.networkName ?? conn.networkName;
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  if (chainId !== cfg.chainId) {
    throw new DeploymentCheckError(
      `network "${networkName}" has chain id ${chainId} but its config expects ${cfg.chainId}`,
    );
  }
  const [deployer] = await ethers.getSigners();
  if (!deployer) throw new DeploymentCheckError(`network "${networkName}" has no deployer account`);
  // Everything that can be known before the first transaction is checked before it.
  assertDeployable(cfg, `network "${networkName}"`);
  if (cfg.markets) await preflightMarkets(conn, cfg.markets, chainId);

  const upgradesApi = await upgrades(hre, conn);
  log("Checking that implementations are upgrade-safe (UUPS, ERC-7201 storage)…");
  for (const name of ["FluxTimelock", "FluxToken", "FluxGovernor"] as const) {
    await upgradesApi.validateImplementation(await ethers.getContractFactory(name), { kind: "uups" });
  }

  const allocations = resolveAllocations(cfg.token.allocations, deployer.address);
  log(`Deploying Timelock, FLUX token and Governor on ${networkName} (chain ${chainId})…`);
  log(`Genesis mint: treasury ${formatFlux(cfg.token.treasury)} FLUX to the Timelock; ` +
    allocations.map((a) => `${formatFlux(a.amount)} FLUX to ${a.account}${a.deployer ? " (the deployer: distribute it to the initial holders before the first vote)" : ""}`).join("; "));
  const result = await conn.ignition.deploy(fluxGovernanceModule({ treasury: cfg.token.treasury, allocations }), {
    parameters: {
      FluxGovernance: {
        timelockMinDelay: BigInt(cfg.timelock.minDelay),
        tokenName: cfg.token.name,
        tokenSymbol: cfg.token.symbol,
        maxSupply: cfg.token.maxSupply,
        governorName: cfg.governor.name,
        votingDelay: BigInt(cfg.governor.votingDelay),
        votingPeriod: BigInt(cfg.governor.votingPeriod),
        proposalThreshold: cfg.governor.proposalThreshold,
        quorumNumerator: BigInt(cfg.governor.quorumPercent),
        lateQuorumExtension: BigInt(cfg.governor.lateQuorumExtension),
        proposalGuardian: cfg.governor.proposalGuardian ?? ZeroAddress,
      },
    },
    ...(await ignitionRunOptions(conn)),
  });

  const token = (await ethers.getContractAt("FluxToken", await result.token.getAddress())) as unknown as FluxToken;
  const governor = (await ethers.getContractAt(
    "FluxGovernor",
    await result.governor.getAddress(),
  )) as unknown as FluxGovernor;
  const timelock = (await ethers.getContractAt(
    "FluxTimelock",
    await result.timelock.getAddress(),
  )) as unknown as FluxTimelock;

  // Register the proxies so that prepareUpgrade() compares new implementations with these layouts.
  for (const [name, contract] of [
    ["FluxTimelock", timelock],
    ["FluxToken", token],
    ["FluxGovernor", governor],
  ] as const) {
    await upgradesApi.forceImport(await contract.getAddress(), await ethers.getContractFactory(name), {
      kind: "uups",
    });
  }

  await verifyRoles(token, governor, timelock, deployer.address);
  log("Roles verified: the Timelock is the only admin; the deployer holds no role.");

  let markets: MarketsDeployment | undefined;
  if (cfg.markets) {
    markets = await deployMarkets(hre, conn, upgradesApi, cfg.markets, await timelock.getAddress(), chainId, log);
    log(`Markets verified: controller, oracle, beacon and ${Object.keys(markets.markets).length} markets answer to the Timelock.`);
  }

  let emissions: EmissionsDeployment | undefined;
  if (cfg.emissions) {
    const operator = cfg.emissions.operator === DEPLOYER ? deployer.address : cfg.emissions.operator;
    if (cfg.emissions.operator === DEPLOYER) log(`Emissions operator: the deployer, ${operator} (the Timelock can change it with setOperator).`);
    const byProposal = cfg.governor.votingDelay + cfg.governor.votingPeriod + cfg.timelock.minDelay;
    if (!cfg.emissions.guardian && byProposal > cfg.emissions.challengeWindow) {
      log(`Warning: no emissions guardian: only the Timelock can revoke a pending root, and a proposal takes at least ${byProposal} s ` +
        `(voting delay + voting period + timelock delay), longer than the ${cfg.emissions.challengeWindow} s challenge window; ` +
        "set one by proposal (RewardsDistributor.setGuardian) before the first root.");
    }
    emissions = await deployEmissions(
      conn,
      upgradesApi,
      { ...cfg.emissions, operator },
      { timelock: await timelock.getAddress(), token: await token.getAddress() },
      chainId,
      log,
    );
    log("Emissions verified: schedule and distributor answer to the Timelock (minting awaits a proposal).");
  }

  const block = await ethers.provider.getBlock("latest");
  const manifest: Manifest = {
    version: 1,
    network: networkName,
    chainId,
    block: block?.number ?? 0,
    timestamp: block?.timestamp ?? 0,
    deployer: deployer.address,
    contracts: {
      token: await token.getAddress(),
      governor: await governor.getAddress(),
      timelock: await timelock.getAddress(),
    },
    genesis: {
      treasury: cfg.token.treasury.toString(),
      allocations: allocations.map((a) => ({ account: a.account, amount: a.amount.toString(), deployer: a.deployer })),
    },
    implementations: {
      token: await result.tokenImpl.getAddress(),
      governor: await result.governorImpl.getAddress(),
      timelock: await result.timelockImpl.getAddress(),
    },
  };
  if (markets) {
    manifest.contracts.controller = await markets.controller.getAddress();
    manifest.contracts.oracle = await markets.oracle.getAddress();
    manifest.contracts.marketBeacon = await markets.beacon.getAddress();
    if (markets.riskSteward) manifest.contracts.riskSteward = await markets.riskSteward.getAddress();
    manifest.implementations.controller = markets.implementations.controller;
    manifest.implementations.oracle = markets.implementations.oracle;
    manifest.implementations.market = markets.implementations.market;
    manifest.markets = {};
    for (const m of Object.values(markets.markets)) {
      manifest.markets[m.symbol] = {
        market: await m.market.getAddress(),
        asset: await m.asset.getAddress(),
        feed: await m.feed.getAddress(),
        decimals: m.decimals,
      };
    }
  }
  if (emissions) {
    manifest.contracts.emissionSchedule = await emissions.schedule.getAddress();
    manifest.contracts.rewardsDistributor = await emissions.distributor.getAddress();
    manifest.implementations.emissionSchedule = emissions.implementations.schedule;
    manifest.scheduleChainId = emissions.scheduleChainId;
  }
  const deployment: FluxDeployment = { manifest, token, governor, timelock, upgrades: upgradesApi, markets, emissions };
  if (opts.manifestDir !== null) {
    deployment.manifestFile = await writeManifest(manifest, opts.manifestDir);
    log(`Manifest written: ${deployment.manifestFile}`);
  }
  return deployment;
}

/**
 * Postconditions of a deployment: the Timelock owns the token and is its own only admin, the
 * Governor proposes and cancels, anyone executes, and the deployer keeps nothing.
 */
export async function verifyRoles(
  token: FluxToken,
  governor: FluxGovernor,
  timelock: FluxTimelock,
  deployer: string,
): Promise<void> {
  const tl = await timelock.getAddress();
  const gov = await governor.getAddress();
  const checks: [string, boolean][] = [
    ["token owner is the Timelock", (await token.owner()) === tl],
    ["token has no pending owner", (await token.pendingOwner()) === ZeroAddress],
    ["Governor's timelock is the Timelock", (await governor.timelock()) === tl],
    ["Timelock is its own admin", await timelock.hasRole(DEFAULT_ADMIN_ROLE, tl)],
    ["Governor is proposer", await timelock.hasRole(PROPOSER_ROLE, gov)],
    ["Governor is canceller", await timelock.hasRole(CANCELLER_ROLE, gov)],
    ["anyone may execute", await timelock.hasRole(EXECUTOR_ROLE, ZeroAddress)],
    ["deployer is not admin", !(await timelock.hasRole(DEFAULT_ADMIN_ROLE, deployer))],
    ["deployer is not proposer", !(await timelock.hasRole(PROPOSER_ROLE, deployer))],
    ["deployer is not canceller", !(await timelock.hasRole(CANCELLER_ROLE, deployer))],
  ];
  const failed = checks.filter(([, ok]) => !ok).map(([what]) => what);
  if (failed.length) throw new DeploymentCheckError(`deployment check failed: ${failed.join("; ")}`);
}
