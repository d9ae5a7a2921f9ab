/** `emissions publish`: submit an epoch's root as the operator (`--dry-run` sends nothing). */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { publishCommand } from "../../src/emissions/commands.js";
import { networkContext } from "../../src/emissions/cli.js";
import { required, runCommand } from "../../src/core/command.js";

export default async function (args: { dir: string; dryRun: boolean }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    console.log(await publishCommand(await networkContext(hre), { dir: required(args.dir, "dir"), dryRun: args.dryRun }));
  });
}
