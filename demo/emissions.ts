/**
 * The emissions chapter of `npm start`, on every chain of the story at once: governance on each
 * chain launches emissions (minter allowance and market weights, plus a launch bonus on the one
 * newly launched chain), the chains' clocks (independent networks) are brought to the same moments
 * so that every chain's epoch covers the same window, an epoch is built per chain from that
 * chain's own market events, the operator publishes each root, each waits its challenge window,
 * is activated, and users claim on each chain.
 */
import type { FluxDeployment } from "../src/deploy/deploy.js";
import { localClock, syncClocks } from "../src/deploy/local.js";
import { addLaunchBonus, grantDistributorAllowance, setMarketWeights } from "../src/emissions/actions.js";
import { buildEpochFromChain, type EpochBuild } from "../src/emissions/epoch.js";
import { sourceId } from "../src/emissions/events.js";
import { runProposal, type LifecycleResult, type Support } from "../src/governance/lifecycle.js";
import { DAY_SECONDS as DAY } from "../src/emissions/schedule.js";
import type { Connection, Action } from "../src/core/types.js";
import { iso, short, formatFlux } from "../src/core/format.js";

/** One chain of the story: its connection and its deployment (with markets and emissions). */
export interface EmissionsChain {
  chainId: number;
  name: string;
  conn: Connection;
  deployment: FluxDeployment;
}

/** A launch bonus for one chain, added by that chain's governance only. */
export interface LaunchBonus {
  chainId: number;
  /** wei of FLUX */
  amount: bigint;
  /** seconds */
  duration: number;
}

/** Who acts, by address: the same accounts exist on every local chain. */
export interface EmissionsCast {
  proposer: string;
  /** Relays, queues, executes, activates roots and claims on others' behalf. */
  relayer: string;
  votes: { voter: string; support: Support }[];
  /** The first claims for itself; the relayer claims for the others in one batch. */
  claimers: string[];
}

export interface ChainEmissions {
  chainId: number;
  name: string;
  /** The proposal that launched emissions on this chain. */
  launch: LifecycleResult;
  epoch: EpochBuild;
  /** The part of the epoch's budget that is launch bonus (0 on a chain without one). */
  bonus: bigint;
  claimed: { account: string; amount: bigint }[];
}

export interface EmissionsStory {
  /** The epoch window, the same on every chain. */
  epochStart: number;
  epochEnd: number;
  /** The launch bonus and when it starts, if one was added. */
  bonus: (LaunchBonus & { start: number }) | null;
  /** In the order of the chains given. */
  chains: ChainEmissions[];
}

/** Market weights governance sets on every chain (supply and borrow bps summing to 10,000). */
export const MARKET_WEIGHTS = [
  { symbol: "USDT", supplyBps: 3_000, borrowBps: 3_000 },
  { symbol: "WETH", supplyBps: 2_000, borrowBps: 1_000 },
  { symbol: "WBTC", supplyBps: 1_000, borrowBps: 0 },
] as const;

/** Days of the launch bonus the epoch covers: the epoch ends this long after the bonus starts. */
export const BONUS_DAYS_IN_EPOCH = 3;

function parts(c: EmissionsChain) {
  const { deployment: d } = c;
  if (!d.emissions || !d.markets) throw new Error(`the deployment on ${c.name} has no emissions or markets`);
  return { d, e: d.emissions, markets: d.markets };
}

export async function runEmissionsStory(args: {
  chains: readonly EmissionsChain[];
  cast: EmissionsCast;
  /** Added only on `bonus.chainId`; null for none. */
  bonus: LaunchBonus | null;
  log: (line: string) => void;
}): Promise<EmissionsStory> {
  const { chains, cast, log } = args;
  const conns = chains.map((c) => c.conn);
  const signer = (c: EmissionsChain, address: string) => c.conn.ethers.getSigner(address);

  // 1. Governance on each chain launches emissions. The bonus starts after the proposal executes
  //    (voting delay 1 day + voting period 3 days + Timelock 2 days), the same moment everywhere.
  const proposedAt = await syncClocks(conns);
  const bonus = args.bonus ? { ...args.bonus, start: proposedAt + 7 * DAY } : null;
  if (bonus && !chains.some((c) => c.chainId === bonus.chainId)) throw new Error(`no chain ${bonus.chainId} for the launch bonus`);
  log(`  the chains' clocks are brought to ${iso(proposedAt)}; each chain's governance votes on its own proposal`);
  const launches: LifecycleResult[] = [];
  for (const c of chains) {
    const { d, e, markets } = parts(c);
    const actions: Action[] = [
      await grantDistributorAllowance(d.token, e.distributor, 10_000_000n * 10n ** 18n),
      await setMarketWeights(
        e.schedule,
        await Promise.all(MARKET_WEIGHTS.map(async (w) => ({ ...w, market: await markets.markets[w.symbol]!.market.getAddress(), label: w.symbol }))),
      ),
    ];
    const withBonus = bonus?.chainId === c.chainId;
    if (withBonus) actions.push(await addLaunchBonus(e.schedule, e.scheduleChainId, bonus.amount, bonus.start, bonus.duration));
    log(`\n  -- ${c.name} (chain ${c.chainId})${withBonus ? ": the newly launched chain, with a launch bonus" : ""}`);
    launches.push(await runProposal({
      governor: d.governor,
      clock: localClock(c.conn),
      proposer: await signer(c, cast.proposer),
      relayer: await signer(c, cast.relayer),
      actions,
      description: `# Launch FLUX emissions on chain ${e.scheduleChainId}\n\nFund the distributor and weigh the markets` +
        (withBonus ? `, and add a ${formatFlux(bonus.amount)} FLUX launch bonus over ${bonus.duration / DAY} days.` : "."),
      votes: await Promise.all(cast.votes.map(async (v) => ({ voter: await signer(c, v.voter), support: v.support }))),
      log,
    }));
  }

  // 2. One window for every chain: from the moment the last chain's weights are in force to
  //    BONUS_DAYS_IN_EPOCH days into the bonus; every chain's clock passes through both ends.
  const epochStart = await syncClocks(conns);
  const epochEnd = (bonus?.start ?? epochStart) + BONUS_DAYS_IN_EPOCH * DAY;
  await syncClocks(conns, { at: epochEnd });
  const confirmations = 12;
  for (const conn of conns) await conn.networkHelpers.mine(confirmations);
  log(`\n  market weights are in force on every chain; one epoch, ${iso(epochStart)} → ${iso(epochEnd)}, on every chain`);

  const epochs: { epoch: EpochBuild; bonus: bigint }[] = [];
  let challengeWindow = 0;
  for (const c of chains) {
    const { d, e, markets } = parts(c);
    const epoch = await buildEpochFromChain({
      provider: c.conn.ethers.provider,
      manifest: d.manifest,
      epochStart,
      epochEnd,
      previous: null,
      confirmations,
    });
    const meta = epoch.meta;
    const base = async (t: number) => (await e.schedule.baseNumerator(e.scheduleChainId, t)) / (await e.schedule.SCALE());
    const bonusPart = meta.budget - ((await base(epochEnd)) - (await base(epochStart)));
    epochs.push({ epoch, bonus: bonusPart });
    log(`\n  -- ${c.name} (chain ${c.chainId}): budget ${formatFlux(meta.budget)} FLUX` +
      (bonusPart > 0n ? ` (of which ${formatFlux(bonusPart)} launch bonus)` : ""));
    for (const w of MARKET_WEIGHTS) {
      const addr = await markets.markets[w.symbol]!.market.getAddress();
      const s = meta.bySource[sourceId(addr, "supply")] ?? 0n;
      const b = meta.bySource[sourceId(addr, "borrow")] ?? 0n;
      log(`    ${w.symbol.padEnd(5)} suppliers ${formatFlux(s).padStart(22)}   borrowers ${formatFlux(b).padStart(22)}`);
    }
    log(`    carried to the next epoch (rounding and sides nobody used): ${formatFlux(meta.carryOut)} FLUX`);
    const top = [...epoch.allocation.amounts].sort((x, y) => (y[1] > x[1] ? 1 : y[1] < x[1] ? -1 : 0)).slice(0, 5);
    log(`    top accounts: ${top.map(([account, amount]) => `${short(account)} ${formatFlux(amount)}`).join(", ")}`);
    const config = await e.distributor.config();
    const operator = await signer(c, config.operator);
    await (await e.distributor.connect(operator).submitRoot(meta.root, meta.total, epochEnd, meta.contentHash)).wait();
    log(`    operator ${short(operator.address)} publishes root ${short(meta.root)} (${meta.count} accounts, ${formatFlux(meta.total)} FLUX); challenge window ${config.challengeWindow} s`);
    challengeWindow = Math.max(challengeWindow, Number(config.challengeWindow));
  }

  // 3. The challenge windows pass (together), roots are activated, users claim.
  const activateAt = await syncClocks(conns, { after: challengeWindow + 1 });
  log(`\n  no one challenged; at ${iso(activateAt)} the roots can be activated`);
  const result: ChainEmissions[] = [];
  for (const [i, c] of chains.entries()) {
    const { e } = parts(c);
    const { epoch, bonus: bonusPart } = epochs[i]!;
    const relayer = await signer(c, cast.relayer);
    await (await e.distributor.connect(relayer).activateRoot()).wait();
    log(`  -- ${c.name}: root activated by ${short(relayer.address)}; ${formatFlux((await e.distributor.totals()).funded)} FLUX minted into the distributor`);
    const proofs = cast.claimers.flatMap((account) => {
      const k = epoch.tree.accounts.indexOf(account);
      return k < 0 ? [] : [{ account, amount: epoch.tree.amounts[k]!, proof: epoch.tree.proof(k) }];
    });
    const claimed: ChainEmissions["claimed"] = [];
    const [self, ...others] = proofs;
    if (self) {
      await (await e.distributor.connect(await signer(c, self.account)).claim(self.account, self.amount, self.proof)).wait();
      claimed.push({ account: self.account, amount: self.amount });
      log(`    ${short(self.account)} claims ${formatFlux(self.amount)} FLUX`);
    }
    if (others.length) {
      await (await e.distributor.connect(relayer).claimMany(others.map((o) => o.account), others.map((o) => o.amount), others.map((o) => o.proof))).wait();
      for (const o of others) {
        claimed.push({ account: o.account, amount: o.amount });
        log(`    ${short(o.account)} receives ${formatFlux(o.amount)} FLUX, claimed on its behalf by ${short(relayer.address)}`);
      }
    }
    result.push({ chainId: c.chainId, name: c.name, launch: launches[i]!, epoch, bonus: bonusPart, claimed });
  }
  return { epochStart, epochEnd, bonus, chains: result };
}
