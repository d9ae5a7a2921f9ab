/**
 * `emissions revoke`: revoke the distributor's pending root as the guardian, only when it is the
 * `--root` given (`--dry-run` sends nothing, `--unsigned <file>` writes the transaction for a Safe).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { revokeCommand } from "../../src/emissions/commands.js";
import { networkContext } from "../../src/emissions/cli.js";
import { required, runCommand } from "../../src/core/command.js";

export default async function (args: { root: string; dryRun: boolean; from: string; unsigned: string }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    const root = required(args.root, "root");
    console.log(await revokeCommand(await networkContext(hre), { root, dryRun: args.dryRun, from: args.from || undefined, unsigned: args.unsigned || undefined, hre, log: console.log }));
  }, { hre });
}
