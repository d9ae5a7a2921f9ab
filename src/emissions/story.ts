/**
 * The emissions chapter of `npm start`: governance launches emissions (minter allowance, market
 * weights, a launch bonus for this chain), an epoch is built from the chain's own market events,
 * its root is published, waits the challenge window, is activated, and users claim.
 */
import type { Connection, FluxDeployment } from "../deploy/deploy.js";
import { localClock } from "../deploy/local.js";
import { addLaunchBonus, grantDistributorAllowance, setMarketWeights } from "./actions.js";
import { buildEpochFromChain, type EpochBuild } from "./epoch.js";
import { sourceId } from "./events.js";
import { runProposal, short, Support, type Vote } from "../governance/lifecycle.js";
import { formatFlux } from "../util/amounts.js";
import type { Signer } from "ethers";
import { DAY_SECONDS as DAY } from "./schedule.js";


export interface EmissionsStory {
  epoch: EpochBuild;
  claimed: { account: string; amount: bigint }[];
  perChain: { chainId: number; amount: bigint }[];
}

export async function runEmissionsStory(args: {
  conn: Connection;
  d: FluxDeployment;
  proposer: Signer;
  relayer: Signer;
  votes: Vote[];
  claimers: Signer[];
  log: (line: string) => void;
}): Promise<EmissionsStory> {
  const { conn, d, log } = args;
  const e = d.emissions;
  const markets = d.markets;
  if (!e || !markets) throw new Error("the deployment has no emissions or markets");
  const clock = localClock(conn);
  const chain = e.scheduleChainId;
  const m = (s: string) => markets.markets[s]!;
  const weights = [
    { symbol: "USDT", supplyBps: 3_000, borrowBps: 3_000 },
    { symbol: "WETH", supplyBps: 2_000, borrowBps: 1_000 },
    { symbol: "WBTC", supplyBps: 1_000, borrowBps: 0 },
  ];
  const bonusStart = (await clock.latest()) + 7 * DAY; // after the proposal executes
  const proposal = await runProposal({
    governor: d.governor,
    clock,
    proposer: args.proposer,
    relayer: args.relayer,
    actions: [
      await grantDistributorAllowance(d.token, e.distributor, 10_000_000n * 10n ** 18n),
      await setMarketWeights(
        e.schedule,
        await Promise.all(weights.map(async (w) => ({ ...w, market: await m(w.symbol).market.getAddress(), label: w.symbol }))),
      ),
      await addLaunchBonus(e.schedule, chain, 1_000_000n * 10n ** 18n, bonusStart, 14 * DAY),
    ],
    description: `# Launch FLUX emissions on chain ${chain}\n\nFund the distributor, weigh the markets, and add a 1,000,000 FLUX launch bonus over 14 days.`,
    votes: args.votes,
    log,
  });
  const epochStart = Number((await conn.ethers.provider.getBlock("latest"))!.timestamp);
  log(`  market weights in force from ${new Date(epochStart * 1000).toISOString()} (proposal ${short(proposal.proposalId.toString())})`);

  // the epoch runs into the bonus: two days of it
  await clock.increaseTo(bonusStart + 2 * DAY);
  await conn.networkHelpers.mine(12); // confirmations for the epoch builder
  const epochEnd = bonusStart + 2 * DAY;
  const manifest = d.manifest;
  const epoch = await buildEpochFromChain({
    provider: conn.ethers.provider,
    manifest,
    epochStart,
    epochEnd,
    previous: null,
    confirmations: 12,
  });
  const meta = epoch.meta;
  log(`  epoch ${new Date(epochStart * 1000).toISOString()} → ${new Date(epochEnd * 1000).toISOString()}: budget of chain ${chain} ${formatFlux(meta.budget)} FLUX`);
  const perChain = [];
  for (const c of await e.schedule.chains()) {
    const amount = (await e.schedule.cumulativeEmission(c, epochEnd)) - (await e.schedule.cumulativeEmission(c, epochStart));
    perChain.push({ chainId: Number(c), amount });
    log(`    chain ${String(c).padEnd(5)} ${formatFlux(amount).padStart(24)} FLUX${Number(c) === chain ? "  (incl. 2 days of its launch bonus)" : ""}`);
  }
  for (const w of weights) {
    const addr = await m(w.symbol).market.getAddress();
    const s = meta.bySource[sourceId(addr, "supply")] ?? 0n;
    const b = meta.bySource[sourceId(addr, "borrow")] ?? 0n;
    log(`    ${w.symbol.padEnd(5)} suppliers ${formatFlux(s).padStart(22)}   borrowers ${formatFlux(b).padStart(22)}`);
  }
  log(`    carried to the next epoch (rounding and sides nobody used): ${formatFlux(meta.carryOut)} FLUX`);
  const top = [...epoch.allocation.amounts].sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : 0)).slice(0, 5);
  log(`  top accounts:`);
  for (const [account, amount] of top) log(`    ${short(account)} ${formatFlux(amount)} FLUX`);

  const config = await e.distributor.config();
  const operator = await conn.ethers.getSigner(config.operator);
  await (await e.distributor.connect(operator).submitRoot(meta.root, meta.total, epochEnd, meta.contentHash)).wait();
  log(`  operator ${short(operator.address)} publishes root ${short(meta.root)} (${meta.count} accounts, ${formatFlux(meta.total)} FLUX); challenge window ${config.challengeWindow} s`);
  await clock.increaseTo((await clock.latest()) + Number(config.challengeWindow) + 1);
  await (await e.distributor.connect(args.relayer).activateRoot()).wait();
  log(`  root activated by ${short(await args.relayer.getAddress())}; ${formatFlux((await e.distributor.totals()).funded)} FLUX minted into the distributor`);

  const claimed: EmissionsStory["claimed"] = [];
  const claimers = await Promise.all(args.claimers.map((s) => s.getAddress()));
  const proofs = claimers.map((a) => {
    const i = epoch.tree.accounts.indexOf(a);
    return i < 0 ? null : { account: a, amount: epoch.tree.amounts[i]!, proof: epoch.tree.proof(i) };
  }).filter((x): x is NonNullable<typeof x> => x !== null);
  const [self, ...others] = proofs;
  if (self) {
    await (await e.distributor.connect(args.claimers[0]!).claim(self.account, self.amount, self.proof)).wait();
    claimed.push({ account: self.account, amount: self.amount });
    log(`  ${short(self.account)} claims ${formatFlux(self.amount)} FLUX`);
  }
  if (others.length) {
    await (await e.distributor.connect(args.relayer).claimMany(others.map((o) => o.account), others.map((o) => o.amount), others.map((o) => o.proof))).wait();
    for (const o of others) {
      claimed.push({ account: o.account, amount: o.amount });
      log(`  ${short(o.account)} receives ${formatFlux(o.amount)} FLUX, claimed on its behalf by ${short(await args.relayer.getAddress())}`);
    }
  }
  return { epoch, claimed, perChain };
}
