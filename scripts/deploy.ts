/**
 * Deploys FLUX (governance, and the markets and emissions when the network's config has them)
 * with the network's validated config and writes `deployments/<network>.json`:
 *   npx hardhat run scripts/deploy.ts --network <name>
 * It signs as the deployer (the network's first account: DEPLOYER_PRIVATE_KEY on a real chain) and
 * says so first. A bad config, a deployer without funds, a revert or a failed deployment check
 * prints one line and exits non-zero.
 */
import hre from "hardhat";
import { runCommand } from "../src/core/command.js";
import { loadDeployConfig } from "../src/deploy/config.js";
import { deployFlux } from "../src/deploy/deploy.js";
import { resolveDeployer } from "../src/keys/index.js";

await runCommand(async () => {
  const conn = await hre.network.create();
  const cfg = await loadDeployConfig(conn.networkName);
  console.log((await resolveDeployer(conn)).line);
  const d = await deployFlux(hre, conn, cfg, { log: console.log });
  console.log(JSON.stringify(d.manifest.contracts, null, 2));
}, { hre });
