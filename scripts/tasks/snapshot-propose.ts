/** `snapshot propose <file> --space <id> --network <space network>`. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { required, runCommand } from "../../src/util/command.js";
import { loadProposal } from "../../src/proposals/load.js";
import { exportProposal, type TallyExport } from "../../src/proposals/run.js";
import { SnapshotHub } from "../../src/snapshot/client.js";
import { createSignal } from "../../src/snapshot/signal.js";

export default async function (args: { file: string; space: string; manifests: string; hub: string }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    const space = required(args.space, "space");
    const p = await loadProposal(args.file);
    const exported = await exportProposal(hre, p, args.manifests);
    const exports: TallyExport[] = "targets" in exported ? [exported as TallyExport] : Object.values(exported);
    const conn = await hre.network.create();
    const [signer] = await conn.ethers.getSigners();
    const r = await createSignal(new SnapshotHub(args.hub || undefined), signer!, {
      space, title: p.title, exports, snapshot: await conn.ethers.provider.getBlockNumber(),
    });
    console.log(`Snapshot proposal ${r.id}: voting ${new Date(r.start * 1000).toISOString()} → ${new Date(r.end * 1000).toISOString()}`);
  });
}
