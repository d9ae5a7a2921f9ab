/** The values, dump and root summary of reward trees (see `index.ts` for the formats). */

/** The leaf encoding of reward claims: `(address account, uint256 cumulativeAmount)`. */
export const LEAF_ENCODING: string[] = ["address", "uint256"];

/** One account's cumulative amount (wei). */
export interface RewardEntry {
  account: string;
  amount: bigint;
}

/** The StandardMerkleTree dump (`StandardMerkleTree.load` accepts it). */
export interface StandardTreeDump {
  format: "standard-v1";
  leafEncoding: string[];
  tree: string[];
  values: { value: [string, string]; treeIndex: number }[];
}

/** What `root.json` holds. */
export interface RootInfo {
  root: string;
  /** Sum of all amounts, wei, decimal string. */
  total: string;
  count: number;
  /** keccak256 of `tree.json` (the canonical dump). */
  contentHash: string;
}

/**
 * Most entries of one tree: a build needs about 150 + 4·log2(n) bytes per entry in one 32-bit
 * WebAssembly memory (at most 4 GiB).
 */
export const MAX_ENTRIES = 1 << 23;
