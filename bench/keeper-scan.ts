/**
 * Keeper scan bench: the health of 10,000 borrowers on the embedded chain, read as the keeper
 * reads it (the Borrow events, then each market's `storedHoldings` of its users through Multicall3,
 * valued by the TypeScript twin of the controller) and, side by side, with one `accountPosition` call per
 * account (16 in flight at a time). Goals: at least 20× fewer JSON-RPC round trips, and at most 2 s
 * for the keeper's health scan of 10,000 accounts (what it does every block; learning the borrowers
 * from the events since deployment is done once and checkpointed, and is reported beside it).
 * Both must find the same liquidatable accounts.
 *
 * Round trips are counted at the provider: both scans go through an EIP-1193 wrapper that counts
 * every request. The positions are real: 10,000 BenchBorrower contracts each deposit WETH and
 * borrow USDT (5% to 95% of their borrow limit), then WETH falls from $3,000 to $2,000 (about one in eight becomes liquidatable).
 */
import os from "node:os";
import { BrowserProvider, parseUnits, type Eip1193Provider } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { loadDeployConfig } from "../src/deploy/config.js";
import { deployFlux } from "../src/deploy/deploy.js";
import { mintAndApprove } from "../src/deploy/markets.js";
import { placeMulticall3 } from "../src/deploy/local.js";
import { renderTable } from "../src/core/format.js";
import { BorrowerBook } from "../src/keeper/borrowers.js";
import { CONTROLLER, marketsChain, scanHealth } from "../src/keeper/scan.js";
import { isUnpriced } from "../src/markets/liquidation.js";
import { rngFraction } from "./random.js";
import type { Bench } from "./bench.js";

export const BORROWERS = 10_000;
const PER_TX = 40;
const GOAL_RATIO = 20;
const GOAL_MS = 2_000;
const PARALLEL = 16;

/** An ethers provider over the connection that counts its JSON-RPC requests. */
function counting(request: Eip1193Provider["request"], chainId: number) {
  const counter = { requests: 0 };
  const provider = new BrowserProvider({ request: (a) => (counter.requests++, request(a)) }, chainId);
  return { provider, counter };
}

export interface KeeperScanResult {
  accounts: number;
  /** Learning the borrowers from the events from the deployment block (once; later blocks come from the checkpoint). */
  discovery: { ms: number; requests: number };
  multicall: { ms: number; requests: number; liquidatable: string[] };
  perAccount: { ms: number; requests: number; liquidatable: string[] };
  load: { before: number[]; after: number[] };
}

/** Opens `n` positions, then measures both scans (see the module comment). */
export async function runKeeperScan(hre: HardhatRuntimeEnvironment, n = BORROWERS, step: (label: string) => void = () => undefined): Promise<KeeperScanResult> {
  const conn = await hre.network.create();
  const d = await deployFlux(hre, conn, await loadDeployConfig("default"), { manifestDir: null });
  await placeMulticall3(hre.artifacts, conn);
  const [deployer, supplier] = await conn.ethers.getSigners();
  const usdt = d.markets!.markets["USDT"]!;
  const weth = d.markets!.markets["WETH"]!;
  const liquidity = parseUnits("50000000", 6);
  await mintAndApprove(usdt, supplier!, liquidity);
  await (await usdt.market.connect(supplier!).deposit(liquidity, supplier!.address)).wait();
  const factory = await (await conn.ethers.getContractFactory("BenchBorrowerFactory", deployer!)).deploy();
  const rand = rngFraction(11);
  for (let i = 0; i < n; i += PER_TX) {
    const k = Math.min(PER_TX, n - i);
    const collateral = Array.from({ length: k }, () => parseUnits((0.5 + rand() * 1.5).toFixed(6), 18));
    // borrow 5%-95% of the limit at $3,000 and 140%: collateral x 3000 / 1.4
    // USDT units: collateral (wei) x $3,000 / 140% x share, share in millionths
    const debts = collateral.map((c) => (c * 30_000n * BigInt(Math.floor((0.05 + rand() * 0.9) * 1e6))) / (14n * 10n ** 18n));
    await (await factory.getFunction("open")(await weth.asset.getAddress(), await weth.market.getAddress(), await usdt.market.getAddress(), collateral, debts)).wait();
  }
  step(`${n} positions opened`);
  await (await weth.feed.setAnswer(parseUnits("2000", 8))).wait();
  await (await usdt.feed.setAnswer(parseUnits("1", 8))).wait();
  const chainId = Number((await conn.ethers.provider.getNetwork()).chainId);
  const request = (a: { method: string; params?: unknown[] | Record<string, unknown> }) => conn.provider.request(a);
  const loadBefore = os.loadavg();

  // the keeper's scan: borrowers from the events, then the batched positions
  const a = counting(request as Eip1193Provider["request"], chainId);
  await a.provider.getBlockNumber();
  a.counter.requests = 0;
  let t = performance.now();
  const chain = await marketsChain(a.provider, d.manifest);
  const book = await BorrowerBook.open({ chainId, controller: chain.controller, fromBlock: d.manifest.block, confirmations: 0 });
  const head = await a.provider.getBlockNumber();
  await book.update(a.provider, chain.markets.map((m) => m.market), head);
  const discoveryMs = performance.now() - t;
  const discoveryRequests = a.counter.requests;
  // what the keeper does every block once its checkpoint is current: the health scan
  t = performance.now();
  const scan = await scanHealth(a.provider, chain, book.accounts(), { blockTag: head, marketsOf: (x) => book.marketsOf(x) });
  const multicallMs = performance.now() - t;
  const multicallRequests = a.counter.requests - discoveryRequests;
  const liquidatableA = scan.accounts.filter((x) => !isUnpriced(x.position) && x.position.liquidatable).map((x) => x.account);
  step("keeper scan");

  // one call per account
  const b = counting(request as Eip1193Provider["request"], chainId);
  await b.provider.getBlockNumber();
  b.counter.requests = 0;
  const accounts = book.accounts();
  t = performance.now();
  const flags: boolean[] = new Array(accounts.length);
  let next = 0;
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    while (next < accounts.length) {
      const i = next++;
      const data = await b.provider.call({ to: chain.controller, data: CONTROLLER.encodeFunctionData("accountPosition", [accounts[i]]), blockTag: head });
      flags[i] = CONTROLLER.decodeFunctionResult("accountPosition", data)[0].liquidatable as boolean;
    }
  }));
  const perAccountMs = performance.now() - t;
  const perAccountRequests = b.counter.requests;
  step("one call per account");
  return {
    accounts: accounts.length,
    discovery: { ms: discoveryMs, requests: discoveryRequests },
    multicall: { ms: multicallMs, requests: multicallRequests, liquidatable: liquidatableA },
    perAccount: { ms: perAccountMs, requests: perAccountRequests, liquidatable: accounts.filter((_, i) => flags[i]) },
    load: { before: loadBefore, after: os.loadavg() },
  };
}

export const keeperScanBench: Bench = {
  name: "keeper scan",
  steps: 3,
  async run(hre, progress) {
    const r = await runKeeperScan(hre, BORROWERS, (l) => progress.step(l));
    const ratio = r.perAccount.requests / r.multicall.requests;
    const same = r.multicall.liquidatable.join() === r.perAccount.liquidatable.join();
    const met = ratio >= GOAL_RATIO && r.multicall.ms <= GOAL_MS && same && r.accounts === BORROWERS;
    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");
    const text = [
      renderTable(
        ["scan of " + r.accounts.toLocaleString("en-US") + " borrowers", "round trips", "time", "liquidatable found"],
        [
          ["keeper: Multicall3 batches + twin (every block)", String(r.multicall.requests), `${(r.multicall.ms / 1000).toFixed(2)} s`, String(r.multicall.liquidatable.length)],
          [`one accountPosition call per account (${PARALLEL} in flight)`, String(r.perAccount.requests), `${(r.perAccount.ms / 1000).toFixed(2)} s`, String(r.perAccount.liquidatable.length)],
        ],
        ["l", "r", "r", "r"],
      ),
      `(learning the ${r.accounts.toLocaleString("en-US")} borrowers from the events since deployment, once before the first scan: ${r.discovery.requests} round trips, ${(r.discovery.ms / 1000).toFixed(2)} s)`,
      `round trips: ${ratio.toFixed(1)}× fewer (goal ≥ ${GOAL_RATIO}×); keeper scan ${(r.multicall.ms / 1000).toFixed(2)} s (goal ≤ ${GOAL_MS / 1000} s); same liquidatable accounts: ${same ? "yes" : "NO"}`,
      `load average (1, 5, 15 min) before ${load(r.load.before)}, after ${load(r.load.after)}, on ${os.availableParallelism()} CPUs`,
      met ? "goals met" : "GOALS NOT MET",
    ].join("\n");
    return { title: "Keeper scan: 10,000 borrowers through Multicall3 against one call per account", text, goalsMet: met };
  },
};
