/**
 * Deploys a chain's emission schedule and rewards distributor (after its governance) and checks
 * that both answer to the Timelock.
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
  implementations: { schedule: string; distributor: string };
}

export class EmissionsDeployError extends ChainStateError {}

export async function deployEmissions(
  conn: Connection,
  upgrades: UpgradesApi,
  cfg: EmissionsConfig,
  addresses: { timelock: string; token: string },
  chainId: number,
  log: (line: string) => void,
): Promise<EmissionsDeployment> {
  const { ethers } = conn;
  for (const name of ["EmissionSchedule", "RewardsDistributor"]) {
    await upgrades.validateImplementation(await ethers.getContractFactory(name), { kind: "uups" });
  }
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
  await upgrades.forceImport(await distributor.getAddress(), await ethers.getContractFactory("RewardsDistributor"), { kind: "uups" });

  const failed: string[] = [];
  if ((await schedule.owner()) !== addresses.timelock) failed.push("schedule owner is not the Timelock");
  if ((await distributor.owner()) !== addresses.timelock) failed.push("distributor owner is not the Timelock");
  if (failed.length) throw new EmissionsDeployError(`emissions deployment check failed: ${failed.join("; ")}`);
  return {
    schedule,
    distributor,
    scheduleChainId,
    start,
    implementations: {
      schedule: await r.scheduleImpl.getAddress(),
      distributor: await r.distributorImpl.getAddress(),
    },
  };
}
