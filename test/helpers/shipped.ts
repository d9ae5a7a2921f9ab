/**
 * A deployment built from a shipped config (`ignition/config/<name>.json`) through the real
 * deployment path, on a fresh in-process network created with that config's chain id, with two
 * holders above the proposal threshold ready to propose: `proposer` (the largest holder at
 * genesis) and `other` (given exactly the threshold by the proposer).
 */
import hre from "hardhat";
import "./chai.js";
import { loadDeployConfig, type DeployConfig } from "../../src/deploy/config.js";
import { deployFlux, type FluxDeployment } from "../../src/deploy/deploy.js";
import { localClock } from "../../src/deploy/local.js";
import type { Signer } from "./fixture.js";
import type { Connection, Clock } from "../../src/core/types.js";

export interface ShippedDeployment {
  config: string;
  cfg: DeployConfig;
  conn: Connection;
  clock: Clock;
  d: FluxDeployment;
  proposer: Signer;
  other: Signer;
  guardian: Signer | null;
}

export async function deployShipped(config: string, governor: Partial<DeployConfig["governor"]> = {}): Promise<ShippedDeployment> {
  const loaded = await loadDeployConfig(config);
  // A real network's markets name contracts that exist only on that chain (a deployment here
  // refuses them before any transaction: test/config.shipped.test.ts), so they are left out;
  // mock markets (the local configs) are deployed.
  const mocksOnly = loaded.markets?.list.every((m) => typeof m.asset !== "string" && typeof m.feed !== "string" && "mock" in m.feed);
  const cfg: DeployConfig = { ...loaded, markets: mocksOnly ? loaded.markets : undefined, governor: { ...loaded.governor, ...governor } };
  const conn = await hre.network.create({ network: "default", override: { chainId: cfg.chainId } });
  const d = await deployFlux(hre, conn, cfg, { manifestDir: null, networkName: config });
  const signers = await conn.ethers.getSigners();
  let proposer: Signer | undefined;
  for (const s of signers) if (!proposer || (await d.token.balanceOf(s.address)) > (await d.token.balanceOf(proposer.address))) proposer = s;
  const other = signers.find((s) => s !== proposer && !cfg.token.allocations.some((a) => a.account === s.address) && s.address !== cfg.governor.proposalGuardian);
  if (!proposer || !other) throw new Error(`${config}: the network needs a holder and a spare account`);
  await (await d.token.connect(proposer).transfer(other.address, cfg.governor.proposalThreshold)).wait();
  for (const s of [proposer, other]) await (await d.token.connect(s).delegate(s.address)).wait();
  await conn.networkHelpers.mine(1);
  const guardian = cfg.governor.proposalGuardian ? await conn.ethers.getSigner(cfg.governor.proposalGuardian) : null;
  return { config, cfg, conn, clock: localClock(conn), d, proposer, other, guardian };
}
