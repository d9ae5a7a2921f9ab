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

  task("watch", "Monitor a deployment: verify every submitted emissions root, flag positions near the liquidation line, stale feeds, pauses and proposals about to execute")
    .addFlag({ name: "once", description: "One pass over the current state, then exit: 0 nothing of the --fail-on kinds, 1 could not run, 3 an event of those kinds" })
    .addOption({ name: "state", description: "State directory: the watcher's verified epochs, event and borrower checkpoints (default .watch/<network>/)", defaultValue: "" })
    .addOption({ name: "marginBps", description: "Near-line zone: health below the liquidation ratio × (1 + this / 10,000)", type: ArgumentType.INT, defaultValue: 500 })
    .addOption({ name: "soon", description: "Say a queued proposal is due when its ETA is this close: seconds, or 30m, 6h, 1d", defaultValue: "1d" })
    .addOption({ name: "failOn", description: "Exit 3 at the first event of these kinds: comma list of mismatch,liquidatable,stale,paused,proposal (or none)", defaultValue: "mismatch" })
    .addOption({ name: "confirmations", description: "Blocks of confirmation depth: of an epoch end before its root is rebuilt, of a block before the borrowers checkpoint", type: ArgumentType.INT, defaultValue: 12 })
    .addOption({ name: "pollMs", description: "Milliseconds between polls of the newest block", type: ArgumentType.INT, defaultValue: 1000 })
    .setAction(() => import("./watch-run.js"))
    .build(),
];
