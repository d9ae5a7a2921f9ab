import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { defineConfig, configVariable } from "hardhat/config";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { emissionsTasks } from "./scripts/tasks/index.js";
import { proposalTasks } from "./scripts/tasks/proposal.js";
import { snapshotTasks } from "./scripts/tasks/snapshot.js";
import { devnetTasks } from "./scripts/tasks/devnet.js";
import { keeperTasks } from "./scripts/tasks/keeper.js";
// the devnet's chains (names, chain ids, ports): networks devnet-conflux, devnet-bsc, devnet-heco below
import { DEVNET } from "./local/devnet-chains.js";

const require = createRequire(import.meta.url);

/**
 * The OpenZeppelin upgrades plugin object, from its own module (dist/plugin.js): the package's
 * entry also loads the whole upgrades API (upgrades-core and its dependencies), about 0.2 s that
 * every command would pay at start, though only the deployment code uses that API (it imports the
 * package itself). The plugin module is light; where a future version moves it, the entry is used.
 */
async function upgradesPlugin() {
  const plugin = path.join(path.dirname(require.resolve("@openzeppelin/hardhat-upgrades")), "plugin.js");
  const module = existsSync(plugin) ? await import(pathToFileURL(plugin).href) : await import("@openzeppelin/hardhat-upgrades");
  return module.default as typeof import("@openzeppelin/hardhat-upgrades").default;
}
const hardhatUpgrades = await upgradesPlugin();

/**
 * Compiler: solc from the npm `solc` package (soljson.js), so no compiler is downloaded: the npm
 * registry is all the project needs. `SOLC_VERSION` must equal the installed `solc` version;
 * a test (test/toolchain.test.ts) checks it.
 */
export const SOLC_VERSION = "0.8.28";


export default defineConfig({
  plugins: [hardhatToolboxMochaEthers, hardhatUpgrades],
  tasks: [...emissionsTasks, ...proposalTasks, ...snapshotTasks, ...devnetTasks, ...keeperTasks],
  solidity: {
    version: SOLC_VERSION,
    path: require.resolve("solc/soljson.js"),
    // Proxies deployed by the Ignition modules come from the installed @openzeppelin/contracts.
    npmFilesToBuild: [
      "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol",
      "@openzeppelin/contracts/proxy/beacon/UpgradeableBeacon.sol",
      "@openzeppelin/contracts/proxy/beacon/BeaconProxy.sol",
    ],
    settings: {
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 200 },
    },
  },
  test: {
    mocha: { timeout: 120_000 },
    solidity: {
      fuzz: { runs: 256 },
      invariant: { runs: 64, depth: 32, failOnRevert: false },
    },
  },
  networks: {
    // A real chain: RPC URL and key come from hardhat-keystore or the environment
    // (`npx hardhat keystore set FLUX_RPC_URL`), never from the repo.
    conflux: {
      type: "http",
      chainType: "l1",
      url: configVariable("CONFLUX_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
    bsc: {
      type: "http",
      chainType: "l1",
      url: configVariable("BSC_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
    heco: {
      type: "http",
      chainType: "l1",
      url: configVariable("HECO_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
    localhost: {
      type: "http",
      chainType: "l1",
      url: "http://127.0.0.1:8545",
    },
    ...Object.fromEntries(
      DEVNET.chains.map((c) => [c.network, { type: "http", chainType: "l1", chainId: c.chainId, url: `http://127.0.0.1:${c.port}` } as const]),
    ),
  },
});
