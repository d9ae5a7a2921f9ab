/**
 * The devnet: Flux's three chains as local JSON-RPC nodes that stay up, with everything deployed,
 * so the operator commands, the app and the keeper run against them exactly as against a real
 * chain (`--network devnet-conflux` …).
 *
 * What `startDevnet` does, in order:
 * 1. starts one `hardhat node` per chain of `DEVNET` (devnet-chains.ts) on 127.0.0.1, under the
 *    chain's id, each logging to `<stateDir>/<network>.log`, and waits until each answers;
 * 2. places Multicall3 at its canonical address on each chain (`hardhat_setCode` with the runtime
 *    code of contracts/devnet/Multicall3.sol, the same interface as the contract real chains have);
 * 3. deploys everything on each chain through the deployment path of `scripts/deploy.ts`
 *    (`ignition/config/<network>.json`: governance, mock markets, emissions) and writes
 *    `deployments/<network>.json`;
 * 4. seeds activity: the four holders of the config delegate to themselves; the keeper's account
 *    (Hardhat account 10) gets an inventory of each asset; a supplier deposits
 *    USDT, a borrower deposits WETH and borrows USDT (Hardhat accounts 8 and 9); then governance
 *    launches emissions as on a real chain: a proposal granting the distributor its minting
 *    allowance and weighing the markets is proposed, voted by the holders, queued and executed
 *    (each chain's clock jumps the voting delay, period and Timelock delay), and the chains'
 *    clocks are brought together again, and the mock feeds post their prices again at that time;
 * 5. switches on interval mining (a block a second, besides the blocks of transactions);
 * 6. starts the local Snapshot hub on 127.0.0.1 (`DEVNET.hubPort`), counting the three chains,
 *    with the deployer (account 0) as the controller of the space `fluxprotocol.eth`.
 *
 * The devnet's accounts are Hardhat's well-known accounts: never use them on a real chain.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { JsonRpcProvider, parseUnits, type Provider } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { DEVNET } from "./devnet-chains.js";
import { FluxError, messageOf, UnreachableError } from "../src/core/errors.js";
import type { Connection } from "../src/core/types.js";
import { loadDeployConfig } from "../src/deploy/config.js";
import { deployFlux, type FluxDeployment } from "../src/deploy/deploy.js";
import { mintAndApprove, type DeployedMarket } from "../src/deploy/markets.js";
import { LOCAL_KEEPER } from "../src/keeper/command.js";
import { localClock, syncClocks } from "../src/deploy/local.js";
import { grantDistributorAllowance, setMarketWeights } from "../src/emissions/actions.js";
import { runProposal, Support } from "../src/governance/lifecycle.js";
import { startLocalHub, type LocalHub } from "./snapshot-hub.js";
import { MULTICALL3_ADDRESS } from "../src/core/multicall.js";
import { placeMulticall3 } from "../src/deploy/local.js";

export { MULTICALL3_ADDRESS };
/** The Snapshot space the devnet's hub serves. */
export const DEVNET_SPACE = "fluxprotocol.eth";

export interface DevnetChain {
  network: string;
  label: string;
  chainId: number;
  url: string;
  deployment: FluxDeployment;
}

export interface Devnet {
  chains: DevnetChain[];
  hubUrl: string;
  /** Stops the hub and every node. */
  stop(): Promise<void>;
}

export interface DevnetOptions {
  /** Directory for the nodes' logs. */
  stateDir: string;
  /** Directory of the manifests (default `deployments`). */
  manifestDir?: string;
  log?: (line: string) => void;
}

/** Hardhat's command-line entry (`bin` of the package; not an export, so found beside its main module). */
export const HARDHAT_CLI = path.join(path.dirname(fileURLToPath(import.meta.resolve("hardhat"))), "cli.js");

/** Starts the devnet; on any failure, stops what it started and throws one line. */
export async function startDevnet(hre: HardhatRuntimeEnvironment, opts: DevnetOptions): Promise<Devnet> {
  const log = opts.log ?? (() => {});
  await mkdir(opts.stateDir, { recursive: true });
  const nodes: ChildProcess[] = [];
  let hub: LocalHub | undefined;
  const stop = async () => {
    await hub?.close().catch(() => {});
    await Promise.all(nodes.map(stopNode));
  };
  try {
    for (const c of DEVNET.chains) nodes.push(startNode(c.chainId, c.port, path.join(opts.stateDir, `${c.network}.log`)));
    await Promise.all(DEVNET.chains.map((c, i) => waitForNode(`http://127.0.0.1:${c.port}`, c.chainId, nodes[i]!, c.network)));
    log(`Nodes up: ${DEVNET.chains.map((c) => `${c.network} (chain ${c.chainId}) http://127.0.0.1:${c.port}`).join(", ")}`);
    const chains: DevnetChain[] = [];
    for (const c of DEVNET.chains) {
      const conn = await hre.network.create(c.network);
      await placeMulticall3(hre.artifacts, conn);
      log(`\n-- ${c.network}: ${c.label}, chain ${c.chainId}; Multicall3 at ${MULTICALL3_ADDRESS}`);
      const deployment = await deployFlux(hre, conn, await loadDeployConfig(c.network), {
        manifestDir: opts.manifestDir,
        log: (l) => log(`   ${l}`),
      });
      await seed(conn, deployment, log);
      await launchEmissions(conn, deployment, log);
      chains.push({ network: c.network, label: c.label, chainId: c.chainId, url: `http://127.0.0.1:${c.port}`, deployment });
    }
    const synced = await syncClocks(await Promise.all(DEVNET.chains.map((c) => hre.network.create(c.network))));
    log(`\nThe chains' clocks are brought together at ${new Date(synced * 1000).toISOString()} (launching emissions took each through a proposal's ~6 days)`);
    // The mock feeds post their prices again at the chains' new time, as real feeds keep posting:
    // otherwise the days of the launch leave every price stale (refused by the oracle) before any use.
    for (const c of chains) for (const m of Object.values(c.deployment.markets?.markets ?? {})) await (await m.feed.setAnswer(await m.feed.latestAnswer())).wait();
    log(`The mock price feeds posted their prices again at that time (they go stale again after their heartbeat, e.g. after --advance)`);
    // A block every second besides the blocks of transactions: the chains' clocks follow the wall
    // clock and confirmations accrue, as on a real chain. (`npx hardhat devnet --advance` jumps ahead.)
    for (const c of DEVNET.chains) await rpc(`http://127.0.0.1:${c.port}`, "evm_setIntervalMining", [1000]);
    const providers: Record<number, Provider> = Object.fromEntries(chains.map((c) => [c.chainId, new JsonRpcProvider(c.url, c.chainId, { staticNetwork: true })]));
    const controller = (await (await hre.network.create(DEVNET.chains[0].network)).ethers.getSigners())[0]!.address;
    hub = await startLocalHub({ controllers: { [DEVNET_SPACE]: controller }, providers, port: DEVNET.hubPort, now: () => chainsNow(providers) });
    log(`\nSnapshot hub: ${hub.url} (space ${DEVNET_SPACE}, controller ${controller})`);
    return { chains, hubUrl: hub.url, stop };
  } catch (e) {
    await stop();
    throw e instanceof FluxError ? e : new FluxError(`devnet: ${messageOf(e)}`, { cause: e });
  }
}

function startNode(chainId: number, port: number, logFile: string): ChildProcess {
  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, [HARDHAT_CLI, "node", "--chain-id", String(chainId), "--port", String(port), "--hostname", "127.0.0.1"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return child;
}

async function stopNode(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 5_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

/** One JSON-RPC call to `url`; its result, or a FluxError with the node's error. */
export async function rpc(url: string, method: string, params: unknown[]): Promise<unknown> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: unknown; error?: { message?: string } };
  if (body.error) throw new FluxError(`${url}: ${method}: ${body.error.message ?? "error"}`);
  return body.result;
}

/** Polls `eth_chainId` until the node answers with `chainId`; fails if the node exits or takes over 90 s. */
async function waitForNode(url: string, chainId: number, child: ChildProcess, network: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new FluxError(`${network}: the node exited with code ${child.exitCode} (is port ${new URL(url).port} in use?)`);
    const answer = await rpc(url, "eth_chainId", []).catch(() => undefined);
    if (answer !== undefined && Number(answer) === chainId) return;
    if (answer !== undefined) throw new FluxError(`${network}: ${url} answers chain ${Number(answer)}, not ${chainId} (another node on that port?)`);
    if (Date.now() > deadline) throw new UnreachableError(`${network}: ${url} did not answer within 90 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}


/** Delegations of the config's holders, and a supply and a borrow (Hardhat accounts 8 and 9). */
async function seed(conn: Connection, d: FluxDeployment, log: (line: string) => void): Promise<void> {
  const signers = await conn.ethers.getSigners();
  for (const a of d.manifest.genesis?.allocations ?? []) {
    const holder = signers.find((s) => s.address === a.account);
    if (holder) await (await d.token.connect(holder).delegate(holder.address)).wait();
  }
  const usdt = d.markets?.markets["USDT"];
  const weth = d.markets?.markets["WETH"];
  const [supplier, borrower] = [signers[8], signers[9]];
  if (!usdt || !weth || !supplier || !borrower) return;
  const supply = parseUnits("500000", usdt.decimals);
  await mintAndApprove(usdt, supplier, supply);
  await (await usdt.market.connect(supplier).deposit(supply, supplier.address)).wait();
  const collateral = parseUnits("5", weth.decimals);
  await mintAndApprove(weth, borrower, collateral);
  await (await weth.market.connect(borrower).deposit(collateral, borrower.address)).wait();
  await (await usdt.market.connect(borrower).borrow(parseUnits("5000", usdt.decimals), borrower.address)).wait();
  // the keeper's inventory (npx hardhat keeper signs as LOCAL_KEEPER on local chains); it approves the markets itself
  const inventory: [DeployedMarket | undefined, string][] = [[usdt, "1000000"], [weth, "100"], [d.markets?.markets["WBTC"], "10"]];
  for (const [m, amount] of inventory) if (m) await (await m.asset.mint(LOCAL_KEEPER, parseUnits(amount, m.decimals))).wait();
  log(`   seeded: holders delegated; ${supplier.address} supplies 500,000 USDT; ${borrower.address} deposits 5 WETH and borrows 5,000 USDT; the keeper ${LOCAL_KEEPER} holds 1,000,000 USDT, 100 WETH and 10 WBTC`);
}

/** The market weights the devnet's launch proposal sets (bps of the chain's budget, summing to 10,000). */
const DEVNET_WEIGHTS = { USDT: [3_000, 3_000], WETH: [2_000, 1_000], WBTC: [1_000, 0] } as const;

/** Governance launches emissions: distributor allowance and market weights, by a passed proposal. */
async function launchEmissions(conn: Connection, d: FluxDeployment, log: (line: string) => void): Promise<void> {
  const e = d.emissions;
  const markets = d.markets?.markets;
  if (!e || !markets) return;
  const signers = await conn.ethers.getSigners();
  const holders = (d.manifest.genesis?.allocations ?? []).flatMap((a) => signers.filter((s) => s.address === a.account));
  if (!holders[0] || !signers[0]) return;
  const weights = await Promise.all(
    Object.entries(DEVNET_WEIGHTS).flatMap(([symbol, [supplyBps, borrowBps]]) =>
      markets[symbol] ? [markets[symbol].market.getAddress().then((market) => ({ market, label: symbol, supplyBps, borrowBps }))] : [],
    ),
  );
  const r = await runProposal({
    governor: d.governor,
    clock: localClock(conn),
    proposer: holders[0],
    relayer: signers[0],
    actions: [await grantDistributorAllowance(d.token, e.distributor, 10_000_000n * 10n ** 18n), await setMarketWeights(e.schedule, weights)],
    description: "# Launch FLUX emissions on the devnet\n\nGrant the rewards distributor its minting allowance and weigh the markets.",
    votes: holders.map((voter) => ({ voter, support: Support.For })),
  });
  log(`   emissions launched by proposal ${r.proposalId} (executed in ${r.executedTx})`);
}

/** The hub's clock: the newest block time of the chains, or the wall clock if later. */
async function chainsNow(providers: Record<number, Provider>): Promise<number> {
  const times = await Promise.all(Object.values(providers).map(async (p) => (await p.getBlock("latest"))?.timestamp ?? 0));
  return Math.max(Math.floor(Date.now() / 1000), ...times);
}
