/**
 * `npx hardhat keeper` (liquidations) and `npx hardhat watch` (the operators' monitor).
 * Definitions only; the actions are thin modules under scripts/tasks/ that call src/keeper.
 */
import { ArgumentType } from "hardhat/types/arguments";
import { task } from "hardhat/config";
import { fromOption } from "./options.js";

export const keeperTasks = [
  task("keeper", "Liquidate every liquidatable account of the network's markets, and write off bad debt")
    .addFlag({ name: "once", description: "One pass (rounds until nothing more can be done), then exit: 0 all handled, 1 could not run, 2 accounts left liquidatable" })
    .addFlag({ name: "dryRun", description: "Decide and log, send nothing" })
    .addOption({ name: "minProfitUsd", description: "Liquidate only when the profit net of gas is at least this many USD", defaultValue: "0" })
    .addOption({ name: "nativeUsd", description: "USD price of the chain's native coin, to value gas (default: the oracle price of its wrapped coin's market)", defaultValue: "" })
    .addOption({ name: "checkpoint", description: "Checkpoint file of the borrowers read so far (default .keeper/<network>.json)", defaultValue: "" })
    .addOption({ name: "confirmations", description: "Blocks of confirmation depth before a block is checkpointed", type: ArgumentType.INT, defaultValue: 12 })
    .addOption({ name: "pollMs", description: "Milliseconds between polls of the newest block", type: ArgumentType.INT, defaultValue: 500 })
    .addOption({ name: "txTimeout", description: "Seconds to wait for a transaction before sending it again (same nonce, higher fees)", type: ArgumentType.INT, defaultValue: 30 })
    .addOption(fromOption("keeper", "KEEPER_PRIVATE_KEY"))
    .setAction(() => import("./keeper-run.js"))
    .build(),
];
