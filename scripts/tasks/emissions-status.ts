/**
 * `emissions status`: schedule, budgets, pending and active roots of the selected network; with
 * `--all` (every manifest in `--manifests`) or `--networks a,b,c`, every chain's schedule read from
 * its own chain and compared, with a WARNING line for each inconsistency.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { crossChainStatus, statusCommand } from "../../src/emissions/commands.js";
import { networkContext } from "../../src/emissions/cli.js";
import { manifestPath, readManifest, readManifests, type Manifest } from "../../src/manifest/index.js";
import { connectChains, networkNames } from "../../src/snapshot/commands.js";
import { runCommand } from "../../src/core/command.js";
import { InputError } from "../../src/core/errors.js";

export default async function (args: { all: boolean; networks: string; manifests: string }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    if (!args.all && !args.networks) {
      console.log(await statusCommand(await networkContext(hre)));
      return;
    }
    if (args.all && args.networks) throw new InputError("--all and --networks: give one of them");
    let selected: { network: string; manifest: Manifest }[];
    if (args.networks) {
      const names = networkNames(hre, args.networks);
      selected = await Promise.all(names.map(async (network) => ({ network, manifest: await readManifest(network, args.manifests) })));
    } else {
      const configured = Object.keys(hre.config.networks);
      selected = [];
      for (const m of await readManifests(args.manifests)) {
        if (!m.manifest.contracts.emissionSchedule) continue;
        if (configured.includes(m.network)) selected.push(m);
        else console.log(`note: ${manifestPath(m.network, args.manifests)} names network "${m.network}", which hardhat.config.ts does not configure: skipped`);
      }
    }
    const { conns } = await connectChains(hre, selected.map((s) => s.network));
    const chains = await Promise.all(selected.map(async ({ network, manifest }) => {
      const provider = conns[network]!.ethers.provider;
      const chainId = Number((await provider.getNetwork()).chainId);
      if (chainId !== manifest.chainId) throw new InputError(`${manifestPath(network, args.manifests)} is for chain ${manifest.chainId}, but network ${network} is chain ${chainId}`);
      return { manifest, provider };
    }));
    const { lines, warnings } = await crossChainStatus(chains);
    for (const l of [...lines, ...warnings]) console.log(l);
    if (!warnings.length) console.log("the chains' schedules agree");
  }, { hre });
}
