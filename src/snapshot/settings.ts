/**
 * The FLUX Snapshot space's settings, generated from the deployment manifests so the token
 * addresses are never typed by hand. Voting power is FLUX *delegated votes* (ERC-5805
 * `getVotes`, the `erc20-votes` strategy) on every chain, summed by the `multichain` strategy: the
 * same power a holder has in each chain's Governor, so an off-chain signal and an on-chain vote
 * weigh holders alike. The result is validated with snapshot.js's own space schema.
 *
 * Two facts about Snapshot's network list (snapshot.js 0.17.5 `networks.json`) shape this:
 * - BNB Chain (56) is listed; Conflux eSpace (1030) and HECO (128) are not. The space's own
 *   `network` must be a listed one (the schema refuses others), so the default space network is
 *   BNB Chain: proposals take their snapshot block there, and the other chains' blocks are found by
 *   timestamp, as the multichain strategy does.
 * - Sub-strategies on unlisted networks pass the schema (params are free-form), but Snapshot's
 *   hosted score API has no RPC for them. `warnings` says so, and `snapshot tally` computes the
 *   result from our own RPCs, which is why it exists.
 */
import { z } from "zod";
import { parseWith } from "../core/validate.js";
import { packageJson, schemaErrors } from "./sdk.js";
import { InputError } from "../core/errors.js";
import { address, tokenSymbol } from "../core/schemas.js";

/** Choices of a FLUX signal vote, in the order the Governor numbers support (For = 1 in Snapshot). */
export const SIGNAL_CHOICES = ["For", "Against", "Abstain"] as const;

export const spaceInputSchema = z.object({
  /** Display name (≤ 32 characters). */
  name: z.string().min(1).max(32),
  /** The space's network: where proposal snapshot blocks are taken. */
  network: z.number().int().positive(),
  symbol: tokenSymbol.default("FLUX"),
  /** The FLUX token on each chain. */
  chains: z.array(z.object({ chainId: z.number().int().positive(), token: address })).min(1).max(16),
  /** Seconds between a proposal's creation and the start of voting. */
  votingDelay: z.number().int().min(0).max(2_592_000),
  /** Seconds of voting. */
  votingPeriod: z.number().int().min(3600).max(31_622_400),
  /** Votes (FLUX) that must be cast in total for a result to count. */
  quorum: z.number().nonnegative(),
  /** Votes (FLUX) an author needs to create a proposal (the `basic` validation's minScore). */
  proposalThreshold: z.number().nonnegative(),
  admins: z.array(address).max(100).default([]),
  about: z.string().max(160).default(""),
});
export type SpaceInput = z.input<typeof spaceInputSchema>;

export interface Strategy {
  name: string;
  network: string;
  params: Record<string, unknown>;
}

export interface SpaceSettings {
  name: string;
  about: string;
  network: string;
  symbol: string;
  strategies: Strategy[];
  admins: string[];
  moderators: string[];
  members: string[];
  filters: { minScore: number; onlyMembers: boolean };
  validation: { name: "basic"; params: { minScore: number } };
  voting: { delay: number; period: number; type: "single-choice"; quorum: number; hideAbstain: boolean };
  plugins: Record<string, unknown>;
  private: boolean;
}

let listed: Set<string> | undefined;
/** Chain ids Snapshot lists (snapshot.js's src/networks.json, the list its schema checks `network` against). */
export function snapshotNetworks(): Set<string> {
  listed ??= new Set(Object.keys(packageJson("src/networks.json") as object));
  return listed;
}

/** The settings for `input`, validated by snapshot.js's schema; `warnings` lists what Snapshot's hosted services cannot serve. */
export function buildSpaceSettings(raw: SpaceInput, where = "space settings"): { settings: SpaceSettings; warnings: string[] } {
  const input = parseWith(spaceInputSchema, raw, where);
  const ids = input.chains.map((c) => c.chainId);
  if (new Set(ids).size !== ids.length) throw new InputError(`${where}: chains: chain ${ids.find((x, i) => ids.indexOf(x) !== i)} appears twice`);
  if (!ids.includes(input.network)) throw new InputError(`${where}: network: ${input.network} is not one of the chains (${ids.join(", ")})`);
  const settings: SpaceSettings = {
    name: input.name,
    about: input.about,
    network: String(input.network),
    symbol: input.symbol,
    strategies: [
      {
        name: "multichain",
        network: String(input.network),
        params: {
          symbol: input.symbol,
          strategies: input.chains.map((c) => ({
            name: "erc20-votes",
            network: String(c.chainId),
            params: { address: c.token, symbol: input.symbol, decimals: 18 },
          })),
        },
      },
    ],
    admins: input.admins,
    moderators: [],
    members: [],
    filters: { minScore: input.proposalThreshold, onlyMembers: false },
    validation: { name: "basic", params: { minScore: input.proposalThreshold } },
    voting: { delay: input.votingDelay, period: input.votingPeriod, type: "single-choice", quorum: input.quorum, hideAbstain: false },
    plugins: {},
    private: false,
  };
  validateSpaceSettings(settings, where);
  const listed = snapshotNetworks();
  const warnings = ids
    .filter((id) => !listed.has(String(id)))
    .map((id) => `chain ${id} is not in Snapshot's network list: Snapshot's hosted score API cannot count its votes; use \`snapshot tally\` with your own RPC`);
  return { settings, warnings };
}

/** Throws an InputError listing every schema violation (snapshot.js's space schema). */
export function validateSpaceSettings(settings: unknown, where = "space settings"): void {
  const errors = schemaErrors("space", settings);
  if (errors.length) throw new InputError(errors.map((e) => `${where}: ${e}`).join("\n"));
}

/** The `erc20-votes` sub-strategies of a space's multichain strategy: chain id → token. */
export function votesStrategyChains(strategies: Strategy[]): { chainId: number; token: string }[] {
  const out: { chainId: number; token: string }[] = [];
  for (const s of strategies) {
    const subs = s.name === "multichain" ? ((s.params.strategies ?? []) as Strategy[]) : [s];
    for (const sub of subs) {
      if (sub.name !== "erc20-votes") throw new InputError(`strategy "${sub.name}" is not supported: FLUX spaces count erc20-votes (delegated votes)`);
      const token = sub.params.address;
      if (typeof token !== "string") throw new InputError(`strategy erc20-votes on ${sub.network}: params.address is missing`);
      out.push({ chainId: Number(sub.network), token });
    }
  }
  return out;
}
