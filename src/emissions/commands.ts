/**
 * The operator commands' logic (the Hardhat tasks in scripts/tasks/ only parse options and print).
 * Each returns what it would print, so tests run the very same code.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Contract, getAddress, keccak256, ZeroAddress, ZeroHash, type Provider } from "ethers";
import type { Manifest } from "../manifest/index.js";
import { buildEpochFromBalances, buildEpochFromChain, loadEpoch, loadPreviousAmounts, sameClosing, scheduleBudget, writeEpoch, type EpochBuild, type PreviousEpoch } from "./epoch.js";
import { IRewardsDistributor__factory } from "../../types/ethers-contracts/factories/contracts/emissions/interfaces/IRewardsDistributor__factory.js";
import { readAmountsFile } from "./input.js";
import { libraryHasher } from "../merkle/index.js";
import { parseTime, progress, type NetworkContext } from "./cli.js";
import { BPS_TOTAL, DAY, DAY_SECONDS, loadScheduleFromChain, SCALE, SCHEDULE_VIEWS_ABI, WEIGHT_TOTAL, type EmissionScheduleViews } from "./schedule.js";
import { ChainStateError, InputError } from "../core/errors.js";
import { naming } from "../core/revert.js";
import { resolveSigner, ROLE_VARIABLES, writeUnsigned, type VariableSource } from "../keys/index.js";
import { formatFlux } from "../core/format.js";
import { checkOutputDir } from "../core/fs.js";

export { treeFromFile } from "./tree-command.js";

/** The keccak256 of `emissions verify`'s rebuild: @noble/hashes, never the builder's WebAssembly. */
export const WATCHER_HASHER = libraryHasher;

/** The distributor's ABI, compiled from IRewardsDistributor (a change of the contract changes it). */
export const DISTRIBUTOR_ABI = IRewardsDistributor__factory.abi;

async function previousOf(dir: string | undefined): Promise<PreviousEpoch | null> {
  return dir ? loadEpoch(dir) : null;
}

function buildSummary(b: EpochBuild): string {
  const m = b.meta;
  const lines = [
    `epoch ${new Date(m.epochStart * 1000).toISOString()} → ${new Date(m.epochEnd * 1000).toISOString()} on chain ${m.chainId} (schedule id ${m.scheduleChainId})`,
    `  budget ${formatFlux(m.budget)} FLUX + carry in ${formatFlux(m.carryIn)} → distributed ${formatFlux(m.distributed)}, carry out ${formatFlux(m.carryOut)}`,
    ...Object.entries(m.bySource).map(([s, v]) => `  ${s}: ${formatFlux(v)} FLUX`),
    `  root ${m.root}: ${m.count} accounts, cumulative total ${formatFlux(m.total)} FLUX, content hash ${m.contentHash}`,
  ];
  return lines.join("\n");
}

/** `emissions build`. */
export async function buildCommand(
  ctx: NetworkContext,
  o: { out: string; epochEnd: string; previous: string; balances: string; epochStart: string; confirmations: number; pageSize: number; force?: boolean },
): Promise<string> {
  await checkOutputDir(o.out, o.force ?? false);
  const previous = await previousOf(o.previous || undefined);
  const provider = ctx.conn.ethers.provider;
  const m = ctx.manifest;
  let epochEnd: number;
  if (o.epochEnd) epochEnd = parseTime(o.epochEnd, "epoch-end");
  else {
    const b = await provider.getBlock(Math.max(0, (await provider.getBlockNumber()) - o.confirmations));
    epochEnd = b!.timestamp;
  }
  let build: EpochBuild;
  if (o.balances) {
    if (!m.contracts.emissionSchedule || !m.scheduleChainId) throw new InputError(`deployments/${m.network}.json has no emissions`);
    const epochStart = previous?.meta.epochEnd ?? (o.epochStart ? parseTime(o.epochStart, "epoch-start") : NaN);
    if (Number.isNaN(epochStart)) throw new InputError("--epoch-start is required for a first balances epoch");
    build = await buildEpochFromBalances({
      rows: await readAmountsFile(o.balances),
      epochStart,
      epochEnd,
      chainId: m.chainId,
      scheduleChainId: m.scheduleChainId,
      budget: scheduleBudget(provider, m.contracts.emissionSchedule, m.scheduleChainId).budget,
      previous,
    });
  } else {
    const bar = progress("reading market events");
    try {
      build = await buildEpochFromChain({
        provider,
        manifest: m,
        epochEnd,
        epochStart: o.epochStart ? parseTime(o.epochStart, "epoch-start") : undefined,
        previous,
        confirmations: o.confirmations,
        pageSize: o.pageSize,
        onProgress: (d, t) => bar.update(d, t),
      });
    } finally {
      bar.stop();
    }
  }
  await checkBudget(ctx, build);
  await writeEpoch(o.out, build);
  return `${buildSummary(build)}\nwritten to ${o.out}`;
}

/** The cumulative total may never exceed the schedule's cumulative emission at the epoch end. */
async function checkBudget(ctx: NetworkContext, build: EpochBuild): Promise<void> {
  const m = ctx.manifest;
  if (!m.contracts.emissionSchedule) return;
  const cap = await scheduleBudget(ctx.conn.ethers.provider, m.contracts.emissionSchedule, build.meta.scheduleChainId).cumulative(build.meta.epochEnd);
  if (build.meta.total > cap) {
    throw new InputError(`cumulative total ${build.meta.total} exceeds the schedule's ${cap} for chain ${build.meta.scheduleChainId} at ${build.meta.epochEnd}`);
  }
}

/**
 * `emissions verify`: rebuild from scratch and compare with the files and the distributor. The
 * rebuild hashes with `libraryHasher` (@noble/hashes), never the builder's WebAssembly keccak, so
 * a fault in the builder's hashing cannot hide in the watcher's recomputation.
 */
export async function verifyCommand(
  ctx: NetworkContext,
  o: { dir: string; previous: string; balances: string; confirmations: number },
): Promise<{ ok: boolean; text: string }> {
  const published = await loadEpoch(o.dir);
  const previous = await previousOf(o.previous || undefined);
  const m = ctx.manifest;
  const provider = ctx.conn.ethers.provider;
  let rebuilt: EpochBuild;
  if (published.meta.source === "balances") {
    if (!o.balances) throw new InputError("--balances is required to verify a balances epoch");
    rebuilt = await buildEpochFromBalances({
      rows: await readAmountsFile(o.balances),
      epochStart: published.meta.epochStart,
      epochEnd: published.meta.epochEnd,
      chainId: m.chainId,
      scheduleChainId: published.meta.scheduleChainId,
      budget: scheduleBudget(provider, m.contracts.emissionSchedule!, published.meta.scheduleChainId).budget,
      previous,
      hasher: WATCHER_HASHER,
    });
  } else {
    rebuilt = await buildEpochFromChain({
      provider,
      manifest: m,
      epochStart: published.meta.epochStart,
      epochEnd: published.meta.epochEnd,
      previous,
      confirmations: o.confirmations,
      fromDeployment: true,
      hasher: WATCHER_HASHER,
    });
  }
  const treeText = await readFile(path.join(o.dir, "tree.json"));
  const fileHash = keccak256(treeText);
  const checks: [string, boolean][] = [
    ["root recomputed from the chain equals epoch.json", rebuilt.meta.root === published.meta.root],
    ["content hash recomputed equals epoch.json", rebuilt.meta.contentHash === published.meta.contentHash],
    ["tree.json hashes to its content hash", fileHash === published.meta.contentHash],
    ["budget and carry agree", rebuilt.meta.budget === published.meta.budget && rebuilt.meta.carryOut === published.meta.carryOut],
  ];
  if (published.closing && rebuilt.closing) {
    checks.push(["balances.json (where the next epoch starts) equals the balances recomputed from the deployment block", sameClosing(published.closing, rebuilt.closing)]);
  }
  if (m.contracts.rewardsDistributor) {
    const d = new Contract(m.contracts.rewardsDistributor, DISTRIBUTOR_ABI, provider);
    const [pending, active] = await Promise.all([d.getFunction("pendingRoot")(), d.getFunction("activeRoot")()]);
    const onChain = [pending, active].find((r) => r.root === published.meta.root);
    if (pending.root !== `0x${"0".repeat(64)}` && pending.root !== published.meta.root && pending.epochEnd === BigInt(published.meta.epochEnd)) {
      checks.push([`the PENDING root ${pending.root} for this epoch differs from the recomputed one: revoke it (${revokeCommandLine(m.network, pending.root)})`, false]);
    }
    if (onChain) {
      checks.push(["on-chain total equals the tree's total", onChain.total === published.meta.total]);
      checks.push(["on-chain content hash equals the tree's", onChain.contentHash === published.meta.contentHash]);
    }
  }
  const ok = checks.every(([, v]) => v);
  const text = [...checks.map(([what, v]) => `${v ? "ok  " : "FAIL"} ${what}`), ok ? "verified" : "MISMATCH"].join("\n");
  return { ok, text };
}

/** `emissions diff`. */
export async function diffCommand(o: { dir: string; previous?: string; top: number }): Promise<string> {
  const now = await loadEpoch(o.dir);
  const prev = o.previous ? await loadPreviousAmounts(o.previous) : null;
  const changes: { account: string; before: bigint; after: bigint }[] = [];
  for (const [account, after] of now.cumulative) {
    const before = prev?.get(account) ?? 0n;
    if (after !== before) changes.push({ account, before, after });
  }
  const dropped = prev ? [...prev.keys()].filter((a) => !now.cumulative.has(a)) : [];
  changes.sort((a, b) => (b.after - b.before > a.after - a.before ? 1 : b.after - b.before < a.after - a.before ? -1 : 0));
  const added = changes.reduce((s, c) => s + c.after - c.before, 0n);
  const decreased = changes.filter((c) => c.after < c.before);
  const m = now.meta;
  const lines = [
    `epoch ending ${new Date(m.epochEnd * 1000).toISOString()}: ${changes.length} accounts changed, +${formatFlux(added)} FLUX`,
    `budget ${formatFlux(m.budget)} + carry in ${formatFlux(m.carryIn)} = ${formatFlux(m.budget + m.carryIn)}; distributed ${formatFlux(m.distributed)}; carry out ${formatFlux(m.carryOut)}`,
    added === m.distributed ? "ok   the increase equals what this epoch distributed" : `FAIL the increase ${added} differs from distributed ${m.distributed}`,
    m.distributed + m.carryOut === m.budget + m.carryIn ? "ok   distributed + carry out = budget + carry in" : "FAIL distributed + carry out != budget + carry in",
    decreased.length || dropped.length ? `FAIL ${decreased.length + dropped.length} accounts decreased or disappeared` : "ok   no cumulative amount decreased",
    "",
    `top ${Math.min(o.top, changes.length)} changes:`,
    ...changes.slice(0, o.top).map((c) => `  ${c.account}  ${formatFlux(c.before)} → ${formatFlux(c.after)}  (+${formatFlux(c.after - c.before)})`),
  ];
  return lines.join("\n");
}

/**
 * `emissions publish`: submits the epoch's root as the operator. The key is the operator's
 * (`--from`, else `OPERATOR_PRIVATE_KEY`, else on a local chain the operator's own account, see
 * src/keys); the command says which address signs, and refuses before sending anything when that
 * address is not `RewardsDistributor.operator()`. With `unsigned` (a Safe as operator) it writes
 * the transaction as a Safe Transaction Builder batch instead, after simulating it from the
 * operator, and sends nothing.
 */
export async function publishCommand(
  ctx: NetworkContext,
  o: { dir: string; dryRun: boolean; from?: string; unsigned?: string; hre?: VariableSource; log?: (line: string) => void },
): Promise<string> {
  const epoch = await loadEpoch(o.dir);
  const m = ctx.manifest;
  if (!m.contracts.rewardsDistributor) throw new InputError(`deployments/${m.network}.json has no rewards distributor`);
  const provider = ctx.conn.ethers.provider;
  const distributor = new Contract(m.contracts.rewardsDistributor, DISTRIBUTOR_ABI, provider);
  const operator = getAddress((await distributor.getFunction("config")()).operator as string);
  const args = [epoch.meta.root, epoch.meta.total, epoch.meta.epochEnd, epoch.meta.contentHash] as const;
  const summary = `submitRoot(${epoch.meta.root}, ${formatFlux(epoch.meta.total)} FLUX, epoch end ${epoch.meta.epochEnd})`;
  if (o.unsigned) {
    const data = distributor.interface.encodeFunctionData("submitRoot", args);
    // simulate as the operator: a revert (over budget, pending root…) stops here with its reason
    await naming(`submitRoot from the operator ${operator}`, () => provider.call({ from: operator, to: m.contracts.rewardsDistributor!, data }));
    return writeUnsigned(o.unsigned, { chainId: m.chainId, to: m.contracts.rewardsDistributor, value: 0n, data, description: `${summary} on ${m.network}` }, {
      name: `FLUX emissions: submit the root of the epoch ending ${new Date(epoch.meta.epochEnd * 1000).toISOString()}`,
      safe: operator,
    });
  }
  const { signer, address, line } = await resolveSigner({ hre: o.hre, conn: ctx.conn, role: "operator", from: o.from, localAccount: operator });
  (o.log ?? (() => {}))(line);
  if (address !== operator) {
    throw new ChainStateError(`${address} is not the operator of RewardsDistributor ${m.contracts.rewardsDistributor} on ${m.network} (the operator is ${operator}): nothing sent; sign with the operator's key (--from or ${ROLE_VARIABLES.operator}), or write the transaction for a Safe with --unsigned <file>`);
  }
  const d = distributor.connect(signer) as Contract;
  // simulate first: a revert (over budget, pending root…) stops here with its reason
  await naming("submitRoot", () => d.getFunction("submitRoot").staticCall(...args));
  const what = `${summary} from ${address}`;
  if (o.dryRun) return `dry run: ${what} would succeed; nothing sent`;
  const tx = await naming("submitRoot", () => d.getFunction("submitRoot")(...args));
  const rcpt = await tx.wait();
  const [, , , , , window] = await d.getFunction("config")();
  return `${what}\n  tx ${tx.hash} in block ${rcpt?.blockNumber}; activatable after ${window} s`;
}

/** The watcher's advice for a root to revoke: the guardian's exact command. */
export function revokeCommandLine(network: string, root: string): string {
  return `npx hardhat emissions revoke --network ${network} --root ${root}`;
}

/**
 * `emissions revoke`: revokes the distributor's pending root as the guardian (the Timelock may
 * too, by proposal). Refuses, before anything is sent, when no root is pending or the pending root
 * is not `root` (so an operator never revokes a root it did not mean: one resubmitted since the
 * watcher's alert, say), and when the signer is not `config().guardian`. Simulates before
 * sending; `dryRun` sends nothing; `unsigned` (a Safe as guardian) writes the transaction as a
 * Safe Transaction Builder batch instead, after simulating it from the guardian.
 */
export async function revokeCommand(
  ctx: NetworkContext,
  o: { root: string; dryRun: boolean; from?: string; unsigned?: string; hre?: VariableSource; log?: (line: string) => void },
): Promise<string> {
  if (!/^0x[0-9a-fA-F]{64}$/.test(o.root)) throw new InputError(`--root: "${o.root}" is not a root (0x and 64 hex digits)`);
  const root = o.root.toLowerCase();
  const m = ctx.manifest;
  const at = m.contracts.rewardsDistributor;
  if (!at) throw new InputError(`deployments/${m.network}.json has no rewards distributor`);
  const provider = ctx.conn.ethers.provider;
  const distributor = new Contract(at, DISTRIBUTOR_ABI, provider);
  const [pending, cfg] = await Promise.all([distributor.getFunction("pendingRoot")(), distributor.getFunction("config")()]);
  const pendingRoot = String(pending.root).toLowerCase();
  if (pendingRoot === ZeroHash) throw new ChainStateError(`no root is pending on RewardsDistributor ${at} on ${m.network} (revoked or activated already): nothing sent`);
  if (pendingRoot !== root) {
    throw new ChainStateError(`the pending root on RewardsDistributor ${at} on ${m.network} is ${pendingRoot}, not ${root}: nothing sent (check it with emissions status, and revoke it by its own root)`);
  }
  const guardian = getAddress(cfg.guardian as string);
  if (guardian === ZeroAddress) throw new ChainStateError(`RewardsDistributor ${at} on ${m.network} has no guardian: only the Timelock can revoke, by proposal; nothing sent`);
  const activatable = new Date(Number(pending.submittedAt + cfg.challengeWindow) * 1000).toISOString();
  const summary = `revokePendingRoot(${root}) (total ${formatFlux(pending.total)} FLUX, epoch end ${new Date(Number(pending.epochEnd) * 1000).toISOString()}, activatable at ${activatable})`;
  const data = distributor.interface.encodeFunctionData("revokePendingRoot", [root]);
  if (o.unsigned) {
    await naming(`revokePendingRoot from the guardian ${guardian}`, () => provider.call({ from: guardian, to: at, data }));
    return writeUnsigned(o.unsigned, { chainId: m.chainId, to: at, value: 0n, data, description: `${summary} on ${m.network}` }, {
      name: `FLUX emissions: revoke the pending root ${root}`,
      safe: guardian,
    });
  }
  const { signer, address, line } = await resolveSigner({ hre: o.hre, conn: ctx.conn, role: "guardian", from: o.from, localAccount: guardian });
  (o.log ?? (() => {}))(line);
  if (address !== guardian) {
    throw new ChainStateError(`${address} is not the guardian of RewardsDistributor ${at} on ${m.network} (the guardian is ${guardian}): nothing sent; sign with the guardian's key (--from or ${ROLE_VARIABLES.guardian}), or write the transaction for a Safe with --unsigned <file>`);
  }
  const d = distributor.connect(signer) as Contract;
  await naming("revokePendingRoot", () => d.getFunction("revokePendingRoot").staticCall(root));
  const what = `${summary} from ${address}`;
  if (o.dryRun) return `dry run: ${what} would succeed; nothing sent`;
  const tx = await naming("revokePendingRoot", () => d.getFunction("revokePendingRoot")(root));
  const rcpt = await tx.wait();
  return `${what}\n  tx ${tx.hash} in block ${rcpt?.blockNumber}: revoked`;
}

/** `emissions status`. */
export async function statusCommand(ctx: NetworkContext): Promise<string> {
  const m = ctx.manifest;
  const provider = ctx.conn.ethers.provider;
  if (!m.contracts.emissionSchedule || !m.contracts.rewardsDistributor || !m.scheduleChainId) {
    throw new InputError(`deployments/${m.network}.json has no emissions`);
  }
  const now = (await provider.getBlock("latest"))!.timestamp;
  const { cumulative } = scheduleBudget(provider, m.contracts.emissionSchedule, m.scheduleChainId);
  const d = new Contract(m.contracts.rewardsDistributor, DISTRIBUTOR_ABI, provider);
  const [pending, active, cfg, totals, successor, predecessor] = await Promise.all([
    d.getFunction("pendingRoot")(),
    d.getFunction("activeRoot")(),
    d.getFunction("config")(),
    d.getFunction("totals")(),
    d.getFunction("successor")() as Promise<string>,
    d.getFunction("predecessor")() as Promise<string>,
  ]);
  const none = "0x0000000000000000000000000000000000000000";
  const cumNow = await cumulative(now);
  const lastDay = cumNow - (await cumulative(Math.max(0, now - DAY_SECONDS)));
  const root = (label: string, r: { root: string; total: bigint; epochEnd: bigint; submittedAt: bigint }) =>
    r.root === `0x${"0".repeat(64)}`
      ? `  ${label}: none`
      : `  ${label}: ${r.root} total ${formatFlux(r.total)} FLUX, epoch end ${new Date(Number(r.epochEnd) * 1000).toISOString()}` +
        (label === "pending" ? `, activatable at ${new Date(Number(r.submittedAt + cfg.challengeWindow) * 1000).toISOString()}` : "");
  return [
    `network ${m.network} (chain ${m.chainId}, schedule id ${m.scheduleChainId}) at ${new Date(now * 1000).toISOString()}`,
    `  schedule: ${formatFlux(cumNow)} FLUX emitted to this chain so far; ${formatFlux(lastDay)} FLUX in the last 24 h`,
    `  distributor: funded ${formatFlux(totals.funded)}, claimed ${formatFlux(totals.totalClaimed)}; operator ${cfg.operator}; window ${cfg.challengeWindow} s${cfg.paused ? "; CLAIMS PAUSED" : ""}` +
      (predecessor !== none ? `; successor of ${predecessor}` : ""),
    ...(successor !== none
      ? [`  RETIRED: claims continue on ${successor}; point contracts.rewardsDistributor in deployments/${m.network}.json at it`]
      : []),
    root("active", active),
    root("pending", pending),
  ].join("\n");
}

/** One chain's deployment for {@link crossChainStatus}: its manifest and an RPC to it. */
export interface ChainDeployment {
  manifest: Manifest;
  provider: Provider;
}

/** Weight out of WEIGHT_TOTAL as basis points, two decimals ("3333.33"). */
const bpsText = (w: bigint) => {
  const hundredths = (w * 100n) / (WEIGHT_TOTAL / BPS_TOTAL);
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, "0")}`;
};

/**
 * `emissions status --all | --networks a,b`: every chain's schedule read from its own chain and
 * compared, since nothing on-chain ties them together (each chain's EmissionSchedule is
 * independent; governance keeps them consistent by changing every chain in the same proposal).
 * At one moment `t` (the newest of the chains' latest blocks) it reads, per chain, the base
 * segment in force (rate, decline) and its chain weights, and what the chain's own schedule gives
 * the chain itself in the next 24 h of base emission (bonuses excluded). Returns the report lines
 * and a `WARNING:` line for each inconsistency: two chains whose schedules disagree on the rate,
 * the decline or a chain's weight (naming both), two deployments with one schedule id, and the
 * chains' own base shares adding up to more than a day of the lowest configured rate.
 */
export async function crossChainStatus(chains: readonly ChainDeployment[]): Promise<{ lines: string[]; warnings: string[] }> {
  const withEmissions = chains.filter((c) => c.manifest.contracts.emissionSchedule && c.manifest.scheduleChainId);
  if (withEmissions.length < 2) {
    throw new InputError(`a cross-chain status needs at least two deployments with emissions (got ${withEmissions.map((c) => c.manifest.network).join(", ") || "none"})`);
  }
  const read = await Promise.all(withEmissions.map(async (c) => {
    const m = c.manifest;
    const model = await loadScheduleFromChain(new Contract(m.contracts.emissionSchedule!, SCHEDULE_VIEWS_ABI, c.provider) as unknown as EmissionScheduleViews);
    return { name: m.network, own: BigInt(m.scheduleChainId!), model, now: (await c.provider.getBlock("latest"))!.timestamp };
  }));
  const t = BigInt(Math.max(...read.map((r) => r.now)));
  const views = read.map((r) => {
    const segments = r.model.segments;
    let k = 0;
    while (k + 1 < segments.length && segments[k + 1]!.start <= t) k++;
    const seg = segments[k]!;
    const weights = new Map(r.model.chains().map((c) => [c, r.model.weightAt(BigInt(k), c)] as const));
    const next = (c: bigint) => (r.model.baseNumerator(c, t + DAY) - r.model.baseNumerator(c, t)) / SCALE;
    const ownPerDay = next(r.own);
    const allPerDay = r.model.chains().reduce((sum, c) => sum + next(c), 0n);
    return { ...r, seg, weights, ownPerDay, allPerDay };
  });
  const lines = [`emission schedules of ${views.length} chains at ${new Date(Number(t) * 1000).toISOString()} (base emission, launch bonuses excluded):`];
  for (const v of views) {
    const w = [...v.weights].filter(([, x]) => x > 0n).map(([c, x]) => `${c}: ${bpsText(x)}`).join(", ");
    lines.push(`  ${v.name} (schedule id ${v.own}): ${formatFlux(v.seg.ratePerDay)} FLUX a day${v.seg.declinePerDay ? ` falling ${formatFlux(v.seg.declinePerDay)} a day` : ""}, ` +
      `weights (bps) ${w}; gives itself ${formatFlux(v.ownPerDay)} FLUX in the next 24 h`);
  }
  const together = views.reduce((sum, v) => sum + v.ownPerDay, 0n);
  const lowest = views.reduce((a, b) => (b.allPerDay < a.allPerDay ? b : a));
  lines.push(`  together the chains' own schedules give them ${formatFlux(together)} FLUX in the next 24 h; the lowest configured day is ${formatFlux(lowest.allPerDay)} FLUX (${lowest.name})`);

  const warnings: string[] = [];
  for (const [i, a] of views.entries()) {
    for (const b of views.slice(i + 1)) {
      if (a.own === b.own) warnings.push(`WARNING: ${a.name} and ${b.name} both use schedule id ${a.own}: they would emit the same share twice`);
      if (a.seg.ratePerDay !== b.seg.ratePerDay || a.seg.declinePerDay !== b.seg.declinePerDay) {
        warnings.push(`WARNING: ${a.name} and ${b.name} disagree on the base rate: ${formatFlux(a.seg.ratePerDay)} (decline ${formatFlux(a.seg.declinePerDay)}) vs ${formatFlux(b.seg.ratePerDay)} (decline ${formatFlux(b.seg.declinePerDay)}) FLUX a day`);
      }
      const ids = [...new Set([...a.weights.keys(), ...b.weights.keys()])]; // in the schedules' own order
      const differ = ids.filter((c) => (a.weights.get(c) ?? 0n) !== (b.weights.get(c) ?? 0n));
      if (differ.length) {
        warnings.push(`WARNING: ${a.name} and ${b.name} disagree on the chain weights: ` +
          differ.map((c) => `chain ${c} ${bpsText(a.weights.get(c) ?? 0n)} vs ${bpsText(b.weights.get(c) ?? 0n)} bps`).join(", "));
      }
    }
  }
  if (together > lowest.allPerDay) {
    warnings.push(`WARNING: the chains' own schedules together emit ${formatFlux(together)} FLUX in the next 24 h, more than the ${formatFlux(lowest.allPerDay)} FLUX a day configured (${lowest.name}'s schedule): ` +
      views.map((v) => `${v.name} ${formatFlux(v.ownPerDay)}`).join(", "));
  }
  return { lines, warnings };
}
