/**
 * One emission epoch, end to end, for the operator tools: read the chain (or a balances file),
 * allocate the budget, build the Merkle tree of cumulative amounts, check it against the previous
 * epoch and the schedule, and write `<dir>` (tree.json, root.json, proofs/, epoch.json) atomically.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { Contract, keccak256, type Provider } from "ethers";
import { z } from "zod";
import { IEmissionSchedule__factory } from "../../types/ethers-contracts/factories/contracts/emissions/interfaces/IEmissionSchedule__factory.js";
import { allocateEpoch, type AllocationResult, type WeightPeriod } from "./allocate.js";
import { applyChanges, confirmedHead, readBalanceChanges, readWeightPeriods, splitAtEpoch, type Balances } from "./events.js";
import { blockAtOrBefore } from "../core/blocks.js";
import { buildRewardTree, writeTreeOutput, type Hasher, type RewardTree, type RootInfo } from "../merkle/index.js";
import type { AmountRow } from "./input.js";
import type { Manifest } from "../manifest/index.js";
import { nonEmpty, toJson } from "../core/fs.js";
import { parseWith } from "../core/validate.js";
import { InputError } from "../core/errors.js";
import { address } from "../core/schemas.js";

/** The schedule's ABI, compiled from IEmissionSchedule (a change of the contract changes it). */
export const SCHEDULE_ABI = IEmissionSchedule__factory.abi;

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

/**
 * `balances.json` of a chain epoch: every market source's balances at the epoch end (all changes
 * at or before it), and the first block after it. The next epoch starts from these instead of
 * re-reading the markets' history from the deployment block, so a build reads one epoch of events.
 * `emissions verify` still recomputes from the deployment block, and checks this file too.
 */
export interface Closing {
  epochEnd: number;
  nextBlock: number;
  balances: Balances;
}

const closingSchema = z.object({
  version: z.literal(1),
  epochEnd: z.number().int().positive(),
  nextBlock: z.number().int().nonnegative(),
  balances: z.record(z.string(), z.record(address, wei)),
});

function closingJson(c: Closing): string {
  const balances = Object.fromEntries(
    [...c.balances].sort(([a], [b]) => (a < b ? -1 : 1)).map(([source, m]) => [source, Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, v.toString()]))]),
  );
  return toJson({ version: 1, epochEnd: c.epochEnd, nextBlock: c.nextBlock, balances });
}

export interface PreviousEpoch {
  meta: EpochMeta;
  cumulative: Map<string, bigint>;
  /** Present for chain epochs written with `balances.json`. */
  closing?: Closing;
}

const dumpSchema = z.object({
  format: z.literal("standard-v1"),
  leafEncoding: z.tuple([z.literal("address"), z.literal("uint256")]),
  tree: z.array(z.string()),
  values: z.array(z.object({ value: z.tuple([address, wei]), treeIndex: z.number().int().nonnegative() })),
});

const rootFileSchema = z.object({ root: z.string(), total: wei, count: z.number().int().nonnegative(), contentHash: z.string().regex(/^0x[0-9a-f]{64}$/) });

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The cumulative amounts of a previous directory, for the check that no amount decreases: an
 * epoch directory (written by `emissions build`: epoch.json and tree.json) or a tree directory
 * (written by `emissions tree`: tree.json and root.json, whose content hash must match tree.json).
 */
export async function loadPreviousAmounts(dir: string): Promise<Map<string, bigint>> {
  if (await exists(path.join(dir, "epoch.json"))) return (await loadEpoch(dir)).cumulative;
  const treeFile = path.join(dir, "tree.json");
  if (!(await exists(treeFile))) {
    throw new InputError(`${dir}: neither an epoch directory (epoch.json, from emissions build) nor a tree directory (tree.json, from emissions tree)`);
  }
  const bytes = await readFile(treeFile);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch (e) {
    throw new InputError(`${treeFile}: not JSON (${(e as Error).message})`);
  }
  const dump = parseWith(dumpSchema, json, treeFile);
  const rootFile = path.join(dir, "root.json");
  if (await exists(rootFile)) {
    let rootJson: unknown;
    try {
      rootJson = JSON.parse(await readFile(rootFile, "utf8"));
    } catch (e) {
      throw new InputError(`${rootFile}: not JSON (${(e as Error).message})`);
    }
    const root = parseWith(rootFileSchema, rootJson, rootFile);
    if (keccak256(bytes) !== root.contentHash) throw new InputError(`${treeFile}: its hash is not root.json's contentHash ${root.contentHash}: the directory was altered`);
  }
  return new Map(dump.values.map(({ value }) => [value[0], value[1]]));
}

/** Reads a previous epoch directory (epoch.json and tree.json). */
export async function loadEpoch(dir: string): Promise<PreviousEpoch> {
  if (!(await exists(path.join(dir, "epoch.json"))) && (await exists(path.join(dir, "tree.json")))) {
    throw new InputError(`${dir}: a tree directory (from emissions tree, no epoch.json), not an epoch directory: this needs one written by emissions build`);
  }
  const read = async (name: string) => {
    const file = path.join(dir, name);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      throw new InputError(`${file}: cannot read epoch file (${(e as Error).message})`);
    }
    try {
      return JSON.parse(nonEmpty(text, file)) as unknown;
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`${file}: cannot read epoch file (${(e as Error).message})`);
    }
  };
  const meta = parseWith(epochMetaSchema, await read("epoch.json"), path.join(dir, "epoch.json"));
  const dump = parseWith(dumpSchema, await read("tree.json"), path.join(dir, "tree.json"));
  const cumulative = new Map<string, bigint>();
  for (const { value } of dump.values) cumulative.set(value[0], value[1]);
  const closingFile = path.join(dir, "balances.json");
  let closingText: string | undefined;
  try {
    closingText = await readFile(closingFile, "utf8");
  } catch {
    // an epoch from a balances file, or written before checkpoints: the next build reads from the deployment block
  }
  if (closingText === undefined) return { meta, cumulative };
  let json: unknown;
  try {
    json = JSON.parse(closingText);
  } catch (e) {
    throw new InputError(`${closingFile}: not JSON (${(e as Error).message})`);
  }
  const c = parseWith(closingSchema, json, closingFile);
  if (c.epochEnd !== meta.epochEnd) throw new InputError(`${closingFile}: epochEnd ${c.epochEnd} is not epoch.json's ${meta.epochEnd}`);
  const balances: Balances = new Map(Object.entries(c.balances).map(([source, m]) => [source, new Map(Object.entries(m))]));
  return { meta, cumulative, closing: { epochEnd: c.epochEnd, nextBlock: c.nextBlock, balances } };
}

export interface EpochBuild {
  allocation: AllocationResult;
  tree: RewardTree;
  meta: EpochMeta;
  /** Balances at the epoch end (chain epochs): written as balances.json. */
  closing?: Closing;
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
  hasher?: Hasher,
): EpochBuild {
  if (previous) {
    for (const [account, amount] of previous.cumulative) {
      const now = allocation.cumulative.get(account) ?? 0n;
      if (now < amount) throw new InputError(`${account}: cumulative amount ${now} is lower than last epoch's ${amount}`);
    }
  }
  const entries = [...allocation.cumulative].map(([account, amount]) => ({ account, amount }));
  const tree = buildRewardTree(entries, hasher ? { hasher } : {});
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
  /**
   * Defaults to the previous epoch's end; for a first epoch, to the moment governance's first
   * market weights came in force (never before the deployment): before it no source exists to
   * allocate to, and the schedule's budget of that time stays undistributed.
   */
  epochStart?: number;
  previous: PreviousEpoch | null;
  confirmations?: number;
  pageSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** Read every event from the deployment block even when `previous` has closing balances (the watcher). */
  fromDeployment?: boolean;
  /** The keccak256 of the tree (default: the builder's; the watcher uses `libraryHasher`). */
  hasher?: Hasher;
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
  const resume = o.fromDeployment ? undefined : o.previous?.closing;
  const fromBlock = resume?.nextBlock ?? m.block;
  const readOpts = { fromBlock, confirmations, pageSize: o.pageSize, onProgress: o.onProgress };
  // weight changes are few: always read from the deployment block
  const weights: WeightPeriod[] = await readWeightPeriods(o.provider, schedule, head.block, { ...readOpts, fromBlock: m.block, onProgress: undefined });
  const epochStart = o.epochStart ?? o.previous?.meta.epochEnd ?? Math.max(m.timestamp, weights[0]?.from ?? m.timestamp);
  if (o.previous && epochStart !== o.previous.meta.epochEnd) {
    throw new InputError(`epoch start ${epochStart} does not continue the previous epoch (ended ${o.previous.meta.epochEnd})`);
  }
  const markets = Object.values(m.markets).map((x) => x.market);
  const changes = await readBalanceChanges(o.provider, markets, head.block, readOpts);
  const { initial, inside } = splitAtEpoch(changes, epochStart, o.epochEnd, resume?.balances);
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
  const build = finish(
    allocation,
    {
      version: 1,
      chainId: m.chainId,
      scheduleChainId: m.scheduleChainId,
      source: "chain",
      epochStart,
      epochEnd: o.epochEnd,
      fromBlock,
      toBlock: head.block,
    },
    o.previous,
    o.hasher,
  );
  build.closing = { epochEnd: o.epochEnd, nextBlock: (await blockAtOrBefore(o.provider, o.epochEnd)) + 1, balances: applyChanges(initial, inside) };
  return build;
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
  /** The keccak256 of the tree (default: the builder's; the watcher uses `libraryHasher`). */
  hasher?: Hasher;
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
    o.hasher,
  );
}

/** Writes the epoch directory atomically. */
export async function writeEpoch(dir: string, build: EpochBuild): Promise<RootInfo> {
  return writeTreeOutput(dir, build.tree, { "epoch.json": toJson(build.meta), ...(build.closing ? { "balances.json": closingJson(build.closing) } : {}) });
}

/** Whether two closing balance sets are equal (the watcher compares the file with its recomputation). */
export function sameClosing(a: Closing, b: Closing): boolean {
  return closingJson(a) === closingJson(b);
}
