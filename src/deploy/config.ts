/**
 * The typed, validated deployment config of one network: `ignition/config/<network>.json`.
 * Every value is checked here, before any transaction, and a bad one fails with a message that
 * names the file and the field.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { quorumOf } from "../governance/quorum.js";
import { parseWith } from "../core/validate.js";
import { DAY_SECONDS, WEIGHT_TOTAL } from "../emissions/schedule.js";
import { InputError } from "../core/errors.js";
import { nonEmpty } from "../core/fs.js";
import { address, bps, decimalString, fluxAmount, marketSymbol, tokenSymbol, wadFraction } from "../core/schemas.js";
import { formatFlux } from "../core/format.js";

/** An allocation's `account` naming the deploying account, resolved at deployment. */
export const DEPLOYER = "deployer";

const seconds = (max: number) => z.number().int().nonnegative().max(max);

/** A cap in whole tokens (decimal string), or "unlimited". Converted with the asset's decimals at deployment. */
const cap = z.union([z.literal("unlimited"), decimalString]);

/**
 * A deployed contract's address, either bare or with the public source it was taken from
 * (`{ "address": "0x…", "source": "https://…" }`): the source is documentation for the reader of
 * the config and is dropped after validation.
 */
const sourcedAddress = z.union([
  address,
  z.strictObject({ address, source: z.string().min(1) }).transform((v) => v.address),
]);

/** A market's asset: a deployed ERC-20, or (local networks) a mock token deployed with the markets. */
const assetSpec = z.union([sourcedAddress, z.object({ mock: z.object({ name: z.string().min(1), decimals: z.number().int().min(0).max(36) }) })]);

/**
 * A market's feed that does not exist: the chain has no AggregatorV3 feed for the asset, and the
 * text says why. The config still describes the market (its real asset, its parameters), but a
 * deployment is refused before any transaction, with this reason, until the market is removed
 * or given a feed ({@link undeployableMarkets}).
 */
export const unavailableFeed = z.strictObject({ unavailable: z.string().min(1) });
export type UnavailableFeed = z.output<typeof unavailableFeed>;

/** A market's price feed: a deployed AggregatorV3, (local networks) a mock feed, or unavailable. */
const feedSpec = z.union([
  sourcedAddress,
  z.object({ mock: z.object({ decimals: z.number().int().min(0).max(36), price: z.string() }) }),
  unavailableFeed,
]);

export const marketSpecSchema = z.object({
  symbol: marketSymbol,
  asset: assetSpec,
  feed: feedSpec,
  /** Maximum age of a price, seconds (60 .. 2 days, checked on-chain too). */
  heartbeat: z.number().int().min(60).max(172_800),
  /** 13000 for stablecoins, 14000 for ETH/BTC. */
  collateralRatioBps: bps,
  supplyCap: cap,
  borrowCap: cap,
  rateModel: z.object({
    baseRatePerYear: wadFraction,
    slopeLowPerYear: wadFraction,
    slopeHighPerYear: wadFraction,
    kink: wadFraction,
  }),
  reserveFactorBps: bps.max(5000),
});

export const marketsConfigSchema = z.object({
  /** May pause new deposits and borrows; null for none. */
  guardian: address.nullable(),
  /**
   * The risk council: the key that may call the FluxRiskSteward contract deployed for it, which
   * may only tighten risk parameters within on-chain bounds; null for no steward.
   */
  steward: address.nullable(),
  liquidationRatioBps: bps,
  priceFactorBps: bps,
  closeFactorBps: bps,
  /** Minimum debt per market, USD (decimal string). */
  minDebtValueUsd: wadFraction,
  list: z.array(marketSpecSchema).min(1).max(16),
});

export type MarketSpec = z.output<typeof marketSpecSchema>;
export type MarketsConfig = z.output<typeof marketsConfigSchema>;

export const emissionsConfigSchema = z.object({
  /** Emission start: an ISO date-time, or "deploy" for the deployment block's time (local chains). */
  start: z.union([z.literal("deploy"), z.iso.datetime({ offset: true })]),
  /** Base emission for all chains together, FLUX per day (20000). */
  ratePerDay: fluxAmount,
  /** Daily decline of the daily rate, FLUX per day ("0" for flat). */
  declinePerDay: fluxAmount,
  /** The schedule's ids of the active chains, sharing equally at start. */
  chainIds: z.array(z.number().int().positive()).min(1).max(16),
  /** This deployment's id in the schedule (defaults to the network's chain id). */
  scheduleChainId: z.number().int().positive().optional(),
  /**
   * Submits reward roots: an address, or "deployer" for the deploying account (resolved at
   * deployment; `emissions publish` signs with the network's first account, which on the real
   * networks is the deployer's key). The Timelock can change it (`setOperator`).
   */
  operator: z.union([z.literal(DEPLOYER), address]),
  /** May revoke a pending root and pause claims; null for none. */
  guardian: address.nullable(),
  /** Seconds a root waits before it can be activated (3600 .. 604800). */
  challengeWindow: z.number().int().min(3600).max(604_800),
});

export type EmissionsConfig = z.output<typeof emissionsConfigSchema>;

export const deployConfigSchema = z
  .object({
    /** Expected chain id: deploying to another chain is refused. */
    chainId: z.number().int().positive(),
    token: z.object({
      name: z.string().min(1).max(64),
      symbol: tokenSymbol,
      /** Hard cap on supply, FLUX (decimal string). */
      maxSupply: fluxAmount,
      /**
       * Minted at initialization: `account` is an address, or "deployer" for the deploying account
       * (resolved at deployment, printed and recorded in the manifest): the genesis float, which
       * the deployer distributes to the initial holders before the first vote.
       */
      allocations: z.array(z.object({ account: z.union([z.literal(DEPLOYER), address]), amount: fluxAmount })).default([]),
      /** FLUX minted to the Timelock at initialization: the DAO's treasury, spent only by proposal. */
      treasury: fluxAmount.default(0n),
    }),
    governor: z.object({
      name: z.string().min(1).max(64),
      /** Seconds between proposal and vote start (ERC-6372 timestamp clock). */
      votingDelay: seconds(30 * DAY_SECONDS),
      /** Seconds of voting; at least one hour. */
      votingPeriod: seconds(60 * DAY_SECONDS).min(3600),
      /** FLUX of votes needed to propose. */
      proposalThreshold: fluxAmount,
      /** Quorum in percent of total supply at the snapshot. */
      quorumPercent: z.number().int().min(1).max(100),
      /** Minimum seconds of voting left after quorum is reached late. */
      lateQuorumExtension: seconds(30 * DAY_SECONDS),
      /** May cancel any proposal before execution; null for none. */
      proposalGuardian: address.nullable(),
    }),
    timelock: z.object({
      /** Seconds between queue and execution. */
      minDelay: seconds(30 * DAY_SECONDS),
    }),
    /** The lending markets of this chain (optional: governance can be deployed alone). */
    markets: marketsConfigSchema.optional(),
    /** Emission schedule and rewards distributor (optional). */
    emissions: emissionsConfigSchema.optional(),
  })
  .superRefine((cfg, ctx) => {
    const float = votableFloat(cfg.token);
    const total = initialSupply(cfg.token);
    if (cfg.token.maxSupply === 0n) {
      ctx.addIssue({ code: "custom", path: ["token", "maxSupply"], message: "must be positive" });
    }
    if (cfg.token.maxSupply >= 1n << 208n) {
      ctx.addIssue({ code: "custom", path: ["token", "maxSupply"], message: "exceeds ERC20Votes' uint208 limit" });
    }
    if (total > cfg.token.maxSupply) {
      ctx.addIssue({
        code: "custom",
        path: ["token", "allocations"],
        message: `allocations total ${total} wei exceeds maxSupply ${cfg.token.maxSupply} wei`,
      });
    }
    // Governance must be able to start: FLUX is minted after deployment only through allowances
    // that governance grants, so the holders at genesis must be able to propose and reach quorum.
    if (total === 0n) {
      ctx.addIssue({ code: "custom", path: ["token", "allocations"], message: "the initial supply is zero: nobody could ever vote (FLUX is minted later only by allowances that governance grants)" });
    } else {
      if (float < cfg.governor.proposalThreshold) {
        ctx.addIssue({ code: "custom", path: ["governor", "proposalThreshold"], message: `${formatFlux(cfg.governor.proposalThreshold)} FLUX exceeds the ${formatFlux(float)} FLUX holders can vote with at genesis (allocations other than the treasury): nobody could ever propose` });
      }
      const quorum = quorumOf(total, cfg.governor.quorumPercent);
      if (quorum > float) {
        ctx.addIssue({ code: "custom", path: ["governor", "quorumPercent"], message: `quorum at genesis, ${cfg.governor.quorumPercent}% of the ${formatFlux(total)} FLUX initial supply (treasury included) = ${formatFlux(quorum)} FLUX, exceeds the ${formatFlux(float)} FLUX holders can vote with: no proposal could ever pass` });
      }
    }
    const seen = new Set<string>();
    cfg.token.allocations.forEach((a, i) => {
      if (seen.has(a.account)) {
        ctx.addIssue({ code: "custom", path: ["token", "allocations", i, "account"], message: `duplicate account ${a.account}` });
      }
      seen.add(a.account);
    });
    if (cfg.governor.proposalThreshold > cfg.token.maxSupply) {
      ctx.addIssue({ code: "custom", path: ["governor", "proposalThreshold"], message: "exceeds maxSupply" });
    }
    if (cfg.markets) {
      const m = cfg.markets;
      if (m.liquidationRatioBps <= 10_000) {
        ctx.addIssue({ code: "custom", path: ["markets", "liquidationRatioBps"], message: "must exceed 10000 (100%)" });
      }
      if (m.priceFactorBps < 8000 || m.priceFactorBps > 9990) {
        ctx.addIssue({ code: "custom", path: ["markets", "priceFactorBps"], message: "must be within 8000..9990" });
      }
      if (m.liquidationRatioBps * m.priceFactorBps <= 100_000_000) {
        ctx.addIssue({ code: "custom", path: ["markets", "priceFactorBps"], message: "liquidationRatio x priceFactor must exceed 100%" });
      }
      if (m.closeFactorBps < 1000 || m.closeFactorBps > 10_000) {
        ctx.addIssue({ code: "custom", path: ["markets", "closeFactorBps"], message: "must be within 1000..10000" });
      }
      const symbols = new Set<string>();
      m.list.forEach((mk, i) => {
        if (mk.collateralRatioBps <= m.liquidationRatioBps || mk.collateralRatioBps > 30_000) {
          ctx.addIssue({ code: "custom", path: ["markets", "list", i, "collateralRatioBps"], message: `must be above liquidationRatioBps (${m.liquidationRatioBps}) and at most 30000` });
        }
        if (symbols.has(mk.symbol)) {
          ctx.addIssue({ code: "custom", path: ["markets", "list", i, "symbol"], message: `duplicate symbol ${mk.symbol}` });
        }
        symbols.add(mk.symbol);
        const r = mk.rateModel;
        if (r.kink < 10n ** 16n || r.kink > 99n * 10n ** 16n) {
          ctx.addIssue({ code: "custom", path: ["markets", "list", i, "rateModel", "kink"], message: "must be within 0.01..0.99" });
        }
        if (r.slopeHighPerYear < r.slopeLowPerYear) {
          ctx.addIssue({ code: "custom", path: ["markets", "list", i, "rateModel", "slopeHighPerYear"], message: "must be at least slopeLowPerYear" });
        }
      });
    }
    if (cfg.emissions) {
      const e = cfg.emissions;
      if (e.declinePerDay > e.ratePerDay) {
        ctx.addIssue({ code: "custom", path: ["emissions", "declinePerDay"], message: "exceeds ratePerDay" });
      }
      if (new Set(e.chainIds).size !== e.chainIds.length) {
        ctx.addIssue({ code: "custom", path: ["emissions", "chainIds"], message: "duplicate chain id" });
      }
      if (WEIGHT_TOTAL % BigInt(e.chainIds.length) !== 0n) {
        ctx.addIssue({ code: "custom", path: ["emissions", "chainIds"], message: "equal shares need a count dividing 4,200,000" });
      }
      const own = e.scheduleChainId ?? cfg.chainId;
      if (!e.chainIds.includes(own)) {
        ctx.addIssue({ code: "custom", path: ["emissions", "scheduleChainId"], message: `chain ${own} is not in emissions.chainIds` });
      }
    }
    if (cfg.governor.lateQuorumExtension > cfg.governor.votingPeriod) {
      ctx.addIssue({ code: "custom", path: ["governor", "lateQuorumExtension"], message: "exceeds votingPeriod" });
    }
  });

export type DeployConfig = z.output<typeof deployConfigSchema>;

/** Whether a market's feed is one that does not exist (see {@link unavailableFeed}). */
export function isUnavailableFeed(feed: MarketSpec["feed"]): feed is UnavailableFeed {
  return typeof feed === "object" && "unavailable" in feed;
}

/**
 * Why the config's markets cannot be deployed as they stand: one entry per distinct reason,
 * naming the markets and their fields, for every market whose feed is unavailable. Empty when
 * every market has a feed.
 */
export function undeployableMarkets(cfg: Pick<DeployConfig, "markets">): string[] {
  const byReason = new Map<string, { symbols: string[]; fields: string[] }>();
  (cfg.markets?.list ?? []).forEach((m, i) => {
    if (!isUnavailableFeed(m.feed)) return;
    const entry = byReason.get(m.feed.unavailable) ?? { symbols: [], fields: [] };
    entry.symbols.push(m.symbol);
    entry.fields.push(`markets.list.${i}.feed`);
    byReason.set(m.feed.unavailable, entry);
  });
  return [...byReason].map(([reason, e]) => `${e.symbols.join(", ")} (${e.fields.join(", ")}): ${reason}`);
}

/**
 * Refuses, in one line, a config with a market that has no usable feed: the deployment stops
 * before any transaction. Remove the market from `markets.list` (or the whole `markets` section)
 * to deploy the rest. `where` names the config (its file or network).
 */
export function assertDeployable(cfg: Pick<DeployConfig, "markets">, where: string): void {
  const reasons = undeployableMarkets(cfg);
  if (reasons.length === 0) return;
  throw new InputError(`${where}: refused before any transaction: markets without a price feed: ${reasons.join("; ")}. ` +
    "Remove them from markets.list (or remove the markets section) to deploy the rest");
}

/** FLUX holders can vote with at genesis: the allocations (the Timelock's treasury cannot vote). */
export function votableFloat(token: { allocations: readonly { amount: bigint }[] }): bigint {
  return token.allocations.reduce((sum, a) => sum + a.amount, 0n);
}

/** Allocations with "deployer" resolved to `deployer`'s address (flagged, for the log and the manifest). */
export function resolveAllocations(
  allocations: readonly { account: string; amount: bigint }[],
  deployer: string,
): { account: string; amount: bigint; deployer: boolean }[] {
  return allocations.map((a) => (a.account === DEPLOYER ? { account: deployer, amount: a.amount, deployer: true } : { ...a, deployer: false }));
}

/** Total supply right after deployment: the allocations plus the Timelock's treasury. */
export function initialSupply(token: { allocations: readonly { amount: bigint }[]; treasury: bigint }): bigint {
  return votableFloat(token) + token.treasury;
}
export type DeployConfigInput = z.input<typeof deployConfigSchema>;

/** Directory of the per-network configs. */
export const CONFIG_DIR = path.join("ignition", "config");

/** Validates an in-memory config; `where` names its origin in error messages. */
export function parseDeployConfig(data: unknown, where = "deploy config"): DeployConfig {
  return parseWith(deployConfigSchema, data, where);
}

/**
 * Reads and validates `ignition/config/<network>.json` (relative to `root`). A config may start
 * from another network's: `"extends": "<network>"` takes that config and merges this file's keys
 * over it (objects key by key; arrays and values replaced), so a local node's config is the
 * embedded network's without a copy (`localhost.json` is `{ "extends": "default" }`).
 */
export async function loadDeployConfig(network: string, root = process.cwd()): Promise<DeployConfig> {
  const file = path.join(CONFIG_DIR, `${network}.json`);
  return parseDeployConfig(await readConfigJson(network, root, []), file);
}

const extendsSchema = z.object({ extends: z.string().regex(/^[A-Za-z0-9_-]+$/, "a network name").optional() }).loose();

async function readConfigJson(network: string, root: string, chain: string[]): Promise<Record<string, unknown>> {
  const file = path.join(CONFIG_DIR, `${network}.json`);
  if (chain.includes(network)) throw new InputError(`${file}: "extends" loops: ${[...chain, network].join(" -> ")}`);
  let text: string;
  try {
    text = await readFile(path.join(root, file), "utf8");
  } catch {
    throw new InputError(`${file}: no deployment config for network "${network}"`);
  }
  nonEmpty(text, file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const { extends: base, ...own } = parseWith(extendsSchema, json, file);
  if (base === undefined) return own;
  return mergeConfig(await readConfigJson(base, root, [...chain, network]), own);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `over` merged into `base`: objects key by key, anything else replaced. */
function mergeConfig(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isObject(b) && isObject(v) ? mergeConfig(b, v) : v;
  }
  return out;
}
