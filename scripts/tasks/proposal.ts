/**
 * `npx hardhat proposal <simulate|export|submit> <file>`: definitions only; the actions live in
 * scripts/tasks/proposal-*.ts and call src/proposals.
 */
import { emptyTask, task } from "hardhat/config";
import { hubOption, latestSpaceOption, networksOption } from "./snapshot.js";
import { fromOption, unsignedOption } from "./options.js";

export const proposalTasks = [
  emptyTask("proposal", "Governance proposals as code (proposals/NNNN-*.ts)").build(),
  task(["proposal", "simulate"], "Propose, vote, queue, wait, execute on a fresh embedded chain, then check the postconditions")
    .addPositionalArgument({ name: "file", description: "The proposal module" })
    .addOption({ name: "deployConfig", description: "Deployment config (ignition/config/<name>.json) of the simulated chain", defaultValue: "default" })
    .setAction(() => import("./proposal-simulate.js"))
    .build(),
  task(["proposal", "export"], "Print Tally-ready JSON (targets, values, calldatas, description, proposalId)")
    .addPositionalArgument({ name: "file", description: "The proposal module" })
    .addOption({ name: "proposer", description: "The only address that may propose it (appends #proposer=<address> to the description)", defaultValue: "" })
    .addOption({ name: "out", description: "Write to this file instead of standard output", defaultValue: "" })
    .addOption({ name: "manifests", description: "Directory of deployment manifests", defaultValue: "deployments" })
    .setAction(() => import("./proposal-export.js"))
    .build(),
  task(["proposal", "submit"], "Submit the proposal to the selected network's Governor (after a preflight)")
    .addPositionalArgument({ name: "file", description: "The proposal module" })
    .addOption(fromOption("proposer", "PROPOSER_PRIVATE_KEY"))
    .addOption(unsignedOption)
    .setAction(() => import("./proposal-submit.js"))
    .build(),
  task(["proposal", "from-snapshot"], "Propose on the selected network the calls a passed Snapshot signal carries (after recounting it from the chains)")
    .addPositionalArgument({ name: "id", description: "Snapshot proposal id (0x…), or latest: the newest proposal of --space" })
    .addOption(latestSpaceOption)
    .addOption(networksOption)
    .addOption({ name: "proposal", description: "Also require the calls to be this proposal module's", defaultValue: "" })
    .addOption({ name: "manifests", description: "Directory of deployment manifests", defaultValue: "deployments" })
    .addOption(hubOption)
    .addOption(fromOption("proposer", "PROPOSER_PRIVATE_KEY"))
    .addOption(unsignedOption)
    .setAction(() => import("./proposal-from-snapshot.js"))
    .build(),
];
