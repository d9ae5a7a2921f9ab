/**
 * `npx hardhat keeper`: runs until Ctrl-C (which stops it after the current transaction; a second
 * Ctrl-C stops at once), or with `--once` one pass and its exit status.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { keeperCommand, type KeeperArgs } from "../../src/keeper/command.js";
import { networkContext } from "../../src/emissions/cli.js";
import { runCommand } from "../../src/core/command.js";
import { untilStopped } from "./stop-signal.js";

export default async function (args: KeeperArgs, hre: HardhatRuntimeEnvironment) {
  await untilStopped("the current transaction", (control, log) =>
    runCommand(async () => {
      const summary = await keeperCommand(await networkContext(hre), args, { hre, log, control });
      if (args.once) {
        log(`done: ${summary.liquidations} liquidated, ${summary.writeOffs} written off, ${summary.skipped} skipped, ${summary.left} left liquidatable${summary.failed ? `; failed: ${summary.failed}` : ""}`);
        process.exitCode = summary.exitCode;
      }
    }, { hre }),
  );
}
