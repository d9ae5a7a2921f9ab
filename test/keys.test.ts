/**
 * Keys by role (src/keys) on the embedded chain: each command signs with its role's key, says
 * which address signs, refuses a key without the role before sending anything, and with
 * `--unsigned` writes a Safe Transaction Builder batch whose call succeeds from the role's account.
 */
import { expect } from "chai";
import { describe, it, afterEach } from "mocha";
import hre from "hardhat";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { HDNodeWallet, ZeroHash } from "ethers";
import "./helpers/chai.js";
import { buildCommand, publishCommand } from "../src/emissions/commands.js";
import { proposeAs } from "../src/proposals/run.js";
import { signingHub } from "../src/snapshot/signing.js";
import { bindProposer } from "../src/governance/description.js";
import { ChainStateError, InputError, UnreachableError } from "../src/core/errors.js";
import { isPubliclyKnown, readVariable, resolveDeployer, resolveSigner, ROLE_VARIABLES } from "../src/keys/index.js";
import { emissionsFixture } from "./helpers/emissions.js";
import { useFixture } from "./helpers/fixture.js";
import { isLoopbackUrl } from "../src/core/validate.js";

const DAY = 86_400;
/** The well-known Hardhat accounts' keys (the in-process network's default mnemonic). */
const key = (i: number) => HDNodeWallet.fromPhrase("test test test test test test test test test test test junk", undefined, `m/44'/60'/0'/0/${i}`).privateKey;

describe("keys by role", () => {
  const suite = useFixture(emissionsFixture);
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of [...Object.values(ROLE_VARIABLES), "FLUX_TEST_KEY", "SNAPSHOT_HUB_URL"]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  /** An epoch of two accounts from a balances file, ending a second ago. */
  async function epoch() {
    const f = await suite.load();
    const ctx = { conn: suite.env.conn, manifest: f.manifest };
    const dir = await mkdtemp(path.join(tmpdir(), "flux-keys-"));
    const balances = path.join(dir, "balances.csv");
    await writeFile(balances, `account,balance\n${f.alice.address},1000\n${f.bob.address},3000\n`);
    const end = (await suite.env.clock.latest()) - 1;
    await buildCommand(ctx, { out: path.join(dir, "epoch"), epochEnd: String(end), previous: "", balances, epochStart: String(end - DAY), confirmations: 0, pageSize: 1000 });
    return { f, ctx, dir: path.join(dir, "epoch"), base: dir };
  }

  it("reads a configuration variable from the environment (then the keystore), empty as unset", async () => {
    process.env.FLUX_TEST_KEY = "abc";
    expect(await readVariable(hre, "FLUX_TEST_KEY")).to.equal("abc");
    process.env.FLUX_TEST_KEY = "";
    expect(await readVariable(hre, "FLUX_TEST_KEY")).to.equal(undefined);
    delete process.env.FLUX_TEST_KEY;
    expect(await readVariable(hre, "FLUX_TEST_KEY")).to.equal(undefined);
  });

  it("knows a node on this machine (the devnet's, npx hardhat node) and the publicly known accounts", () => {
    expect(["http://127.0.0.1:8645", "http://localhost:8545/", "http://[::1]:8545"].map(isLoopbackUrl)).to.deep.equal([true, true, true]);
    expect(["https://rpc.example.org", "http://10.0.0.1:8545", "not a url"].map(isLoopbackUrl)).to.deep.equal([false, false, false]);
    expect(isPubliclyKnown("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")).to.equal(true); // account 0
    expect(isPubliclyKnown("0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199")).to.equal(true); // account 19
    expect(isPubliclyKnown("0x000000000000000000000000000000000000dEaD")).to.equal(false);
  });

  it("emissions publish: on a local chain without a key, signs as the operator's own account and says so", async () => {
    const { f, ctx, dir } = await epoch();
    delete process.env.OPERATOR_PRIVATE_KEY;
    const lines: string[] = [];
    const out = await publishCommand(ctx, { dir, dryRun: false, hre, log: (l) => lines.push(l) });
    expect(lines).to.deep.equal([`signing as operator ${f.operator.address} on ${suite.env.conn.networkName} (chain 31337)`]);
    expect(out).to.match(new RegExp(`from ${f.operator.address}\\n  tx 0x`));
    expect((await f.emissions!.distributor.pendingRoot()).root).to.not.equal(ZeroHash);
  });

  it("emissions publish: OPERATOR_PRIVATE_KEY or --from <variable> signs with that key", async () => {
    const { f, ctx, dir } = await epoch();
    process.env.FLUX_TEST_KEY = key(19); // the operator's (the fixture's signers[19])
    process.env.OPERATOR_PRIVATE_KEY = key(1); // alice's: --from wins over it
    const lines: string[] = [];
    await publishCommand(ctx, { dir, dryRun: false, from: "FLUX_TEST_KEY", hre, log: (l) => lines.push(l) });
    expect(lines[0]).to.equal(`signing as operator ${f.operator.address} on ${suite.env.conn.networkName} (chain 31337)`);
    const signer = await resolveSigner({ hre, conn: ctx.conn, role: "operator" });
    expect(signer.address).to.equal(f.alice.address);
    expect(signer.source).to.equal("OPERATOR_PRIVATE_KEY");
  });

  it("emissions publish: a key that is not the operator is refused in one line before anything is sent", async () => {
    const { f, ctx, dir } = await epoch();
    const provider = ctx.conn.ethers.provider;
    const nonce = await provider.getTransactionCount(f.alice.address);
    const block = await provider.getBlockNumber();
    for (const o of [{ from: f.alice.address }, { env: key(1) }]) {
      if ("env" in o) process.env.OPERATOR_PRIVATE_KEY = o.env;
      const lines: string[] = [];
      const p = publishCommand(ctx, { dir, dryRun: false, from: "from" in o ? o.from : undefined, hre, log: (l) => lines.push(l) });
      await expect(p).to.be.rejectedWith(ChainStateError, new RegExp(`^${f.alice.address} is not the operator of RewardsDistributor 0x[0-9a-fA-F]{40} on .* \\(the operator is ${f.operator.address}\\): nothing sent; .*--unsigned <file>$`));
      expect(lines).to.deep.equal([`signing as operator ${f.alice.address} on ${ctx.conn.networkName} (chain 31337)`]);
    }
    expect(await provider.getTransactionCount(f.alice.address)).to.equal(nonce);
    expect(await provider.getBlockNumber()).to.equal(block);
    await expect(publishCommand(ctx, { dir, dryRun: false, from: "NO_SUCH_VARIABLE_X", hre })).to.be.rejectedWith(InputError, /^--from NO_SUCH_VARIABLE_X: the configuration variable NO_SUCH_VARIABLE_X is not set/);
    await expect(publishCommand(ctx, { dir, dryRun: false, from: "0x000000000000000000000000000000000000dEaD", hre })).to.be.rejectedWith(InputError, /has no key for this address/);
  });

  it("emissions publish --unsigned: writes a Safe Transaction Builder batch, sends nothing; its call succeeds from the operator", async () => {
    const { f, ctx, dir, base } = await epoch();
    const provider = ctx.conn.ethers.provider;
    const block = await provider.getBlockNumber();
    const file = path.join(base, "safe", "publish.json");
    const line = await publishCommand(ctx, { dir, dryRun: false, unsigned: file, hre });
    expect(line).to.match(new RegExp(`wrote the transaction to 0x[0-9a-fA-F]{40} on chain 31337 as a Safe Transaction Builder batch to ${file.replace(/[.]/g, "\\.")}; nothing sent`));
    expect(await provider.getBlockNumber()).to.equal(block);
    const batch = JSON.parse(await readFile(file, "utf8"));
    expect(batch).to.include({ version: "1.0", chainId: "31337" });
    expect(batch.meta.createdFromSafeAddress).to.equal(f.operator.address);
    expect(batch.meta.description).to.match(/^submitRoot\(0x/);
    expect(batch.transactions).to.have.length(1);
    const tx = batch.transactions[0];
    expect(tx.to).to.equal(await f.emissions!.distributor.getAddress());
    expect(tx.value).to.equal("0");
    await (await f.operator.sendTransaction({ to: tx.to, data: tx.data, value: BigInt(tx.value) })).wait();
    expect((await f.emissions!.distributor.pendingRoot()).root).to.not.equal(ZeroHash);
  });

  it("proposing: the proposer's key, refused before sending below the threshold or when not the bound proposer; --unsigned binds the Safe", async () => {
    const f = await suite.load();
    const conn = suite.env.conn;
    const provider = conn.ethers.provider;
    const m = { network: conn.networkName, chainId: 31337, governor: await f.governor.getAddress() };
    const actions = [{ target: await f.token.getAddress(), value: 0n, calldata: f.token.interface.encodeFunctionData("delegates", [f.alice.address]), summary: "read a delegate" }];
    const describe = (p: string) => bindProposer("Keys test", p);
    const block = await provider.getBlockNumber();
    // eve holds no votes: refused in one line, nothing sent
    await expect(proposeAs(conn, m, actions, describe, { hre, from: f.eve.address, name: "t" }))
      .to.be.rejectedWith(ChainStateError, new RegExp(`^${f.eve.address} has 0\\.?0* FLUX of votes on .*, below the proposal threshold of .*: nothing sent`));
    // a description bound to alice: bob is refused
    await expect(proposeAs(conn, m, actions, () => describe(f.alice.address), { hre, from: f.bob.address, bound: f.alice.address, name: "Snapshot proposal 0x1" }))
      .to.be.rejectedWith(InputError, `Snapshot proposal 0x1 is bound to proposer ${f.alice.address}; the signer ${f.bob.address} cannot propose it (GovernorRestrictedProposer)`);
    expect(await provider.getBlockNumber()).to.equal(block);
    // --unsigned: the Safe (here alice's address) is the proposer the description is bound to
    const file = path.join(await mkdtemp(path.join(tmpdir(), "flux-keys-")), "propose.json");
    await expect(proposeAs(conn, m, actions, describe, { hre, unsigned: file, name: "t" })).to.be.rejectedWith(InputError, /give the Safe's address with --from/);
    const u = await proposeAs(conn, m, actions, describe, { hre, unsigned: file, from: f.alice.address, name: "FLUX proposal: keys" });
    expect(u.unsigned).to.match(/Safe Transaction Builder batch/);
    expect(await provider.getBlockNumber()).to.equal(block);
    const batch = JSON.parse(await readFile(file, "utf8"));
    expect(batch.meta).to.include({ name: "FLUX proposal: keys", createdFromSafeAddress: f.alice.address, description: describe(f.alice.address) });
    await (await f.alice.sendTransaction({ to: batch.transactions[0].to, data: batch.transactions[0].data })).wait();
    expect(await f.governor.state(u.proposalId)).to.equal(0n); // Pending
    // PROPOSER_PRIVATE_KEY: bob's key proposes (another description, so another id)
    process.env.PROPOSER_PRIVATE_KEY = key(2);
    const lines: string[] = [];
    const r = await proposeAs(conn, m, actions, (p) => bindProposer("Keys test 2", p), { hre, name: "t", log: (l) => lines.push(l) });
    expect(lines).to.deep.equal([`signing as proposer ${f.bob.address} on ${conn.networkName} (chain 31337)`]);
    expect(r.description.endsWith(`#proposer=${f.bob.address.toLowerCase()}`)).to.equal(true);
    expect(await f.governor.state(r.proposalId)).to.equal(0n);
  });

  it("snapshot signing: the hub and the key must be named; a public Hardhat key signs only for a local hub", async () => {
    const f = await suite.load();
    const conn = suite.env.conn;
    delete process.env.SNAPSHOT_HUB_URL;
    delete process.env.VOTER_PRIVATE_KEY;
    await expect(signingHub({ hre, conn, role: "voter" })).to.be.rejectedWith(InputError, /^no Snapshot hub named: give --hub <url> or set SNAPSHOT_HUB_URL/);
    // a public hub: no key named → refused, naming the variable; a well-known key → refused
    await expect(signingHub({ hre, conn, role: "voter", hub: "https://hub.snapshot.org" })).to.be.rejectedWith(InputError, /^no key for the voter: set VOTER_PRIVATE_KEY/);
    process.env.VOTER_PRIVATE_KEY = key(1);
    await expect(signingHub({ hre, conn, role: "voter", hub: "https://hub.snapshot.org" })).to.be.rejectedWith(InputError, new RegExp(`^${f.alice.address} is a publicly known Hardhat account`));
    // a key of one's own, the hub from SNAPSHOT_HUB_URL
    const own = HDNodeWallet.fromPhrase("legal winner thank year wave sausage worth useful legal winner thank yellow");
    process.env.VOTER_PRIVATE_KEY = own.privateKey;
    process.env.SNAPSHOT_HUB_URL = "https://hub.example.org/";
    const s = await signingHub({ hre, conn, role: "voter" });
    expect(s.line).to.equal(`sending to https://hub.example.org as ${own.address}`);
    // a local hub: the well-known accounts may sign
    delete process.env.VOTER_PRIVATE_KEY;
    const local = await signingHub({ hre, conn, role: "voter", hub: "http://127.0.0.1:3000" });
    expect(local.line).to.equal(`sending to http://127.0.0.1:3000 as ${f.deployer.address}`);
    const bob = await signingHub({ hre, conn, role: "proposer", hub: "http://localhost:3000", from: f.bob.address });
    expect(bob.address).to.equal(f.bob.address);
    // a hub that does not answer is unreachable, not a refusal
    const down = await signingHub({ hre, conn, role: "voter", hub: "http://127.0.0.1:9" });
    await expect(down.hub.vote(down.signer, { space: "x.eth", proposal: `0x${"11".repeat(32)}`, choice: 1, reason: "" }))
      .to.be.rejectedWith(UnreachableError, /^http:\/\/127\.0\.0\.1:9: cannot be reached to send the vote/);
  });

  it("deploy: signs as the network's first account and says so; refuses a deployer without gas funds", async () => {
    const f = await suite.load();
    const conn = suite.env.conn;
    expect((await resolveDeployer(conn)).line).to.equal(`signing as deployer ${f.deployer.address} on ${conn.networkName} (chain 31337)`);
    await conn.networkHelpers.setBalance(f.deployer.address, 0n);
    await expect(resolveDeployer(conn)).to.be.rejectedWith(ChainStateError, `the deployer ${f.deployer.address} has no funds for gas on ${conn.networkName} (chain 31337): fund it first; nothing sent`);
  });
});
