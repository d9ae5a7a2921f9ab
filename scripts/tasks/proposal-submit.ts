/** `proposal submit <file> --network <name> [--from <address or variable>] [--unsigned <file> --from <safe>]`. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { runCommand } from "../../src/core/command.js";
import { loadProposal } from "../../src/proposals/load.js";
import { submitProposal } from "../../src/proposals/run.js";

export default async function (args: { file: string; from: string; unsigned: string }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    const p = await loadProposal(args.file);
    const r = await submitProposal(hre, await hre.network.create(), p, { hre, from: args.from || undefined, unsigned: args.unsigned || undefined, log: console.log });
    console.log(r.unsigned ?? `proposed: id ${r.proposalId} in tx ${r.tx}`);
  }, { hre });
}
