/** `snapshot space --networks a,b,c [--out f] [--publish --space id]`. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { required, runCommand } from "../../src/core/command.js";
import { networkNames, spaceFromManifests } from "../../src/snapshot/commands.js";
import { SnapshotHub } from "../../src/snapshot/client.js";
import { toJson, writeFileAtomic } from "../../src/core/fs.js";

interface Args { networks: string; spaceNetwork: number; name: string; quorum: string; threshold: string; out: string; manifests: string; space: string; publish: boolean; hub: string }

export default async function (args: Args, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    const { settings, warnings } = await spaceFromManifests({
      networks: networkNames(hre, required(args.networks, "networks")),
      spaceChainId: args.spaceNetwork,
      name: args.name,
      quorum: args.quorum,
      threshold: args.threshold,
      manifestDir: args.manifests,
    });
    for (const w of warnings) console.error(`warning: ${w}`);
    if (args.publish) {
      const space = required(args.space, "space");
      const [signer] = await (await hre.network.create()).ethers.getSigners();
      await new SnapshotHub(args.hub || undefined).setSpace(signer!, space, { ...settings, admins: [signer!.address] });
      console.error(`settings of ${space} published`);
    }
    if (args.out) await writeFileAtomic(args.out, toJson(settings));
    else process.stdout.write(toJson(settings));
  }, { artifacts: hre.artifacts });
}
