/**
 * `npx hardhat watch`: runs until Ctrl-C (which stops it after the current pass; a second Ctrl-C
 * stops at once), or until an event of a `--fail-on` kind (exit 3); `--once` one pass and its
 * exit status.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { watchCommand, type WatchArgs } from "../../src/keeper/watch-command.js";
import { networkContext } from "../../src/emissions/cli.js";
import { runCommand } from "../../src/core/command.js";
import { untilStopped } from "./stop-signal.js";

export default async function (args: WatchArgs, hre: HardhatRuntimeEnvironment) {
  await untilStopped("the current pass", (control, log) =>
    runCommand(async () => {
      const summary = await watchCommand(await networkContext(hre), args, { log, control });
      if (summary.alert) log(`exit ${summary.exitCode}: ${summary.alert.split(":")[0]} (--fail-on)`);
      process.exitCode = summary.exitCode;
    }, { hre }),
  );
}
