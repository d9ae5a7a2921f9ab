/** `proposal from-snapshot <id | latest> [--space id] --networks a,b,c [--proposal file] --network <chain to propose on>`. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { required, runCommand } from "../../src/core/command.js";
import { readManifest } from "../../src/manifest/index.js";
import { loadProposal } from "../../src/proposals/load.js";
import { proposeFromSnapshot } from "../../src/snapshot/from-snapshot.js";
import { connectChains, networkNames, resolveProposalId } from "../../src/snapshot/commands.js";
import { SnapshotHub } from "../../src/snapshot/client.js";

export default async function (args: { id: string; space: string; networks: string; proposal: string; manifests: string; hub: string; from: string; unsigned: string }, hre: HardhatRuntimeEnvironment) {
  await runCommand(async () => {
    const hub = new SnapshotHub(args.hub || undefined);
    const { id, line } = await resolveProposalId(hub, args.id, args.space || undefined);
    if (line) console.log(line);
    const { providers } = await connectChains(hre, networkNames(hre, required(args.networks, "networks")));
    const conn = await hre.network.create();
    const r = await proposeFromSnapshot({
      hre, conn, manifest: await readManifest(conn.networkName, args.manifests), hub, id, providers,
      module: args.proposal ? await loadProposal(args.proposal) : undefined,
      from: args.from || undefined, unsigned: args.unsigned || undefined, log: console.log,
    });
    console.log(r.unsigned
      ? `Snapshot ${id} passed (recounted from the chains); ${r.unsigned}`
      : `Snapshot ${id} passed (recounted from the chains); proposed on ${conn.networkName}: id ${r.proposalId} in tx ${r.tx}`);
  }, { hre });
}
