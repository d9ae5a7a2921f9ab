/** `snapshot vote <proposal id | latest> <for|against|abstain> --space <id> --hub <url> [--from <address or variable>] [--networks a,b,c]`. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { required, runCommand } from "../../src/core/command.js";
import { connectChains, networkNames, parseChoice, resolveProposalId } from "../../src/snapshot/commands.js";
import { checkVoterPower, signingHub, votesLine } from "../../src/snapshot/signing.js";

export default async function (args: { proposal: string; choice: string; space: string; reason: string; hub: string; from: string; networks: string }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    const choice = parseChoice(args.choice);
    const space = required(args.space, "space");
    const { hub, signer, address, line, timestamp } = await signingHub({ hre, conn: await hre.network.create(), role: "voter", hub: args.hub, from: args.from || undefined });
    const { id: proposal, line: which } = await resolveProposalId(hub, args.proposal, space);
    if (which) console.log(which);
    let power = "";
    if (args.networks) {
      const { providers } = await connectChains(hre, networkNames(hre, args.networks));
      power = ` (${votesLine(await checkVoterPower(hub, proposal, providers, address))})`;
    }
    console.log(line + power);
    const r = await hub.vote(signer, { space, proposal, choice, reason: args.reason, timestamp });
    console.log(`vote ${r.id} recorded`);
  }, { hre });
}
