/**
 * Operator commands as Hardhat tasks: `npx hardhat emissions <tree|build|verify|diff|publish|revoke|status>`.
 * Definitions only; each action is a thin module under scripts/tasks/ that calls src/.
 */
import { ArgumentType } from "hardhat/types/arguments";
import { emptyTask, task } from "hardhat/config";
import { fromOption, unsignedOption } from "./options.js";

export const emissionsTasks = [
  emptyTask("emissions", "Emission schedule, reward epochs and Merkle roots").build(),

  task(["emissions", "tree"], "Build a Merkle tree of cumulative amounts from a CSV or JSON file")
    .addOption({ name: "input", description: "CSV or JSON of account,cumulativeAmount (wei)", defaultValue: "" })
    .addOption({ name: "out", description: "Output directory (tree.json, root.json, proofs/)", defaultValue: "" })
    .addOption({ name: "previous", description: "Previous tree or epoch directory (from emissions tree or build): amounts may not decrease", defaultValue: "" })
    .addOption({ name: "budget", description: "Refuse a total above this many wei", defaultValue: "" })
    .addFlag({ name: "force", description: "Replace --out even if it already holds something (an earlier tree or epoch)" })
    .setAction(() => import("./emissions-tree.js"))
    .build(),

  task(["emissions", "build"], "Build an epoch from the chain's market events (or a balances file)")
    .addOption({ name: "out", description: "Output directory for the epoch", defaultValue: "" })
    .addOption({ name: "epochEnd", description: "Epoch end: unix seconds or ISO date (default: newest confirmed block)", defaultValue: "" })
    .addOption({ name: "previous", description: "Previous epoch directory (continues its cumulative amounts and carry)", defaultValue: "" })
    .addOption({ name: "balances", description: "Build from a CSV/JSON of account,balance instead of chain events", defaultValue: "" })
    .addOption({ name: "epochStart", description: "Epoch start for a first epoch (unix or ISO; default: when the first market weights came in force)", defaultValue: "" })
    .addOption({ name: "confirmations", description: "Blocks of confirmation depth", type: ArgumentType.INT, defaultValue: 12 })
    .addOption({ name: "pageSize", description: "Blocks per log query", type: ArgumentType.INT, defaultValue: 5000 })
    .addFlag({ name: "force", description: "Replace --out even if it already holds something (an earlier epoch)" })
    .setAction(() => import("./emissions-build.js"))
    .build(),

  task(["emissions", "verify"], "Recompute an epoch independently and compare it with its files and the chain (the watcher)")
    .addOption({ name: "dir", description: "Epoch directory to verify", defaultValue: "" })
    .addOption({ name: "previous", description: "Previous epoch directory", defaultValue: "" })
    .addOption({ name: "balances", description: "The balances file, for a balances epoch", defaultValue: "" })
    .addOption({ name: "confirmations", description: "Blocks of confirmation depth", type: ArgumentType.INT, defaultValue: 12 })
    .setAction(() => import("./emissions-verify.js"))
    .build(),

  task(["emissions", "diff"], "Per-account change against the previous epoch; totals against the budget")
    .addOption({ name: "dir", description: "Epoch directory", defaultValue: "" })
    .addOption({ name: "previous", description: "Previous epoch or tree directory", defaultValue: "" })
    .addOption({ name: "top", description: "How many accounts to list", type: ArgumentType.INT, defaultValue: 20 })
    .setAction(() => import("./emissions-diff.js"))
    .build(),

  task(["emissions", "publish"], "Submit an epoch's root to the rewards distributor (as the operator)")
    .addOption({ name: "dir", description: "Epoch directory", defaultValue: "" })
    .addFlag({ name: "dryRun", description: "Simulate and print, send nothing" })
    .addOption(fromOption("operator", "OPERATOR_PRIVATE_KEY"))
    .addOption(unsignedOption)
    .setAction(() => import("./emissions-publish.js"))
    .build(),

  task(["emissions", "revoke"], "Revoke the distributor's pending root (as the guardian), only when it is --root")
    .addOption({ name: "root", description: "The pending root to revoke (0x…): refused when the pending root is another", defaultValue: "" })
    .addFlag({ name: "dryRun", description: "Simulate and print, send nothing" })
    .addOption(fromOption("guardian", "GUARDIAN_PRIVATE_KEY"))
    .addOption(unsignedOption)
    .setAction(() => import("./emissions-revoke.js"))
    .build(),

  task(["emissions", "status"], "Schedule, budgets, pending and active roots of the selected network; --all or --networks: compare every chain's schedule")
    .addFlag({ name: "all", description: "Compare the schedules of every deployment manifest in --manifests (warns when they disagree)" })
    .addOption({ name: "networks", description: "Compare the schedules of these networks' deployments, e.g. conflux,bsc,heco", defaultValue: "" })
    .addOption({ name: "manifests", description: "Directory of deployment manifests", defaultValue: "deployments" })
    .setAction(() => import("./emissions-status.js"))
    .build(),
];
