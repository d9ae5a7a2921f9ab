/**
 * Types every layer shares: a chain connection, the hardhat-upgrades API bound to it, a
 * governance action, and the clock of a chain whose time we control.
 */
import type { upgrades } from "@openzeppelin/hardhat-upgrades";
import type { NetworkConnection } from "hardhat/types/network";

/** A Hardhat network connection (in-process or JSON-RPC), with ethers and the network helpers. */
export type Connection = NetworkConnection<"generic">;

/** The hardhat-upgrades API bound to a connection. */
export type UpgradesApi = Awaited<ReturnType<typeof upgrades>>;

/** One call a proposal makes through the Timelock. */
export interface Action {
  target: string;
  value: bigint;
  calldata: string;
  /** One line a person understands: "set voting period to 2 days". */
  summary: string;
}

/** Clock control for the local chain. */
export interface Clock {
  increaseTo(timestamp: bigint | number): Promise<void>;
  latest(): Promise<number>;
}
