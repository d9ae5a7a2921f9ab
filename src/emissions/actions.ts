/**
 * Governance actions for emissions, as proposal actions (target, value, calldata, summary).
 */
import type { EmissionSchedule, FluxToken, RewardsDistributor } from "../../types/ethers-contracts/index.js";
import { DAY_SECONDS } from "./schedule.js";
import type { Action } from "../core/types.js";
import { formatFlux } from "../core/format.js";

/** Lets the distributor mint up to `allowance` FLUX (absolute, not additive). */
export async function grantDistributorAllowance(token: FluxToken, distributor: RewardsDistributor, allowance: bigint): Promise<Action> {
  const d = await distributor.getAddress();
  return {
    target: await token.getAddress(),
    value: 0n,
    calldata: token.interface.encodeFunctionData("setMinterAllowance", [d, allowance]),
    summary: `FluxToken.setMinterAllowance(RewardsDistributor ${d}, ${formatFlux(allowance)} FLUX)`,
  };
}

/**
 * Replaces the rewards distributor (it is not upgradeable): retires `current` in favour of
 * `successor` (deployed with `predecessor: current`), which moves the unclaimed FLUX and seeds the
 * successor, then gives the successor `allowance` to mint and takes the retired one's away.
 */
export async function replaceDistributor(token: FluxToken, current: RewardsDistributor, successor: RewardsDistributor, allowance: bigint): Promise<Action[]> {
  const [d, next] = [await current.getAddress(), await successor.getAddress()];
  const retire: Action = {
    target: d,
    value: 0n,
    calldata: current.interface.encodeFunctionData("retire", [next]),
    summary: `RewardsDistributor ${d}.retire(${next})`,
  };
  const revoke = await grantDistributorAllowance(token, current, 0n);
  return [retire, await grantDistributorAllowance(token, successor, allowance), revoke];
}

/** Adds a chain launch bonus: `amount` FLUX paid linearly over `duration` seconds from `start`. */
export async function addLaunchBonus(
  schedule: EmissionSchedule,
  chainId: number,
  amount: bigint,
  start: number,
  duration: number,
): Promise<Action> {
  return {
    target: await schedule.getAddress(),
    value: 0n,
    calldata: schedule.interface.encodeFunctionData("addLaunchBonus", [chainId, amount, start, duration]),
    summary: `EmissionSchedule.addLaunchBonus(chain ${chainId}, ${formatFlux(amount)} FLUX over ${duration / DAY_SECONDS} days from ${new Date(start * 1000).toISOString()})`,
  };
}

/** Sets this chain's market weights (supply and borrow bps summing to 10,000). */
export async function setMarketWeights(
  schedule: EmissionSchedule,
  weights: { market: string; label?: string; supplyBps: number; borrowBps: number }[],
): Promise<Action> {
  return {
    target: await schedule.getAddress(),
    value: 0n,
    calldata: schedule.interface.encodeFunctionData("setMarketWeights", [
      weights.map((w) => w.market),
      weights.map((w) => w.supplyBps),
      weights.map((w) => w.borrowBps),
    ]),
    summary: `EmissionSchedule.setMarketWeights(${weights.map((w) => `${w.label ?? w.market}: supply ${w.supplyBps / 100}% / borrow ${w.borrowBps / 100}%`).join(", ")})`,
  };
}
