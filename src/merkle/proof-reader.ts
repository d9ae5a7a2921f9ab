/**
 * Reading one account's claim from the proof files ("flux-proofs-v2", `proof-layout.ts`) with any
 * file fetcher — `fs.readFile` under a tree directory, or `fetch` against the base URL of a
 * published one: `proofs/layout.json` once, then two files per account (its index file, JSON,
 * and its node file, raw bytes). The proof is checked against the layout's root with
 * `@noble/hashes`, so a corrupt or tampered file is refused rather than handed to `claim`. No
 * Node API: runs in browsers.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { z } from "zod";
import { InputError } from "../core/errors.js";
import { HEX_ADDRESS, parseWith } from "../core/validate.js";
import { indexFile, indexPrefix, log2floor, NODE_BYTES, nodeFile, nodeFileShape, PROOFS_FORMAT, subtreeLevel, subtreeOf, type ProofLayout } from "./proof-layout.js";

/**
 * Reads a file of the tree directory by its relative path ("proofs/layout.json"): its bytes (a
 * JSON file may also be given as text; a node file must be bytes).
 */
export type FetchFile = (relPath: string) => Promise<Uint8Array | string>;

/** One account's claim. */
export interface ProofLookup {
  /** The account as given. */
  account: string;
  /** Cumulative amount (wei). */
  amount: bigint;
  /** Heap index of its leaf in tree.json's `tree` (its `treeIndex`). */
  position: number;
  /** The bytes32[] for `claim`: exactly `StandardMerkleTree#getProof` of its value. */
  proof: string[];
}

/** The account has no entry in the tree. */
export class NotInTreeError extends InputError {}

const HASH = z.string().regex(/^0x[0-9a-f]{64}$/, "expected a 0x-prefixed 32-byte lowercase hex hash");
const LAYOUT = z.object({
  format: z.literal(PROOFS_FORMAT),
  count: z.number().int().positive(),
  indexBits: z.number().int().min(0).max(24),
  nodeDepth: z.number().int().min(0).max(31),
  root: HASH,
});
const INDEX = z.record(z.string().regex(/^0x[0-9a-f]{40}$/, "expected a lowercase 0x-address"), z.tuple([z.number().int().min(0), z.string().regex(/^\d{1,78}$/)]));

/** The proof files of one tree directory. */
export class ProofFiles {
  private constructor(
    private readonly fetchFile: FetchFile,
    readonly layout: ProofLayout,
  ) {}

  /** Reads `proofs/layout.json`. */
  static async open(fetchFile: FetchFile): Promise<ProofFiles> {
    const file = "proofs/layout.json";
    const json = await readJson(fetchFile, file);
    const format = (json as { format?: unknown } | null)?.format;
    if (typeof format === "string" && format !== PROOFS_FORMAT && /^flux-proofs-v\d+$/.test(format)) {
      throw new InputError(`${file}: format ${format}, written by another version; this one reads ${PROOFS_FORMAT}: write the directory again with emissions tree or emissions build (same input, same root)`);
    }
    return new ProofFiles(fetchFile, parseWith(LAYOUT, json, file) as ProofLayout);
  }

  /** The claim of `account` (any spelling); throws NotInTreeError when it has none, InputError when a file is bad. */
  async lookup(account: string): Promise<ProofLookup> {
    if (!HEX_ADDRESS.test(account)) throw new InputError(`${account}: not a 20-byte hex address`);
    const L = this.layout;
    const file = indexFile(L, indexPrefix(L, account));
    const index = parseWith(INDEX, await readJson(this.fetchFile, file), file);
    const entry = index[account.toLowerCase()];
    if (!entry) throw new NotInTreeError(`${account}: not in the tree (${file} has no entry for it)`);
    const [position, decimal] = entry;
    if (position < L.count - 1 || position > 2 * L.count - 2) throw new InputError(`${file}: ${account.toLowerCase()}: position ${position} is not a leaf`);
    const proof = await this.proofOf(position);
    const amount = BigInt(decimal);
    if (rootOf(leafHash(account, amount), proof) !== L.root) {
      throw new InputError(`${file}, ${nodeFile(subtreeOf(L, position))}: the proof of ${account} does not lead to the root ${L.root}: the files are corrupt or tampered with`);
    }
    return { account, amount, position, proof };
  }

  /** The proof of the leaf at heap index `position`: siblings from its node file, then the file's path. */
  private async proofOf(position: number): Promise<string[]> {
    const L = this.layout;
    const r = subtreeOf(L, position);
    const file = nodeFile(r);
    const data = await this.fetchFile(file);
    if (typeof data === "string") throw new InputError(`${file}: read as text; a node file is raw bytes (fetch it as an ArrayBuffer)`);
    const shape = nodeFileShape(L, r);
    if (data.length !== NODE_BYTES * shape.nodes) {
      throw new InputError(`${file}: ${data.length} bytes, expected ${NODE_BYTES * shape.nodes} (${shape.nodes} nodes of ${NODE_BYTES} bytes)`);
    }
    const node = (i: number): string => toHex(data.subarray(NODE_BYTES * i, NODE_BYTES * (i + 1)));
    const proof: string[] = [];
    for (let p = position, k = log2floor(position + 1) - L.nodeDepth; k > 0; p = (p - 1) >>> 1, k--) {
      proof.push(node(shape.levels[k]! + (p & 1 ? p + 1 : p - 1) - subtreeLevel(L, r, k).first));
    }
    for (let i = shape.path; i < shape.nodes; i++) proof.push(node(i));
    return proof;
  }
}

/** `ProofFiles.open(fetchFile)` then `lookup(account)`. */
export async function lookupProof(fetchFile: FetchFile, account: string): Promise<ProofLookup> {
  return (await ProofFiles.open(fetchFile)).lookup(account);
}

async function readJson(fetchFile: FetchFile, file: string): Promise<unknown> {
  const data = await fetchFile(file);
  const text = typeof data === "string" ? data : new TextDecoder().decode(data);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

/** The StandardMerkleTree leaf of (account, amount): keccak256(keccak256(abi.encode(address, uint256))). */
function leafHash(account: string, amount: bigint): Uint8Array {
  const enc = new Uint8Array(64);
  enc.set(hexToBytes(account.slice(2)), 12);
  enc.set(hexToBytes(amount.toString(16).padStart(64, "0")), 32);
  return keccak_256(keccak_256(enc));
}

/** The root a proof leads to from `leaf` (pairs sorted, as OpenZeppelin's processProof). */
function rootOf(leaf: Uint8Array, proof: string[]): string {
  let h = leaf;
  for (const p of proof) {
    const s = hexToBytes(p.slice(2));
    const pair = new Uint8Array(64);
    const [a, b] = lessOrEqual(h, s) ? [h, s] : [s, h];
    pair.set(a, 0);
    pair.set(b, 32);
    h = keccak_256(pair);
  }
  return toHex(h);
}

/** 0x-prefixed lowercase hex of bytes. */
function toHex(bytes: Uint8Array): string {
  return "0x" + bytesToHex(bytes);
}

/** a ≤ b as 32-byte big-endian numbers. */
function lessOrEqual(a: Uint8Array, b: Uint8Array): boolean {
  for (let j = 0; j < 32; j++) if (a[j] !== b[j]) return a[j]! < b[j]!;
  return true;
}
