/**
 * The shipped network configs (`ignition/config/*.json`) describe governance, markets and
 * emissions with the chains' real addresses, each beside its source:
 *  - every shipped config parses; the real networks' markets name real assets and feeds, and a
 *    market without a usable feed (Conflux eSpace, HECO) carries the reason, which a deployment
 *    gives in one line before any transaction;
 *  - a deployment of bsc.json on an in-process network under chain id 56 (where the real
 *    contracts do not exist) is refused before any transaction, naming every missing contract;
 *    with contracts planted at those addresses it deploys and records them;
 *  - without its markets, conflux.json deploys governance and emissions, the deployer as operator.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { promisify } from "node:util";
import path from "node:path";
import hre from "hardhat";
import { describe, it } from "mocha";
import "./helpers/chai.js";
import { assertDeployable, CONFIG_DIR, loadDeployConfig, parseDeployConfig, undeployableMarkets, type DeployConfig } from "../src/deploy/config.js";
import { deployFlux } from "../src/deploy/deploy.js";
import { MarketsDeployError } from "../src/deploy/markets.js";
import { InputError } from "../src/core/errors.js";

const BSC = {
  USDT: { asset: "0x55d398326f99059fF775485246999027B3197955", feed: "0xB97Ad0E74fa7d920791E90258A6E2085088b4320" },
  WETH: { asset: "0x2170Ed0880ac9A755fd29B2688956BD959F933F8", feed: "0x9ef1B8c0E4F7dc8bF5719Ea496883DC6401d5b2e" },
  WBTC: { asset: "0x7130d2A12B9BCbFAe4f2634d864A1Ee1Ce3Ead9c", feed: "0x264990fbd0A4796A3E3d8E37C4d5F87a3aCa5Ebf" },
} as const;
const CONFLUX_ASSETS = { USDT: "0xfe97E85d13ABD9c1c33384E796F10B73905637cE", WETH: "0xa47f43DE2f9623aCb395CA4905746496D2014d57", WBTC: "0x1F545487c62e5ACfEa45dcAdd9c627361d1616D8" };
const HECO_ASSETS = { USDT: "0xa71EdC38d189767582C38A3145b5873052c3e47a", WETH: "0x64FF637fB478863B7468bc97D30a5bF3A428a1fD", WBTC: "0x66a79D23E58475D2738179Ca52cd0b41d73f0BEa" };

const raw = async (network: string) => JSON.parse(await readFile(path.join(CONFIG_DIR, `${network}.json`), "utf8")) as Record<string, unknown>;

describe("shipped network configs", () => {
  it("every shipped config parses; the real networks' describe markets and emissions on the three chains", async () => {
    for (const file of await readdir(CONFIG_DIR)) {
      const cfg = await loadDeployConfig(path.basename(file, ".json"));
      expect(cfg.token.symbol).to.equal("FLUX");
    }
    for (const [network, chainId] of [["conflux", 1030], ["bsc", 56], ["heco", 128]] as const) {
      const cfg = await loadDeployConfig(network);
      expect(cfg.chainId).to.equal(chainId);
      expect(cfg.markets!.list.map((m) => m.symbol)).to.deep.equal(["USDT", "WETH", "WBTC"]);
      expect(cfg.emissions).to.deep.include({ start: "deploy", ratePerDay: 20_000n * 10n ** 18n, declinePerDay: 0n, chainIds: [1030, 56, 128], scheduleChainId: chainId, operator: "deployer" });
    }
  });

  it("names every real address beside its source", async () => {
    for (const network of ["conflux", "bsc", "heco"]) {
      const markets = (await raw(network)).markets as { list: { symbol: string; asset: unknown; feed: unknown }[] };
      for (const m of markets.list) {
        expect(m.asset, `${network} ${m.symbol} asset`).to.have.keys("address", "source");
        const feed = m.feed as Record<string, string>;
        if ("unavailable" in feed) expect(feed.unavailable, `${network} ${m.symbol}`).to.match(/sources?: /);
        else expect(feed, `${network} ${m.symbol} feed`).to.have.keys("address", "source");
      }
    }
  });

  it("bsc.json: the real BNB Chain assets and Chainlink feeds; every market deployable", async () => {
    const cfg = await loadDeployConfig("bsc");
    for (const m of cfg.markets!.list) {
      const want = BSC[m.symbol as keyof typeof BSC];
      expect(m.asset).to.equal(want.asset);
      expect(m.feed).to.equal(want.feed);
    }
    expect(undeployableMarkets(cfg)).to.deep.equal([]);
    expect(() => assertDeployable(cfg, "bsc")).to.not.throw();
  });

  it("conflux.json and heco.json: real assets, no usable feed; refused in one line giving the reason", async () => {
    for (const [network, assets, reason] of [
      ["conflux", CONFLUX_ASSETS, /no AggregatorV3 price feed exists on Conflux eSpace: Chainlink does not serve the chain.*0x5286BD91e2C79fE066926a15193C7e531bBF6750.*needs an adapter/],
      ["heco", HECO_ASSETS, /HECO is historical: Chainlink deprecated every HECO data feed on 2022-11-23.*shutdown was announced for 2025-01-15/],
    ] as const) {
      const cfg = await loadDeployConfig(network);
      expect(Object.fromEntries(cfg.markets!.list.map((m) => [m.symbol, m.asset]))).to.deep.equal(assets);
      const reasons = undeployableMarkets(cfg);
      expect(reasons).to.have.length(1); // one reason shared by the three markets, given once
      expect(reasons[0]).to.match(/^USDT, WETH, WBTC \(markets\.list\.0\.feed, markets\.list\.1\.feed, markets\.list\.2\.feed\): /);
      expect(() => assertDeployable(cfg, `ignition/config/${network}.json`))
        .to.throw(InputError)
        .with.property("message")
        .that.matches(new RegExp(`^ignition/config/${network}\\.json: refused before any transaction: markets without a price feed: `))
        .and.matches(reason)
        .and.matches(/Remove them from markets\.list \(or remove the markets section\) to deploy the rest$/)
        .and.does.not.include("\n");
    }
  });

  it("refuses a bad feed or asset entry, naming the field", async () => {
    const cases: [string, (c: { markets: { list: Record<string, unknown>[] } }) => void, RegExp][] = [
      ["an empty reason", (c) => { c.markets.list[0]!.feed = { unavailable: "" }; }, /markets\.list\.0\.feed/],
      ["a bad checksum beside a source", (c) => { c.markets.list[1]!.asset = { address: "0x2170ed0880ac9A755fd29B2688956BD959F933F8", source: "x" }; }, /markets\.list\.1\.asset/],
      ["an address without its source text", (c) => { c.markets.list[2]!.feed = { address: BSC.WBTC.feed, source: "" }; }, /markets\.list\.2\.feed/],
      ["an unknown key beside the address", (c) => { c.markets.list[0]!.asset = { address: BSC.USDT.asset, source: "x", decimals: 18 }; }, /markets\.list\.0\.asset/],
    ];
    for (const [name, mutate, field] of cases) {
      const json = (await raw("bsc")) as unknown as { markets: { list: Record<string, unknown>[] } };
      mutate(json);
      expect(() => parseDeployConfig(json, "ignition/config/bsc.json"), name).to.throw(InputError, field);
    }
  });
});

describe("deploying the shipped configs on in-process networks under their chain ids", () => {
  async function network(chainId: number) {
    const conn = await hre.network.create({ network: "default", override: { chainId } });
    return { conn, block: await conn.ethers.provider.getBlockNumber() };
  }

  it("bsc.json under chain 56: refused before any transaction, naming every asset and feed with no contract", async () => {
    const { conn, block } = await network(56);
    const err = await deployFlux(hre, conn, await loadDeployConfig("bsc"), { manifestDir: null, networkName: "bsc" }).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(MarketsDeployError);
    const message = (err as Error).message;
    expect(message).to.match(/^on chain 56: markets\.list\.0\.asset \(USDT\): no contract at 0x55d398326f99059fF775485246999027B3197955; /);
    for (const [symbol, a] of Object.entries(BSC)) {
      expect(message).to.include(`(${symbol}): no contract at ${a.asset}`);
      expect(message).to.include(`(${symbol}): no contract at ${a.feed}`);
    }
    expect(message).to.not.include("\n");
    expect(await conn.ethers.provider.getBlockNumber()).to.equal(block);
  });

  it("bsc.json under chain 56 with contracts at the real addresses: deploys the markets and records the real assets and feeds", async function () {
    this.timeout(300_000);
    const { conn } = await network(56);
    const { ethers } = conn;
    // ERC-20s of 18 decimals and 8-decimal feeds planted at the real addresses (decimals are immutables, so they come with the code)
    const token = await ethers.deployContract("MockERC20", ["Planted", "P", 18]);
    const feed = await ethers.deployContract("MockAggregator", [8, 100_000_000n]);
    for (const a of Object.values(BSC)) {
      await conn.networkHelpers.setCode(a.asset, await ethers.provider.getCode(await token.getAddress()));
      await conn.networkHelpers.setCode(a.feed, await ethers.provider.getCode(await feed.getAddress()));
    }
    const d = await deployFlux(hre, conn, await loadDeployConfig("bsc"), { manifestDir: null, networkName: "bsc" });
    for (const [symbol, a] of Object.entries(BSC)) {
      expect(d.manifest.markets![symbol]).to.deep.include({ asset: a.asset, feed: a.feed, decimals: 18 });
    }
    expect(d.manifest.scheduleChainId).to.equal(56);
    const [deployer] = await ethers.getSigners();
    expect((await d.emissions!.distributor.config()).operator).to.equal(deployer!.address);
  });

  it("conflux.json under chain 1030: refused before any transaction with the reason; without its markets it deploys governance and emissions, the deployer as operator", async function () {
    this.timeout(300_000);
    const { conn, block } = await network(1030);
    const cfg = await loadDeployConfig("conflux");
    await expect(deployFlux(hre, conn, cfg, { manifestDir: null, networkName: "conflux" }))
      .to.be.rejectedWith(InputError, /^network "conflux": refused before any transaction: markets without a price feed: USDT, WETH, WBTC .*no AggregatorV3 price feed exists on Conflux eSpace/);
    expect(await conn.ethers.provider.getBlockNumber()).to.equal(block);

    const lines: string[] = [];
    const withoutMarkets: DeployConfig = { ...cfg, markets: undefined };
    const d = await deployFlux(hre, conn, withoutMarkets, { manifestDir: null, networkName: "conflux", log: (l) => lines.push(l) });
    const [deployer] = await conn.ethers.getSigners();
    expect(d.markets).to.equal(undefined);
    expect(d.manifest.scheduleChainId).to.equal(1030);
    expect((await d.emissions!.distributor.config()).operator).to.equal(deployer!.address);
    expect(lines.join("\n")).to.match(/Emissions operator: the deployer, 0x[0-9a-fA-F]{40}/);
    expect(lines.join("\n")).to.match(/Warning: no emissions guardian: .* 691200 s .* longer than the 86400 s challenge window/);
  });

  it("`npx hardhat run scripts/deploy.ts --network heco` refuses in one line with exit code 1, before connecting (no RPC URL needed)", async function () {
    this.timeout(120_000);
    const npx = process.platform === "win32" ? "npx.cmd" : "npx";
    const env = { ...process.env, HECO_RPC_URL: "", DEPLOYER_PRIVATE_KEY: "" };
    const r = await promisify(execFile)(npx, ["hardhat", "run", "scripts/deploy.ts", "--network", "heco"], { env }).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(r.code).to.equal(1);
    expect(r.stderr.trim()).to.match(/^error: ignition\/config\/heco\.json: refused before any transaction: markets without a price feed: USDT, WETH, WBTC .*HECO is historical/);
    expect(r.stderr.trim()).to.not.include("\n");
  });
});
