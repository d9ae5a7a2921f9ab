/** `snapshot space --networks a,b,c [--out f] [--publish --space id]`. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { required, runCommand } from "../../src/core/command.js";
import { networkNames, spaceFromManifests } from "../../src/snapshot/commands.js";
import { signingHub } from "../../src/snapshot/signing.js";
import { toJson, writeFileAtomic } from "../../src/core/fs.js";

interface Args { networks: string; spaceNetwork: number; name: string; quorum: string; threshold: string; out: string; manifests: string; space: string; publish: boolean; hub: string; from: string }

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
      const { hub, signer, address, line, timestamp } = await signingHub({ hre, conn: await hre.network.create(), role: "proposer", hub: args.hub, from: args.from || undefined });
      console.error(line);
      await hub.setSpace(signer, space, { ...settings, admins: [address] }, timestamp);
      console.error(`settings of ${space} published`);
    }
    if (args.out) await writeFileAtomic(args.out, toJson(settings));
    else process.stdout.write(toJson(settings));
  }, { hre });
}
