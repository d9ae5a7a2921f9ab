/**
 * `npx hardhat snapshot <space|propose|vote|tally>`: the off-chain (Snapshot) voting path.
 * Definitions only; each action is a thin module under scripts/tasks/ that calls src/snapshot.
 * Reading (tally, from-snapshot): the hub is `--hub <url>`, else `SNAPSHOT_HUB_URL`, else
 * https://hub.snapshot.org. Sending signed messages (vote, propose, space --publish): the hub and
 * the key must be named (src/snapshot/signing.ts); no default.
 */
import { ArgumentType } from "hardhat/types/arguments";
import { emptyTask, task } from "hardhat/config";
import { fromOption } from "./options.js";
// (a constant-only module: the task definitions load with every hardhat command, snapshot.js does not)
import { SNAPSHOT_HUB_URL } from "../../src/snapshot/defaults.js";

/** `--hub`, shared with `proposal from-snapshot`. */
export const hubOption = { name: "hub", description: `Snapshot hub URL to read from (default: SNAPSHOT_HUB_URL or ${SNAPSHOT_HUB_URL})`, defaultValue: "" } as const;
/** `--hub` of the commands that send signed messages: no default hub. */
const sendHub = { name: "hub", description: "Snapshot hub URL to send the signed message to (default: SNAPSHOT_HUB_URL; required, no public default)", defaultValue: "" } as const;
/** `--networks`, shared with `proposal from-snapshot`. */
export const networksOption = { name: "networks", description: "Hardhat networks of every chain the space counts, e.g. conflux,bsc,heco", defaultValue: "" } as const;
const hub = hubOption;
const networks = networksOption;
/** `--space` of the reading commands: needed only to resolve the proposal `latest`. Shared with `proposal from-snapshot`. */
export const latestSpaceOption = { name: "space", description: "The space whose newest proposal `latest` names", defaultValue: "" } as const;

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
    .addFlag({ name: "publish", description: "Sign the settings as the proposer (--from or PROPOSER_PRIVATE_KEY) and send them to the hub (--hub or SNAPSHOT_HUB_URL)" })
    .addOption(sendHub)
    .addOption(fromOption("space admin", "PROPOSER_PRIVATE_KEY"))
    .setAction(() => import("./snapshot-space.js"))
    .build(),

  task(["snapshot", "propose"], "Open a For/Against/Abstain signal on Snapshot that carries a proposal module's calls for each of its chains")
    .addPositionalArgument({ name: "file", description: "The proposal module (proposals/NNNN-*.ts)" })
    .addOption({ name: "space", description: "The space id", defaultValue: "" })
    .addOption({ name: "proposer", description: "The only address that may propose the carried calls on-chain (#proposer= suffix); default: the signal's author", defaultValue: "" })
    .addOption({ name: "manifests", description: "Directory of deployment manifests", defaultValue: "deployments" })
    .addOption(sendHub)
    .addOption(fromOption("proposer", "PROPOSER_PRIVATE_KEY"))
    .setAction(() => import("./snapshot-propose.js"))
    .build(),

  task(["snapshot", "vote"], "Sign a vote as the voter (--from or VOTER_PRIVATE_KEY) and send it to the hub (--hub or SNAPSHOT_HUB_URL)")
    .addPositionalArgument({ name: "proposal", description: "Snapshot proposal id (0x…), or latest: the newest proposal of --space" })
    .addPositionalArgument({ name: "choice", description: "for | against | abstain" })
    .addOption({ name: "space", description: "The space id", defaultValue: "" })
    .addOption({ name: "reason", description: "Reason shown with the vote", defaultValue: "" })
    .addOption(sendHub)
    .addOption(fromOption("voter", "VOTER_PRIVATE_KEY"))
    .addOption({ name: "networks", description: "Check first, on these networks (every chain the space counts), that the voter had votes at the snapshot", defaultValue: "" })
    .setAction(() => import("./snapshot-vote.js"))
    .build(),

  task(["snapshot", "tally"], "Recompute a Snapshot vote from its signed votes and each chain's voting power; compare with the hub")
    .addPositionalArgument({ name: "proposal", description: "Snapshot proposal id (0x…), or latest: the newest proposal of --space" })
    .addOption(networks)
    .addOption({ name: "gateway", description: "Where to fetch signed messages (default: the hub's /ipfs)", defaultValue: "" })
    .addOption(latestSpaceOption)
    .addOption(hub)
    .setAction(() => import("./snapshot-tally.js"))
    .build(),
];
