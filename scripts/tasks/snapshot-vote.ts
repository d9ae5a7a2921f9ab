/** `snapshot vote <proposal> <for|against|abstain> --space <id>`. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { required, runCommand } from "../../src/core/command.js";
import { parseChoice, parseProposalId } from "../../src/snapshot/commands.js";
import { SnapshotHub } from "../../src/snapshot/client.js";

export default async function (args: { proposal: string; choice: string; space: string; reason: string; hub: string }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    const proposal = parseProposalId(args.proposal);
    const choice = parseChoice(args.choice);
    const space = required(args.space, "space");
    const [signer] = await (await hre.network.create()).ethers.getSigners();
    const r = await new SnapshotHub(args.hub || undefined).vote(signer!, { space, proposal, choice, reason: args.reason });
    console.log(`vote ${r.id} recorded`);
  }, { artifacts: hre.artifacts });
}
