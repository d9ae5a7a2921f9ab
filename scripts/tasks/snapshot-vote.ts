/** `snapshot vote <proposal> <for|against|abstain> --space <id> --hub <url> [--from <address or variable>]`. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { required, runCommand } from "../../src/core/command.js";
import { parseChoice, parseProposalId } from "../../src/snapshot/commands.js";
import { signingHub } from "../../src/snapshot/signing.js";

export default async function (args: { proposal: string; choice: string; space: string; reason: string; hub: string; from: string }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    const proposal = parseProposalId(args.proposal);
    const choice = parseChoice(args.choice);
    const space = required(args.space, "space");
    const { hub, signer, line } = await signingHub({ hre, conn: await hre.network.create(), role: "voter", hub: args.hub, from: args.from || undefined });
    console.log(line);
    const r = await hub.vote(signer, { space, proposal, choice, reason: args.reason });
    console.log(`vote ${r.id} recorded`);
  }, { hre });
}
