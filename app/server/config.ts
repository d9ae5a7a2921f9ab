/**
 * Builds the app's `flux-app.json` (app/src/config.ts) from deployment manifests, and finds the
 * proof files of a root among local epoch directories. Used by the Vite plugin (app/vite.config.ts)
 * for `npm run app` and `npm run app:build`; not part of the page.
 *
 * Without `FLUX_APP_CONFIG`, the config is the devnet's: its three chains with their RPCs on
 * 127.0.0.1 and `deployments/devnet-*.json`, proofs served by the dev server from `epochs/`.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { DEVNET } from "../../local/devnet-chains.js";
import { readManifest, type Manifest } from "../../src/manifest/index.js";
import { InputError } from "../../src/core/errors.js";
import { parseWith } from "../../src/core/validate.js";
import { parseAppConfig, type AppConfig, type ChainConfig } from "../src/config.js";

/** One chain of the app: its deployment and how the page reaches it. */
export interface AppChain {
  network: string;
  name: string;
  rpc: string;
  nativeSymbol: string;
  tally?: string;
  explorer?: string;
}

/** The chain entry of `flux-app.json` for a deployment manifest. */
export function chainFromManifest(m: Manifest, c: AppChain): ChainConfig {
  const markets = Object.fromEntries(Object.entries(m.markets ?? {}).map(([symbol, x]) => [symbol, { market: x.market, asset: x.asset, feed: x.feed, decimals: x.decimals }]));
  const { token, governor, timelock, controller, oracle, emissionSchedule, rewardsDistributor } = m.contracts;
  return {
    network: m.network,
    name: c.name,
    chainId: m.chainId,
    rpc: c.rpc,
    nativeCurrency: { name: c.nativeSymbol, symbol: c.nativeSymbol, decimals: 18 },
    explorer: c.explorer,
    tally: c.tally,
    deployBlock: m.block,
    contracts: { token, governor, timelock, controller, oracle, emissionSchedule, rewardsDistributor },
    scheduleChainId: m.scheduleChainId,
    markets,
  };
}

const NATIVE: Record<number, string> = { 1030: "CFX", 56: "BNB", 128: "HT" };

/** The devnet's config: its chains' manifests in `manifestDir`, proofs under `/proofs`. */
export async function devnetAppConfig(manifestDir = "deployments"): Promise<AppConfig> {
  const chains: ChainConfig[] = [];
  for (const c of DEVNET.chains) {
    const m = await readManifest(c.network, manifestDir).catch((e: unknown) => {
      throw new InputError(`the app shows the devnet, but ${c.network} has no manifest (start it first: npm run devnet): ${(e as Error).message}`);
    });
    chains.push(chainFromManifest(m, { network: c.network, name: c.label, rpc: `http://127.0.0.1:${c.port}`, nativeSymbol: NATIVE[c.chainId] ?? "ETH", tally: `https://www.tally.xyz/gov/flux-${c.network}` }));
  }
  return parseAppConfig({ version: 1, proofs: "/proofs", chains }, "devnet app config");
}

/** `FLUX_APP_CONFIG=<file>` if set, else the devnet's config. */
export async function loadAppConfig(file = process.env.FLUX_APP_CONFIG): Promise<AppConfig> {
  if (!file) return devnetAppConfig();
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new InputError(`FLUX_APP_CONFIG ${file}: cannot read (${(e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`FLUX_APP_CONFIG ${file}: not JSON (${(e as Error).message})`);
  }
  return parseAppConfig(json, file);
}

/** What findTreeDir needs of an epoch.json (src/emissions/epoch.ts writes the chain id and the root there). */
const epochFile = z.object({ chainId: z.number().int().positive(), root: z.string().regex(/^0x[0-9a-fA-F]{64}$/) });

/**
 * The local directory holding the tree of `root` on `chainId` under `dir` (an `epochs/` tree of
 * `emissions build` outputs, `<network>/<n>/`, each with its epoch.json), or undefined.
 */
export async function findTreeDir(dir: string, chainId: number, root: string): Promise<string | undefined> {
  let networks: string[];
  try {
    networks = await readdir(dir);
  } catch {
    return undefined;
  }
  for (const network of networks) {
    const epochs = await readdir(path.join(dir, network)).catch(() => [] as string[]);
    for (const e of epochs) {
      const d = path.join(dir, network, e);
      try {
        const ep = parseWith(epochFile, JSON.parse(await readFile(path.join(d, "epoch.json"), "utf8")), "epoch.json");
        if (ep.root.toLowerCase() === root.toLowerCase() && ep.chainId === chainId) return d;
      } catch {
        // not a tree directory: skip it
      }
    }
  }
  return undefined;
}
