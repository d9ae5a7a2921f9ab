/**
 * Claim gas: the FLUX rewards distributor against Uniswap's MerkleDistributor (the npm package
 * `@uniswap/merkle-distributor@1.0.1`, deployed from its compiled artifacts), on the same chain in
 * the same run, both paying out the same FLUX token (so the token's own cost — a proxy and
 * ERC20Votes bookkeeping — is the same on both sides and the figures compare the distributors),
 * with trees of the same size (1,000 accounts, so proofs of the same length) and fresh recipients.
 *
 * Rows: a first claim (an account's first, and the first in its storage word for Uniswap's
 * bitmap); another account's first claim (Uniswap: the bitmap word is now warm and non-zero);
 * a later claim (FLUX: the same account after the next epoch's root, paying the difference of
 * cumulative amounts — Uniswap's distributor is one-shot, so its peer figure is the warm-word
 * claim); and a batch of 10 accounts (FLUX `claimMany` in one transaction against ten Uniswap
 * claims).
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

const require = createRequire(import.meta.url);
const COUNT = 1_000;

interface Row {
  what: string;
  flux: bigint;
  peer: bigint;
}

const gasOf = async (tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) => (await (await tx).wait())!.gasUsed;

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
  const first = await gasOf(claim(0));
  const warm = await gasOf(claim(1));
  let batch = 0n;
  for (let i = 10; i < 20; i++) batch += await gasOf(claim(i));
  return { first, warm, later: warm, batch };
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
  const first = await gasOf(claim(at(0)));
  const warm = await gasOf(claim(at(1)));
  const b = Array.from({ length: 10 }, (_, k) => at(10 + k));
  const batch = await gasOf(e.distributor.claimMany(b.map((x) => x.account), b.map((x) => x.amount), b.map((x) => x.proof)));
  // next epoch: every cumulative amount grows by 10%
  await clock.increaseTo((await clock.latest()) + 86_400);
  at = await publish(entries.map((x) => ({ account: x.account, amount: (x.amount * 11n) / 10n })));
  const later = await gasOf(claim(at(0)));
  return { first, warm, later, batch, token: d.token, funder: alice! };
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
  const rows: Row[] = [
    { what: "first claim", flux: flux.first, peer: peer.first },
    { what: "another account's first claim", flux: flux.warm, peer: peer.warm },
    { what: "later claim (next epoch / warm word)", flux: flux.later, peer: peer.later },
    { what: "batch of 10 (one tx / ten txs)", flux: flux.batch, peer: peer.batch },
  ];
  return rows;
}

export const claimsGasBench: Bench = {
  name: "claims gas",
  steps: 2,
  async run(hre, progress) {
    const rows = await runClaimsGasBench(hre, (l) => progress.step(l));
    const met = rows.filter((r) => r.flux <= r.peer).length;
    const text = [
      `Trees of ${COUNT.toLocaleString("en-US")} accounts; peer: @uniswap/merkle-distributor@1.0.1 (MerkleDistributor artifact), both paying FLUX on the same chain.`,
      "FLUX's distributor is an upgradeable proxy with a governed root lifecycle (pending/active roots, pause), which a single-claim",
      "read costs (a delegatecall and two storage reads Uniswap keeps in immutables); its cumulative claims let one account claim every epoch.",
      "",
      renderTable(
        ["claim", "FLUX gas", "Uniswap gas", "FLUX/Uniswap"],
        rows.map((r) => [r.what, r.flux.toLocaleString("en-US"), r.peer.toLocaleString("en-US"), (Number(r.flux) / Number(r.peer)).toFixed(3)]),
        ["l", "r", "r", "r"],
      ),
      `Goal FLUX <= Uniswap: met for ${met}/${rows.length}.`,
    ].join("\n");
    return { title: "Claim gas", text, goalsMet: met === rows.length };
  },
};
