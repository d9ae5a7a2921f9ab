/** `emissions tree`: CSV/JSON of cumulative amounts → tree.json, root.json, proofs/ (atomically). */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { treeFromFile } from "../../src/emissions/tree-command.js";
import { required, runCommand } from "../../src/core/command.js";
import { Steps } from "../../src/core/progress.js";

export default async function (args: { input: string; out: string; previous: string; budget: string; force: boolean }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    const info = await treeFromFile({
      input: required(args.input, "input"),
      out: required(args.out, "out"),
      previous: args.previous || undefined,
      budget: args.budget || undefined,
      force: args.force,
    }, new Steps());
    console.log(JSON.stringify(info, null, 2));
  }, { hre });
}
