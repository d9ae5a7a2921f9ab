/** `proposal submit <file> --network <name>`. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { runCommand } from "../../src/core/command.js";
import { loadProposal } from "../../src/proposals/load.js";
import { submitProposal } from "../../src/proposals/run.js";

export default async function (args: { file: string }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    const p = await loadProposal(args.file);
    const r = await submitProposal(hre, await hre.network.create(), p);
    console.log(`proposed: id ${r.proposalId} in tx ${r.tx}`);
  }, { artifacts: hre.artifacts });
}
