/**
 * src/core/revert.ts and runCommand: a revert decoded from every shape ethers, Hardhat and JSON-RPC
 * nodes give it, unreachable endpoints told apart from bad input, Hardhat errors in one line; and
 * on the embedded chain, a real revert reported by a command as exactly one line.
 */
import { expect } from "chai";
import { describe, it } from "mocha";
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import hre from "hardhat";
import { AbiCoder, encodeBytes32String, id, Interface, makeError } from "ethers";
import "./helpers/chai.js";
import { decoderFromArtifacts, describeFailure, NamedCallFailure, revertData, RevertDecoder, shortString } from "../src/core/revert.js";
import { runCommand, showStackTraces } from "../src/core/command.js";
import { ChainStateError, InputError, RemoteError, RevertError, UnreachableError } from "../src/core/errors.js";
import { nonEmpty } from "../src/core/fs.js";
import { emissionsFixture, referenceTree } from "./helpers/emissions.js";
import { useFixture } from "./helpers/fixture.js";

const ABI = [
  "error DistributorNotOperator(address caller)",
  "error ControllerBadParameter(bytes32 param, uint256 value)",
  "error Raw(bytes32 value)",
  "error Many(string why, bool ok, uint256[] xs)",
];
const iface = new Interface(ABI);
const decoder = new RevertDecoder([ABI]);
const who = "0x00000000000000000000000000000000000000aa";
const notOperator = iface.encodeErrorResult("DistributorNotOperator", [who]);

/** Captures runCommand's lines and exit code. */
async function run(fn: () => Promise<void>, o: { showStackTraces?: boolean } = {}) {
  const lines: string[] = [];
  const before = process.exitCode;
  try {
    await runCommand(fn, { print: (l) => lines.push(l), showStackTraces: o.showStackTraces ?? false, artifacts: hre.artifacts });
    return { lines, exitCode: process.exitCode };
  } finally {
    process.exitCode = before;
  }
}

describe("core: reverts decoded", () => {
  it("decodes a custom error with its arguments, a bytes32 short string as the string, Error and Panic, an unknown selector raw", () => {
    expect(decoder.decode(notOperator)).to.equal("DistributorNotOperator(0x00000000000000000000000000000000000000AA)");
    expect(decoder.decode(iface.encodeErrorResult("ControllerBadParameter", [encodeBytes32String("collateralRatio"), 5n]))).to.equal('ControllerBadParameter("collateralRatio", 5)');
    // a bytes32 that is not a short string stays hex
    expect(decoder.decode(iface.encodeErrorResult("Raw", [id("x")]))).to.equal(`Raw(${id("x")})`);
    expect(decoder.decode(iface.encodeErrorResult("Many", ["no", true, [1n, 2n]]))).to.equal('Many("no", true, [1, 2])');
    const coder = AbiCoder.defaultAbiCoder();
    expect(decoder.decode("0x08c379a0" + coder.encode(["string"], ["not allowed"]).slice(2))).to.equal('Error("not allowed")');
    expect(decoder.decode("0x4e487b71" + coder.encode(["uint256"], [0x11]).slice(2))).to.equal("Panic(0x11: arithmetic overflow or underflow)");
    expect(decoder.decode("0xdeadbeef0000")).to.equal("0xdeadbeef");
    expect(decoder.decode("0x")).to.equal("(no reason given)");
    expect(shortString(encodeBytes32String("rate"))).to.equal("rate");
    expect(shortString(`0x${"00".repeat(32)}`)).to.equal(null);
    expect(shortString(`0x0a${"00".repeat(31)}`)).to.equal(null); // not printable
  });

  it("finds the revert data wherever it is: ethers CALL_EXCEPTION, nested error.data, info.error.data, JSON-RPC data.data, a body", () => {
    const shapes: unknown[] = [
      makeError("execution reverted", "CALL_EXCEPTION", { action: "call", data: notOperator, reason: null, transaction: { to: who, data: "0x12345678" }, invocation: null, revert: null }),
      { message: "x", error: { code: 3, message: "execution reverted", data: notOperator } },
      { message: "x", info: { error: { code: 3, data: notOperator } } },
      { message: "x", error: { code: -32000, data: { data: notOperator } } },
      { message: "x", info: { responseStatus: "200", body: JSON.stringify({ jsonrpc: "2.0", id: 1, error: { code: 3, data: notOperator } }) } },
      { message: "wrapped", cause: { data: notOperator } },
    ];
    for (const s of shapes) {
      expect(revertData(s)).to.equal(notOperator);
      const f = describeFailure(s, { decoder });
      expect(f).to.be.instanceOf(RevertError);
      expect(f!.message).to.match(/reverted: DistributorNotOperator\(0x00000000000000000000000000000000000000AA\)$/);
    }
    expect(revertData(new Error("plain"))).to.equal(undefined);
    // a named call: the line says which call reverted
    const named = new NamedCallFailure("submitRoot", shapes[1]);
    expect(describeFailure(named, { decoder })!.message).to.equal("submitRoot reverted: DistributorNotOperator(0x00000000000000000000000000000000000000AA)");
  });

  it("an unreachable endpoint is unreachable (naming it), a Hardhat error is one line of input, anything else unknown", () => {
    const refused = Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8545"), { code: "ECONNREFUSED" }) });
    const u = describeFailure(refused, { url: "http://127.0.0.1:8545" });
    expect(u).to.be.instanceOf(UnreachableError).and.not.instanceOf(InputError);
    expect(u!.message).to.equal("http://127.0.0.1:8545: cannot be reached (fetch failed)");
    expect(describeFailure(makeError("request timeout", "TIMEOUT", { operation: "x", reason: "timeout" }))).to.be.instanceOf(UnreachableError);
    const hh = Object.assign(new Error("HHE7: Configuration Variable 'CONFLUX_RPC_URL' not found.\nSet it with the keystore"), { name: "HardhatError" });
    const i = describeFailure(hh);
    expect(i).to.be.instanceOf(InputError);
    expect(i!.message).to.equal("HHE7: Configuration Variable 'CONFLUX_RPC_URL' not found. Set it with the keystore");
    expect(describeFailure(new TypeError("a bug"))).to.equal(null);
    // what the node said about a transaction
    const funds = describeFailure(makeError("insufficient funds for intrinsic transaction cost", "INSUFFICIENT_FUNDS", { transaction: {} }));
    expect(funds).to.be.instanceOf(ChainStateError);
    expect(funds!.message).to.equal("the transaction was refused: insufficient funds for intrinsic transaction cost");
    const rpc = describeFailure(Object.assign(new Error("Sender doesn't have enough funds to send tx."), { name: "ProviderError", code: -32003 }));
    expect(rpc).to.be.instanceOf(RemoteError);
    expect(rpc!.message).to.equal("the node refused: Sender doesn't have enough funds to send tx.");
  });

  it("runCommand: every failure is one line with exit code 1; the stack only with --show-stack-traces", async () => {
    expect(showStackTraces(["node", "hardhat", "emissions", "publish", "--show-stack-traces"])).to.equal(true);
    expect(showStackTraces(["node", "hardhat", "emissions", "publish"])).to.equal(false);
    let r = await run(async () => {
      throw new UnreachableError("http://127.0.0.1:1: cannot connect");
    });
    expect(r).to.deep.equal({ lines: ["error: http://127.0.0.1:1: cannot connect"], exitCode: 1 });
    r = await run(async () => {
      throw { message: "x", error: { code: 3, data: notOperator } };
    });
    // decoded against the compiled artifacts (RewardsDistributor's errors)
    expect(r.lines).to.deep.equal(["error: the call reverted: DistributorNotOperator(0x00000000000000000000000000000000000000AA)"]);
    r = await run(async () => {
      throw new TypeError("a bug");
    });
    expect(r.lines).to.deep.equal(["error: a bug (unexpected: run again with --show-stack-traces for the stack trace)"]);
    expect(r.exitCode).to.equal(1);
    await expect(run(async () => {
      throw new TypeError("a bug");
    }, { showStackTraces: true })).to.be.rejectedWith(TypeError, "a bug");
    // Hardhat's own "cannot connect" names the network: the line names its URL's origin (never its path: it may hold an API key)
    const lines: string[] = [];
    const before = process.exitCode;
    await runCommand(async () => {
      throw Object.assign(new Error('HHE703: Cannot connect to the network "far".\nPlease make sure your node is running'), { name: "HardhatError" });
    }, { print: (l) => lines.push(l), showStackTraces: false, hre: { artifacts: hre.artifacts, config: { networks: { far: { url: "https://rpc.example.org:8443/v3/SECRET" } } } } });
    process.exitCode = before;
    expect(lines).to.deep.equal(['error: https://rpc.example.org:8443 (network far): cannot be reached (HHE703: Cannot connect to the network "far". Please make sure your node is running)']);
    r = await run(async () => {
      nonEmpty(" \n", "x.csv");
    });
    expect(r.lines).to.deep.equal(["error: x.csv: the file is empty"]);
  });

  describe("on the embedded chain", () => {
    const suite = useFixture(emissionsFixture);

    it("a real revert is one line with the decoded custom error and its argument", async () => {
      const f = await suite.load();
      const d = f.emissions!.distributor;
      const all = await decoderFromArtifacts(hre.artifacts);
      expect(all.size).to.be.greaterThan(50);
      const t = referenceTree([[f.alice.address, 1n]]);
      const end = (await suite.env.clock.latest()) - 1;
      const r = await run(async () => {
        await d.connect(f.alice).submitRoot(t.root, t.total, end, t.contentHash);
      });
      expect(r.lines).to.have.length(1);
      expect(r.lines[0]).to.match(new RegExp(`^error: (the call|transaction 0x[0-9a-f]{64}) reverted: DistributorNotOperator\\(${f.alice.address}\\)$`));
      expect(r.exitCode).to.equal(1);
      // a simulation (ethers' staticCall)
      const sim = await run(async () => {
        await d.connect(f.alice).submitRoot.staticCall(t.root, t.total, end, t.contentHash);
      });
      expect(sim.lines).to.deep.equal([`error: the call reverted: DistributorNotOperator(${f.alice.address})`]);
      // the same through a raw eth_call (JSON-RPC error data)
      const raw = await run(async () => {
        await suite.env.conn.ethers.provider.call({ from: f.alice.address, to: await d.getAddress(), data: d.interface.encodeFunctionData("submitRoot", [t.root, t.total, end, t.contentHash]) });
      });
      expect(raw.lines).to.deep.equal([`error: the call reverted: DistributorNotOperator(${f.alice.address})`]);
    });
  });

  it("from the command line: an empty file, a hub not named and a publicly known key are one line each, exit code 1", async () => {
    const run = promisify(execFile);
    const npx = process.platform === "win32" ? "npx.cmd" : "npx";
    const dir = await mkdtemp(path.join(tmpdir(), "flux-cli-"));
    const empty = path.join(dir, "empty.csv");
    await writeFile(empty, "");
    const env = { ...process.env };
    delete env.SNAPSHOT_HUB_URL;
    delete env.VOTER_PRIVATE_KEY;
    const fail = (args: string[]) => run(npx, ["hardhat", ...args], { env }).then(() => ({ code: 0, stderr: "", stdout: "" }), (e: { code: number; stderr: string; stdout: string }) => e);
    const proposal = `0x${"11".repeat(32)}`;
    const cases: [string[], string][] = [
      [["emissions", "tree", "--input", empty, "--out", path.join(dir, "out")], `error: ${empty}: the file is empty`],
      [["snapshot", "vote", proposal, "for", "--space", "x.eth"], "error: no Snapshot hub named: give --hub <url> or set SNAPSHOT_HUB_URL (the public hub is https://hub.snapshot.org); signed messages are never sent to a default hub"],
      [["snapshot", "vote", proposal, "for", "--space", "x.eth", "--hub", "https://hub.snapshot.org", "--from", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"],
        "error: 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 is a publicly known Hardhat account (anyone has its key): it signs only for a hub on 127.0.0.1 or localhost, not https://hub.snapshot.org; set VOTER_PRIVATE_KEY or give --from"],
    ];
    for (const [args, line] of cases) {
      const r = await fail(args);
      expect(r.code).to.equal(1);
      expect(r.stderr.trim().split("\n")).to.deep.equal([line]);
    }
  });
});
