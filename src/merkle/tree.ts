/**
 * A built reward tree: its nodes, values and proofs as flat arrays in the build's memory, with
 * the views (root, proof, dump) and the JSON writers (dump, index and node files) over them.
 */
import { toHex, type Hasher } from "./hasher.js";
import type { ByteHelpers } from "./helpers.js";
import { checksummed, collect, JsonWindow } from "./json-window.js";
import { decimalText, ProofJson, type ProofSource } from "./proof-json.js";
import type { ProofLayout } from "./proof-layout.js";
import { LEAF_ENCODING, type DecimalText, type RootInfo, type StandardTreeDump } from "./types.js";

/** The fixed text around a dump value, as bytes. */
const VALUE_OPEN = Buffer.from(`{"value":["`, "latin1");
const VALUE_MID = Buffer.from(`","`, "latin1");
const VALUE_CLOSE = Buffer.from(`"],"treeIndex":`, "latin1");

/** What a built tree consists of (all views into the build's memory, except the amounts). */
export interface TreeParts {
  /** Number of values. */
  count: number;
  /** Amounts (wei), in input order; or, instead, */
  amounts?: readonly bigint[];
  /** their decimal text (canonical: what `toString()` gives), from which bigints are made only if asked. */
  digits?: DecimalText;
  /** Sum of the amounts. */
  total: bigint;
  /** All 2n-1 nodes, 32 bytes each, in OpenZeppelin's heap layout (node 0 is the root). */
  nodes: Uint8Array;
  /** The 20 bytes of each account. */
  addresses: Uint8Array;
  /** keccak256 of each account's lowercase hex (its EIP-55 checksum), 32 bytes each. */
  checksums: Uint8Array;
  /** Node index of each value's leaf. */
  treeIndex: Uint32Array;
  /**
   * All proofs (made on the first call if not made yet): `proofOffsets`, the start of each
   * value's proof in `proofNodes` (n + 1 entries), and `proofNodes`, all proofs as node indices,
   * concatenated.
   */
  proofs: () => { proofOffsets: Uint32Array; proofNodes: Uint32Array };
  /** Value indices in ascending address order. */
  byAddress: Uint32Array;
  /** The whole memory the views are in, its helpers (they write the JSON hex), and scratch windows in it for writing JSON. */
  memory: Uint8Array;
  helpers: ByteHelpers;
  /** The keccak256 of the content hash (the build's hasher). */
  hasher: Hasher;
  window: { at: number; size: number; count: number };
  /** Whether `memory` and the arrays above are shared memory (built with the WebAssembly hasher): a proof thread can read them. */
  shared?: boolean;
}

/**
 * A built tree. Values keep the input order (value index = entry index). Node i is
 * `nodes[32i .. 32i+32)`; `treeIndex[v]` is the node of value v's leaf; the proof of value v is
 * `proofNodes[proofOffsets[v] .. proofOffsets[v+1])` (node indices, leaf to root: exactly
 * `StandardMerkleTree#getProof(v)`). Accounts are kept as bytes (`addresses`) with the keccak256
 * of their lowercase hex (`checksums`) that gives their EIP-55 spelling.
 *
 * JSON is produced in pieces (`dumpChunks`; an index or node file is one piece) through scratch windows that take
 * turns (`JSON_WINDOWS`): a yielded piece stays valid until the generator has been resumed
 * JSON_WINDOWS - 1 more times, so a consumer may keep that many writes in flight without copying.
 * One serialization at a time per tree.
 */
export class RewardTree {
  /** Number of values (accounts). */
  readonly count: number;
  readonly total: bigint;
  readonly nodes: Uint8Array;
  readonly addresses: Uint8Array;
  readonly checksums: Uint8Array;
  readonly treeIndex: Uint32Array;
  private readonly proofs: TreeParts["proofs"];
  readonly byAddress: Uint32Array;
  /** The hasher the tree was built with (it also computes the content hash). */
  readonly hasher: Hasher;
  /** Whether the tree is in shared memory (WebAssembly hasher only: see `TreeParts`). */
  readonly shared: boolean;
  private readonly memory: Uint8Array;
  private readonly helpers: ByteHelpers;
  private readonly win: { at: number; size: number; count: number };
  private writing = false;
  private proofCache: ProofJson | undefined;
  private accountCache: string[] | undefined;
  private decimalCache: string[] | undefined;
  private digitCache: DecimalText | undefined;
  private amountCache: readonly bigint[] | undefined;

  constructor(parts: TreeParts) {
    if (!parts.amounts === !parts.digits) throw new TypeError("RewardTree: give the amounts either as bigints or as decimal text");
    this.count = parts.count;
    this.amountCache = parts.amounts;
    this.digitCache = parts.digits;
    this.total = parts.total;
    this.nodes = parts.nodes;
    this.addresses = parts.addresses;
    this.checksums = parts.checksums;
    this.treeIndex = parts.treeIndex;
    this.proofs = parts.proofs;
    this.byAddress = parts.byAddress;
    this.hasher = parts.hasher;
    this.memory = parts.memory;
    this.helpers = parts.helpers;
    this.win = parts.window;
    this.shared = parts.shared ?? false;
  }

  /** Amounts (wei), in input order (made from their decimal text on first use if the tree was built from columns). */
  get amounts(): readonly bigint[] {
    this.amountCache ??= Array.from({ length: this.count }, (_, i) => this.amount(i));
    return this.amountCache;
  }

  /** The amount of value `i` (without making every amount's bigint). */
  amount(i: number): bigint {
    if (this.amountCache) return this.amountCache[i]!;
    const { bytes, from, to } = this.digits;
    return BigInt(Buffer.from(bytes.buffer, bytes.byteOffset + from[i]!, to[i]! - from[i]!).toString("latin1"));
  }

  /** The root as 0x-hex. */
  get root(): string {
    return this.nodeHex(0);
  }

  /** Node `i` as 0x-hex. */
  nodeHex(i: number): string {
    return "0x" + Buffer.from(this.nodes.buffer, this.nodes.byteOffset + 32 * i, 32).toString("hex");
  }

  /** The checksummed account of value `i`. */
  account(i: number): string {
    return checksummed(this.addresses, this.checksums, i);
  }

  /** Checksummed accounts in input order (built on first use). */
  get accounts(): readonly string[] {
    this.accountCache ??= Array.from({ length: this.count }, (_, i) => this.account(i));
    return this.accountCache;
  }

  /** Amounts as decimal strings (built on first use). */
  private get decimals(): readonly string[] {
    this.decimalCache ??= this.amounts.map((a) => a.toString());
    return this.decimalCache;
  }

  /** Amounts as decimal ASCII bytes (built on first use). */
  private get digits(): DecimalText {
    this.digitCache ??= decimalText(this.amounts);
    return this.digitCache;
  }

  /** Start of each value's proof in `proofNodes` (n + 1 entries). */
  get proofOffsets(): Uint32Array {
    return this.proofs().proofOffsets;
  }

  /** All proofs, as node indices, concatenated. */
  get proofNodes(): Uint32Array {
    return this.proofs().proofNodes;
  }

  /** The leaf hash of value `i`. */
  leafHash(i: number): string {
    return this.nodeHex(this.treeIndex[i]!);
  }

  /** The proof of value `i` (entry index), as `StandardMerkleTree#getProof(i)` returns it. */
  proof(i: number): string[] {
    const out: string[] = [];
    const { proofOffsets, proofNodes } = this.proofs();
    for (let p = proofOffsets[i]!; p < proofOffsets[i + 1]!; p++) out.push(this.nodeHex(proofNodes[p]!));
    return out;
  }

  /** The entry index of `account` (any spelling of a 20-byte hex address), or -1. */
  indexOf(account: string): number {
    if (!/^0x[0-9a-fA-F]{40}$/.test(account)) return -1;
    const want = Buffer.from(account.slice(2), "hex");
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const i = this.byAddress[mid]!;
      const c = Buffer.compare(this.addresses.subarray(20 * i, 20 * i + 20), want);
      if (c === 0) return i;
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  /** The proof of `account` (as `proof` of its entry), or undefined if it has no entry. */
  proofOf(account: string): string[] | undefined {
    const i = this.indexOf(account);
    return i < 0 ? undefined : this.proof(i);
  }

  /** The dump as an object (what `StandardMerkleTree#dump()` returns); large for big trees. */
  dump(): StandardTreeDump {
    const tree: string[] = [];
    for (let i = 0; i < this.nodes.length / 32; i++) tree.push(this.nodeHex(i));
    return {
      format: "standard-v1",
      leafEncoding: [...LEAF_ENCODING],
      tree,
      values: this.accounts.map((account, i) => ({
        value: [account, this.decimals[i]!] as [string, string],
        treeIndex: this.treeIndex[i]!,
      })),
    };
  }

  /**
   * The canonical JSON of the dump (`canonicalDumpJson(this.dump())`), in pieces (see the class
   * comment for how long each stays valid).
   */
  *dumpChunks(): Generator<Uint8Array> {
    const w = this.openWindow();
    try {
      const n = this.count;
      const nodeCount = 2 * n - 1;
      const fn = this.helpers;
      const tree = this.nodes.byteOffset;
      w.ascii(`{"format":"standard-v1","leafEncoding":${JSON.stringify(LEAF_ENCODING)},"tree":[`);
      for (let i = 0; i < nodeCount; ) {
        const room = Math.floor((w.free - 16) / 69);
        if (room < 1) {
          yield w.take();
          continue;
        }
        const count = Math.min(room, nodeCount - i);
        fn.hexNodes(tree, i, count, w.pos);
        w.pos += 69 * count;
        i += count;
      }
      w.pos -= 1; // the last element's comma
      w.ascii(`],"values":[`);
      for (let i = 0; i < n; ) {
        i = this.writeValues(w, i);
        if (i < n) yield w.take();
      }
      w.ascii("]}");
      yield w.take();
    } finally {
      this.writing = false;
    }
  }

  /** Writes values from `i` on while they fit in the window; returns the next one. (Hot loops stay out of generators, which V8 optimizes less.) */
  private writeValues(w: JsonWindow, i: number): number {
    const n = this.count;
    const { bytes, from, to } = this.digits;
    for (; i < n && w.free >= 256; i++) {
      if (i) w.byte(44);
      w.bytes(VALUE_OPEN, 0, VALUE_OPEN.length);
      w.address(this.addresses, this.checksums, i);
      w.bytes(VALUE_MID, 0, VALUE_MID.length);
      w.bytes(bytes, from[i]!, to[i]!);
      w.bytes(VALUE_CLOSE, 0, VALUE_CLOSE.length);
      w.uint(this.treeIndex[i]!);
      w.byte(125);
    }
    return i;
  }

  /** What the proof files are made of (all in shared memory with the WebAssembly hasher: see `proof-json.ts`). */
  get proofSource(): ProofSource {
    const { count, memory, nodes, addresses, treeIndex, byAddress } = this;
    return { count, memory, nodesAt: nodes.byteOffset, addressesAt: addresses.byteOffset, treeIndex, byAddress, digits: this.digits };
  }

  /** The window after the tree's own ones, for a proof thread's node files (see `layout.ts`). */
  get threadWindow(): { at: number; size: number } {
    return { at: this.win.at + this.win.size * this.win.count, size: this.win.size };
  }

  /** The index and node files' writer of this tree (on first use). */
  private get proofJson(): ProofJson {
    this.proofCache ??= new ProofJson(this.proofSource);
    return this.proofCache;
  }

  /**
   * The JSON of the index file of prefix `p` (see `proof-layout.ts`): the accounts
   * `byAddress[starts[p] .. starts[p+1])` as `{"0x<address>":[position,"amount"],…}` (a view
   * of a scratch array, valid until the next index file).
   */
  indexFileJson(starts: Uint32Array, p: number): Uint8Array {
    return this.proofJson.indexFileJson(starts, p);
  }

  /**
   * The node file of subtree root `r` (see `proof-layout.ts`): its levels' nodes then its path,
   * 32 raw bytes each, at most 511 + 32 nodes: a view of one of the tree's windows, valid until
   * its next serialization (no copy: see `ProofJson#indexFileJson`).
   */
  nodeFileBytes(L: ProofLayout, r: number): Uint8Array {
    const w = this.openWindow();
    try {
      return this.proofJson.nodeFile(w, L, r);
    } finally {
      this.writing = false;
    }
  }

  /** Where each index prefix's accounts start in `byAddress` (2^indexBits + 1 entries). */
  indexStarts(L: ProofLayout): Uint32Array {
    return this.proofJson.indexStarts(L);
  }

  /** The canonical JSON bytes of the dump. */
  dumpJson(): Uint8Array {
    return collect(this.dumpChunks());
  }

  /** keccak256 of the canonical dump (see the module comment). */
  contentHash(): string {
    const h = this.hasher.stream();
    for (const chunk of this.dumpChunks()) h.update(chunk);
    return toHex(h.digest());
  }

  /** What `root.json` holds (computes the content hash). */
  rootInfo(): RootInfo {
    return { root: this.root, total: this.total.toString(), count: this.count, contentHash: this.contentHash() };
  }

  private openWindow(): JsonWindow {
    if (this.writing) throw new Error("RewardTree: one JSON serialization at a time (finish or close the previous one)");
    this.writing = true;
    return new JsonWindow(this.memory, this.win.at, this.win.size, this.win.count);
  }
}
