/**
 * What `npx hardhat snapshot <space|propose|vote|tally>` and `proposal from-snapshot` do, as
 * functions of validated input; the task files in scripts/tasks/ only parse options and print.
 *
 * Chains are named by their Hardhat network names (`--networks conflux,bsc,heco`); each must be
 * configured, and its deployment manifest names its chain id and FLUX token.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { Provider } from "ethers";
import { loadDeployConfig } from "../deploy/config.js";
import { DEPLOYMENTS_DIR, readManifest } from "../manifest/index.js";
import { parseUnitsStrict } from "../core/amounts.js";
import { toScore } from "./power.js";
import { buildSpaceSettings, SIGNAL_CHOICES, type SpaceSettings } from "./settings.js";
import { InputError } from "../core/errors.js";
import type { Connection } from "../core/types.js";
import type { SnapshotHub } from "./client.js";

/** `--networks a,b,c` → names, each a configured Hardhat network. */
export function networkNames(hre: HardhatRuntimeEnvironment, list: string): string[] {
  const names = list.split(",").map((s) => s.trim()).filter(Boolean);
  if (!names.length) throw new InputError("--networks: name at least one network (e.g. conflux,bsc,heco)");
  const known = Object.keys(hre.config.networks);
  for (const n of names) if (!known.includes(n)) throw new InputError(`--networks: no network "${n}" in hardhat.config.ts (configured: ${known.join(", ")})`);
  if (new Set(names).size !== names.length) throw new InputError(`--networks: a network is named twice`);
  return names;
}

/** Connects to each named network: RPC provider per chain id. */
export async function connectChains(hre: HardhatRuntimeEnvironment, names: string[]): Promise<{ providers: Record<number, Provider>; conns: Record<string, Connection> }> {
  const providers: Record<number, Provider> = {};
  const conns: Record<string, Connection> = {};
  for (const name of names) {
    const conn = await hre.network.create(name);
    const chainId = Number((await conn.ethers.provider.getNetwork()).chainId);
    if (providers[chainId]) throw new InputError(`--networks: two networks have chain id ${chainId}`);
    providers[chainId] = conn.ethers.provider;
    conns[name] = conn;
  }
  return { providers, conns };
}

/** A whole number of FLUX (quorum, threshold) as Snapshot's float score. */
function fluxOption(text: string, name: string): number {
  try {
    return toScore(parseUnitsStrict(text, 18));
  } catch (e) {
    throw new InputError(`--${name}: ${(e as Error).message}`);
  }
}

/**
 * The space settings for the deployments of `networks` (their manifests give chain ids and FLUX
 * tokens). Voting delay and period are the on-chain Governor's, from the space network's
 * deployment config, so both paths give holders the same time to vote.
 */
export async function spaceFromManifests(opts: {
  networks: string[];
  spaceChainId: number;
  name: string;
  quorum: string;
  threshold: string;
  admins?: string[];
  manifestDir?: string;
}): Promise<{ settings: SpaceSettings; warnings: string[] }> {
  const manifests = await Promise.all(opts.networks.map((n) => readManifest(n, opts.manifestDir ?? DEPLOYMENTS_DIR)));
  const space = manifests.find((m) => m.chainId === opts.spaceChainId);
  if (!space) throw new InputError(`--space-network: chain ${opts.spaceChainId} is not one of the deployments (${manifests.map((m) => `${m.network}: ${m.chainId}`).join(", ")})`);
  const gov = (await loadDeployConfig(space.network)).governor;
  return buildSpaceSettings(
    {
      name: opts.name,
      network: opts.spaceChainId,
      chains: manifests.map((m) => ({ chainId: m.chainId, token: m.contracts.token })),
      votingDelay: gov.votingDelay,
      votingPeriod: gov.votingPeriod,
      quorum: fluxOption(opts.quorum, "quorum"),
      proposalThreshold: fluxOption(opts.threshold, "threshold"),
      admins: opts.admins ?? [],
    },
    "space settings",
  );
}

/** `for|against|abstain` (any case) → Snapshot's 1-based choice. */
export function parseChoice(text: string): number {
  const i = SIGNAL_CHOICES.findIndex((c) => c.toLowerCase() === text.toLowerCase());
  if (i < 0) throw new InputError(`choice "${text}": expected one of ${SIGNAL_CHOICES.join(", ").toLowerCase()}`);
  return i + 1;
}

/**
 * The proposal a command names: a Snapshot proposal id, or `latest`, the newest proposal of
 * `space` on `hub` (so a script can vote on, tally or propose what it just opened without
 * copying its id). Returns the id and, for `latest`, a line saying which proposal it is.
 */
export async function resolveProposalId(hub: SnapshotHub, text: string, space: string | undefined): Promise<{ id: string; line?: string }> {
  if (text !== "latest") return { id: parseProposalId(text) };
  if (!space) throw new InputError(`proposal "latest": give --space, the space whose newest proposal it is`);
  const p = await hub.latestProposal(space);
  return { id: parseProposalId(p.id), line: `latest proposal of ${space}: ${p.id} "${p.title}" (${p.state})` };
}

/** A Snapshot proposal id: 0x + 32 bytes (the signed message's hash). */
export function parseProposalId(text: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(text)) throw new InputError(`proposal id "${text}": expected 0x followed by 64 hex digits`);
  return text.toLowerCase();
}
