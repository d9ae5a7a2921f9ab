/**
 * `npx hardhat devnet [--detach | --stop] [--state dir]`.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { runCommand } from "../../src/core/command.js";
import { InputError } from "../../src/core/errors.js";
import { runDevnet, startDetached, stopDevnet } from "../../local/devnet-process.js";

export default async function (args: { detach: boolean; stop: boolean; state: string }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    if (args.detach && args.stop) throw new InputError("--detach and --stop: give one of them");
    if (args.stop) return console.log(await stopDevnet(args.state));
    if (args.detach) return console.log(await startDetached(args.state));
    await runDevnet(hre, args.state, console.log);
  }, { hre });
}
