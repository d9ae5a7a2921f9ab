/**
 * The deployment manifest, `deployments/<network>.json`: the surface that scripts, tests and
 * pages use to find a chain's contracts. Written atomically; read back through a schema.
 *
 * Format (version 1):
 * {
 *   "version": 1, "network": "conflux", "chainId": 1030,
 *   "block": 123, "timestamp": 1700000000, "deployer": "0x…",
 *   "contracts": { "token": "0x…", "governor": "0x…", "timelock": "0x…", … },
 *   "genesis": { "treasury": "<wei>", "allocations": [{ "account": "0x…", "amount": "<wei>", "deployer": true }] },
 *   "implementations": { "token": "0x…", … },
 *   "markets": { "USDT": { "market": "0x…", "asset": "0x…", "feed": "0x…", "decimals": 6 }, … }
 * }
 * With markets, `contracts` also names `controller`, `oracle` and `marketBeacon`, and
 * `riskSteward` when a risk council is configured (optional: manifests written before the steward
 * became a contract have none, and still parse); with emissions,
 * `emissionSchedule` and `rewardsDistributor`, and `scheduleChainId` is this chain's id in the schedule.
 * `implementations` names the proxies' implementations only: the rewards distributor is a plain
 * contract (not upgradeable), so it has none (manifests written while it was a proxy may still list
 * `implementations.rewardsDistributor`, and still parse). Replacing the distributor rewrites
 * `contracts.rewardsDistributor` to the successor.
 * Later capabilities add names to `contracts` (markets controller, each market, oracle, emission
 * schedule, rewards distributor); names are camelCase and never reused for another contract.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { nonEmpty, toJson, writeFileAtomic } from "../core/fs.js";
import { parseWith } from "../core/validate.js";
import { InputError } from "../core/errors.js";
import { address, uintString } from "../core/schemas.js";

export const manifestSchema = z.object({
  version: z.literal(1),
  network: z.string().min(1),
  chainId: z.number().int().positive(),
  block: z.number().int().nonnegative(),
  timestamp: z.number().int().nonnegative(),
  deployer: address,
  contracts: z
    .object({ token: address, governor: address, timelock: address })
    .catchall(address),
  /**
   * What the token minted at initialization, wei as decimal strings: the treasury (to the
   * Timelock) and each allocation; `deployer` marks the genesis float given to the deploying
   * account, which distributes it to the initial holders. Absent in manifests written before it.
   */
  genesis: z
    .object({
      treasury: uintString,
      allocations: z.array(z.object({ account: address, amount: uintString, deployer: z.boolean() })),
    })
    .optional(),
  implementations: z.record(z.string(), address),
  /** This chain's id in the emission schedule (present once emissions are deployed). */
  scheduleChainId: z.number().int().positive().optional(),
  /** Lending markets by symbol (present once markets are deployed). */
  markets: z
    .record(
      z.string(),
      z.object({ market: address, asset: address, feed: address, decimals: z.number().int().min(0).max(36) }),
    )
    .optional(),
});

export type Manifest = z.output<typeof manifestSchema>;

export const DEPLOYMENTS_DIR = "deployments";

export function manifestPath(network: string, dir = DEPLOYMENTS_DIR): string {
  return path.join(dir, `${network}.json`);
}

/** Validates and writes the manifest atomically; returns the file path. */
export async function writeManifest(manifest: Manifest, dir = DEPLOYMENTS_DIR): Promise<string> {
  const file = manifestPath(manifest.network, dir);
  parseWith(manifestSchema, manifest, file);
  await writeFileAtomic(file, toJson(manifest));
  return file;
}

/** Reads and validates a manifest. */
export async function readManifest(network: string, dir = DEPLOYMENTS_DIR): Promise<Manifest> {
  const file = manifestPath(network, dir);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new InputError(`${file}: cannot read manifest (${(e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(nonEmpty(text, file));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${file}: cannot read manifest (${(e as Error).message})`);
  }
  return parseWith(manifestSchema, json, file);
}

/**
 * Every manifest in `dir` with the network its file is named for (`<network>.json`, sorted by
 * name), each read and validated once. An unreadable directory is an InputError naming it.
 */
export async function readManifests(dir = DEPLOYMENTS_DIR): Promise<{ network: string; manifest: Manifest }[]> {
  const files = await readdir(dir).catch((e: Error) => {
    throw new InputError(`--manifests: cannot read ${dir} (${e.message})`);
  });
  const names = files.filter((f) => f.endsWith(".json")).sort().map((f) => path.basename(f, ".json"));
  return Promise.all(names.map(async (network) => ({ network, manifest: await readManifest(network, dir) })));
}
