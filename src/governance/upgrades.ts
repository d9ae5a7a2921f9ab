/**
 * Builds the governance action that upgrades a UUPS proxy. The new implementation is first checked
 * by hardhat-upgrades against the layout deployed behind the proxy (and deployed if it passes),
 * so a layout-breaking implementation never reaches a proposal.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { UpgradesApi, Action } from "../core/types.js";

const UUPS = ["function upgradeToAndCall(address newImplementation, bytes data)"];
const BEACON = ["function upgradeTo(address newImplementation)"];

export async function upgradeAction(
  upgrades: UpgradesApi,
  ethers: HardhatEthers,
  proxy: string,
  contractName: string,
  initCall = "0x",
): Promise<Action> {
  const factory = await ethers.getContractFactory(contractName);
  const impl = await upgrades.prepareUpgrade(proxy, factory, { kind: "uups" });
  if (typeof impl !== "string") throw new Error("prepareUpgrade returned a transaction, expected an address");
  const iface = new ethers.Interface(UUPS);
  return {
    target: proxy,
    value: 0n,
    calldata: iface.encodeFunctionData("upgradeToAndCall", [impl, initCall]),
    summary: `upgrade ${proxy} to ${contractName} at ${impl}`,
  };
}

/**
 * Builds the action that upgrades every market at once: the beacon (owned by the Timelock) points
 * to a new implementation, checked by hardhat-upgrades against the beacon's current layout.
 */
export async function beaconUpgradeAction(
  upgrades: UpgradesApi,
  ethers: HardhatEthers,
  beacon: string,
  contractName: string,
): Promise<Action> {
  const factory = await ethers.getContractFactory(contractName);
  const impl = await upgrades.prepareUpgrade(beacon, factory);
  if (typeof impl !== "string") throw new Error("prepareUpgrade returned a transaction, expected an address");
  return {
    target: beacon,
    value: 0n,
    calldata: new ethers.Interface(BEACON).encodeFunctionData("upgradeTo", [impl]),
    summary: `upgrade every market (beacon ${beacon}) to ${contractName} at ${impl}`,
  };
}
