/** `snapshot tally <proposal> --networks a,b,c`: exit code 1 when the hub disagrees with the chains. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { required, runCommand } from "../../src/core/command.js";
import { connectChains, networkNames, parseProposalId } from "../../src/snapshot/commands.js";
import { SnapshotHub } from "../../src/snapshot/client.js";
import { renderTally, tallyProposal } from "../../src/snapshot/tally.js";

export default async function (args: { proposal: string; networks: string; gateway: string; hub: string }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    const id = parseProposalId(args.proposal);
    const { providers } = await connectChains(hre, networkNames(hre, required(args.networks, "networks")));
    const r = await tallyProposal(new SnapshotHub(args.hub || undefined), id, providers, { gateway: args.gateway || undefined });
    for (const line of renderTally(r)) console.log(line);
    if (!r.agrees) process.exitCode = 1;
  }, { hre });
}
