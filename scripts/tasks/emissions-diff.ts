/** `emissions diff`: per-account changes against the previous epoch; totals against the budget. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { diffCommand } from "../../src/emissions/commands.js";
import { required, runCommand } from "../../src/core/command.js";

export default async function (args: { dir: string; previous: string; top: number }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    console.log(await diffCommand({ dir: required(args.dir, "dir"), previous: args.previous || undefined, top: args.top }));
  }, { hre });
}
