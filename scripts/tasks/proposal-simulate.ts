/** `proposal simulate <file>`. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { runCommand } from "../../src/core/command.js";
import { loadProposal } from "../../src/proposals/load.js";
import { simulateProposal } from "../../src/proposals/run.js";

export default async function (args: { file: string; deployConfig: string }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    const p = await loadProposal(args.file);
    const r = await simulateProposal(hre, p, { configNetwork: args.deployConfig, log: console.log });
    if (r.failed.length) {
      console.error(`error: ${r.failed.length} postcondition(s) failed`);
      process.exitCode = 1;
    } else console.log(`all ${r.resolved.actions.length} postconditions hold`);
  }, { hre });
}
