/** `snapshot propose <file> --space <id> [--proposer <address>] --network <space network>`. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { required, runCommand } from "../../src/core/command.js";
import { loadProposal } from "../../src/proposals/load.js";
import { exportProposal, type TallyExport } from "../../src/proposals/run.js";
import { SnapshotHub } from "../../src/snapshot/client.js";
import { createSignal } from "../../src/snapshot/signal.js";
import { InputError } from "../../src/core/errors.js";

export default async function (args: { file: string; space: string; proposer: string; manifests: string; hub: string }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    const space = required(args.space, "space");
    const p = await loadProposal(args.file);
    const conn = await hre.network.create();
    const [signer] = await conn.ethers.getSigners();
    if (!signer) throw new InputError(`no account configured for ${conn.networkName}`);
    const exported = await exportProposal(hre, p, { proposer: args.proposer || signer.address, manifestDir: args.manifests });
    const exports: TallyExport[] = "targets" in exported ? [exported as TallyExport] : Object.values(exported);
    const r = await createSignal(new SnapshotHub(args.hub || undefined), signer!, {
      space, title: p.title, exports, snapshot: await conn.ethers.provider.getBlockNumber(),
    });
    console.log(`Snapshot proposal ${r.id}: voting ${new Date(r.start * 1000).toISOString()} → ${new Date(r.end * 1000).toISOString()}`);
  }, { artifacts: hre.artifacts });
}
