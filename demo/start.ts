/**
 * The story `npm start` tells, as a library so a test runs exactly the same code.
 *
 * Three in-process networks stand in for Flux's three chains (Conflux eSpace, BNB Chain, HECO),
 * each created with that chain's id and each with its own full deployment from
 * `ignition/config/default.json`, adapted in code per chain (`chainConfig`). On every chain
 * holders self-delegate and the markets see activity; a risk proposal runs on the first chain,
 * with its liquidation scene; governance on every chain launches emissions (a launch bonus only on
 * the newly launched chain), one epoch per chain over the same window is built from that chain's
 * own events, published, activated and claimed. `renderSummary` prints what happened.
 */
import { bindProposer } from "../src/governance/description.js";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { parseUnits } from "ethers";
import { loadDeployConfig, type DeployConfig } from "../src/deploy/config.js";
import { deployFlux, type FluxDeployment } from "../src/deploy/deploy.js";
import { localClock, placeMulticall3, syncClocks } from "../src/deploy/local.js";
import { keeperCommand } from "../src/keeper/command.js";
import { mintAndApprove, type DeployedMarket } from "../src/deploy/markets.js";
import { proposalTitle, runProposal, Support } from "../src/governance/lifecycle.js";
import { describePosition, positionText } from "../src/markets/positions.js";
import { runEmissionsStory } from "./emissions.js";
import { DAY_SECONDS } from "../src/emissions/schedule.js";
import { runSignalChapter, signalSummary } from "./snapshot.js";
import type { MarketActivity, RiskProposalResult, StartChain, StartResult } from "./types.js";
import { startReportHtml } from "../reports/start.js";
import { writeFileAtomic } from "../src/core/fs.js";
import type { Connection, Action } from "../src/core/types.js";
import { iso, short, bpsToPercent, usd, formatFlux } from "../src/core/format.js";

/**
 * The chains `npm start` simulates, in the order of the story: one in-process network each,
 * created with the chain's id; `name` names its deployment and manifest file. The first chain
 * carries the on-chain risk proposal; the newly launched chain gets the launch bonus.
 */
export const START_CHAINS = [
  {
    chainId: 1030, name: "conflux-local", label: "Conflux eSpace", newlyLaunched: false,
    activity: { usdtSupply: "1000000", wethCollateral: "10", usdtBorrow: "20000", wbtcSupply: null },
  },
  {
    chainId: 56, name: "bsc-local", label: "BNB Chain", newlyLaunched: false,
    activity: { usdtSupply: "400000", wethCollateral: "6", usdtBorrow: "9000", wbtcSupply: "0.5" },
  },
  {
    chainId: 128, name: "heco-local", label: "HECO", newlyLaunched: true,
    activity: { usdtSupply: "150000", wethCollateral: "2", usdtBorrow: "2500", wbtcSupply: "0.25" },
  },
] as const satisfies readonly { chainId: number; name: string; label: string; newlyLaunched: boolean; activity: MarketActivity }[];

/** The launch bonus of the newly launched chain: 1,000,000 FLUX over 14 days. */
export const LAUNCH_BONUS = { amount: 1_000_000n * 10n ** 18n, duration: 14 * DAY_SECONDS };

export interface StartOptions {
  log?: (line: string) => void;
  /** Directory for the manifests (one per chain, named after it); `null` writes none. */
  manifestDir?: string | null;
  /** Where to write the summary as a page (HTML with charts); none when absent. */
  reportFile?: string;
}

/**
 * `default.json` adapted to one chain of the story: its chain id, its own id in the emission
 * schedule (every chain's schedule weighs all chains and pays its own share), and one emission
 * start for all chains. ("deploy" would start each schedule at its own deployment second, and the
 * base share over one window, ⌊R·(t − start)/(3·DAY)⌋ differenced, could then differ by a wei.)
 */
export function chainConfig(base: DeployConfig, chainId: number, emissionStart: number): DeployConfig {
  if (!base.emissions) throw new Error("the npm start config has no emissions section");
  if (!base.emissions.chainIds.includes(chainId)) throw new Error(`chain ${chainId} is not in emissions.chainIds`);
  return { ...base, chainId, emissions: { ...base.emissions, scheduleChainId: chainId, start: iso(emissionStart) } };
}

/** The accounts of the story, the same hardhat accounts on every chain. */
async function people(conn: Connection) {
  const s = await conn.ethers.getSigners();
  const [relayer, alice, bob, carol, dave] = s;
  const [supplier, borrower, liquidator] = [s[8], s[9], s[10]];
  if (!relayer || !alice || !bob || !carol || !dave || !supplier || !borrower || !liquidator) {
    throw new Error("the embedded network needs 11 accounts");
  }
  return { relayer, alice, bob, carol, dave, supplier, borrower, liquidator };
}
type People = Awaited<ReturnType<typeof people>>;
type Account = People[keyof People];

/** Mints `amount` (whole tokens) of a mock asset to `who` and approves its market; returns the amount in units. */
async function fund(m: DeployedMarket, who: Account, amount: string): Promise<bigint> {
  const v = parseUnits(amount, m.decimals);
  await mintAndApprove(m, who, v);
  return v;
}

function market(d: FluxDeployment, symbol: string): DeployedMarket {
  const m = d.markets?.markets[symbol];
  if (!m) throw new Error(`npm start needs a ${symbol} market`);
  return m;
}

export async function runStart(hre: HardhatRuntimeEnvironment, opts: StartOptions = {}): Promise<StartResult> {
  const log = opts.log ?? (() => {});
  let chapters = 0;
  const chapter = (title: string) => log(`${chapters ? "\n" : ""}== ${++chapters}. ${title}`);
  const base = await loadDeployConfig("default");
  const configured = base.emissions?.chainIds ?? [];
  if (configured.length !== START_CHAINS.length || !START_CHAINS.every((c) => configured.includes(c.chainId))) {
    throw new Error(`START_CHAINS (${START_CHAINS.map((c) => c.chainId).join(", ")}) must be the emissions chains of default.json (${configured.join(", ")})`);
  }

  // One in-process network per chain, each with the chain's id; the clocks start together, and
  // the emission schedules of all chains start at that moment.
  const conns = await Promise.all(START_CHAINS.map((c) => hre.network.create({ network: "default", override: { chainId: c.chainId } })));
  const emissionStart = await syncClocks(conns);

  chapter(`Deploy FLUX governance, the lending markets and emissions on ${START_CHAINS.length} chains (emissions start ${iso(emissionStart)} on all)`);
  const chains: StartChain[] = [];
  for (const [i, c] of START_CHAINS.entries()) {
    const conn = conns[i]!;
    log(`  -- ${c.name}: ${c.label}, chain ${c.chainId}`);
    // Every step of a deployment is told once, on the first chain; the others run the same code.
    const d = await deployFlux(hre, conn, chainConfig(base, c.chainId, emissionStart), {
      networkName: c.name,
      manifestDir: opts.manifestDir,
      log: i === 0 ? (l) => log(`    ${l}`) : undefined,
    });
    if (i > 0) log(`    deployed and verified as on ${START_CHAINS[0].name}${d.manifestFile ? `; manifest written: ${d.manifestFile}` : ""}`);
    const controller = d.markets!.controller;
    log(`    token ${d.manifest.contracts.token} (${await d.token.symbol()}, cap ${formatFlux(await d.token.cap())}), ` +
      `governor ${d.manifest.contracts.governor} (${await d.governor.COUNTING_MODE()}), timelock ${d.manifest.contracts.timelock} (delay ${await d.timelock.getMinDelay()} s)`);
    const ratios = await Promise.all(Object.values(d.markets!.markets).map(async (m) =>
      `${m.symbol} ${bpsToPercent((await controller.marketConfig(await m.market.getAddress())).collateralRatioBps)}`));
    log(`    controller ${d.manifest.contracts.controller}; collateral ratios ${ratios.join(", ")}; ` +
      `schedule ${d.manifest.contracts.emissionSchedule} (chain ${d.emissions!.scheduleChainId} of ${base.emissions!.chainIds.join(", ")})`);
    chains.push({ chainId: c.chainId, name: c.name, label: c.label, conn, deployment: d });
  }
  const first = chains[0]!;
  const risk = await first.deployment.markets!.controller.riskParameters();
  log(`  on every chain: one liquidation line at ${bpsToPercent(risk.liquidationRatioBps)}, liquidation at ${bpsToPercent(risk.priceFactorBps)} of the oracle price, no auction`);

  const cast = await people(first.conn);
  const names: Record<string, string> = Object.fromEntries(Object.entries(cast).map(([name, s]) => [s.address, name]));

  chapter(`Holders delegate their votes to themselves on every chain`);
  for (const c of chains) {
    const p = await people(c.conn);
    const held: string[] = [];
    for (const name of ["alice", "bob", "carol", "dave"] as const) {
      await (await c.deployment.token.connect(p[name]).delegate(p[name].address)).wait();
      held.push(`${name} ${formatFlux(await c.deployment.token.getVotes(p[name].address))}`);
    }
    await c.conn.networkHelpers.mine(1);
    log(`  ${c.name.padEnd(13)} votes: ${held.join(", ")} FLUX`);
  }

  chapter(`Market activity on every chain`);
  let positionBefore = "";
  for (const [i, c] of chains.entries()) {
    const a = START_CHAINS[i]!.activity;
    const p = await people(c.conn);
    const [usdt, weth, wbtc] = ["USDT", "WETH", "WBTC"].map((s) => market(c.deployment, s)) as [DeployedMarket, DeployedMarket, DeployedMarket];
    log(`  -- ${c.name}`);
    const supplied = await fund(usdt, p.supplier, a.usdtSupply);
    await (await usdt.market.connect(p.supplier).deposit(supplied, p.supplier.address)).wait();
    log(`    supplier ${short(p.supplier.address)} deposits ${formatFlux(supplied, usdt.decimals)} USDT`);
    if (a.wbtcSupply) {
      await (await wbtc.market.connect(p.supplier).deposit(await fund(wbtc, p.supplier, a.wbtcSupply), p.supplier.address)).wait();
      log(`    supplier deposits ${a.wbtcSupply} WBTC`);
    }
    await (await weth.market.connect(p.borrower).deposit(await fund(weth, p.borrower, a.wethCollateral), p.borrower.address)).wait();
    const borrowed = parseUnits(a.usdtBorrow, usdt.decimals);
    await (await usdt.market.connect(p.borrower).borrow(borrowed, p.borrower.address)).wait();
    const position = positionText(await describePosition(c.deployment.markets!.controller, p.borrower.address));
    if (c === first) positionBefore = position;
    log(`    borrower ${short(p.borrower.address)} deposits ${a.wethCollateral} WETH and borrows ${formatFlux(borrowed, usdt.decimals)} USDT: ${position}`);
    const state = await usdt.market.marketState();
    log(`    USDT market: supplied ${formatFlux(state.totalAssets, 6)}, borrowed ${formatFlux(state.totalBorrows, 6)}, ` +
      `borrow APR ${(Number(state.borrowRatePerYear) / 1e16).toFixed(2)}%, supply APR ${(Number(state.supplyRatePerYear) / 1e16).toFixed(3)}%`);
  }

  // An off-chain signal across the chains carries the risk proposal; once it passes, it is proposed
  // on the first chain's Governor (from-snapshot), where holders vote on-chain.
  const risky = await riskProposal(first.deployment, cast.alice.address);
  const signal = await runSignalChapter({
    hre,
    chains,
    target: first,
    proposal: { ...risky, title: proposalTitle(risky.description) },
    controller: cast.relayer,
    author: cast.alice,
    votes: [
      { voter: cast.alice, choice: "For", reason: "a wider buffer for volatile collateral" },
      { voter: cast.bob, choice: "For" },
      { voter: cast.carol, choice: "Against", reason: "hurts borrowers" },
      { voter: cast.dave, choice: "Abstain" },
    ],
    quorumPercent: base.governor.quorumPercent,
    proposalThreshold: base.governor.proposalThreshold,
    votingDelay: base.governor.votingDelay,
    votingPeriod: base.governor.votingPeriod,
    story: { log, chapter },
  });

  const proposal = await riskProposalChapter(first, risky, positionBefore, chapter, log, hre.artifacts);

  const bonusChain = START_CHAINS.find((c) => c.newlyLaunched);
  chapter(`Emissions on every chain: each chain's governance launches them${bonusChain ? ` (a launch bonus on the newly launched ${bonusChain.name})` : ""}, ` +
    `one epoch per chain from its own events over the same window, published, activated and claimed`);
  const emissions = await runEmissionsStory({
    chains,
    cast: {
      proposer: cast.alice.address,
      relayer: cast.relayer.address,
      votes: [cast.alice, cast.bob, cast.carol].map((s) => ({ voter: s.address, support: Support.For })),
      claimers: [cast.supplier, cast.borrower, cast.liquidator].map((s) => s.address),
    },
    bonus: bonusChain ? { chainId: bonusChain.chainId, ...LAUNCH_BONUS } : null,
    log,
  });

  const result: StartResult = {
    chains: chains.map((c, i) => {
      const e = emissions.chains[i]!;
      return { chainId: c.chainId, name: c.name, label: c.label, deployment: c.deployment, budget: e.epoch.meta.budget, bonus: e.bonus, claimed: e.claimed, emissions: e };
    }),
    proposal,
    epoch: { start: emissions.epochStart, end: emissions.epochEnd },
    names,
    signal,
  };
  log("");
  for (const line of renderSummary(result).split("\n")) log(line);
  if (opts.reportFile) {
    await writeFileAtomic(opts.reportFile, startReportHtml(result));
    log(`  The same as a page, with charts: ${opts.reportFile}`);
  }
  log("");
  log("  Next, the app on running chains: `npm run devnet` in one terminal, then `npm run app` in another,");
  log("  and open the address it prints (the claim page, and dashboard.html for the dashboard).");
  return result;
}

/** The WETH collateral ratio `npm start`'s risk proposal sets (140% → 150%). */
export const RISK_PROPOSAL_RATIO_BPS = 15_000n;

/**
 * The risk proposal of the story on deployment `d`, as actions and description bound to `proposer`
 * (`#proposer=`, so only that account can propose it): what the off-chain signal carries and the
 * on-chain chapter proposes.
 */
export async function riskProposal(d: FluxDeployment, proposer: string): Promise<{ actions: Action[]; description: string }> {
  const controller = d.markets!.controller;
  const wethAddr = await market(d, "WETH").market.getAddress();
  const before = (await controller.marketConfig(wethAddr)).collateralRatioBps;
  const target = RISK_PROPOSAL_RATIO_BPS;
  return {
    actions: [{
      target: await controller.getAddress(),
      value: 0n,
      calldata: controller.interface.encodeFunctionData("setCollateralRatio", [wethAddr, target]),
      summary: `FluxController.setCollateralRatio(WETH, ${target}): WETH collateral ratio ${bpsToPercent(before)} → ${bpsToPercent(target)}`,
    }],
    description: bindProposer(`# Raise the WETH collateral ratio to 150%\n\nETH volatility is up; widen the buffer above the 110% liquidation line.`, proposer),
  };
}

/**
 * The on-chain life of `risky` on `c` (already proposed there from the Snapshot signal), then a
 * price drop and a liquidation; `positionBefore` is the borrower's before it.
 */
async function riskProposalChapter(
  c: StartChain,
  risky: { actions: Action[]; description: string },
  positionBefore: string,
  chapter: (title: string) => void,
  log: (line: string) => void,
  artifacts: HardhatRuntimeEnvironment["artifacts"],
): Promise<RiskProposalResult> {
  const d = c.deployment;
  const controller = d.markets!.controller;
  const [usdt, weth] = [market(d, "USDT"), market(d, "WETH")];
  const { relayer, alice, bob, carol, dave, borrower, liquidator } = await people(c.conn);

  chapter(`The signal's proposal on ${c.name} (chain ${c.chainId}) through its on-chain life`);
  const wethAddr = await weth.market.getAddress();
  const ratioBefore = (await controller.marketConfig(wethAddr)).collateralRatioBps;
  const lifecycle = await runProposal({
    governor: d.governor,
    clock: localClock(c.conn),
    proposer: alice,
    relayer,
    ...risky,
    alreadyProposed: true,
    votes: [
      { voter: alice, support: Support.For, reason: "a wider buffer for volatile collateral" },
      { voter: bob, support: Support.For, bySignature: true },
      { voter: carol, support: Support.Against, reason: "hurts borrowers" },
      { voter: dave, support: Support.Abstain },
    ],
    log: (l) => log(l),
  });
  // Feeds post fresh prices (the voting period outlasted their heartbeats).
  await (await weth.feed.setAnswer(parseUnits("3000", 8))).wait();
  await (await usdt.feed.setAnswer(parseUnits("1", 8))).wait();
  const positionAfter = positionText(await describePosition(controller, borrower.address));
  log(`  effect on the borrower: ${positionAfter}`);

  chapter(`ETH falls 28% to $2,150 on ${c.name}: below the 110% line, the keeper liquidates at once at 97% of the oracle price`);
  const risk = await controller.riskParameters();
  // The keeper (npx hardhat keeper) holds USDT to repay with; it reads through Multicall3, which real chains have.
  await placeMulticall3(artifacts, c.conn);
  await (await usdt.asset.mint(liquidator.address, parseUnits("50000", usdt.decimals))).wait();
  // The keeper runs as `npx hardhat keeper` does, following the chain block by block, until the liquidation is done.
  log(`  the keeper ${short(liquidator.address)} starts (close factor ${bpsToPercent(risk.closeFactorBps)}); one line per decision:`);
  const control = { stop: false };
  let ready: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const shorten = (l: string) => l.replace(/0x[0-9a-f]{64}/g, (h) => short(h)).replace(/0x[0-9a-fA-F]{40}/g, (a) => short(a));
  const running = keeperCommand({ conn: c.conn, manifest: d.manifest }, {
    once: false, dryRun: false, minProfitUsd: "0", nativeUsd: "", checkpoint: null, confirmations: 0, pollMs: 50, txTimeout: 30, from: "",
  }, {
    control,
    onRound: () => ready(), // its first round done: inventory approved, nothing to liquidate yet
    log: (l) => {
      log(`    ${shorten(l)}`);
      if (/ liquidate: .* mined in block/.test(l)) control.stop = true;
    },
  });
  await Promise.race([started, running.then(() => Promise.reject(new Error("npm start: the keeper stopped before its first round")))]);
  await (await weth.feed.setAnswer(parseUnits("2150", 8))).wait();
  log(`  ETH at $2,150 in block ${await c.conn.ethers.provider.getBlockNumber()}; borrower: ${positionText(await describePosition(controller, borrower.address))}`);
  const keeper = await running;
  const events = await usdt.market.queryFilter(usdt.market.filters.Liquidate(liquidator.address, borrower.address));
  if (keeper.liquidations === 0 || events.length === 0) throw new Error("npm start: the keeper did not liquidate the borrower");
  const repay = events.reduce((s, e) => s + e.args.repaid, 0n);
  const seizeShares = events.reduce((s, e) => s + e.args.seizedShares, 0n);
  const [seizedWeth] = await weth.market.accountSnapshot(liquidator.address);
  log(`  the keeper repaid ${formatFlux(repay, 6)} USDT and received ${formatFlux(seizedWeth)} WETH (${usd(seizedWeth * 2150n)} at the oracle price: repaid / 0.97)`);
  log(`  borrower: ${positionText(await describePosition(controller, borrower.address))}`);
  return {
    chainId: c.chainId,
    name: c.name,
    lifecycle,
    ratioBefore,
    ratioAfter: (await controller.marketConfig(wethAddr)).collateralRatioBps,
    positionBefore,
    positionAfter,
    liquidation: { repaid: repay, seizedShares: seizeShares },
  };
}

/** The end of the story in plain words: what changed, who voted with what weight, what each chain emitted, what was claimed. */
export function renderSummary(r: StartResult): string {
  const who = (a: string) => `${(r.names[a] ?? "").padEnd(10)} ${short(a)}`;
  const p = r.proposal;
  const l = p.lifecycle;
  const lines = [
    `== Summary`,
    `  What changed: the WETH collateral ratio on ${p.name} (chain ${p.chainId}) is ${bpsToPercent(p.ratioAfter)} (was ${bpsToPercent(p.ratioBefore)}), by proposal ${short(l.proposalId.toString())}`,
    ...signalSummary(r.signal, who),
    `  Who voted on-chain on ${p.name} (weight at the proposal's snapshot):`,
    ...l.votes.map((v) => `    ${who(v.voter)}  ${Support[v.support].toLowerCase().padEnd(8)} ${formatFlux(v.weight).padStart(12)} FLUX`),
    `    for ${formatFlux(l.forVotes)}, against ${formatFlux(l.againstVotes)}, abstain ${formatFlux(l.abstainVotes)}; quorum ${formatFlux(l.quorum)}`,
    `  What each chain emitted in the epoch ${iso(r.epoch.start)} → ${iso(r.epoch.end)}, and what was claimed:`,
  ];
  for (const c of r.chains) {
    const claimed = c.claimed.reduce((s, x) => s + x.amount, 0n);
    lines.push(`    ${c.name.padEnd(13)} chain ${String(c.chainId).padEnd(5)} emitted ${formatFlux(c.budget).padStart(28)} FLUX` +
      `${c.bonus > 0n ? ` (incl. ${formatFlux(c.bonus)} launch bonus)` : ""}; claimed ${formatFlux(claimed)} FLUX`);
    for (const x of c.claimed) lines.push(`      ${who(x.account)} ${formatFlux(x.amount).padStart(28)} FLUX`);
  }
  const manifests = r.chains.flatMap((c) => (c.deployment.manifestFile ? [c.deployment.manifestFile] : []));
  if (manifests.length) lines.push(`  Manifests: ${manifests.join(", ")}`);
  return lines.join("\n");
}
