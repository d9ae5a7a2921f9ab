/**
 * The web app in a real browser (Debian's Chromium driven by playwright-core) against a devnet
 * this test starts: a test wallet (test/helpers/test-wallet.ts) connects, the claim page shows
 * what the account can claim on each chain, the claim goes through, and each error state is said
 * in words; the dashboard's figures equal what the contracts return at the block it read; axe-core
 * finds no serious violation; screenshots of both pages at desktop and phone widths go to
 * reports/screenshots/ (not committed).
 */
import { expect } from "chai";
import { mkdir, readFile } from "node:fs/promises";
import { after, before, describe, it } from "mocha";
import { Contract, Interface, JsonRpcProvider, JsonRpcSigner } from "ethers";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { createServer, type ViteDevServer } from "vite";
import "./helpers/chai.js";
import { DEVNET } from "../local/devnet-chains.js";
import { startDetached, stopDevnet } from "../local/devnet-process.js";
import { manifestSchema } from "../src/manifest/index.js";
import { parseWith } from "../src/core/validate.js";
import { IRewardsDistributor__factory } from "../types/ethers-contracts/factories/contracts/emissions/interfaces/IRewardsDistributor__factory.js";
import { IEmissionSchedule__factory } from "../types/ethers-contracts/factories/contracts/emissions/interfaces/IEmissionSchedule__factory.js";
import { IFluxController__factory } from "../types/ethers-contracts/factories/contracts/markets/interfaces/IFluxController__factory.js";
import { IFluxMarket__factory } from "../types/ethers-contracts/factories/contracts/markets/interfaces/IFluxMarket__factory.js";
import { IFluxOracle__factory } from "../types/ethers-contracts/factories/contracts/markets/interfaces/IFluxOracle__factory.js";
import { testWalletScript } from "./helpers/test-wallet.js";
import { hardhat } from "./helpers/cli.js";
import { PROPOSAL_STATES } from "../src/governance/lifecycle.js";

/** A documented command that must succeed; its output. */
const hardhatOk = async (...args: string[]) => {
  const r = await hardhat(...args);
  if (r.code !== 0) throw new Error(`npx hardhat ${args.join(" ")} failed:\n${r.out}`);
  return r.out;
};
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = "reports/screenshots";
const CONFLUX = DEVNET.chains[0];
const url = (port: number) => `http://127.0.0.1:${port}`;
const RPCS = Object.fromEntries(DEVNET.chains.map((c) => [c.chainId, url(c.port)]));
/** Hardhat accounts 8 (the devnet's supplier: earns rewards), 5 (the guardian: pauses claims) and 18 (earns nothing). */
const SUPPLIER = "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f";
const GUARDIAN = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
const NOBODY = "0xdD2FD4581271e230360230F9337D5c0430Bf44C0";
/** Hardhat account 9, the devnet's borrower: also earns rewards. */
const BORROWER = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";

describe("web app (claim page and dashboard) in Chromium against the devnet", function () {
  this.timeout(900_000);
  let vite: ViteDevServer;
  let app: string;
  let browser: Browser;
  let conflux: JsonRpcProvider;
  let distributor: Contract;
  let amount: bigint;
  let timelock: string;

  before(async () => {
    await startDetached(".devnet");
    conflux = new JsonRpcProvider(url(CONFLUX.port), CONFLUX.chainId, { staticNetwork: true });
    const m = parseWith(manifestSchema, JSON.parse(await readFile(`deployments/${CONFLUX.network}.json`, "utf8")), CONFLUX.network);
    distributor = new Contract(m.contracts.rewardsDistributor!, IRewardsDistributor__factory.abi, conflux);
    timelock = m.contracts.timelock;
    // an epoch of rewards, published, its challenge window passed, activated
    await hardhatOk("emissions", "build", "--network", CONFLUX.network, "--out", "epochs/devnet-conflux/1", "--confirmations", "0", "--force");
    await hardhatOk("emissions", "publish", "--network", CONFLUX.network, "--dir", "epochs/devnet-conflux/1");
    await hardhatOk("devnet", "--advance", "2d");
    await (await (distributor.connect(await conflux.getSigner(0)) as Contract).getFunction("activateRoot")()).wait();
    const tree = JSON.parse(await readFile("epochs/devnet-conflux/1/tree.json", "utf8")) as { values: { value: [string, string] }[] };
    amount = BigInt(tree.values.find((v) => v.value[0].toLowerCase() === SUPPLIER.toLowerCase())!.value[1]);
    expect(amount).to.be.greaterThan(0n);
    vite = await createServer({ configFile: "app/vite.config.ts", logLevel: "error", server: { port: 0 } });
    await vite.listen();
    app = vite.resolvedUrls!.local[0]!;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    await mkdir(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await vite?.close();
    conflux?.destroy();
    await stopDevnet(".devnet").catch(() => {});
  });

  const open = async (file: string, o: { account?: string; wallet?: boolean; width?: number; known?: number[] } = {}): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ viewport: { width: o.width ?? 1280, height: 900 } });
    if (o.wallet !== false) await context.addInitScript(testWalletScript({ account: o.account ?? SUPPLIER, rpcs: { ...RPCS }, chainId: 56, known: o.known }));
    const page = await context.newPage();
    await page.goto(app + file);
    return { context, page };
  };
  const card = (page: Page, chainId: number) => page.locator(`article[data-chain="${chainId}"]`);
  const connect = async (page: Page) => {
    await page.getByRole("button", { name: "Connect Test Wallet" }).click();
    await page.locator(`article[data-chain="${CONFLUX.chainId}"][data-status]`).waitFor();
  };
  const seriousViolations = async (page: Page) =>
    (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`);

  it("says so when there is no wallet", async () => {
    const { context, page } = await open("index.html", { wallet: false });
    await expect(page.locator('[data-state="no-wallet"]').textContent()).to.eventually.match(/No wallet found/);
    await context.close();
  });

  it("connects, shows the claimable amount, refuses a wrong chain and a rejection in words, claims, then has nothing to claim", async () => {
    const { context, page } = await open("index.html");
    await connect(page);
    const c = card(page, CONFLUX.chainId);
    expect(await c.getAttribute("data-status")).to.equal("claimable");
    expect(await c.locator('[data-field="claimable"] .amount').getAttribute("data-wei")).to.equal(amount.toString());
    expect(await c.locator('[data-field="claimable"] .amount').getAttribute("title")).to.equal(`${amount} wei`);
    expect(await seriousViolations(page)).to.deep.equal([]);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${SHOTS}/claim-${width}.png`, fullPage: true });
    }
    const balance = BigInt((await c.locator('[data-field="balance"] .amount').getAttribute("data-wei"))!);
    // the wallet refuses to switch to Conflux eSpace: wrong chain
    await page.evaluate(() => ((globalThis as never as { testWallet: { state: { refuseSwitch: boolean } } }).testWallet.state.refuseSwitch = true));
    await c.getByRole("button", { name: /Claim/ }).click();
    await expect(c.locator("[data-tx]").textContent()).to.eventually.match(/^Wrong chain: the wallet is not on Conflux eSpace \(chain 1030\)/);
    await page.evaluate(() => ((globalThis as never as { testWallet: { state: { refuseSwitch: boolean } } }).testWallet.state.refuseSwitch = false));
    // the user rejects the transaction
    await page.evaluate(() => (globalThis as never as { testWallet: { state: { rejectNext: Set<string> } } }).testWallet.state.rejectNext.add("eth_sendTransaction"));
    await c.getByRole("button", { name: /Claim/ }).click();
    await page.locator('[data-tx="error"]', { hasText: "Transaction rejected in the wallet" }).waitFor();
    // and claims
    await c.getByRole("button", { name: /Claim/ }).click();
    await page.locator('[data-tx="ok"]').waitFor({ timeout: 60_000 });
    await page.locator(`article[data-chain="${CONFLUX.chainId}"][data-status="nothing-to-claim"]`).waitFor();
    expect(BigInt((await c.locator('[data-field="balance"] .amount').getAttribute("data-wei"))!)).to.equal(balance + amount);
    expect(await c.locator(".status").textContent()).to.match(/^Nothing to claim/);
    expect(await distributor.getFunction("claimed")(SUPPLIER)).to.equal(amount);
    // the operator publishes the next epoch: the page shows what the pending root adds and when it activates
    await hardhatOk("emissions", "build", "--network", CONFLUX.network, "--previous", "epochs/devnet-conflux/1", "--out", "epochs/devnet-conflux/2", "--confirmations", "0", "--force");
    await hardhatOk("emissions", "publish", "--network", CONFLUX.network, "--dir", "epochs/devnet-conflux/2");
    const tree2 = JSON.parse(await readFile("epochs/devnet-conflux/2/tree.json", "utf8")) as { values: { value: [string, string] }[] };
    const amount2 = BigInt(tree2.values.find((v) => v.value[0].toLowerCase() === SUPPLIER.toLowerCase())!.value[1]);
    expect(amount2).to.be.greaterThan(amount);
    await page.evaluate(() => (globalThis as never as { fluxClaim: { refresh(): Promise<void> } }).fluxClaim.refresh());
    expect(BigInt((await c.locator('[data-field="pendingAdds"] .amount').getAttribute("data-wei"))!)).to.equal(amount2 - amount);
    const pending = await distributor.getFunction("pendingRoot")();
    const [, , , , , window] = await distributor.getFunction("config")();
    expect(await c.locator('[data-field="activates"] small').textContent()).to.equal(`(${new Date(Number(pending.submittedAt + window) * 1000).toISOString().replace(".000Z", "Z")})`);
    expect(await c.locator('[data-field="activates"]').textContent()).to.match(/^in (23 h|1 d 0 h)/);
    expect(await c.getAttribute("data-status")).to.equal("root-pending");
    expect(await c.locator(".status").textContent()).to.match(/^Nothing to claim yet: the pending root adds rewards/);
    await context.close();
  });

  it("says when the account is not in the tree, when claims are paused, and when an RPC is unreachable", async () => {
    const { context, page } = await open("index.html", { account: NOBODY });
    await page.route(`${RPCS[128]}/**`, (r) => r.abort());
    await page.route(RPCS[128]!, (r) => r.abort());
    await connect(page);
    await page.locator(`article[data-chain="${CONFLUX.chainId}"][data-status="not-in-tree"]`).waitFor();
    await page.locator('article[data-chain="128"][data-status="unreachable"]').waitFor();
    expect(await card(page, 128).textContent()).to.include(`RPC unreachable (${RPCS[128]})`);
    await context.close();
    // the borrower can claim; the guardian pauses claims after the page read them: the claim is
    // refused before anything is sent, with the decoded error; read again, the page says paused
    // a wallet that knows only BNB Chain: the page adds Conflux eSpace (wallet_addEthereumChain) before switching
    const p = await open("index.html", { account: BORROWER, known: [56] });
    await connect(p.page);
    const c = card(p.page, CONFLUX.chainId);
    expect(await c.getAttribute("data-status")).to.equal("claimable");
    const guardian = distributor.connect(await conflux.getSigner(GUARDIAN)) as Contract;
    await (await guardian.getFunction("pause")()).wait();
    try {
      await c.getByRole("button", { name: /Claim/ }).click();
      await expect(c.locator('[data-tx="error"]').textContent()).to.eventually.equal("Transaction reverted: DistributorPaused(). Nothing was sent.");
      const added = await p.page.evaluate(() => (globalThis as never as { testWallet: { state: { added: unknown[]; chainId: number } } }).testWallet.state);
      expect(added.added).to.deep.equal([{ chainId: CONFLUX.chainId, chainName: "Conflux eSpace", rpc: RPCS[CONFLUX.chainId], symbol: "CFX" }]);
      expect(added.chainId).to.equal(CONFLUX.chainId);
      await p.page.evaluate(() => (globalThis as never as { fluxClaim: { refresh(): Promise<void> } }).fluxClaim.refresh());
      await p.page.locator(`article[data-chain="${CONFLUX.chainId}"][data-status="paused"]`).waitFor();
      expect(await c.locator(".status").textContent()).to.match(/^Claims are paused on this chain/);
      expect(await c.getByRole("button", { name: /Claim/ }).isDisabled()).to.equal(true);
    } finally {
      // only the Timelock unpauses
      await conflux.send("hardhat_impersonateAccount", [timelock]);
      await conflux.send("hardhat_setBalance", [timelock, "0xde0b6b3a7640000"]);
      await (await (distributor.connect(new JsonRpcSigner(conflux, timelock)) as Contract).getFunction("unpause")()).wait();
      await p.context.close();
    }
  });

  it("dashboard: every figure equals what the contracts return at the block it read, in one Multicall3 call per chain", async () => {
    const { context, page } = await open("dashboard.html");
    await page.locator("body[data-ready]").waitFor();
    const calls: string[] = [];
    page.on("request", (r) => {
      const body = r.postData();
      if (body?.includes('"eth_call"')) calls.push(r.url());
    });
    await page.evaluate(() => (globalThis as never as { fluxRefresh: () => Promise<void> }).fluxRefresh());
    for (const c of DEVNET.chains) expect(calls.filter((u) => u.startsWith(url(c.port))), c.network).to.have.length(1);
    const m = parseWith(manifestSchema, JSON.parse(await readFile(`deployments/${CONFLUX.network}.json`, "utf8")), CONFLUX.network);
    const article = card(page, CONFLUX.chainId);
    for (const c of DEVNET.chains) expect(await card(page, c.chainId).getAttribute("data-status"), (await card(page, c.chainId).textContent()) ?? "").to.equal(null);
    const block = Number(await article.getAttribute("data-block"));
    const now = BigInt((await article.getAttribute("data-now"))!);
    const schedule = new Contract(m.contracts.emissionSchedule!, IEmissionSchedule__factory.abi, conflux);
    const sid = m.scheduleChainId ?? m.chainId;
    const wei = async (field: string) => BigInt((await article.locator(`[data-field="${field}"] .amount`).first().getAttribute("data-wei"))!);
    const scheduledNow = (await schedule.getFunction("cumulativeEmission")(sid, now, { blockTag: block })) as bigint;
    expect(await wei("scheduledNow")).to.equal(scheduledNow);
    expect(await wei("ratePerDay")).to.equal((await schedule.getFunction("cumulativeEmission")(sid, now + 86_400n, { blockTag: block })) - scheduledNow);
    expect(await wei("totalClaimed")).to.equal((await distributor.getFunction("totals")({ blockTag: block })).totalClaimed);
    const pendingRoot = await distributor.getFunction("pendingRoot")({ blockTag: block });
    expect(await article.locator('[data-root="Pending root"] [data-field="root"]').textContent()).to.equal(pendingRoot.root);
    const active = await distributor.getFunction("activeRoot")({ blockTag: block });
    expect(await article.locator('[data-root="Active root"] [data-field="root"]').textContent()).to.equal(active.root);
    expect(BigInt((await article.locator('[data-root="Active root"] [data-field="total"] .amount').getAttribute("data-wei"))!)).to.equal(active.total);
    const controller = new Contract(m.contracts.controller!, IFluxController__factory.abi, conflux);
    const oracle = new Contract(m.contracts.oracle!, IFluxOracle__factory.abi, conflux);
    for (const [symbol, mk] of Object.entries(m.markets ?? {})) {
      const state = await new Contract(mk.market, IFluxMarket__factory.abi, conflux).getFunction("marketState")({ blockTag: block });
      const cfg = await controller.getFunction("marketConfig")(mk.market, { blockTag: block });
      const row = article.locator(`tr[data-market="${symbol}"]`);
      expect(await row.locator('[data-field="supply"] .amount').getAttribute("data-raw")).to.equal(state.totalAssets.toString());
      expect(await row.locator('[data-field="borrow"] .amount').getAttribute("data-raw")).to.equal(state.totalBorrows.toString());
      expect(await row.locator('[data-field="utilization"]').getAttribute("data-raw")).to.equal(state.utilization.toString());
      expect(await row.locator('[data-field="borrowRate"]').getAttribute("data-raw")).to.equal(state.borrowRatePerYear.toString());
      expect(await row.locator('[data-field="supplyRate"]').getAttribute("data-raw")).to.equal(state.supplyRatePerYear.toString());
      expect(await row.locator('[data-field="collateralRatio"]').getAttribute("data-raw")).to.equal(cfg.collateralRatioBps.toString());
      for (const [field, cap] of [["supplyCap", cfg.supplyCap], ["borrowCap", cfg.borrowCap]] as const) {
        const shown = row.locator(`[data-field="${field}"] .amount`);
        if (cap === 2n ** 256n - 1n) expect(await row.locator(`[data-field="${field}"]`).textContent()).to.equal("none");
        else expect(await shown.getAttribute("data-raw")).to.equal(cap.toString());
      }
      // the price's age, and whether the oracle would refuse it as stale (the devnet's clock moved 2 days)
      const feed = await oracle.getFunction("feedOf")(mk.asset, { blockTag: block });
      const round = await new Contract(mk.feed!, ["function latestRoundData() view returns (uint80, int256 answer, uint256, uint256 updatedAt, uint80)"], conflux).getFunction("latestRoundData")({ blockTag: block });
      expect(await row.locator('[data-field="priceAge"]').getAttribute("data-raw")).to.equal(round.updatedAt.toString());
      expect(await row.locator('[data-field="priceAge"]').getAttribute("data-stale")).to.equal(String(round.updatedAt + feed.heartbeat < now));
      expect(await row.locator('[data-field="price"]').getAttribute("data-raw")).to.equal(((round.answer * 10n ** feed.scaleExponent * 10n ** BigInt(mk.decimals)) / 10n ** 18n).toString());
    }
    const governor = new Contract(m.contracts.governor, new Interface(["function state(uint256) view returns (uint8)", "function proposalVotes(uint256) view returns (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes)", "function quorum(uint256) view returns (uint256)", "function proposalSnapshot(uint256) view returns (uint256)"]), conflux);
    const rows = article.locator("tr[data-proposal]");
    expect(await rows.count()).to.be.greaterThan(0);
    for (let i = 0; i < (await rows.count()); i++) {
      const id = BigInt((await rows.nth(i).getAttribute("data-proposal"))!);
      const votes = await governor.getFunction("proposalVotes")(id, { blockTag: block });
      expect(BigInt((await rows.nth(i).locator('[data-field="for"] .amount').getAttribute("data-wei"))!)).to.equal(votes.forVotes);
      expect(BigInt((await rows.nth(i).locator('[data-field="against"] .amount').getAttribute("data-wei"))!)).to.equal(votes.againstVotes);
      expect(BigInt((await rows.nth(i).locator('[data-field="abstain"] .amount').getAttribute("data-wei"))!)).to.equal(votes.abstainVotes);
      expect(await rows.nth(i).locator('[data-field="state"]').textContent()).to.equal(PROPOSAL_STATES[Number(await governor.getFunction("state")(id, { blockTag: block }))]);
      const quorum = await governor.getFunction("quorum")(await governor.getFunction("proposalSnapshot")(id), { blockTag: block });
      expect(await rows.nth(i).locator('[data-field="quorum"]').getAttribute("data-raw")).to.equal(quorum.toString());
      expect(await rows.nth(i).locator("a").getAttribute("href")).to.equal(`https://www.tally.xyz/gov/flux-${CONFLUX.network}/proposal/${id}`);
    }
    expect(await seriousViolations(page)).to.deep.equal([]);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${SHOTS}/dashboard-${width}.png`, fullPage: true });
    }
    await context.close();
  });
});
