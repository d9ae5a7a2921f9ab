/**
 * Deploys a chain's emission schedule (UUPS proxy) and rewards distributor (a plain contract, not
 * upgradeable: replaced, not upgraded; see docs/emissions.md) after its governance, and checks
 * that both answer to the Timelock and that the distributor pays FLUX against this schedule.
 */
import FluxEmissionsModule from "../../ignition/modules/FluxEmissions.js";
import { ZeroAddress } from "ethers";
import type { EmissionSchedule, RewardsDistributor } from "../../types/ethers-contracts/index.js";
import type { EmissionsConfig } from "./config.js";
import type { Connection, UpgradesApi } from "../core/types.js";
import { ChainStateError } from "../core/errors.js";
import { ignitionRunOptions } from "./local.js";

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
