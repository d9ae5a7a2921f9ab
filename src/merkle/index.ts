/**
 * The rewards Merkle tree, built fast and exactly as OpenZeppelin's
 * `StandardMerkleTree.of(values, ["address", "uint256"])` builds it: same leaves
 * (keccak256(keccak256(abi.encode(account, amount)))), same order of leaves (ascending by leaf
 * hash, placed from the end of the array), same heap layout of the nodes (node i is the hash of
 * the sorted pair of nodes 2i+1 and 2i+2), hence the same root, the same proofs and the same
 * `dump()` — which `StandardMerkleTree.load` opens and `RewardsDistributor.claim` accepts.
 *
 * Interface (this file is the public surface):
 * - in: `RewardEntry[]` — `{ account, amount }`, account a "0x"-hex address (lowercase, uppercase
 *   or EIP-55), amount a bigint (wei, 0 ≤ amount < 2^256);
 * - `buildRewardTree(entries, { hasher })` (or `buildRewardTreeFromColumns(columns)`: accounts'
 *   text in one byte array, amounts as decimal text, no object per entry) → `RewardTree`: `root`, `proof(i)` / `proofOf(account)`,
 *   `dump()` (= `StandardMerkleTree.of(values, LEAF_ENCODING).dump()`), `contentHash()`,
 *   `rootInfo()`, and the JSON in pieces; bad input throws an InputError naming each bad entry;
 * - `writeTreeOutput(dir, tree)` writes the output directory below, `lookupProof(fetchFile,
 *   account)` reads one account's claim from it; `canonicalDumpJson(dump)` and
 *   `contentHash(dump)` for dumps from elsewhere;
 * - `Hasher`: the keccak256 the engine uses — `wasmHasher` (default, generated WebAssembly) or
 *   `libraryHasher` (`@noble/hashes`; a build with it runs no generated code: its byte work is
 *   done by `js-helpers.ts`); same trees, same bytes.
 *
 * Layout of the module: `build/` (the stages of a build), `layout.ts` (the memory layout of a
 * build), `tree.ts` (`RewardTree`), `sort.ts`, `json-window.ts`, `dump.ts`, `output.ts`,
 * `proof-layout.ts`, `proof-reader.ts`, `proof-json.ts` and `proof-files.ts` (the proof files'
 * JSON and writing), `proof-thread.ts` and `proof-worker.ts` (writing them from a worker thread),
 * `hasher.ts` (the interface), `library-hasher.ts`, `helpers.ts` (the non-hashing byte work:
 * interface) and `js-helpers.ts`, `wasm/` (the generated module: keccak and the byte helpers, its
 * hasher, the helper thread).
 *
 * How it is fast (with the default `wasmHasher`): entries are read in chunks into one
 * preallocated WebAssembly memory (the JS
 * copies each account's text and writes each amount's 32 bytes; WebAssembly helpers parse the
 * hex, check EIP-55 spellings and abi-encode, 64 bytes per entry); all hashing runs in batches
 * through a `Hasher` — by default generated WebAssembly (`wasm/`), shared from 50,000 entries
 * with a helper thread (`wasm/tasks.ts`); leaves are ordered by a radix sort of indices on their
 * leading bits; the nodes live in one flat byte array and are hashed level by level; the proofs
 * of all entries are one flat array of node indices (`proofNodes`, `proofOffsets`) — no hex
 * string or array exists per proof until something asks for one. JSON output is written from
 * those arrays in pieces, hex-encoded by the WebAssembly helpers.
 *
 * Representation of values: `[checksummed account, amount as a decimal string]` — what
 * `StandardMerkleTree.of` is given to produce the identical dump (decimal strings because a
 * bigint does not survive JSON).
 *
 * Output directory (`writeTreeOutput`), replaced atomically as a whole:
 * - `tree.json`: the StandardMerkleTree dump as canonical JSON (see `canonicalDumpJson`);
 * - `root.json`: `{ root, total, count, contentHash }` (total in wei as a decimal string);
 * - `proofs/`: the proof files, "flux-proofs-v2" (`proof-layout.ts`, docs/formats.md#proof-files):
 *   `layout.json`, `index/<p>.json` (accounts by address prefix: tree position and amount) and
 *   `nodes/<r>.bin` (subtrees of the node array with the path to the root, raw), so that one
 *   account's claim takes two small files; `ProofFiles` / `lookupProof` read them
 *   (`proof-reader.ts`), checking the proof against the root.
 *
 * Content hash: keccak256 of the canonical JSON bytes of the dump, which are exactly the bytes of
 * `tree.json`, so anyone can check the `contentHash` of a submitted root with
 * `keccak256(<file bytes>)`. Canonical JSON: `JSON.stringify` without whitespace of
 * `{ format, leafEncoding, tree, values: [{ value, treeIndex }] }` in that key order, UTF-8 —
 * i.e. `keccak256(JSON.stringify(StandardMerkleTree.of(values, …).dump()))`.
 */
export { buildRewardTree, buildRewardTreeFromColumns, type BuildOptions } from "./build/index.js";
export { canonicalDumpJson, contentHash } from "./dump.js";
export type { BatchHasher, HashMemory, Hasher, KeccakStream, MessageSize } from "./hasher.js";
export { JSON_WINDOWS } from "./layout.js";
export { libraryHasher } from "./library-hasher.js";
export { writeTreeOutput } from "./output.js";
export { indexFile, indexPrefix, nodeFile, proofLayout, PROOFS_FORMAT, subtreeOf, type ProofLayout } from "./proof-layout.js";
export { lookupProof, NotInTreeError, ProofFiles, type FetchFile, type ProofLookup } from "./proof-reader.js";
export { RewardTree, type TreeParts } from "./tree.js";
export { LEAF_ENCODING, MAX_ENTRIES, type DecimalText, type EntryColumns, type RewardEntry, type RootInfo, type StandardTreeDump } from "./types.js";
export { wasmHasher } from "./wasm/hasher.js";
