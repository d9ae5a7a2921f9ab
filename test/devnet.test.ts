/**
 * The devnet as a user runs it: `npx hardhat devnet --detach` starts three local nodes with
 * everything deployed and the Snapshot hub, documented commands run against them as child
 * processes, and `--stop` takes it all down.
 */
import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Contract, JsonRpcProvider } from "ethers";
import { after, before, describe, it } from "mocha";
import "./helpers/chai.js";
import { DEVNET } from "../local/devnet-chains.js";
import { MULTICALL3_ADDRESS } from "../local/devnet.js";
import { startDetached, stopDevnet } from "../local/devnet-process.js";
import { InputError } from "../src/core/errors.js";
import { manifestSchema } from "../src/manifest/index.js";
import { parseWith } from "../src/core/validate.js";
import { formatFlux } from "../src/core/format.js";
import { exec, hardhat } from "./helpers/cli.js";


const MULTICALL3_ABI = [
  "function aggregate3((address target, bool allowFailure, bytes callData)[] calls) payable returns ((bool success, bytes returnData)[])",
  "function getChainId() view returns (uint256)",
];

describe("devnet", function () {
  this.timeout(600_000);
  let state: string;
  let ready: string;

  before(async () => {
    // the default state directory, as the README's `npx hardhat devnet --advance` lines expect
    state = ".devnet";
    ready = await startDetached(state);
  });
  after(async () => {
    await stopDevnet(state).catch(() => {});
  });

  it("starts three chains under Flux's chain ids with everything deployed, and says what to try", async () => {
    for (const c of DEVNET.chains) {
      expect(ready).to.include(`${c.network}`).and.include(`http://127.0.0.1:${c.port}`);
      const manifest = parseWith(manifestSchema, JSON.parse(await readFile(`deployments/${c.network}.json`, "utf8")), c.network);
      expect(manifest.chainId).to.equal(c.chainId);
      expect(manifest.contracts.controller).to.be.a("string");
      expect(manifest.contracts.rewardsDistributor).to.be.a("string");
      const provider = new JsonRpcProvider(`http://127.0.0.1:${c.port}`, c.chainId, { staticNetwork: true });
      expect(Number((await provider.getNetwork()).chainId)).to.equal(c.chainId);
      // delegations were seeded: the first holder has votes
      const token = new Contract(manifest.contracts.token, ["function getVotes(address) view returns (uint256)"], provider);
      expect(await token.getFunction("getVotes")(manifest.genesis!.allocations[0]!.account)).to.be.greaterThan(0n);
      provider.destroy();
    }
    expect(ready).to.match(/Snapshot hub +http:\/\/127\.0\.0\.1:8690/);
    expect(ready).to.include("npx hardhat emissions status --network devnet-conflux");
  });

  it("has Multicall3 at its canonical address on every chain, batching reads", async () => {
    for (const c of DEVNET.chains) {
      const provider = new JsonRpcProvider(`http://127.0.0.1:${c.port}`, c.chainId, { staticNetwork: true });
      const mc = new Contract(MULTICALL3_ADDRESS, MULTICALL3_ABI, provider);
      const data = mc.interface.encodeFunctionData("getChainId");
      const results = (await mc.getFunction("aggregate3").staticCall([
        { target: MULTICALL3_ADDRESS, allowFailure: false, callData: data },
        { target: MULTICALL3_ADDRESS, allowFailure: true, callData: "0xdeadbeef" },
      ])) as { success: boolean; returnData: string }[];
      expect(results[0]!.success).to.equal(true);
      expect(BigInt(results[0]!.returnData)).to.equal(BigInt(c.chainId));
      expect(results[1]!.success).to.equal(false);
      await expect(mc.getFunction("aggregate3").staticCall([{ target: MULTICALL3_ADDRESS, allowFailure: false, callData: "0xdeadbeef" }])).to.be.rejected;
      provider.destroy();
    }
  });

  it("runs the documented commands against it", async () => {
    const status = await hardhat("emissions", "status", "--network", "devnet-conflux");
    expect(status.code, status.out).to.equal(0);
    expect(status.out).to.match(/network devnet-conflux \(chain 1030, schedule id 1030\)/);
    const all = await hardhat("emissions", "status", "--networks", DEVNET.chains.map((c) => c.network).join(","));
    expect(all.code, all.out).to.equal(0);
    expect(all.out).to.include("the chains' schedules agree");
    // the shipped proposal targets the devnet's chains: one Tally-ready object per chain
    const proposer = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const exported = await hardhat("proposal", "export", "proposals/0001-raise-weth-collateral-ratio.ts", "--proposer", proposer);
    expect(exported.code, exported.out).to.equal(0);
    const byChain = JSON.parse(exported.out.slice(exported.out.indexOf("{"))) as Record<string, { chainId: number; proposer: string }>;
    expect(Object.keys(byChain).sort()).to.deep.equal(["1030", "128", "56"]);
    expect(byChain["56"]!.proposer).to.equal(proposer);
    // time travel for voting periods and challenge windows: every chain's clock moves together
    const before = await new JsonRpcProvider(`http://127.0.0.1:${DEVNET.chains[0].port}`, DEVNET.chains[0].chainId, { staticNetwork: true }).getBlock("latest");
    const advanced = await hardhat("devnet", "--advance", "1d");
    expect(advanced.code, advanced.out).to.equal(0);
    expect(advanced.out).to.match(/advanced 86400 s: devnet-conflux: .*, devnet-bsc: .*, devnet-heco: /);
    const after = await new JsonRpcProvider(`http://127.0.0.1:${DEVNET.chains[0].port}`, DEVNET.chains[0].chainId, { staticNetwork: true }).getBlock("latest");
    expect(after!.timestamp - before!.timestamp).to.be.greaterThanOrEqual(86_400);
    const bad = await hardhat("devnet", "--advance", "2x");
    expect([bad.code, bad.out.trim()]).to.deep.equal([1, 'error: --advance: "2x" is not a duration (seconds, or a number with s, m, h or d)']);
    const deploy = await hardhat("run", "scripts/deploy.ts", "--network", "devnet-heco");
    expect(deploy.code, deploy.out).to.equal(0);
    expect(deploy.out).to.include("Manifest written: deployments/devnet-heco.json");
  });

  it("runs the README's operator flow verbatim, line by line", async () => {
    const readme = await readFile("README.md", "utf8");
    const block = /The operator's flow, end to end on the devnet[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, "the README's operator flow block").to.be.a("string");
    const lines = block!.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
    expect(lines.length).to.be.greaterThanOrEqual(8);
    // the project's Node and binaries first on PATH, as under npm
    const env = { ...process.env, PATH: [path.resolve("node_modules", ".bin"), path.dirname(process.execPath), process.env.PATH].join(path.delimiter) };
    const proposer = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    for (const line of lines) {
      const r = await exec("bash", ["-c", line], { env });
      expect(r.code, `${line}\n${r.out}`).to.equal(0);
      if (line.includes("emissions publish")) expect(r.out).to.match(/signing as operator 0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199 on devnet-conflux \(chain 1030\)/);
      if (line.includes("emissions status")) expect(r.out).to.match(/pending: 0x[0-9a-f]{64} total/);
      if (line.includes("proposal submit")) expect(r.out).to.match(/proposed: id \d+ in tx 0x[0-9a-f]{64}/);
      if (line.includes("snapshot space")) expect(r.out).to.match(/sending to http:\/\/127\.0\.0\.1:8690 as 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n[\s\S]*settings of fluxprotocol\.eth published/);
      if (line.includes("snapshot propose")) expect(r.out).to.match(/Snapshot proposal 0x[0-9a-f]{64}: voting \S+ → \S+/);
      if (line.includes("snapshot vote")) {
        expect(r.out).to.match(/latest proposal of fluxprotocol\.eth: 0x[0-9a-f]{64} "Raise .*" \(active\)/);
        // the voter's power is its votes summed over the three chains (the earlier redeploy on heco left none there)
        let votes = 0n;
        for (const c of DEVNET.chains) {
          const manifest = parseWith(manifestSchema, JSON.parse(await readFile(`deployments/${c.network}.json`, "utf8")), c.network);
          const provider = new JsonRpcProvider(`http://127.0.0.1:${c.port}`, c.chainId, { staticNetwork: true });
          votes += (await new Contract(manifest.contracts.token, ["function getVotes(address) view returns (uint256)"], provider).getFunction("getVotes")(proposer)) as bigint;
          provider.destroy();
        }
        expect(votes).to.be.greaterThan(0n);
        expect(r.out).to.include(`as ${proposer} (${formatFlux(votes)} FLUX of votes at the snapshot)`);
        expect(r.out).to.match(/vote 0x[0-9a-f]{64} recorded/);
      }
      if (line.includes("snapshot tally")) expect(r.out).to.match(/\(closed\)[\s\S]*quorum 4000000 FLUX: reached; PASSED\nthe hub's reported scores agree with the chains/);
      if (line.includes("from-snapshot")) expect(r.out).to.match(/passed \(recounted from the chains\); proposed on devnet-bsc: id \d+ in tx 0x[0-9a-f]{64}/);
    }
  });

  it("refuses a second devnet while one runs, and stops cleanly", async () => {
    await expect(startDetached(state)).to.be.rejectedWith(InputError, /a devnet is already running \(pid \d+\); stop it with: npx hardhat devnet --stop/);
    expect(await stopDevnet(state)).to.match(/devnet stopped \(pid \d+\)/);
    const provider = new JsonRpcProvider(`http://127.0.0.1:${DEVNET.chains[0].port}`, DEVNET.chains[0].chainId, { staticNetwork: true });
    await expect(provider.send("eth_chainId", [])).to.be.rejected;
    provider.destroy();
    await expect(stopDevnet(state)).to.be.rejectedWith(InputError, /no devnet is running/);
  });
});
