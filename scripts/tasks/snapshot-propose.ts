/** `snapshot propose <file> --space <id> --hub <url> [--from <address or variable>] [--proposer <address>] --network <space network>`. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { required, runCommand } from "../../src/core/command.js";
import { loadProposal } from "../../src/proposals/load.js";
import { exportProposal, type TallyExport } from "../../src/proposals/run.js";
import { createSignal } from "../../src/snapshot/signal.js";
import { signingHub } from "../../src/snapshot/signing.js";

export default async function (args: { file: string; space: string; proposer: string; manifests: string; hub: string; from: string }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    const space = required(args.space, "space");
    const p = await loadProposal(args.file);
    const conn = await hre.network.create();
    const { hub, signer, address, line, timestamp } = await signingHub({ hre, conn, role: "proposer", hub: args.hub, from: args.from || undefined });
    const exported = await exportProposal(hre, p, { proposer: args.proposer || address, manifestDir: args.manifests });
    const exports: TallyExport[] = "targets" in exported ? [exported as TallyExport] : Object.values(exported);
    console.log(line);
    const r = await createSignal(hub, signer, {
      space, title: p.title, exports, snapshot: await conn.ethers.provider.getBlockNumber(), timestamp,
    });
    console.log(`Snapshot proposal ${r.id}: voting ${new Date(r.start * 1000).toISOString()} → ${new Date(r.end * 1000).toISOString()}`);
  }, { hre });
}
