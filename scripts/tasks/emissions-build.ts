/** `emissions build`: one epoch from the chain's market events, or from a balances file. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { buildCommand } from "../../src/emissions/commands.js";
import { networkContext } from "../../src/emissions/cli.js";
import { required, runCommand } from "../../src/core/command.js";

export default async function (
  args: { out: string; epochEnd: string; previous: string; balances: string; epochStart: string; confirmations: number; pageSize: number; force: boolean },
  hre: HardhatRuntimeEnvironment,
) {
  await runCommand(async () => {
    const out = required(args.out, "out");
    console.log(await buildCommand(await networkContext(hre), { ...args, out }));
  }, { hre });
}
