/**
 * Deploys FLUX governance to the selected network with its validated config and writes
 * `deployments/<network>.json`:  npx hardhat run scripts/deploy.ts --network <name>
 */
import hre from "hardhat";
import { loadDeployConfig } from "../src/deploy/config.js";
import { deployFlux } from "../src/deploy/deploy.js";

const conn = await hre.network.create();
const cfg = await loadDeployConfig(conn.networkName);
const d = await deployFlux(hre, conn, cfg, { log: console.log });
console.log(JSON.stringify(d.manifest.contracts, null, 2));
