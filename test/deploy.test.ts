/**
 * Deployment: the config is validated before any transaction, the deployment leaves the Timelock
 * as the only admin anywhere, and the manifest is written atomically and reads back.
 */
import { expect } from "chai";
import "./helpers/chai.js";
import { mkdtemp, readdir, readFile, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import hre from "hardhat";
import { ZeroAddress } from "ethers";
import { before, describe, it } from "mocha";
import { loadDeployConfig, parseDeployConfig, type DeployConfigInput } from "../src/deploy/config.js";
import { deployFlux, DeploymentCheckError } from "../src/deploy/deploy.js";
import { readManifest } from "../src/manifest/index.js";
import { DEFAULT_ADMIN_ROLE } from "../ignition/modules/FluxGovernance.js";
import { governanceFixture, type Env, type Fixture, useFixture } from "./helpers/fixture.js";
import { InputError } from "../src/core/errors.js";

const raw = async (): Promise<DeployConfigInput> =>
  JSON.parse(await readFile(path.join("ignition", "config", "default.json"), "utf8")) as DeployConfigInput;

describe("deployment config validation", () => {
  const cases: [string, (c: DeployConfigInput) => void, RegExp][] = [
    ["zero quorum", (c) => { c.governor.quorumPercent = 0; }, /governor\.quorumPercent/],
    ["quorum over 100", (c) => { c.governor.quorumPercent = 101; }, /governor\.quorumPercent/],
    ["fractional quorum", (c) => { c.governor.quorumPercent = 4.5; }, /governor\.quorumPercent/],
    ["voting period under an hour", (c) => { c.governor.votingPeriod = 60; }, /governor\.votingPeriod/],
    ["negative delay", (c) => { c.timelock.minDelay = -1; }, /timelock\.minDelay/],
    ["bad checksum", (c) => { c.governor.proposalGuardian = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4DC"; }, /governor\.proposalGuardian: .*checksum/],
    ["not an address", (c) => { c.token.allocations![0]!.account = "0x1234"; }, /token\.allocations\.0\.account/],
    ["negative amount", (c) => { c.token.allocations![0]!.amount = "-1"; }, /token\.allocations\.0\.amount/],
    ["too many decimals", (c) => { c.token.allocations![1]!.amount = "1.0000000000000000001"; }, /token\.allocations\.1\.amount: .*decimals/],
    ["exponent", (c) => { c.token.maxSupply = "1e9"; }, /token\.maxSupply/],
    ["zero cap", (c) => { c.token.maxSupply = "0"; c.token.allocations = []; c.governor.proposalThreshold = "0"; }, /token\.maxSupply: must be positive/],
    ["cap over uint208", (c) => { c.token.maxSupply = ((1n << 208n) / 10n ** 18n + 1n).toString(); }, /token\.maxSupply: exceeds ERC20Votes/],
    ["allocations over cap", (c) => { c.token.maxSupply = "9000000"; }, /token\.allocations: allocations total/],
    ["duplicate account", (c) => { c.token.allocations![1]!.account = c.token.allocations![0]!.account; }, /token\.allocations\.1\.account: duplicate/],
    ["threshold over cap", (c) => { c.governor.proposalThreshold = "100000001"; }, /governor\.proposalThreshold: exceeds maxSupply/],
    ["extension over period", (c) => { c.governor.lateQuorumExtension = c.governor.votingPeriod + 1; }, /governor\.lateQuorumExtension: exceeds votingPeriod/],
    ["missing section", (c) => { delete (c as Partial<DeployConfigInput>).timelock; }, /timelock/],
  ];
  for (const [name, mutate, expected] of cases) {
    it(`refuses ${name}, naming the field`, async () => {
      const cfg = await raw();
      mutate(cfg);
      expect(() => parseDeployConfig(cfg, "ignition/config/test.json"))
        .to.throw(InputError)
        .with.property("message")
        .that.matches(/^ignition\/config\/test\.json: /)
        .and.matches(expected);
    });
  }

  // Configs under which governance could never start are refused in one line naming the field.
  const cannotStart: [string, (c: DeployConfigInput) => void, RegExp][] = [
    ["zero initial supply (no allocations, no treasury: the shipped configs before the fix)",
      (c) => { c.token.allocations = []; delete c.token.treasury; }, /^ignition\/config\/test\.json: token\.allocations: the initial supply is zero/],
    ["a votable float below the proposal threshold",
      (c) => { c.token.allocations = [{ account: "deployer", amount: "99999" }]; }, /^ignition\/config\/test\.json: governor\.proposalThreshold: 100,000 FLUX exceeds the 99,999 FLUX .*nobody could ever propose$/],
    ["a threshold that only the treasury could meet",
      (c) => { c.token.allocations = [{ account: "deployer", amount: "50000" }]; c.token.treasury = "1000000"; c.governor.quorumPercent = 1; }, /^ignition\/config\/test\.json: governor\.proposalThreshold: .*nobody could ever propose$/],
    ["quorum (treasury included) out of reach of the float",
      (c) => { c.token.treasury = "90000000"; c.governor.quorumPercent = 11; }, /^ignition\/config\/test\.json: governor\.quorumPercent: quorum at genesis, 11% of the 100,000,000 FLUX .* = 11,000,000 FLUX, exceeds the 10,000,000 FLUX .*no proposal could ever pass$/],
    ["a treasury that takes the supply over the cap",
      (c) => { c.token.treasury = "90000001"; }, /^ignition\/config\/test\.json: token\.allocations: allocations total/],
    ["a negative treasury", (c) => { c.token.treasury = "-1"; }, /^ignition\/config\/test\.json: token\.treasury: /],
    ["an allocation to a name other than \"deployer\"", (c) => { c.token.allocations![0]!.account = "Deployer"; }, /^ignition\/config\/test\.json: token\.allocations\.0\.account: /],
  ];
  for (const [name, mutate, expected] of cannotStart) {
    it(`refuses ${name}, in one line naming the field`, async () => {
      const cfg = await raw();
      mutate(cfg);
      expect(() => parseDeployConfig(cfg, "ignition/config/test.json"))
        .to.throw(InputError)
        .with.property("message")
        .that.matches(expected)
        .and.does.not.include("\n");
    });
  }

  it("accepts a float exactly at the threshold and at quorum", async () => {
    const cfg = await raw();
    // 9,000,000 treasury + 1,000,000 float = 10,000,000; quorum 10% = 1,000,000 = the float
    cfg.token.treasury = "9000000";
    cfg.token.allocations = [{ account: "deployer", amount: "1000000" }];
    cfg.governor.quorumPercent = 10;
    cfg.governor.proposalThreshold = "1000000";
    const parsed = parseDeployConfig(cfg, "ignition/config/test.json");
    expect(parsed.token.treasury).to.equal(9_000_000n * 10n ** 18n);
    expect(parsed.token.allocations[0]!.account).to.equal("deployer");
  });

  it("accepts the shipped configs of every network", async () => {
    for (const file of await readdir(path.join("ignition", "config"))) {
      const cfg = await loadDeployConfig(file.replace(/\.json$/, ""));
      expect(cfg.token.symbol).to.equal("FLUX");
    }
  });

  it("names the file when a config is missing or not JSON", async () => {
    await expect(loadDeployConfig("no-such-network")).to.be.rejectedWith(/ignition\/config\/no-such-network\.json: no deployment config/);
    const root = await mkdtemp(path.join(tmpdir(), "flux-cfg-"));
    await mkdir(path.join(root, "ignition", "config"), { recursive: true });
    await writeFile(path.join(root, "ignition", "config", "broken.json"), "{ nope");
    await expect(loadDeployConfig("broken", root)).to.be.rejectedWith(/broken\.json: not valid JSON/);
  });
});

describe("deployment", () => {
  const suite = useFixture((e: Env) => governanceFixture(e, { delegate: false }));
  const load = () => suite.load();

  it("refuses a config for another chain before sending any transaction", async () => {
    const conn = await hre.network.create();
    const cfg = { ...(await loadDeployConfig("default")), chainId: 56 };
    const before = await conn.ethers.provider.getBlockNumber();
    await expect(deployFlux(hre, conn, cfg, { manifestDir: null })).to.be.rejectedWith(
      DeploymentCheckError,
      /chain id 31337 but its config expects 56/,
    );
    expect(await conn.ethers.provider.getBlockNumber()).to.equal(before);
  });

  it("leaves no admin role anywhere but with the Timelock; the deployer keeps nothing", async () => {
    const f = await suite.load();
    const timelock = await f.timelock.getAddress();
    const governor = await f.governor.getAddress();
    // Rebuild every role's holders from the Timelock's whole event history.
    const holders = new Map<string, Set<string>>();
    const granted = await f.timelock.queryFilter(f.timelock.filters.RoleGranted(), 0);
    const revoked = await f.timelock.queryFilter(f.timelock.filters.RoleRevoked(), 0);
    const events = [...granted, ...revoked].sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
    for (const e of events) {
      const [role, account] = [e.args.role, e.args.account];
      if (!holders.has(role)) holders.set(role, new Set());
      if (e.eventName === "RoleGranted") holders.get(role)!.add(account);
      else holders.get(role)!.delete(account);
    }
    const roles = Object.fromEntries([...holders].map(([r, s]) => [r, [...s].sort()]));
    expect(roles).to.deep.equal({
      [DEFAULT_ADMIN_ROLE]: [timelock],
      [await f.timelock.PROPOSER_ROLE()]: [governor],
      [await f.timelock.CANCELLER_ROLE()]: [governor],
      [await f.timelock.EXECUTOR_ROLE()]: [ZeroAddress],
    });
    expect(revoked.map((e) => e.args.account)).to.deep.equal([f.deployer.address]);
    expect(await f.token.owner()).to.equal(timelock);
    expect(await f.governor.timelock()).to.equal(timelock);
    expect(await f.token.minterAllowance(f.deployer.address)).to.equal(0n);
  });

  it("mints the configured allocations and fixes the cap", async () => {
    const f = await suite.load();
    for (const a of suite.env.cfg.token.allocations) expect(await f.token.balanceOf(a.account)).to.equal(a.amount);
    expect(await f.token.cap()).to.equal(suite.env.cfg.token.maxSupply);
    expect(await f.token.totalSupply()).to.equal(suite.env.cfg.token.allocations.reduce((s, a) => s + a.amount, 0n));
  });

  it("writes deployments/<network>.json atomically, and it reads back through its schema", async () => {
    const conn = await hre.network.create();
    const dir = await mkdtemp(path.join(tmpdir(), "flux-manifest-"));
    const d = await deployFlux(hre, conn, await loadDeployConfig("default"), { manifestDir: dir, networkName: "local" });
    expect(await readdir(dir)).to.deep.equal(["local.json"]); // no temporary file left behind
    const m = await readManifest("local", dir);
    expect(m.chainId).to.equal(31337);
    expect(m.contracts.token).to.equal(await d.token.getAddress());
    expect(m.contracts.governor).to.equal(await d.governor.getAddress());
    expect(m.contracts.timelock).to.equal(await d.timelock.getAddress());
    expect(m.block).to.be.greaterThan(0);
    for (const [name, addr] of Object.entries(m.implementations)) {
      expect(await conn.ethers.provider.getCode(addr), name).to.not.equal("0x");
    }
    // the rewards distributor is a plain contract: listed, with no implementation behind it
    expect(m.contracts.rewardsDistributor).to.equal(await d.emissions!.distributor.getAddress());
    expect(m.implementations.rewardsDistributor).to.equal(undefined);
    expect(m.implementations.emissionSchedule).to.equal(d.emissions!.implementations.schedule);
    expect(m.contracts.riskSteward).to.equal(await d.markets!.riskSteward!.getAddress());
    // A manifest written before the steward became a contract (no riskSteward) still reads.
    const { riskSteward: _, ...older } = m.contracts;
    await writeFile(path.join(dir, "older.json"), JSON.stringify({ ...m, contracts: older }));
    expect((await readManifest("older", dir)).contracts.riskSteward).to.equal(undefined);
    await writeFile(path.join(dir, "bad.json"), JSON.stringify({ ...m, contracts: { ...m.contracts, token: "0x12" } }));
    await expect(readManifest("bad", dir)).to.be.rejectedWith(/bad\.json: contracts\.token/);
  });
});
