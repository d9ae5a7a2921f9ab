/**
 * `emissions publish`: submit an epoch's root as the operator (`--dry-run` sends nothing,
 * `--unsigned <file>` writes the transaction for a Safe instead of sending it).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { publishCommand } from "../../src/emissions/commands.js";
import { networkContext } from "../../src/emissions/cli.js";
import { required, runCommand } from "../../src/core/command.js";

export default async function (args: { dir: string; dryRun: boolean; from: string; unsigned: string }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    const dir = required(args.dir, "dir");
    console.log(await publishCommand(await networkContext(hre), { dir, dryRun: args.dryRun, from: args.from || undefined, unsigned: args.unsigned || undefined, hre, log: console.log }));
  }, { hre });
}
