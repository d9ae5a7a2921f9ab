/**
 * Gas of the lending operations, Flux against two peers on the same EVM in the same run: a
 * Compound v2 peer (Venus vTokens, see peer-venus.ts) and an Aave v3 peer (see peer-aave.ts).
 *
 * Each protocol gets a fresh in-process network (`hre.network.create()`, same genesis, same
 * accounts), the same mock assets (a 6-decimal USDT, an 18-decimal WETH, and WBTC as the third
 * listed market), the same AggregatorV3 mock feeds and prices, and the risk parameters of
 * `ignition/config/default.json` (mapped onto Compound's parameters by `deployVenusPeer`, onto
 * Aave's by `deployAavePeer`). Then one scenario runs step by step on all three, and the gas used by each user operation is read from its
 * receipt. Every operation runs twice for the same user: the first time touches storage that is
 * still zero (first supply, first debt, first collateral seized…), the second time the warm,
 * non-zero case that dominates in production.
 *
 * Scenario (setup is not measured): a supplier deposits 1,000,000 USDT and seeds the WETH market
 * with 1 WETH; the borrower deposits 5 + 5 WETH, borrows 5,000 + 5,000 USDT, repays
 * 1,000 + 1,000, withdraws 1 + 1 WETH; WETH drops from $3,000 to $1,050 (liquidatable under both
 * Flux's 110% line, Compound's collateral factor and Aave's liquidation threshold); a third account liquidates 1,000 + 1,000 USDT
 * of the debt against the WETH collateral.
 */
import { loadavg } from "node:os";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { Contract, MaxUint256, parseUnits, type ContractTransactionReceipt, type ContractTransactionResponse } from "ethers";
import type { DeployConfig } from "../src/deploy/config.js";
import { loadDeployConfig } from "../src/deploy/config.js";
import { deployFlux } from "../src/deploy/deploy.js";
import type { FluxMarket, MockAggregator, MockERC20 } from "../types/ethers-contracts/index.js";
import type { Bench, BenchSection } from "./bench.js";
import { deployVenusPeer, expectNoFailure, PEER_DESCRIPTION, VENUS_PACKAGE, VENUS_VERSION } from "./peer-venus.js";
import { AAVE_DESCRIPTION, AAVE_PACKAGE, AAVE_VERSION, deployAavePeer } from "./peer-aave.js";
import type { Connection } from "../src/core/types.js";
import { renderTable } from "../src/core/format.js";

export const OPERATIONS = ["deposit", "borrow", "repay", "withdraw", "liquidate"] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface GasRow {
  operation: Operation;
  occurrence: 1 | 2;
  fluxGas: bigint;
  venusGas: bigint;
  aaveGas: bigint;
  /** fluxGas / venusGas */
  venusRatio: number;
  /** fluxGas / aaveGas */
  aaveRatio: number;
  /** Flux costs no more than either peer. */
  met: boolean;
}

export interface EndState {
  /** The borrower's USDT debt, base units. */
  debt: bigint;
  /** The borrower's WETH collateral, base units. */
  collateral: bigint;
}

export interface ProtocolRun {
  /** gasUsed per operation, in scenario order, e.g. `deposit#1`. */
  gas: Map<string, bigint>;
  /** Gas of transactions the protocol needs that the other does not (e.g. Compound's enterMarkets). */
  extras: Map<string, bigint>;
  end: EndState;
}

export interface MarketsGasResult {
  rows: GasRow[];
  flux: ProtocolRun;
  venus: ProtocolRun;
  aave: ProtocolRun;
  hardfork: string;
  /** os.loadavg() (1, 5, 15 minutes) when the run started and when it ended. */
  load: { start: number[]; end: number[] };
}

type Signer = Awaited<ReturnType<Connection["ethers"]["getSigners"]>>[number];

/** The scenario's measured steps, in order. Amounts in whole units of the asset. */
export const SCENARIO: readonly ({ op: Operation; amount: string } | { op: "price"; wethUsd: string })[] = [
  { op: "deposit", amount: "5" },
  { op: "deposit", amount: "5" },
  { op: "borrow", amount: "5000" },
  { op: "borrow", amount: "5000" },
  { op: "repay", amount: "1000" },
  { op: "repay", amount: "1000" },
  { op: "withdraw", amount: "1" },
  { op: "withdraw", amount: "1" },
  { op: "price", wethUsd: "1050" },
  { op: "liquidate", amount: "1000" },
  { op: "liquidate", amount: "1000" },
];
const COLLATERAL = "WETH";
const DEBT = "USDT";
const LIQUIDITY = "1000000"; // USDT supplied by the supplier
const SEED = "1"; // WETH supplied by the supplier, so the borrower is not the market's first supplier

/** Progress steps of one protocol run: deployment, setup, then each scenario step. */
const STEPS_PER_PROTOCOL = 2 + SCENARIO.length;
/** Progress steps of `runMarketsGasBench`. */
export const MARKETS_GAS_STEPS = 3 * STEPS_PER_PROTOCOL;

/** What the scenario needs from a lending protocol. Each method waits for its receipt. */
interface LendingProtocol {
  asset(symbol: string): MockERC20;
  feed(symbol: string): MockAggregator;
  marketAddress(symbol: string): Promise<string>;
  deposit(symbol: string, user: Signer, amount: bigint): Promise<ContractTransactionReceipt>;
  withdraw(symbol: string, user: Signer, amount: bigint): Promise<ContractTransactionReceipt>;
  borrow(symbol: string, user: Signer, amount: bigint): Promise<ContractTransactionReceipt>;
  repay(symbol: string, user: Signer, amount: bigint): Promise<ContractTransactionReceipt>;
  liquidate(debt: string, collateral: string, liquidator: Signer, borrower: Signer, amount: bigint): Promise<ContractTransactionReceipt>;
  /** One-time, protocol-specific preparation of a borrower (Compound: enterMarkets). */
  prepareBorrower(user: Signer, collateral: string): Promise<Map<string, bigint>>;
  endState(user: Signer): Promise<EndState>;
}

const receiptOf = async (tx: Promise<ContractTransactionResponse>, what: string): Promise<ContractTransactionReceipt> => {
  const receipt = await (await tx).wait();
  if (!receipt || receipt.status !== 1) throw new Error(`${what} failed`);
  return receipt;
};

/** `markets[symbol]`, or an error naming `protocol`. */
function entry<T>(markets: Record<string, T>, symbol: string, protocol: string): T {
  const m = markets[symbol];
  if (!m) throw new Error(`${protocol} has no ${symbol} market`);
  return m;
}

async function fluxProtocol(hre: HardhatRuntimeEnvironment, conn: Connection, cfg: DeployConfig): Promise<LendingProtocol> {
  const d = await deployFlux(hre, conn, cfg, { manifestDir: null });
  if (!d.markets) throw new Error("the config has no markets");
  const all = d.markets.markets;
  const get = (symbol: string) => entry(all, symbol, "Flux");
  const market = (symbol: string, who: Signer): FluxMarket => get(symbol).market.connect(who);
  return {
    asset: (s) => get(s).asset,
    feed: (s) => get(s).feed,
    marketAddress: (s) => get(s).market.getAddress(),
    deposit: (s, u, a) => receiptOf(market(s, u).deposit(a, u.address), `Flux deposit ${s}`),
    withdraw: (s, u, a) => receiptOf(market(s, u).withdraw(a, u.address), `Flux withdraw ${s}`),
    borrow: (s, u, a) => receiptOf(market(s, u).borrow(a, u.address), `Flux borrow ${s}`),
    repay: (s, u, a) => receiptOf(market(s, u).repay(a, u.address), `Flux repay ${s}`),
    liquidate: async (debt, collateral, liq, borrower, a) =>
      receiptOf(market(debt, liq).liquidate(borrower.address, a, await get(collateral).market.getAddress()), "Flux liquidate"),
    prepareBorrower: async () => new Map(),
    endState: async (u) => ({
      debt: await get(DEBT).market.debtOf(u.address),
      collateral: (await get(COLLATERAL).market.accountSnapshot(u.address)).supplied,
    }),
  };
}

async function venusProtocol(conn: Connection, cfg: DeployConfig): Promise<LendingProtocol> {
  if (!cfg.markets) throw new Error("the config has no markets");
  const p = await deployVenusPeer(conn, cfg.markets);
  const get = (symbol: string) => entry(p.markets, symbol, "the Venus peer");
  const send = async (c: Contract, who: Signer, fn: string, args: unknown[], what: string) => {
    const asUser = new Contract(c.target, c.interface, who);
    return expectNoFailure(c, (await asUser.getFunction(fn)(...args)) as ContractTransactionResponse, what);
  };
  const vToken = (symbol: string) => get(symbol).vToken;
  return {
    asset: (s) => get(s).asset,
    feed: (s) => get(s).feed,
    marketAddress: (s) => vToken(s).getAddress(),
    deposit: (s, u, a) => send(vToken(s), u, "mint", [a], `mint ${s}`),
    withdraw: (s, u, a) => send(vToken(s), u, "redeemUnderlying", [a], `redeemUnderlying ${s}`),
    borrow: (s, u, a) => send(vToken(s), u, "borrow", [a], `borrow ${s}`),
    repay: (s, u, a) => send(vToken(s), u, "repayBorrow", [a], `repayBorrow ${s}`),
    liquidate: async (debt, collateral, liq, borrower, a) =>
      send(vToken(debt), liq, "liquidateBorrow", [borrower.address, a, await vToken(collateral).getAddress()], "liquidateBorrow"),
    prepareBorrower: async (u, collateral) => {
      const r = await send(p.comptroller, u, "enterMarkets", [[await vToken(collateral).getAddress()]], "enterMarkets");
      return new Map([[`enterMarkets([v${collateral}])`, r.gasUsed]]);
    },
    endState: async (u) => {
      const v = vToken(COLLATERAL);
      const shares = (await v.getFunction("balanceOf")(u.address)) as bigint;
      const rate = (await v.getFunction("exchangeRateStored")()) as bigint;
      return {
        debt: (await vToken(DEBT).getFunction("borrowBalanceStored")(u.address)) as bigint,
        collateral: (shares * rate) / 10n ** 18n,
      };
    },
  };
}

async function aaveProtocol(conn: Connection, cfg: DeployConfig): Promise<LendingProtocol> {
  if (!cfg.markets) throw new Error("the config has no markets");
  const p = await deployAavePeer(conn, cfg.markets);
  const get = (symbol: string) => entry(p.markets, symbol, "the Aave peer");
  const pool = (who: Signer) => new Contract(p.pool.target, p.pool.interface, who);
  const addr = (symbol: string) => get(symbol).asset.getAddress();
  const VARIABLE = 2n;
  return {
    asset: (s) => get(s).asset,
    feed: (s) => get(s).feed,
    // The Pool pulls every payment (supply, repay, liquidation), so it is what users approve.
    marketAddress: () => p.pool.getAddress(),
    deposit: async (s, u, a) => receiptOf(pool(u).getFunction("supply")(await addr(s), a, u.address, 0), `Aave supply ${s}`),
    withdraw: async (s, u, a) => receiptOf(pool(u).getFunction("withdraw")(await addr(s), a, u.address), `Aave withdraw ${s}`),
    borrow: async (s, u, a) =>
      receiptOf(pool(u).getFunction("borrow")(await addr(s), a, VARIABLE, 0, u.address), `Aave borrow ${s}`),
    repay: async (s, u, a) => receiptOf(pool(u).getFunction("repay")(await addr(s), a, VARIABLE, u.address), `Aave repay ${s}`),
    // receiveAToken = true: the liquidator takes the collateral's aTokens, as Flux's takes shares.
    liquidate: async (debt, collateral, liq, borrower, a) =>
      receiptOf(pool(liq).getFunction("liquidationCall")(await addr(collateral), await addr(debt), borrower.address, a, true), "Aave liquidationCall"),
    prepareBorrower: async () => new Map(),
    endState: async (u) => ({
      debt: (await get(DEBT).variableDebtToken.getFunction("balanceOf")(u.address)) as bigint,
      collateral: (await get(COLLATERAL).aToken.getFunction("balanceOf")(u.address)) as bigint,
    }),
  };
}

/** Runs the setup and the scenario on one protocol and returns the gas of each measured step. */
async function runScenario(
  conn: Connection,
  protocol: LendingProtocol,
  step: (label: string) => void,
  name: string,
): Promise<ProtocolRun> {
  const signers = await conn.ethers.getSigners();
  const [supplier, borrower, liquidator] = [signers[10], signers[11], signers[12]];
  if (!supplier || !borrower || !liquidator) throw new Error("need 13 accounts");
  const units = async (symbol: string, amount: string) => parseUnits(amount, Number(await protocol.asset(symbol).decimals()));
  const fund = async (symbol: string, who: Signer, amount: bigint) => {
    const asset = protocol.asset(symbol);
    await receiptOf(asset.mint(who.address, amount), "mint");
    await receiptOf(asset.connect(who).approve(await protocol.marketAddress(symbol), MaxUint256), "approve");
  };

  // Setup (not measured): liquidity, a seeded collateral market, funded and approved accounts.
  const liquidity = await units(DEBT, LIQUIDITY);
  await fund(DEBT, supplier, liquidity);
  await protocol.deposit(DEBT, supplier, liquidity);
  const seed = await units(COLLATERAL, SEED);
  await fund(COLLATERAL, supplier, seed);
  await protocol.deposit(COLLATERAL, supplier, seed);
  let collateralNeeded = 0n;
  let liquidationsNeeded = 0n;
  for (const s of SCENARIO) {
    if (s.op === "deposit") collateralNeeded += await units(COLLATERAL, s.amount);
    if (s.op === "liquidate") liquidationsNeeded += await units(DEBT, s.amount);
  }
  await fund(COLLATERAL, borrower, collateralNeeded);
  await receiptOf(protocol.asset(DEBT).connect(borrower).approve(await protocol.marketAddress(DEBT), MaxUint256), "approve");
  await fund(DEBT, liquidator, liquidationsNeeded);
  const extras = await protocol.prepareBorrower(borrower, COLLATERAL);
  step(`${name}: setup`);

  const gas = new Map<string, bigint>();
  const seen = new Map<Operation, number>();
  for (const s of SCENARIO) {
    if (s.op === "price") {
      const feedDecimals = async (symbol: string) => Number(await protocol.feed(symbol).decimals());
      await receiptOf(protocol.feed(COLLATERAL).setAnswer(parseUnits(s.wethUsd, await feedDecimals(COLLATERAL))), "price");
      await receiptOf(protocol.feed(DEBT).setAnswer(parseUnits("1", await feedDecimals(DEBT))), "price");
      step(`${name}: ${COLLATERAL} → $${s.wethUsd}`);
      continue;
    }
    const n = (seen.get(s.op) ?? 0) + 1;
    seen.set(s.op, n);
    let receipt: ContractTransactionReceipt;
    switch (s.op) {
      case "deposit":
        receipt = await protocol.deposit(COLLATERAL, borrower, await units(COLLATERAL, s.amount));
        break;
      case "withdraw":
        receipt = await protocol.withdraw(COLLATERAL, borrower, await units(COLLATERAL, s.amount));
        break;
      case "borrow":
        receipt = await protocol.borrow(DEBT, borrower, await units(DEBT, s.amount));
        break;
      case "repay":
        receipt = await protocol.repay(DEBT, borrower, await units(DEBT, s.amount));
        break;
      case "liquidate":
        receipt = await protocol.liquidate(DEBT, COLLATERAL, liquidator, borrower, await units(DEBT, s.amount));
        break;
    }
    gas.set(`${s.op}#${n}`, receipt.gasUsed);
    step(`${name}: ${s.op} #${n}`);
  }
  return { gas, extras, end: await protocol.endState(borrower) };
}

/**
 * Measures the scenario on Flux (deployed by `deployFlux` with `cfg`), on the Venus peer and on the
 * Aave peer, each on a fresh in-process network, and returns one row per operation and occurrence.
 */
export async function runMarketsGasBench(
  hre: HardhatRuntimeEnvironment,
  cfg: DeployConfig,
  opts: { onStep?: (label: string) => void } = {},
): Promise<MarketsGasResult> {
  const step = opts.onStep ?? (() => {});
  const loadStart = loadavg();
  const fluxConn = await hre.network.create();
  const flux = await fluxProtocol(hre, fluxConn, cfg);
  step("Flux: deployed");
  const fluxRun = await runScenario(fluxConn, flux, step, "Flux");

  const venusConn = await hre.network.create();
  const venus = await venusProtocol(venusConn, cfg);
  step("Venus: deployed");
  const venusRun = await runScenario(venusConn, venus, step, "Venus");

  const aaveConn = await hre.network.create();
  const aave = await aaveProtocol(aaveConn, cfg);
  step("Aave: deployed");
  const aaveRun = await runScenario(aaveConn, aave, step, "Aave");

  const rows: GasRow[] = [];
  for (const [key, fluxGas] of fluxRun.gas) {
    const venusGas = venusRun.gas.get(key);
    const aaveGas = aaveRun.gas.get(key);
    if (venusGas === undefined || aaveGas === undefined) throw new Error(`a peer has no measurement for ${key}`);
    const [operation, n] = key.split("#") as [Operation, string];
    rows.push({
      operation,
      occurrence: Number(n) as 1 | 2,
      fluxGas,
      venusGas,
      aaveGas,
      venusRatio: Number(fluxGas) / Number(venusGas),
      aaveRatio: Number(fluxGas) / Number(aaveGas),
      met: fluxGas <= venusGas && fluxGas <= aaveGas,
    });
  }
  const hardfork = String((fluxConn.networkConfig as { hardfork?: unknown }).hardfork ?? "default");
  return { rows, flux: fluxRun, venus: venusRun, aave: aaveRun, hardfork, load: { start: loadStart, end: loadavg() } };
}

const ORDINAL = { 1: "1st", 2: "2nd" } as const;
const fmtGas = (g: bigint) => g.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const fmtUnits = (v: bigint, decimals: number, digits = 4) => (Number(v) / 10 ** decimals).toFixed(digits);
const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(2)).join(" / ");

/** Header, table and summary of a result. */
export function formatMarketsGasSection(r: MarketsGasResult): BenchSection {
  const table = renderTable(
    ["operation", "1st/2nd", "Flux gas", "Venus gas", "Aave gas", "Flux/Venus", "Flux/Aave", "goal"],
    r.rows.map((row) => [
      row.operation,
      ORDINAL[row.occurrence],
      fmtGas(row.fluxGas),
      fmtGas(row.venusGas),
      fmtGas(row.aaveGas),
      row.venusRatio.toFixed(3),
      row.aaveRatio.toFixed(3),
      row.met ? "met" : "NOT met",
    ]),
    ["l", "l", "r", "r", "r", "r", "r", "l"],
  );
  const label = (row: GasRow) => `${row.operation} ${ORDINAL[row.occurrence]}`;
  const met = r.rows.filter((row) => row.met);
  const missed = r.rows.filter((row) => !row.met);
  const summary =
    `Goal Flux <= Aave and Flux <= Venus: met for ${met.length}/${r.rows.length}` +
    (met.length ? ` (${met.map(label).join(", ")})` : "") +
    (missed.length
      ? `; NOT met for ${missed.map((row) => `${label(row)} (×${row.aaveRatio.toFixed(3)} Aave, ×${row.venusRatio.toFixed(3)} Venus)`).join(", ")}`
      : "") +
    ".";
  const extras = [
    ...[...r.venus.extras].map(([what, g]) => `Venus ${what} ${fmtGas(g)} gas`),
    ...[...r.aave.extras].map(([what, g]) => `Aave ${what} ${fmtGas(g)} gas`),
  ];
  const end = (e: EndState) => `debt ${fmtUnits(e.debt, 6, 2)} USDT, collateral ${fmtUnits(e.collateral, 18)} WETH`;
  const text = [
    `Flux vs a Compound v2 peer and an Aave v3 peer: gasUsed from receipts, each protocol on a fresh in-process network, same EVM (hardfork ${r.hardfork}), same run.`,
    "Scenario: 1,000,000 USDT of liquidity; borrower deposits 5 + 5 WETH, borrows 5,000 + 5,000 USDT, repays 1,000 + 1,000, withdraws 1 + 1 WETH;",
    "WETH $3,000 → $1,050; a third account liquidates 1,000 + 1,000 USDT against WETH. Markets USDT (6 dec), WETH (18), WBTC (8) listed on all three.",
    ...PEER_DESCRIPTION,
    ...AAVE_DESCRIPTION,
    "",
    table,
    "",
    summary,
    `One-time, not in the table: ${extras.length ? extras.join("; ") : "none"} (Flux needs no such transaction).`,
    `End state of the borrower: Flux ${end(r.flux.end)}; Venus ${end(r.venus.end)}; Aave ${end(r.aave.end)}.`,
    `Load average (1/5/15 min): ${fmtLoad(r.load.start)} at the start, ${fmtLoad(r.load.end)} at the end (gas does not depend on it; wall time does).`,
  ].join("\n");
  return {
    title: `Lending markets gas: Flux vs ${VENUS_PACKAGE}@${VENUS_VERSION} and ${AAVE_PACKAGE}@${AAVE_VERSION}`,
    text,
    goalsMet: missed.length === 0,
  };
}

/** The bench entry for scripts/bench.ts. */
export const marketsGasBench: Bench = {
  name: "markets-gas",
  steps: MARKETS_GAS_STEPS,
  async run(hre, progress) {
    const cfg = await loadDeployConfig("default");
    return formatMarketsGasSection(await runMarketsGasBench(hre, cfg, { onStep: (label) => progress.step(label) }));
  },
};
