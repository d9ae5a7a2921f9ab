/** `proposal export <file> --proposer <address> [--out <file>]`. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { required, runCommand } from "../../src/core/command.js";
import { loadProposal } from "../../src/proposals/load.js";
import { exportProposal } from "../../src/proposals/run.js";
import { toJson, writeFileAtomic } from "../../src/core/fs.js";

export default async function (args: { file: string; proposer: string; out: string; manifests: string }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    const proposer = required(args.proposer, "proposer");
    const json = toJson(await exportProposal(hre, await loadProposal(args.file), { proposer, manifestDir: args.manifests }));
    if (args.out) await writeFileAtomic(args.out, json);
    else process.stdout.write(json);
  }, { hre });
}
