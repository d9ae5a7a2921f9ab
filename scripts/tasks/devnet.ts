/**
 * `npx hardhat devnet` (`npm run devnet`): Flux's three chains as local JSON-RPC nodes with
 * everything deployed, and the local Snapshot hub (local/devnet.ts). Definition only.
 */
import { task } from "hardhat/config";

export const devnetTasks = [
  task("devnet", "Start Flux's three chains as local nodes with everything deployed, and a local Snapshot hub; runs until Ctrl-C")
    .addFlag({ name: "detach", description: "Start in the background and return once it is ready (stop it with --stop)" })
    .addFlag({ name: "stop", description: "Stop the devnet started with --detach" })
    .addOption({ name: "advance", description: "Move every devnet chain's clock ahead by this much (e.g. 3600, 90m, 6h, 3d) and return", defaultValue: "" })
    .addOption({ name: "state", description: "Directory for the pid file, the state and the logs", defaultValue: ".devnet" })
    .setAction(() => import("./devnet-run.js"))
    .build(),
];
