/**
 * Claim gas: the FLUX rewards distributor against Uniswap's MerkleDistributor (the npm package
 * `@uniswap/merkle-distributor@1.0.1`, deployed from its compiled artifacts), on the same chain in
 * the same run, both paying out the same FLUX token (so the token's own cost — a proxy and
 * ERC20Votes bookkeeping — is the same on both sides and the figures compare the distributors),
 * with trees of the same size (1,000 accounts, so proofs of the same length) and fresh recipients.
 *
 * Rows, each against Uniswap's fresh-word claim (the first claim in its 256-index bitmap word,
 * which writes a zero word as a cumulative first claim writes the account's zero slot; the goal is
 * at most 1.03×), with the ratio to Uniswap's warm-word claim (a later index in a non-zero word)
 * for context: a first claim; another account's first claim; a later claim (the same account after
 * the next epoch's root, paying the difference of cumulative amounts); and a batch of 10 accounts
 * (FLUX `claimMany` in one transaction against ten Uniswap claims; goal below 1×).
 *
 * Then the first claim of each by component, from the opcode traces of the mined transactions
 * (`gas-trace.ts`): proxy, root read, pause-flag read, other storage reads, the per-account slot,
 * the reentrancy guard, the event, the transfer, the rest and the intrinsic gas. The proxy the
 * distributor no longer has is measured too, with an ERC1967Proxy in front of the same code.
 */
import { createRequire } from "node:module";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { FluxToken } from "../types/ethers-contracts/index.js";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { concat, ContractFactory, getAddress, hexlify, keccak256, randomBytes, solidityPacked, ZeroHash, type Signer } from "ethers";
import { loadDeployConfig } from "../src/deploy/config.js";
import { deployFlux } from "../src/deploy/deploy.js";
import { localClock } from "../src/deploy/local.js";
import { grantDistributorAllowance } from "../src/emissions/actions.js";
import { runProposal, Support } from "../src/governance/lifecycle.js";
import type { Bench } from "./bench.js";
import type { Connection } from "../src/core/types.js";
import { renderTable } from "../src/core/format.js";
import { traceGas, type TxGasBreakdown } from "./gas-trace.js";

const require = createRequire(import.meta.url);
const COUNT = 1_000;

interface Row {
  what: string;
  flux: bigint;
  /** What the row is compared with, and its gas. */
  peerWhat: string;
  peer: bigint;
  /** The goal: FLUX / peer at most this (strictly below it when `below`). */
  goal: number;
  below?: boolean;
}

type Sent = Promise<{ wait(): Promise<{ gasUsed: bigint; hash: string } | null> }>;
const mined = async (tx: Sent) => (await (await tx).wait())!;
const gasOf = async (tx: Sent) => (await mined(tx)).gasUsed;

function accounts(n: number): string[] {
  return Array.from({ length: n }, () => getAddress(hexlify(randomBytes(20))));
}

/** Uniswap's tree: leaves keccak256(abi.encodePacked(index, account, amount)), sorted pairs. */
function uniswapTree(entries: { account: string; amount: bigint }[]) {
  const leaves = entries.map((e, i) => keccak256(solidityPacked(["uint256", "address", "uint256"], [i, e.account, e.amount])));
  const layers: string[][] = [leaves];
  while (layers[layers.length - 1]!.length > 1) {
    const prev = layers[layers.length - 1]!;
    const next: string[] = [];
    for (let i = 0; i < prev.length; i += 2) {
      const a = prev[i]!;
      const b = prev[i + 1];
      next.push(b === undefined ? a : keccak256(a < b ? concat([a, b]) : concat([b, a])));
    }
    layers.push(next);
  }
  const proof = (index: number) => {
    const out: string[] = [];
    let i = index;
    for (const layer of layers.slice(0, -1)) {
      const sibling = layer[i ^ 1];
      if (sibling !== undefined) out.push(sibling);
      i >>= 1;
    }
    return out;
  };
  return { root: layers[layers.length - 1]![0]!, proof };
}

async function peerRun(conn: Connection, token: FluxToken, funder: Signer, entries: { account: string; amount: bigint }[]) {
  const [deployer] = await conn.ethers.getSigners();
  const distArt = require("@uniswap/merkle-distributor/build/MerkleDistributor.json") as { abi: unknown[]; bytecode: string };
  const total = entries.reduce((s, e) => s + e.amount, 0n);
  const tree = uniswapTree(entries);
  const dist = await new ContractFactory(distArt.abi as never, distArt.bytecode, deployer as Signer).deploy(await token.getAddress(), tree.root);
  await (await token.connect(funder).transfer(await dist.getAddress(), total)).wait();
  const claim = (i: number) => dist.getFunction("claim")(i, entries[i]!.account, entries[i]!.amount, tree.proof(i));
  const fresh = await mined(claim(0)); // the first claim in bitmap word 0: the word goes 0 -> non-zero
  const warm = await gasOf(claim(1)); // same word, now non-zero
  let batch = 0n;
  for (let i = 10; i < 20; i++) batch += await gasOf(claim(i));
  const trace = await traceGas(conn.ethers.provider, fresh.hash, fresh.gasUsed);
  return { fresh: fresh.gasUsed, warm, batch, trace };
}

async function fluxRun(hre: HardhatRuntimeEnvironment, conn: Connection, entries: { account: string; amount: bigint }[]) {
  const cfg = await loadDeployConfig("default");
  const d = await deployFlux(hre, conn, cfg, { manifestDir: null });
  const e = d.emissions!;
  const [relayer, alice, bob] = await conn.ethers.getSigners();
  for (const s of [alice!, bob!]) await (await d.token.connect(s).delegate(s.address)).wait();
  const clock = localClock(conn);
  await runProposal({
    governor: d.governor,
    clock,
    proposer: alice!,
    relayer: relayer!,
    actions: [await grantDistributorAllowance(d.token, e.distributor, 10n ** 27n)],
    description: "Fund emissions",
    votes: [{ voter: alice!, support: Support.For }, { voter: bob!, support: Support.For }],
  });
  const operator = await conn.ethers.getSigner(cfg.emissions!.operator);
  const publish = async (list: { account: string; amount: bigint }[]) => {
    const tree = StandardMerkleTree.of(list.map((x) => [x.account, x.amount]), ["address", "uint256"]);
    const total = list.reduce((s, x) => s + x.amount, 0n);
    const end = (await clock.latest()) - 1;
    await (await e.distributor.connect(operator).submitRoot(tree.root, total, end, ZeroHash)).wait();
    await clock.increaseTo((await clock.latest()) + cfg.emissions!.challengeWindow + 1);
    await (await e.distributor.activateRoot()).wait();
    return (i: number) => ({ account: list[i]!.account, amount: list[i]!.amount, proof: tree.getProof(i) });
  };
  let at = await publish(entries);
  const claim = (x: ReturnType<typeof at>) => e.distributor.claim(x.account, x.amount, x.proof);
  const firstTx = await mined(claim(at(0)));
  const warm = await gasOf(claim(at(1)));
  const b = Array.from({ length: 10 }, (_, k) => at(10 + k));
  const batch = await gasOf(e.distributor.claimMany(b.map((x) => x.account), b.map((x) => x.amount), b.map((x) => x.proof)));
  // next epoch: every cumulative amount grows by 10%
  await clock.increaseTo((await clock.latest()) + 86_400);
  at = await publish(entries.map((x) => ({ account: x.account, amount: (x.amount * 11n) / 10n })));
  const later = await gasOf(claim(at(0)));
  const trace = await traceGas(conn.ethers.provider, firstTx.hash, firstTx.gasUsed);
  // The proxy this distributor no longer has, measured: an ERC1967Proxy in front of the same
  // code, called with a (pure) function; its own frame is the delegatecall and the slot read.
  if (trace.proxy !== undefined) return { first: firstTx.gasUsed, warm, later, batch, trace, proxyCost: trace.proxy, token: d.token, funder: alice!, distributor: await e.distributor.getAddress() };
  const proxyArt = await hre.artifacts.readArtifact("ERC1967Proxy");
  const leafCall = e.distributor.interface.encodeFunctionData("leaf", [at(0).account, at(0).amount]);
  const proxy = await new ContractFactory(proxyArt.abi, proxyArt.bytecode, relayer as Signer).deploy(await e.distributor.getAddress(), leafCall);
  const viaProxy = await mined(relayer!.sendTransaction({ to: await proxy.getAddress(), data: leafCall }) as unknown as Sent);
  const proxyCost = (await traceGas(conn.ethers.provider, viaProxy.hash, viaProxy.gasUsed)).proxy;
  return { first: firstTx.gasUsed, warm, later, batch, trace, proxyCost, token: d.token, funder: alice!, distributor: await e.distributor.getAddress() };
}

/** One claim's gas by component, from its opcode trace. */
export interface ClaimComponents {
  proxy: number;
  rootReads: number;
  pauseRead: number;
  otherReads: number;
  accountSlot: number;
  guard: number;
  event: number;
  transfer: number;
  rest: number;
  intrinsic: number;
  total: number;
}

/**
 * Names a claim's trace components. `rootSlots` are the slots that hold the root (for Uniswap
 * none: its root is an immutable); `pauseSlots` a slot read only for the pause flag. Every other
 * SLOAD of a fixed slot is configuration; the per-account slot (the claimed amount, or Uniswap's
 * bitmap word) is the one also written.
 */
function components(t: TxGasBreakdown, token: string, rootSlots: Set<string>, pauseSlots: Set<string>, proxy = 0): ClaimComponents {
  const written = new Set(t.sstores.map((s) => s.slot));
  const sum = (xs: { cost: number }[]) => xs.reduce((s, x) => s + x.cost, 0);
  const rootReads = sum(t.sloads.filter((s) => rootSlots.has(s.slot)));
  const pauseRead = sum(t.sloads.filter((s) => pauseSlots.has(s.slot)));
  const accountSlot = sum(t.sloads.filter((s) => written.has(s.slot))) + sum(t.sstores);
  const otherReads = sum(t.sloads) - rootReads - pauseRead - sum(t.sloads.filter((s) => written.has(s.slot)));
  const transfer = t.calls.filter((c) => c.to.toLowerCase() === token.toLowerCase()).reduce((s, c) => s + c.gas, 0);
  const own = t.proxy ?? 0;
  const rest = t.executed - own - rootReads - pauseRead - otherReads - accountSlot - t.transient - t.logs - transfer;
  return {
    proxy: own || proxy,
    rootReads,
    pauseRead,
    otherReads,
    accountSlot,
    guard: t.transient,
    event: t.logs,
    transfer,
    rest,
    intrinsic: Number(t.total) - t.executed,
    total: Number(t.total),
  };
}

export async function runClaimsGasBench(hre: HardhatRuntimeEnvironment, step: (label: string) => void = () => {}) {
  const entries = accounts(COUNT).map((account, i) => ({ account, amount: 10n ** 18n * BigInt(1 + (i % 37)) }));
  const conn = await hre.network.create();
  const flux = await fluxRun(hre, conn, entries);
  step("FLUX distributor measured");
  // the peer pays other, equally fresh, recipients on the same chain with the same token
  const peerEntries = accounts(COUNT).map((account, i) => ({ account, amount: entries[i]!.amount }));
  const peer = await peerRun(conn, flux.token, flux.funder, peerEntries);
  step("Uniswap MerkleDistributor measured");
  const fresh = "Uniswap fresh-word claim";
  const rows: Row[] = [
    { what: "first claim", flux: flux.first, peerWhat: fresh, peer: peer.fresh, goal: 1.03 },
    { what: "a new account's first claim", flux: flux.warm, peerWhat: fresh, peer: peer.fresh, goal: 1.03 },
    { what: "later claim (next epoch)", flux: flux.later, peerWhat: fresh, peer: peer.fresh, goal: 1.03 },
    { what: "batch of 10 (one tx)", flux: flux.batch, peerWhat: "ten Uniswap claims", peer: peer.batch, goal: 1, below: true },
  ];
  const token = await flux.token.getAddress();
  const slots = await distributorSlots(conn, flux.distributor);
  const table = {
    flux: components(flux.trace, token, slots.root, slots.pause, flux.proxyCost ?? 0),
    peer: components(peer.trace, token, new Set(), new Set()),
    proxyMeasured: flux.proxyCost ?? 0,
    proxyInClaim: flux.trace.proxy !== undefined,
  };
  return { rows, peerWarm: peer.warm, components: table };
}

/**
 * The distributor's storage slots a claim may read for its root and pause flag, by asking the
 * chain (eth_getStorageAt) which slot holds the active root: the slot whose value equals it.
 */
async function distributorSlots(conn: Connection, distributor: string) {
  const d = await conn.ethers.getContractAt("RewardsDistributor", distributor);
  const root = (await d.activeRoot()).root;
  const found = new Set<string>();
  for (let i = 0n; i < 16n; i++) {
    const slot = `0x${i.toString(16).padStart(64, "0")}`;
    if ((await conn.ethers.provider.getStorage(distributor, slot)) === root) found.add(slot);
  }
  return { root: found, pause: new Set<string>() };
}

const fmt = (n: number | bigint) => n.toLocaleString("en-US");

export const claimsGasBench: Bench = {
  name: "claims gas",
  steps: 2,
  async run(hre, progress) {
    const { rows, peerWarm, components: c } = await runClaimsGasBench(hre, (l) => progress.step(l));
    const ratio = (r: Row) => Number(r.flux) / Number(r.peer);
    const met = rows.filter((r) => (r.below ? ratio(r) < r.goal : ratio(r) <= r.goal)).length;
    const f = c.flux;
    const p = c.peer;
    const line = (what: string, a: number, b: number, note: string) => [what, fmt(a), fmt(b), fmt(a - b), note];
    const text = [
      `Trees of ${COUNT.toLocaleString("en-US")} accounts; peer: @uniswap/merkle-distributor@1.0.1 (MerkleDistributor artifact), both paying FLUX on the same chain.`,
      "FLUX's distributor is a plain contract (no proxy) with FLUX as an immutable; a claim reads one configuration slot, the",
      "claim root (the active root, zero while paused), and the account's claimed amount.",
      "",
      renderTable(
        ["claim", "FLUX gas", "compared with", "peer gas", "FLUX/peer", "goal", "vs Uniswap warm-word"],
        rows.map((r) => [
          r.what,
          fmt(r.flux),
          r.peerWhat,
          fmt(r.peer),
          (Number(r.flux) / Number(r.peer)).toFixed(3),
          `${r.below ? "<" : "<="} ${r.goal.toFixed(2)}`,
          r.peerWhat === "ten Uniswap claims" ? "" : (Number(r.flux) / Number(peerWarm)).toFixed(3),
        ]),
        ["l", "r", "l", "r", "r", "r", "r"],
      ),
      `Uniswap warm-word claim (a later index in a non-zero bitmap word): ${fmt(peerWarm)} gas.`,
      `Goal met for ${met}/${rows.length}.`,
      "",
      "First claim by component (opcode trace of the mined transactions; cold SLOAD 2,100, 0 -> non-zero SSTORE 20,000):",
      renderTable(
        ["component", "FLUX", "Uniswap fresh-word", "difference", "note"],
        [
          line("proxy: delegatecall + implementation slot", c.proxyInClaim ? f.proxy : 0, 0, c.proxyInClaim ? "in the claim" : `none; an ERC1967Proxy in front would cost ${fmt(c.proxyMeasured)} (measured)`),
          line("root read(s)", f.rootReads, p.rootReads, "FLUX: the claim-root slot; Uniswap: immutable"),
          line("pause flag read", f.pauseRead, p.pauseRead, "FLUX: carried by the claim-root slot (zero while paused)"),
          line("other storage reads (token, config)", f.otherReads, p.otherReads, "FLUX: token, schedule, chain id are immutables"),
          line("per-account slot read + write", f.accountSlot, p.accountSlot, "FLUX: claimed[account]; Uniswap: bitmap word"),
          line("reentrancy guard (transient)", f.guard, p.guard, ""),
          line("event", f.event, p.event, ""),
          line("token transfer (call into FLUX)", f.transfer, p.transfer, "same token, fresh recipient"),
          line("rest: dispatch, calldata decoding, leaf, proof", f.rest, p.rest, ""),
          line("intrinsic: 21,000 + calldata", f.intrinsic, p.intrinsic, ""),
          line("total", f.total, p.total, `${(f.total / p.total).toFixed(3)}x`),
        ],
        ["l", "r", "r", "r", "l"],
      ),
    ].join("\n");
    return { title: "Claim gas", text, goalsMet: met === rows.length };
  },
};
