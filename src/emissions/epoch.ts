/**
 * One emission epoch, end to end, for the operator tools: read the chain (or a balances file),
 * allocate the budget, build the Merkle tree of cumulative amounts, check it against the previous
 * epoch and the schedule, and write `<dir>` (tree.json, root.json, proofs/, epoch.json) atomically.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Contract, type Provider } from "ethers";
import { z } from "zod";
import { allocateEpoch, type AllocationResult, type WeightPeriod } from "./allocate.js";
import { confirmedHead, readBalanceChanges, readWeightPeriods, splitAtEpoch } from "./events.js";
import { buildRewardTree, writeTreeOutput, type RewardTree, type RootInfo } from "./merkle.js";
import type { AmountRow } from "./input.js";
import type { Manifest } from "../deploy/manifest.js";
import { toJson } from "../util/fs.js";
import { address, InputError, parseWith } from "../util/validate.js";

const SCHEDULE_ABI = ["function cumulativeEmission(uint256 chainId, uint256 timestamp) view returns (uint256)"];

const wei = z.string().regex(/^(0|[1-9]\d*)$/, "not a wei amount").transform((s) => BigInt(s));

export const epochMetaSchema = z.object({
  version: z.literal(1),
  chainId: z.number().int().positive(),
  scheduleChainId: z.number().int().positive(),
  source: z.enum(["chain", "balances"]),
  epochStart: z.number().int().nonnegative(),
  epochEnd: z.number().int().positive(),
  fromBlock: z.number().int().nonnegative().optional(),
  toBlock: z.number().int().nonnegative().optional(),
  budget: wei,
  carryIn: wei,
  carryOut: wei,
  distributed: wei,
  bySource: z.record(z.string(), wei),
  root: z.string().regex(/^0x[0-9a-f]{64}$/),
  total: wei,
  count: z.number().int().nonnegative(),
  contentHash: z.string().regex(/^0x[0-9a-f]{64}$/),
});
export type EpochMeta = z.output<typeof epochMetaSchema>;

export interface PreviousEpoch {
  meta: EpochMeta;
  cumulative: Map<string, bigint>;
}

const dumpSchema = z.object({
  format: z.literal("standard-v1"),
  leafEncoding: z.tuple([z.literal("address"), z.literal("uint256")]),
  tree: z.array(z.string()),
  values: z.array(z.object({ value: z.tuple([address, wei]), treeIndex: z.number().int().nonnegative() })),
});

/** Reads a previous epoch directory (epoch.json and tree.json). */
export async function loadEpoch(dir: string): Promise<PreviousEpoch> {
  const read = async (name: string) => {
    const file = path.join(dir, name);
    try {
      return JSON.parse(await readFile(file, "utf8")) as unknown;
    } catch (e) {
      throw new InputError(`${file}: cannot read epoch file (${(e as Error).message})`);
    }
  };
  const meta = parseWith(epochMetaSchema, await read("epoch.json"), path.join(dir, "epoch.json"));
  const dump = parseWith(dumpSchema, await read("tree.json"), path.join(dir, "tree.json"));
  const cumulative = new Map<string, bigint>();
  for (const { value } of dump.values) cumulative.set(value[0], value[1]);
  return { meta, cumulative };
}

export interface EpochBuild {
  allocation: AllocationResult;
  tree: RewardTree;
  meta: EpochMeta;
}

/** The chain's budget for [from, to) read from the deployed schedule. */
export function scheduleBudget(provider: Provider, schedule: string, scheduleChainId: number) {
  const c = new Contract(schedule, SCHEDULE_ABI, provider);
  const cum = (t: number) => c.getFunction("cumulativeEmission").staticCall(scheduleChainId, t) as Promise<bigint>;
  return {
    cumulative: cum,
    budget: async (from: number, to: number) => (await cum(to)) - (await cum(from)),
  };
}

function finish(
  allocation: AllocationResult,
  base: Omit<EpochMeta, "budget" | "carryIn" | "carryOut" | "distributed" | "bySource" | "root" | "total" | "count" | "contentHash">,
  previous: PreviousEpoch | null,
): EpochBuild {
  if (previous) {
    for (const [account, amount] of previous.cumulative) {
      const now = allocation.cumulative.get(account) ?? 0n;
      if (now < amount) throw new InputError(`${account}: cumulative amount ${now} is lower than last epoch's ${amount}`);
    }
  }
  const entries = [...allocation.cumulative].map(([account, amount]) => ({ account, amount }));
  const tree = buildRewardTree(entries);
  const meta: EpochMeta = {
    ...base,
    budget: allocation.budget,
    carryIn: allocation.carryIn,
    carryOut: allocation.carryOut,
    distributed: allocation.distributed,
    bySource: Object.fromEntries(allocation.bySource),
    root: tree.root,
    total: tree.total,
    count: tree.count,
    contentHash: tree.contentHash(),
  };
  return { allocation, tree, meta };
}

export interface ChainEpochOptions {
  provider: Provider;
  manifest: Manifest;
  epochEnd: number;
  /** Defaults to the previous epoch's end, else the schedule's deployment time. */
  epochStart?: number;
  previous: PreviousEpoch | null;
  confirmations?: number;
  pageSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Builds an epoch from the chain's market events. */
export async function buildEpochFromChain(o: ChainEpochOptions): Promise<EpochBuild> {
  const m = o.manifest;
  const schedule = m.contracts.emissionSchedule;
  if (!schedule || !m.markets || !m.scheduleChainId) {
    throw new InputError(`deployment manifest of "${m.network}" has no markets or emissions`);
  }
  const confirmations = o.confirmations ?? 12;
  const head = await confirmedHead(o.provider, confirmations);
  if (o.epochEnd > head.timestamp) {
    throw new InputError(
      `epoch end ${o.epochEnd} is after the newest block with ${confirmations} confirmations (block ${head.block} at ${head.timestamp})`,
    );
  }
  const epochStart = o.epochStart ?? o.previous?.meta.epochEnd ?? m.timestamp;
  if (o.previous && epochStart !== o.previous.meta.epochEnd) {
    throw new InputError(`epoch start ${epochStart} does not continue the previous epoch (ended ${o.previous.meta.epochEnd})`);
  }
  const readOpts = { fromBlock: m.block, confirmations, pageSize: o.pageSize, onProgress: o.onProgress };
  const markets = Object.values(m.markets).map((x) => x.market);
  const changes = await readBalanceChanges(o.provider, markets, head.block, readOpts);
  const weights: WeightPeriod[] = await readWeightPeriods(o.provider, schedule, head.block, readOpts);
  const { initial, inside } = splitAtEpoch(changes, epochStart, o.epochEnd);
  const { budget } = scheduleBudget(o.provider, schedule, m.scheduleChainId);
  const allocation = await allocateEpoch({
    epochStart,
    epochEnd: o.epochEnd,
    budget,
    weights,
    initial,
    changes: inside,
    previous: o.previous ? { cumulative: o.previous.cumulative, carry: o.previous.meta.carryOut } : { cumulative: new Map(), carry: 0n },
  });
  return finish(
    allocation,
    {
      version: 1,
      chainId: m.chainId,
      scheduleChainId: m.scheduleChainId,
      source: "chain",
      epochStart,
      epochEnd: o.epochEnd,
      fromBlock: m.block,
      toBlock: head.block,
    },
    o.previous,
  );
}

/**
 * Builds an epoch from a balances file (sources outside the markets): each row's balance holds
 * for the whole epoch, and the whole budget goes to this one source.
 */
export async function buildEpochFromBalances(o: {
  rows: AmountRow[];
  epochStart: number;
  epochEnd: number;
  chainId: number;
  scheduleChainId: number;
  budget: (from: number, to: number) => bigint | Promise<bigint>;
  previous: PreviousEpoch | null;
}): Promise<EpochBuild> {
  const allocation = await allocateEpoch({
    epochStart: o.epochStart,
    epochEnd: o.epochEnd,
    budget: o.budget,
    weights: [{ from: o.epochStart, weights: [{ source: "balances", bps: 10_000 }] }],
    initial: new Map([["balances", new Map(o.rows.map((r) => [r.account, r.amount]))]]),
    changes: [],
    previous: o.previous ? { cumulative: o.previous.cumulative, carry: o.previous.meta.carryOut } : { cumulative: new Map(), carry: 0n },
  });
  return finish(
    allocation,
    { version: 1, chainId: o.chainId, scheduleChainId: o.scheduleChainId, source: "balances", epochStart: o.epochStart, epochEnd: o.epochEnd },
    o.previous,
  );
}

/** Writes the epoch directory atomically. */
export async function writeEpoch(dir: string, build: EpochBuild): Promise<RootInfo> {
  return writeTreeOutput(dir, build.tree, { "epoch.json": toJson(build.meta) });
}
