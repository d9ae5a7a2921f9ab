/**
 * The keeper against the devnet, as operators run it: `npx hardhat keeper --network devnet-bsc`
 * in child processes (a dry run that sends nothing; two keepers racing for the same accounts after
 * a price drop, stopped with Ctrl-C; a stale feed with `--once` for cron), and the keeper's code
 * in this process behind a TCP proxy that drops the RPC in the middle of a run; and the watcher,
 * `npx hardhat watch`, in a child process beside them, with the guardian's revoke command it prints.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import { Contract, JsonRpcProvider, parseUnits, ZeroHash, type JsonRpcSigner } from "ethers";
import { after, before, describe, it } from "mocha";
import "./helpers/chai.js";
import { DEVNET } from "../local/devnet-chains.js";
import { HARDHAT_CLI } from "../local/devnet.js";
import { startDetached, stopDevnet } from "../local/devnet-process.js";
import { readManifest, type Manifest } from "../src/manifest/index.js";
import { keeperCommand, LOCAL_KEEPER } from "../src/keeper/command.js";
import { hardhat } from "./helpers/cli.js";
import { referenceTree } from "./helpers/emissions.js";

const NETWORK = "devnet-bsc";
const PORT = DEVNET.chains.find((c) => c.network === NETWORK)!.port;
const ERC20 = ["function mint(address to, uint256 amount)", "function approve(address spender, uint256 amount) returns (bool)"];
const MARKET = [
  "function deposit(uint256 assets, address receiver) returns (uint256)",
  "function borrow(uint256 assets, address receiver)",
  "event Liquidate(address indexed liquidator, address indexed borrower, address indexed collateralMarket, uint256 repaid, uint256 seizedShares, uint256 accountDebt)",
];
const FEED = ["function setAnswer(int256 answer)"];
const DISTRIBUTOR = [
  "function submitRoot(bytes32 root, uint256 total, uint64 epochEnd, bytes32 contentHash)",
  "function pendingRoot() view returns ((bytes32 root, uint128 total, uint64 epochEnd, uint64 submittedAt, bytes32 contentHash))",
  "function config() view returns (address token, address schedule, uint256 chainId, address operator, address guardian, uint64 challengeWindow, bool paused)",
];

/** `npx hardhat <task> --network devnet-bsc …` in a child process, its output collected line by line. */
function startTask(task: string, args: string[]): { child: ChildProcess; out: () => string; waitFor(re: RegExp, ms?: number): Promise<string>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [HARDHAT_CLI, task, "--network", NETWORK, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout!.on("data", (d) => (text += d));
  child.stderr!.on("data", (d) => (text += d));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    out: () => text,
    exit,
    async waitFor(re, ms = 60_000) {
      const deadline = Date.now() + ms;
      while (!re.test(text)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${re} in:\n${text}`);
        if (child.exitCode !== null) throw new Error(`${task} exited (${child.exitCode}) before ${re}:\n${text}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return re.exec(text)![0];
    },
  };
}

/** A TCP proxy to the devnet chain that can drop every connection and refuse new ones for a while. */
async function rpcProxy(target: number) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const up = net.connect(target, "127.0.0.1");
        sockets.add(client).add(up);
        client.pipe(up).pipe(client);
        const drop = () => {
          client.destroy();
          up.destroy();
        };
        client.on("error", drop).on("close", drop);
        up.on("error", drop).on("close", drop);
      });
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  await listen();
  return {
    url: () => `http://127.0.0.1:${port}`,
    /** Stops listening (new connections are refused) and cuts every open connection. */
    async down() {
      const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
      for (const s of sockets) s.destroy();
      sockets.clear();
      await closed;
    },
    up: listen,
    close() {
      for (const s of sockets) s.destroy();
      server?.close();
    },
  };
}

describe("keeper on the devnet", function () {
  this.timeout(600_000);
  const state = ".devnet";
  let provider: JsonRpcProvider;
  let manifest: Manifest;
  let admin: JsonRpcSigner;
  let tmp: string;
  const at = (symbol: string) => manifest.markets![symbol]!;

  before(async () => {
    await startDetached(state);
    provider = new JsonRpcProvider(`http://127.0.0.1:${PORT}`, undefined, { staticNetwork: true, pollingInterval: 200 });
    manifest = await readManifest(NETWORK);
    admin = await provider.getSigner(0);
    tmp = await mkdtemp(path.join(os.tmpdir(), "flux-keeper-devnet-"));
  });
  after(async () => {
    provider?.destroy();
    await stopDevnet(state).catch(() => {});
  });

  const setPrice = async (symbol: string, usd: string) => {
    const tx = await new Contract(at(symbol).feed, FEED, admin).getFunction("setAnswer")(parseUnits(usd, 8));
    return (await tx.wait())!.blockNumber;
  };
  /** Account `index` deposits `weth` WETH and borrows `usdt` USDT. */
  const openPosition = async (index: number, weth: string, usdt: string) => {
    const who = await provider.getSigner(index);
    const w = at("WETH");
    await (await new Contract(w.asset, ERC20, admin).getFunction("mint")(who.address, parseUnits(weth, 18))).wait();
    await (await new Contract(w.asset, ERC20, who).getFunction("approve")(w.market, parseUnits(weth, 18))).wait();
    await (await new Contract(w.market, MARKET, who).getFunction("deposit")(parseUnits(weth, 18), who.address)).wait();
    await (await new Contract(at("USDT").market, MARKET, who).getFunction("borrow")(parseUnits(usdt, 6), who.address)).wait();
    return who.address;
  };
  const liquidationsOf = async (borrower: string) => {
    const m = new Contract(at("USDT").market, MARKET, provider);
    return m.queryFilter(m.filters.Liquidate!(null, borrower));
  };

  it("--once --dry-run on a healthy devnet: decides, sends nothing, exits 0", async () => {
    const nonce = await provider.getTransactionCount(LOCAL_KEEPER);
    const r = await hardhat("keeper", "--network", NETWORK, "--once", "--dry-run", "--checkpoint", path.join(tmp, "dry.json"));
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.include(`signing as keeper ${LOCAL_KEEPER} on ${NETWORK} (chain 56) (dry run: nothing is sent)`);
    expect(r.out).to.match(/watching 1 borrowers from block \d+; inventory 1,000,000 USDT, 10 WBTC, 100 WETH/);
    expect(r.out).to.match(/done: 0 liquidated, 0 written off, 0 skipped, 0 left liquidatable$/m);
    expect(await provider.getTransactionCount(LOCAL_KEEPER)).to.equal(nonce);
  });

  it("two keepers race after a price drop: the account is liquidated within one block, once, and neither crashes; Ctrl-C stops both", async () => {
    const borrower = await openPosition(12, "10", "20000"); // $30,000 of WETH for $20,000: health 150%
    // a second keeper (account 11, whose key the node holds) with its own inventory
    const second = (await provider.getSigner(11)).address;
    await (await new Contract(at("USDT").asset, ERC20, admin).getFunction("mint")(second, parseUnits("100000", 6))).wait();
    const common = ["--poll-ms", "100", "--confirmations", "2"];
    const a = startTask("keeper", [...common, "--checkpoint", path.join(tmp, "a.json")]);
    const b = startTask("keeper", [...common, "--checkpoint", path.join(tmp, "b.json"), "--from", second]);
    try {
      await a.waitFor(/watching 2 borrowers/);
      await b.waitFor(/watching 2 borrowers/);
      await new Promise((r) => setTimeout(r, 1500)); // their approvals
      const priceBlock = await setPrice("WETH", "2150"); // health 107.5%
      await a.waitFor(/liquidate: .* mined in block \d+|FAILED/, 30_000).catch(() => b.waitFor(/liquidate: .* mined in block \d+/, 30_000));
      await new Promise((r) => setTimeout(r, 3000)); // both keepers look again at the next blocks
      const events = await liquidationsOf(borrower);
      expect(events, a.out() + b.out()).to.have.length(1);
      expect(events[0]!.blockNumber - priceBlock, "blocks from the price to the liquidation").to.be.at.most(2);
      const winner = [a, b].find((k) => / liquidate: .* mined in block/.test(k.out()))!;
      const decided = Number(/block (\d+) account [^\n]* liquidate: .* mined in block/.exec(winner.out())![1]);
      expect(decided - priceBlock, "blocks from the price to the keeper's decision").to.be.at.most(1);
    } finally {
      a.child.kill("SIGINT");
      b.child.kill("SIGINT");
    }
    const [ca, cb] = await Promise.all([a.exit, b.exit]);
    for (const [k, code] of [[a, ca], [b, cb]] as const) {
      expect(code, k.out()).to.equal(0);
      expect(k.out()).to.include("stopping after the current transaction");
      expect(k.out()).to.match(/stopped\n/);
      expect(k.out()).to.not.match(/^error:|unexpected/m);
    }
  });

  it("the RPC drops in the middle of a run: the keeper retries with backoff, then liquidates", async () => {
    await setPrice("WETH", "3000");
    const borrower = await openPosition(13, "10", "20000");
    const proxy = await rpcProxy(PORT);
    const conn = await hre.network.create({ network: NETWORK, override: { url: proxy.url() } });
    const lines: string[] = [];
    const control = { stop: false };
    const args = { once: false, dryRun: false, minProfitUsd: "0", nativeUsd: "", checkpoint: path.join(tmp, "proxy.json"), confirmations: 2, pollMs: 100, txTimeout: 10, from: "" };
    const running = keeperCommand({ conn, manifest }, args, {
      control,
      log: (l) => {
        lines.push(l);
        if (/ liquidate: .* mined/.test(l) && l.includes(borrower)) control.stop = true;
      },
    });
    let failure: unknown;
    running.catch((e) => (failure = e));
    const until = async (what: string, ok: () => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      while (!ok()) {
        if (failure) throw failure;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${lines.join("\n")}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    try {
      await until("the keeper to start", () => lines.some((l) => / watching /.test(l)), 60_000);
      await new Promise((r) => setTimeout(r, 1000)); // its approvals
      await proxy.down();
      await setPrice("WETH", "2150");
      await new Promise((r) => setTimeout(r, 3000));
      await proxy.up();
      await until("the liquidation", () => control.stop, 90_000);
      const summary = await running;
      expect(summary.liquidations, lines.join("\n")).to.be.greaterThan(0);
      expect(lines.join("\n")).to.match(/rpc unreachable .*; retrying in \d+(\.\d+)? s/);
      expect(await liquidationsOf(borrower)).to.have.length(1);
    } finally {
      control.stop = true;
      proxy.close();
      await conn.close();
    }
  });

  it("the watcher as operators run it: a wrong root is MISMATCH with the guardian's command, which revokes it; --fail-on ends it with 3", async () => {
    const w = startTask("watch", ["--poll-ms", "200", "--confirmations", "0", "--fail-on", "mismatch", "--state", path.join(tmp, "watch")]);
    try {
      await w.waitFor(/watching /);
      // the distributor's own operator (a well-known account whose key the devnet node holds)
      const distributorAt = manifest.contracts.rewardsDistributor!;
      const operator = await provider.getSigner((await new Contract(distributorAt, DISTRIBUTOR, provider).getFunction("config")()).operator);
      const distributor = new Contract(distributorAt, DISTRIBUTOR, operator);
      const end = (await provider.getBlock("latest"))!.timestamp - 1;
      const evil = referenceTree([[(await provider.getSigner(15)).address, 1n]]);
      await (await distributor.getFunction("submitRoot")(evil.root, evil.total, end, ZeroHash)).wait();
      const line = await w.waitFor(/^.*MISMATCH.*$/m);
      expect(line).to.match(new RegExp(`MISMATCH: root ${evil.root} for the epoch ending .* is not the root rebuilt from the chain, 0x[0-9a-f]{64} \\(total [\\d,.]+ FLUX\\): revoke it before .*, as the guardian: npx hardhat emissions revoke --network ${NETWORK} --root ${evil.root}$`));
      expect(await w.exit, w.out()).to.equal(3);
      // the guardian runs the very command the line gives, word for word
      const cmd = /as the guardian: npx hardhat (emissions revoke .*)$/.exec(line)![1]!.split(" ");
      const r = await hardhat(...cmd);
      expect(r.code, r.out).to.equal(0);
      expect(r.out).to.match(new RegExp(`revokePendingRoot\\(${evil.root}\\) .*\\n  tx 0x[0-9a-f]{64} in block \\d+: revoked`));
      expect((await distributor.getFunction("pendingRoot")()).root).to.equal(ZeroHash);
    } finally {
      w.child.kill("SIGINT");
    }
  });

  it("a stale feed: --once says which feed, skips what it cannot price and exits 2 for cron", async () => {
    await setPrice("WETH", "3000");
    const borrower = await openPosition(14, "10", "20000");
    const adv = await hardhat("devnet", "--advance", "2h");
    expect(adv.code, adv.out).to.equal(0);
    const r = await hardhat("keeper", "--network", NETWORK, "--once", "--checkpoint", path.join(tmp, "stale.json"));
    expect(r.code, r.out).to.equal(2);
    expect(r.out).to.match(/feed WETH: price refused: OracleStalePrice\(/);
    expect(r.out).to.match(new RegExp(`account ${borrower} health [\\d.]+% skip: its collateral cannot be priced: WETH \\(OracleStalePrice`));
    expect(r.out).to.match(/left liquidatable/);
    expect(await liquidationsOf(borrower)).to.have.length(0);
  });
});
