/**
 * The app's runtime configuration, `flux-app.json`, fetched beside the page: which chains to show,
 * how to reach them, where their contracts are (from the deployment manifests) and where the
 * proof files are. It is a separate file, not compiled into the bundle, so one static build serves
 * any deployment: an operator edits `flux-app.json` on the host (or builds with
 * `FLUX_APP_CONFIG=<file>`) without rebuilding.
 *
 * Proof files of chain `c` for root `r` (0x-prefixed, lowercase) are read from
 * `<proofs>/<c>/<r>/` (the `proofs/` directory of the tree `emissions build` or `emissions tree`
 * wrote, see docs/formats.md); `proofs` is a URL, absolute or relative to the page.
 */
import { z } from "zod";
import { parseWith } from "../../src/core/validate.js";
import { address } from "../../src/core/schemas.js";
import { MULTICALL3_ADDRESS } from "../../src/core/multicall.js";

const url = z.string().min(1).refine((u) => /^(https?:\/\/|\/|\.\/|\.\.\/)/.test(u), { message: "an http(s) URL or a path" });

export const marketEntrySchema = z.object({ market: address, asset: address, feed: address.optional(), decimals: z.number().int().min(0).max(36) });

export const chainConfigSchema = z.object({
  /** Hardhat network name of the deployment (its manifest's `network`). */
  network: z.string().min(1),
  /** What a person calls the chain ("BNB Chain"). */
  name: z.string().min(1),
  chainId: z.number().int().positive(),
  /** JSON-RPC endpoint the page reads through (the wallet is used only to sign). */
  rpc: url,
  nativeCurrency: z.object({ name: z.string(), symbol: z.string(), decimals: z.literal(18) }),
  /** Block explorer, for links to transactions; optional. */
  explorer: url.optional(),
  /** The organisation's page on Tally for this chain's Governor (proposal links: `<tally>/proposal/<id>`). */
  tally: z.string().url().optional(),
  /** The block of the deployment: event scans start here. */
  deployBlock: z.number().int().nonnegative(),
  contracts: z.object({
    token: address,
    governor: address,
    timelock: address,
    controller: address.optional(),
    oracle: address.optional(),
    emissionSchedule: address.optional(),
    rewardsDistributor: address.optional(),
  }),
  /** Chain id the emission schedule knows this chain by (defaults to chainId). */
  scheduleChainId: z.number().int().positive().optional(),
  markets: z.record(z.string(), marketEntrySchema),
});
export type ChainConfig = z.output<typeof chainConfigSchema>;

export const appConfigSchema = z.object({
  version: z.literal(1),
  proofs: url,
  /** Multicall3 (the same canonical address on every chain that has it). */
  multicall: address.default(MULTICALL3_ADDRESS),
  chains: z.array(chainConfigSchema).min(1),
}).superRefine((c, ctx) => {
  const ids = c.chains.map((x) => x.chainId);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) ctx.addIssue({ code: "custom", path: ["chains"], message: `chain ${twice} appears twice` });
});
export type AppConfig = z.output<typeof appConfigSchema>;

/** Parses `flux-app.json` (what `where` names in the one-line error). */
export function parseAppConfig(json: unknown, where = "flux-app.json"): AppConfig {
  return parseWith(appConfigSchema, json, where);
}

/** The base URL of the proof files of `root` on `chainId` (ends with `/`). */
export function proofsUrl(config: Pick<AppConfig, "proofs">, chainId: number, root: string): string {
  return `${config.proofs.replace(/\/+$/, "")}/${chainId}/${root.toLowerCase()}/`;
}
