/** `emissions status`: schedule, budgets, pending and active roots of the selected network. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { statusCommand } from "../../src/emissions/commands.js";
import { networkContext } from "../../src/emissions/cli.js";
import { runCommand } from "../../src/util/command.js";

export default async function (_args: Record<string, unknown>, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    console.log(await statusCommand(await networkContext(hre)));
  });
}
