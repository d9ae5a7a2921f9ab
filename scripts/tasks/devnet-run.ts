/**
 * `npx hardhat devnet [--detach | --stop | --advance <duration>] [--state dir]`.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { runCommand } from "../../src/core/command.js";
import { InputError } from "../../src/core/errors.js";
import { advanceDevnet, parseDuration, runDevnet, startDetached, stopDevnet } from "../../local/devnet-process.js";

export default async function (args: { detach: boolean; stop: boolean; advance: string; state: string }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    if ([args.detach, args.stop, args.advance !== ""].filter(Boolean).length > 1) throw new InputError("--detach, --stop and --advance: give one of them");
    if (args.stop) return console.log(await stopDevnet(args.state));
    if (args.advance) return console.log(await advanceDevnet(args.state, parseDuration(args.advance)));
    if (args.detach) return console.log(await startDetached(args.state));
    await runDevnet(hre, args.state, console.log);
  }, { hre });
}
