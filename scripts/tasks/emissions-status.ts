/**
 * `emissions status`: schedule, budgets, pending and active roots of the selected network; with
 * `--all` (every manifest in `--manifests`) or `--networks a,b,c`, every chain's schedule read from
 * its own chain and compared, with a WARNING line for each inconsistency.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { crossChainStatus, statusCommand } from "../../src/emissions/commands.js";
import { networkContext } from "../../src/emissions/cli.js";
import { readManifest } from "../../src/deploy/manifest.js";
import { connectChains, networkNames } from "../../src/snapshot/commands.js";
import { runCommand } from "../../src/util/command.js";
import { InputError } from "../../src/util/validate.js";

export default async function (args: { all: boolean; networks: string; manifests: string }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    if (!args.all && !args.networks) {
      console.log(await statusCommand(await networkContext(hre)));
      return;
    }
    if (args.all && args.networks) throw new InputError("--all and --networks: give one of them");
    let names: string[];
    if (args.networks) names = networkNames(hre, args.networks);
    else {
      const files = (await readdir(args.manifests).catch((e: Error) => {
        throw new InputError(`--manifests: cannot read ${args.manifests} (${e.message})`);
      })).filter((f) => f.endsWith(".json")).sort();
      const configured = Object.keys(hre.config.networks);
      names = [];
      for (const n of files.map((f) => path.basename(f, ".json"))) {
        const m = await readManifest(n, args.manifests);
        if (!m.contracts.emissionSchedule) continue;
        if (configured.includes(n)) names.push(n);
        else console.log(`note: ${path.join(args.manifests, `${n}.json`)} names network "${n}", which hardhat.config.ts does not configure: skipped`);
      }
    }
    const { conns } = await connectChains(hre, names);
    const chains = await Promise.all(names.map(async (n) => {
      const manifest = await readManifest(n, args.manifests);
      const provider = conns[n]!.ethers.provider;
      const chainId = Number((await provider.getNetwork()).chainId);
      if (chainId !== manifest.chainId) throw new InputError(`${path.join(args.manifests, `${n}.json`)} is for chain ${manifest.chainId}, but network ${n} is chain ${chainId}`);
      return { manifest, provider };
    }));
    const { lines, warnings } = await crossChainStatus(chains);
    for (const l of [...lines, ...warnings]) console.log(l);
    if (!warnings.length) console.log("the chains' schedules agree");
  });
}
