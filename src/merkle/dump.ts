/** The canonical JSON of a dump and its content hash (see `index.ts` for the format). */
import { keccak256Hex, type Hasher } from "./hasher.js";
import { RewardTree } from "./tree.js";
import type { StandardTreeDump } from "./types.js";
import { wasmHasher } from "./wasm/hasher.js";

/**
 * Canonical JSON of a dump: no whitespace, keys in the order format, leafEncoding, tree, values
 * ({ value, treeIndex }), bigints as decimal strings. Equal to `RewardTree#dumpJson()`.
 */
export function canonicalDumpJson(dump: StandardTreeDump): string {
  const canonical = {
    format: dump.format,
    leafEncoding: dump.leafEncoding,
    tree: dump.tree,
    values: dump.values.map(({ value, treeIndex }) => ({ value, treeIndex })),
  };
  return JSON.stringify(canonical, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

/**
 * keccak256 (0x-hex) of the canonical JSON bytes of a dump — the `contentHash` of a root. A tree
 * hashes its own dump with the hasher it was built with; a plain dump is hashed with `hasher`
 * (default: the WebAssembly one).
 */
export function contentHash(dump: StandardTreeDump | RewardTree, hasher: Hasher = wasmHasher): string {
  if (dump instanceof RewardTree) return dump.contentHash();
  return keccak256Hex(hasher, Buffer.from(canonicalDumpJson(dump), "utf8"));
}
