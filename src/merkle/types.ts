/** The values, dump and root summary of reward trees (see `index.ts` for the formats). */

/** The leaf encoding of reward claims: `(address account, uint256 cumulativeAmount)`. */
export const LEAF_ENCODING: string[] = ["address", "uint256"];

/** One account's cumulative amount (wei). */
export interface RewardEntry {
  account: string;
  amount: bigint;
}

/**
 * Decimal ASCII of amounts: amount i is `bytes[from[i] .. to[i])` (no sign, no leading zero;
 * anywhere in `bytes`: a reader may point into the file it read).
 */
export interface DecimalText {
  bytes: Uint8Array;
  from: Uint32Array;
  to: Uint32Array;
}

/**
 * Entries as columns, what a file reader makes without an object, a string and a bigint per entry
 * (it may point into the bytes it read): entry i's account is the ASCII text
 * `text[accountAt[i] .. accountAt[i]+42)` (as written: lowercase, uppercase or EIP-55) and its
 * amount the decimal text `digits` i, within uint256 (the tree writes this text as it is in its
 * JSON, so a reader hands canonical digits: `BigInt(text).toString()`). For the proof thread the
 * digits should be in SharedArrayBuffers (`sharedUint32`).
 */
export interface EntryColumns {
  count: number;
  text: Uint8Array;
  accountAt: Uint32Array;
  digits: DecimalText;
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
