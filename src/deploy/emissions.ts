/**
 * Deploys a chain's emission schedule (UUPS proxy) and rewards distributor (a plain contract, not
 * upgradeable: replaced, not upgraded; see docs/emissions.md) after its governance, and checks
 * that both answer to the Timelock and that the distributor pays FLUX against this schedule.
 */
import FluxEmissionsModule from "../../ignition/modules/FluxEmissions.js";
import FluxDistributorSuccessorModule from "../../ignition/modules/FluxDistributorSuccessor.js";
import { ZeroAddress } from "ethers";
import type { EmissionSchedule, RewardsDistributor } from "../../types/ethers-contracts/index.js";
import type { EmissionsConfig } from "./config.js";
import type { Connection, UpgradesApi } from "../core/types.js";
import { ChainStateError } from "../core/errors.js";
import { ignitionRunOptions, isSimulatedNetwork } from "./local.js";

export interface EmissionsDeployment {
  schedule: EmissionSchedule;
  distributor: RewardsDistributor;
  scheduleChainId: number;
  start: number;
  /** The schedule's implementation (the distributor has none: it is not a proxy). */
  implementations: { schedule: string };
}

export class EmissionsDeployError extends ChainStateError {}

export async function deployEmissions(
  conn: Connection,
  upgrades: UpgradesApi,
  cfg: EmissionsConfig & { operator: string }, // "deployer" resolved by the caller
  addresses: { timelock: string; token: string },
  chainId: number,
  log: (line: string) => void,
): Promise<EmissionsDeployment> {
  const { ethers } = conn;
  await upgrades.validateImplementation(await ethers.getContractFactory("EmissionSchedule"), { kind: "uups" });
  const latest = await ethers.provider.getBlock("latest");
  const start =
    cfg.start === "deploy" ? (latest?.timestamp ?? 0) + 1 : Math.floor(new Date(cfg.start).getTime() / 1000);
  const scheduleChainId = cfg.scheduleChainId ?? chainId;
  log(`Deploying the emission schedule (from ${new Date(start * 1000).toISOString()}) and the rewards distributor…`);
  const r = await conn.ignition.deploy(FluxEmissionsModule, {
    parameters: {
      FluxEmissions: {
        timelock: addresses.timelock,
        token: addresses.token,
        start: BigInt(start),
        ratePerDay: cfg.ratePerDay,
        declinePerDay: cfg.declinePerDay,
        chainIds: cfg.chainIds.map(BigInt),
        scheduleChainId: BigInt(scheduleChainId),
        operator: cfg.operator,
        guardian: cfg.guardian ?? ZeroAddress,
        challengeWindow: BigInt(cfg.challengeWindow),
      },
    },
    ...(await ignitionRunOptions(conn)),
  });
  const schedule = (await ethers.getContractAt("EmissionSchedule", await r.schedule.getAddress())) as unknown as EmissionSchedule;
  const distributor = (await ethers.getContractAt(
    "RewardsDistributor",
    await r.distributor.getAddress(),
  )) as unknown as RewardsDistributor;
  await upgrades.forceImport(await schedule.getAddress(), await ethers.getContractFactory("EmissionSchedule"), { kind: "uups" });

  const failed: string[] = [];
  if ((await schedule.owner()) !== addresses.timelock) failed.push("schedule owner is not the Timelock");
  if ((await distributor.owner()) !== addresses.timelock) failed.push("distributor owner is not the Timelock");
  const [token, scheduleOf, chainOf] = await distributor.config();
  if (token !== addresses.token) failed.push("distributor does not pay the FLUX token");
  if (scheduleOf !== (await schedule.getAddress())) failed.push("distributor does not read this schedule");
  if (Number(chainOf) !== scheduleChainId) failed.push(`distributor's schedule chain id is ${chainOf}, not ${scheduleChainId}`);
  if ((await distributor.predecessor()) !== ZeroAddress) failed.push("a new chain's distributor has a predecessor");
  if (failed.length) throw new EmissionsDeployError(`emissions deployment check failed: ${failed.join("; ")}`);
  return {
    schedule,
    distributor,
    scheduleChainId,
    start,
    implementations: { schedule: await r.scheduleImpl.getAddress() },
  };
}

/**
 * Deploys the successor of `current` (the distributor is not upgradeable: it is replaced): the
 * same owner, token, schedule, chain id, operator, guardian and window, with `current` as its
 * predecessor, and checks all of them on-chain. It accepts no root until a proposal retires
 * `current` in its favour (`replaceDistributor`); then `contracts.rewardsDistributor` in the
 * manifest names it.
 */
export async function deploySuccessorDistributor(
  conn: Connection,
  current: RewardsDistributor,
  log: (line: string) => void,
): Promise<RewardsDistributor> {
  const { ethers } = conn;
  const predecessor = await current.getAddress();
  const owner = await current.owner();
  const [token, schedule, scheduleChainId, operator, guardian, challengeWindow] = await current.config();
  log(`Deploying a successor to the rewards distributor ${predecessor} (owner ${owner})…`);
  // one Ignition journal per replaced distributor, so a later replacement is a new deployment
  const run = await ignitionRunOptions(conn);
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const journal = isSimulatedNetwork(conn) ? {} : { deploymentId: `${run.deploymentId ?? `chain-${chainId}`}-successor-of-${predecessor.toLowerCase()}` };
  const r = await conn.ignition.deploy(FluxDistributorSuccessorModule, {
    parameters: {
      FluxDistributorSuccessor: { timelock: owner, token, schedule, scheduleChainId, operator, guardian, challengeWindow, predecessor },
    },
    ...run,
    ...journal,
  });
  const next = (await ethers.getContractAt("RewardsDistributor", await r.distributor.getAddress())) as unknown as RewardsDistributor;
  const got = [await next.owner(), ...(await next.config()).slice(0, 6), await next.predecessor()].map(String);
  const want = [owner, token, schedule, scheduleChainId, operator, guardian, challengeWindow, predecessor].map(String);
  if (got.join() !== want.join()) throw new EmissionsDeployError(`successor distributor check failed: got ${got.join(", ")}, expected ${want.join(", ")}`);
  return next;
}
