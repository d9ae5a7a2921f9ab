/** `emissions verify`: recompute an epoch independently and compare (exits non-zero on mismatch). */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { verifyCommand } from "../../src/emissions/commands.js";
import { networkContext } from "../../src/emissions/cli.js";
import { required, runCommand } from "../../src/core/command.js";

export default async function (args: { dir: string; previous: string; balances: string; confirmations: number }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    const result = await verifyCommand(await networkContext(hre), { ...args, dir: required(args.dir, "dir") });
    console.log(result.text);
    if (!result.ok) process.exitCode = 1;
  }, { hre });
}
