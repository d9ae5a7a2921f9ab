/** `snapshot tally <proposal id | latest> --networks a,b,c [--space id]`: exit code 1 when the hub disagrees with the chains. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { required, runCommand } from "../../src/core/command.js";
import { connectChains, networkNames, resolveProposalId } from "../../src/snapshot/commands.js";
import { SnapshotHub } from "../../src/snapshot/client.js";
import { renderTally, tallyProposal } from "../../src/snapshot/tally.js";

export default async function (args: { proposal: string; networks: string; gateway: string; hub: string; space: string }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    const { providers } = await connectChains(hre, networkNames(hre, required(args.networks, "networks")));
    const hub = new SnapshotHub(args.hub || undefined);
    const { id, line } = await resolveProposalId(hub, args.proposal, args.space || undefined);
    if (line) console.log(line);
    const r = await tallyProposal(hub, id, providers, { gateway: args.gateway || undefined });
    for (const line of renderTally(r)) console.log(line);
    if (!r.agrees) process.exitCode = 1;
  }, { hre });
}
