/**
 * Helpers for local chains: in-process networks, local development nodes, and their clocks.
 */
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Clock, Connection } from "../core/types.js";
import { isLoopbackUrl } from "../core/validate.js";
import { MULTICALL3_ADDRESS } from "../core/multicall.js";

/**
 * Places the runtime code of contracts/devnet/Multicall3.sol at its canonical address on a local
 * chain (`hardhat_setCode`), where real chains have it: the devnet's nodes and `npm start`'s
 * in-process chains, for the keeper's and the app's batched reads.
 */
export async function placeMulticall3(artifacts: { readArtifact(name: string): Promise<{ deployedBytecode: string }> }, conn: Connection): Promise<void> {
  const { deployedBytecode } = await artifacts.readArtifact("Multicall3");
  await conn.provider.request({ method: "hardhat_setCode", params: [MULTICALL3_ADDRESS, deployedBytecode] });
}

/** A Clock backed by Hardhat's network helpers (evm_setNextBlockTimestamp + mine). */
export function localClock(conn: Connection): Clock {
  const time = conn.networkHelpers.time;
  return {
    async increaseTo(timestamp) {
      const now = await time.latest();
      if (BigInt(timestamp) > BigInt(now)) await time.increaseTo(timestamp);
    },
    latest: () => time.latest(),
  };
}

/**
 * An in-process simulated chain (EDR, not forked): nothing on it is real, whatever chain id it
 * was created with, so mock assets and feeds may be deployed there (`npm start` simulates
 * Conflux eSpace, BNB Chain and HECO under their own chain ids).
 */
export function isSimulatedNetwork(conn: Connection): boolean {
  const c = conn.networkConfig;
  return c.type === "edr-simulated" && !c.forking?.enabled;
}

/**
 * A development node on this machine: an HTTP network whose URL is on the loopback interface and
 * whose node says it is Hardhat's (`web3_clientVersion` "HardhatNetwork/…"), as `npx hardhat node`
 * and the devnet's chains are. Nothing on it is real, whatever its chain id, so mock assets and
 * feeds may be deployed there. A real chain's RPC reached through a local proxy answers with its
 * own client (Geth, Erigon, …) and is not one.
 */
export async function isLocalDevNode(conn: Connection): Promise<boolean> {
  const c = conn.networkConfig;
  if (c.type !== "http") return false;
  if (!isLoopbackUrl(await c.url.getUrl())) return false;
  const client = await conn.provider.request({ method: "web3_clientVersion" }).catch(() => "");
  return typeof client === "string" && client.startsWith("HardhatNetwork/");
}

/**
 * Options for every Ignition deployment of `deployFlux`. On a local development node each
 * deployment gets a fresh journal, `ignition/deployments/devnode-<chain id>-<node instance>-<block>`
 * (ignored by git), and journals of earlier node instances under that chain id are removed: a
 * restarted node is a new chain under the same id, and every deployment there deploys new mock
 * assets, so Ignition must neither resume nor reconcile against an older journal. Elsewhere Ignition
 * keeps its default journal, `chain-<chain id>`, so a deployment to a real chain resumes where it
 * stopped.
 */
export async function ignitionRunOptions(conn: Connection): Promise<{ displayUi: false; deploymentId?: string }> {
  if (!(await isLocalDevNode(conn))) return { displayUi: false };
  const meta = (await conn.provider.request({ method: "hardhat_metadata" })) as { chainId: number; instanceId: string; latestBlockNumber: number };
  const node = `devnode-${meta.chainId}-${meta.instanceId.slice(2, 14)}`;
  const root = path.join("ignition", "deployments");
  for (const dir of await readdir(root).catch(() => [] as string[])) {
    if (dir.startsWith(`devnode-${meta.chainId}-`) && !dir.startsWith(`${node}-`)) await rm(path.join(root, dir), { recursive: true, force: true });
  }
  return { displayUi: false, deploymentId: `${node}-${meta.latestBlockNumber}` };
}

/**
 * Brings several local chains (each with its own clock) to one timestamp: `{ at }`, or
 * `{ after }` seconds after the newest block of them all (default: one second). Each chain mines
 * a block at exactly that time (unless its latest block already has it). Returns the timestamp.
 */
export async function syncClocks(
  conns: readonly Connection[],
  target: { at: number } | { after: number } = { after: 1 },
): Promise<number> {
  const latest = await Promise.all(conns.map((c) => c.networkHelpers.time.latest()));
  const newest = Math.max(...latest);
  const at = "at" in target ? target.at : newest + target.after;
  if (at < newest) throw new Error(`cannot bring the chains back to ${at}: one is already at ${newest}`);
  for (const [i, c] of conns.entries()) {
    if (latest[i]! < at) await c.networkHelpers.time.increaseTo(at);
  }
  return at;
}
