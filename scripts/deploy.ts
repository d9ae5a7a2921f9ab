/**
 * Deploys FLUX (governance, and the markets and emissions when the network's config has them)
 * with the network's validated config and writes `deployments/<network>.json`:
 *   npx hardhat run scripts/deploy.ts --network <name>
 * It signs as the deployer (the network's first account: DEPLOYER_PRIVATE_KEY on a real chain) and
 * says so first. A bad config (a market without a price feed included), a deployer without funds,
 * a revert or a failed deployment check prints one line and exits non-zero.
 */
import hre from "hardhat";
import { runCommand } from "../src/core/command.js";
import path from "node:path";
import { assertDeployable, CONFIG_DIR, loadDeployConfig } from "../src/deploy/config.js";
import { deployFlux } from "../src/deploy/deploy.js";
import { resolveDeployer } from "../src/keys/index.js";

await runCommand(async () => {
  // The config first, before any connection: a config that cannot be deployed is refused even
  // without an RPC endpoint for its network.
  const network = hre.globalOptions.network ?? "default";
  const cfg = await loadDeployConfig(network);
  assertDeployable(cfg, path.join(CONFIG_DIR, `${network}.json`));
  const conn = await hre.network.create();
  console.log((await resolveDeployer(conn)).line);
  const d = await deployFlux(hre, conn, cfg, { log: console.log });
  console.log(JSON.stringify(d.manifest.contracts, null, 2));
}, { hre });
