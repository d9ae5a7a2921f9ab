/**
 * `npx hardhat snapshot <space|propose|vote|tally>`: the off-chain (Snapshot) voting path.
 * Definitions only; each action is a thin module under scripts/tasks/ that calls src/snapshot.
 * The hub is `--hub <url>`, else `SNAPSHOT_HUB_URL`, else https://hub.snapshot.org.
 */
import { ArgumentType } from "hardhat/types/arguments";
import { emptyTask, task } from "hardhat/config";
// (a constant-only module: the task definitions load with every hardhat command, snapshot.js does not)
import { SNAPSHOT_HUB_URL } from "../../src/snapshot/defaults.js";

/** `--hub`, shared with `proposal from-snapshot`. */
export const hubOption = { name: "hub", description: `Snapshot hub URL (default: SNAPSHOT_HUB_URL or ${SNAPSHOT_HUB_URL})`, defaultValue: "" } as const;
/** `--networks`, shared with `proposal from-snapshot`. */
export const networksOption = { name: "networks", description: "Hardhat networks of every chain the space counts, e.g. conflux,bsc,heco", defaultValue: "" } as const;
const hub = hubOption;
const networks = networksOption;

export const snapshotTasks = [
  emptyTask("snapshot", "Snapshot space settings, signals, votes and an independent tally").build(),

  task(["snapshot", "space"], "Generate the space settings (multichain erc20-votes) from the deployment manifests; --publish signs and sends them")
    .addOption(networks)
    .addOption({ name: "spaceNetwork", description: "Chain id where proposals take their snapshot block", type: ArgumentType.INT, defaultValue: 56 })
    .addOption({ name: "name", description: "Space display name", defaultValue: "Flux" })
    .addOption({ name: "quorum", description: "Votes (FLUX) needed for a result to count", defaultValue: "4000000" })
    .addOption({ name: "threshold", description: "Votes (FLUX) needed to create a proposal", defaultValue: "100000" })
    .addOption({ name: "out", description: "Write the settings to this file instead of standard output", defaultValue: "" })
    .addOption({ name: "manifests", description: "Directory of deployment manifests", defaultValue: "deployments" })
    .addOption({ name: "space", description: "With --publish: the space id (its ENS name)", defaultValue: "" })
    .addFlag({ name: "publish", description: "Sign the settings with the selected network's first account and send them to the hub" })
    .addOption(hub)
    .setAction(() => import("./snapshot-space.js"))
    .build(),

  task(["snapshot", "propose"], "Open a For/Against/Abstain signal on Snapshot that carries a proposal module's calls for each of its chains")
    .addPositionalArgument({ name: "file", description: "The proposal module (proposals/NNNN-*.ts)" })
    .addOption({ name: "space", description: "The space id", defaultValue: "" })
    .addOption({ name: "proposer", description: "The only address that may propose the carried calls on-chain (#proposer= suffix); default: the signal's author", defaultValue: "" })
    .addOption({ name: "manifests", description: "Directory of deployment manifests", defaultValue: "deployments" })
    .addOption(hub)
    .setAction(() => import("./snapshot-propose.js"))
    .build(),

  task(["snapshot", "vote"], "Sign and send a vote with the selected network's first account")
    .addPositionalArgument({ name: "proposal", description: "Snapshot proposal id (0x…)" })
    .addPositionalArgument({ name: "choice", description: "for | against | abstain" })
    .addOption({ name: "space", description: "The space id", defaultValue: "" })
    .addOption({ name: "reason", description: "Reason shown with the vote", defaultValue: "" })
    .addOption(hub)
    .setAction(() => import("./snapshot-vote.js"))
    .build(),

  task(["snapshot", "tally"], "Recompute a Snapshot vote from its signed votes and each chain's voting power; compare with the hub")
    .addPositionalArgument({ name: "proposal", description: "Snapshot proposal id (0x…)" })
    .addOption(networks)
    .addOption({ name: "gateway", description: "Where to fetch signed messages (default: the hub's /ipfs)", defaultValue: "" })
    .addOption(hub)
    .setAction(() => import("./snapshot-tally.js"))
    .build(),
];
