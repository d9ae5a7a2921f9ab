/**
 * Emissions helpers for tests: a fixture where governance has granted the distributor its minter
 * allowance (the first emissions proposal), and Merkle trees of cumulative amounts.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { id } from "ethers";
import { grantDistributorAllowance } from "../../src/emissions/actions.js";
import { flux, governanceFixture, pass, type Env, type Fixture, type Signer } from "./fixture.js";

export { pass };

export interface EmissionsFixture extends Fixture {
  operator: Signer;
}

/** Governance fixture plus a passed proposal granting the distributor 10M FLUX of allowance. */
export function emissionsFixture(env: Env): () => Promise<EmissionsFixture> {
  const base = governanceFixture(env);
  return async function fluxEmissions(): Promise<EmissionsFixture> {
    const f = await base();
    const e = f.emissions!;
    await pass(env, f, [await grantDistributorAllowance(f.token, e.distributor, flux(10_000_000))], "Fund emissions");
    const signers = await env.conn.ethers.getSigners();
    return { ...f, operator: signers[19]! };
  };
}

/** A reference StandardMerkleTree (OpenZeppelin's own library) of (account, cumulativeAmount). */
export function referenceTree(entries: [string, bigint][]) {
  const tree = StandardMerkleTree.of(entries, ["address", "uint256"]);
  const total = entries.reduce((s, [, a]) => s + a, 0n);
  const proof = (account: string) => {
    for (const [i, [a, amount]] of tree.entries()) if (a === account) return { amount: amount as bigint, proof: tree.getProof(i) };
    throw new Error(`${account} not in tree`);
  };
  return { tree, root: tree.root, total, proof, contentHash: id(JSON.stringify(tree.dump(), (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) };
}
