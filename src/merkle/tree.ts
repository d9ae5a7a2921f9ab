/**
 * The rewards Merkle tree, built fast and exactly as OpenZeppelin's
 * `StandardMerkleTree.of(values, ["address", "uint256"])` builds it: same leaves
 * (keccak256(keccak256(abi.encode(account, amount)))), same order of leaves (ascending by leaf
 * hash, placed from the end of the array), same heap layout of the nodes (node i is the hash of
 * the sorted pair of nodes 2i+1 and 2i+2), hence the same root, the same proofs and the same
 * `dump()` — which `StandardMerkleTree.load` opens and `RewardsDistributor.claim` accepts.
 *
 * How it is fast: entries are read in chunks into one preallocated WebAssembly memory (the JS
 * copies each account's text and writes each amount's 32 bytes; the WebAssembly parses the hex,
 * checks EIP-55 spellings and abi-encodes, 64 bytes per entry); all hashing runs in batches in
 * generated WebAssembly (`keccak.ts`), shared from 50,000 entries with a helper thread
 * (`keccak-tasks.ts`); leaves are ordered by a radix sort of indices on their leading bits; the
 * nodes live in one flat byte array and are hashed level by level; the proofs of all entries are
 * one flat array of node indices (`proofNodes`, `proofOffsets`) — no hex string or array exists
 * per proof until something asks for one. JSON output is written from those arrays in pieces,
 * hex-encoded by the WebAssembly.
 *
 * Representation of values: `[checksummed account, amount as a decimal string]` — what
 * `StandardMerkleTree.of` is given to produce the identical dump (decimal strings because a
 * bigint does not survive JSON).
 *
 * Output directory (`writeTreeOutput`), replaced atomically as a whole:
 * - `tree.json`: the StandardMerkleTree dump as canonical JSON (see `canonicalDumpJson`);
 * - `root.json`: `{ root, total, count, contentHash }` (total in wei as a decimal string);
 * - `proofs/<xx>.json` for each of the 256 first bytes `xx` of an address (lowercase hex): an
 *   object mapping each checksummed account whose address starts with that byte to
 *   `{ amount, proof }` (amount a decimal string, proof the bytes32[] for `claim`), accounts in
 *   ascending address order, compact JSON; a shard with no account is `{}`.
 *
 * Content hash: keccak256 of the canonical JSON bytes of the dump, which are exactly the bytes of
 * `tree.json`, so anyone can check the `contentHash` of a submitted root with
 * `keccak256(<file bytes>)`. Canonical JSON: `JSON.stringify` without whitespace of
 * `{ format, leafEncoding, tree, values: [{ value, treeIndex }] }` in that key order, UTF-8 —
 * i.e. `keccak256(JSON.stringify(StandardMerkleTree.of(values, …).dump()))`.
 */
import { mkdir, open, writeFile } from "node:fs/promises";
import path from "node:path";
import { MAX_UINT256 } from "../util/amounts.js";
import { toJson, writeTreeAtomic } from "../util/fs.js";
import { InputError } from "../util/validate.js";
import { KeccakInstance } from "./wasm/keccak-module.js";
import { Keccak256, keccak256Hex } from "./wasm/sponge.js";
import { KeccakTasks, wantsWorker } from "./wasm/tasks.js";

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

const MAX_ISSUES = 20;

// --------------------------------------------------------------------------- hex helpers

const HEX_HI = new Uint8Array(256);
const HEX_LO = new Uint8Array(256);
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let b = 0; b < 256; b++) {
  HEX_HI[b] = "0123456789abcdef".charCodeAt(b >> 4);
  HEX_LO[b] = "0123456789abcdef".charCodeAt(b & 15);
}
for (let c = 0; c < 10; c++) HEX_VALUE[48 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX_VALUE[65 + c] = 10 + c;
  HEX_VALUE[97 + c] = 10 + c;
}

function hexByte(b: number): string {
  return String.fromCharCode(HEX_HI[b]!, HEX_LO[b]!);
}

// --------------------------------------------------------------------------- sorting

/** Scratch of the index sorts of one build (shared: the sorts run one after the other). */
class SortScratch {
  readonly keys: Uint32Array;
  readonly keys2: Uint32Array;
  readonly ord2: Uint32Array;
  readonly count = new Uint32Array(1 << 11);
  constructor(n: number) {
    this.keys = new Uint32Array(n);
    this.keys2 = new Uint32Array(n);
    this.ord2 = new Uint32Array(n);
  }
}

/**
 * Indices 0..n-1 ordered by byte strings in `mem` (index i: `len` bytes at base + i*stride,
 * compared as big-endian numbers, as OpenZeppelin's `compare` does). A stable LSD radix sort
 * (3 passes of 11 bits) on the leading 32 bits; runs of equal leading bits are ordered the same
 * way on the next 32 bits, and short runs by insertion sort.
 */
function sortByBytes(mem: Uint8Array, base: number, stride: number, len: number, n: number, s: SortScratch): Uint32Array {
  const ord = new Uint32Array(n);
  for (let i = 0; i < n; i++) ord[i] = i;

  const word = (i: number, off: number): number => {
    const p = base + i * stride + off;
    if (len - off >= 4) return ((mem[p]! << 24) | (mem[p + 1]! << 16) | (mem[p + 2]! << 8) | mem[p + 3]!) >>> 0;
    let w = 0;
    for (let k = 0; k < 4; k++) w = (w << 8) | (off + k < len ? mem[p + k]! : 0);
    return w >>> 0;
  };
  const cmp = (i: number, j: number, off: number): number => {
    const pi = base + i * stride;
    const pj = base + j * stride;
    for (let k = off; k < len; k++) {
      const d = mem[pi + k]! - mem[pj + k]!;
      if (d !== 0) return d;
    }
    return 0;
  };
  const { keys, keys2, ord2, count } = s;
  const sortRange = (lo: number, hi: number, off: number): void => {
    if (hi - lo < 2 || off >= len) return;
    if (hi - lo <= 32) {
      for (let a = lo + 1; a < hi; a++) {
        const v = ord[a]!;
        let b = a - 1;
        while (b >= lo && cmp(ord[b]!, v, off) > 0) {
          ord[b + 1] = ord[b]!;
          b--;
        }
        ord[b + 1] = v;
      }
      return;
    }
    for (let a = lo; a < hi; a++) keys[a] = word(ord[a]!, off);
    for (let pass = 0; pass < 3; pass++) {
      const shift = 11 * pass;
      const even = pass % 2 === 0;
      const srcO = even ? ord : ord2;
      const srcK = even ? keys : keys2;
      const dstO = even ? ord2 : ord;
      const dstK = even ? keys2 : keys;
      count.fill(0);
      for (let a = lo; a < hi; a++) count[(srcK[a]! >>> shift) & 0x7ff]!++;
      let sum = lo;
      for (let d = 0; d < 2048; d++) {
        const c = count[d]!;
        count[d] = sum;
        sum += c;
      }
      for (let a = lo; a < hi; a++) {
        const key = srcK[a]!;
        const at = count[(key >>> shift) & 0x7ff]!++;
        dstO[at] = srcO[a]!;
        dstK[at] = key;
      }
    }
    ord.set(ord2.subarray(lo, hi), lo);
    keys.set(keys2.subarray(lo, hi), lo);
    // runs of equal leading words: order them on the following bytes
    let start = lo;
    for (let a = lo + 1; a <= hi; a++) {
      if (a === hi || keys[a] !== keys[start]) {
        if (a - start > 1) sortRange(start, a, off + 4);
        start = a;
      }
    }
  };
  sortRange(0, n, 0);
  return ord;
}

// --------------------------------------------------------------------------- input issues

class Issues {
  private readonly found: { index: number; line: string }[] = [];
  count = 0;
  constructor(private readonly where: string) {}
  /** `pathText` starts with the entry's index ("7.amount") or is "(root)". */
  add(pathText: string, what: string): void {
    this.count++;
    if (this.found.length < 10 * MAX_ISSUES) this.found.push({ index: parseInt(pathText, 10) || 0, line: `${this.where}: ${pathText}: ${what}` });
  }
  /** Throws an InputError with the first issues in entry order. */
  throwIfAny(): void {
    if (this.count === 0) return;
    const lines = this.found
      .sort((a, b) => a.index - b.index)
      .slice(0, MAX_ISSUES)
      .map((f) => f.line);
    if (this.count > lines.length) lines.push(`${this.where}: … and ${this.count - lines.length} more`);
    throw new InputError(lines.join("\n"));
  }
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? value.slice(0, 77) + "..." : value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return Array.isArray(value) ? "an array" : "an object";
  return `${typeof value} ${String(value)}`;
}

// --------------------------------------------------------------------------- the tree

/** What a built tree consists of (all views into one WebAssembly memory, except the amounts). */
export interface TreeParts {
  /** Amounts (wei), in input order. */
  amounts: readonly bigint[];
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
  /** Start of each value's proof in `proofNodes` (n + 1 entries). */
  proofOffsets: Uint32Array;
  /** All proofs, as node indices, concatenated. */
  proofNodes: Uint32Array;
  /** Value indices in ascending address order. */
  byAddress: Uint32Array;
  /** `byAddress[shardStart[b] .. shardStart[b+1])`: the accounts whose first byte is b. */
  shardStart: Uint32Array;
  /** The instance owning the memory, and scratch windows in it for writing JSON. */
  keccak: KeccakInstance;
  window: { at: number; size: number; count: number };
}

/**
 * A built tree. Values keep the input order (value index = entry index). Node i is
 * `nodes[32i .. 32i+32)`; `treeIndex[v]` is the node of value v's leaf; the proof of value v is
 * `proofNodes[proofOffsets[v] .. proofOffsets[v+1])` (node indices, leaf to root: exactly
 * `StandardMerkleTree#getProof(v)`). Accounts are kept as bytes (`addresses`) with the keccak256
 * of their lowercase hex (`checksums`) that gives their EIP-55 spelling.
 *
 * JSON is produced in pieces (`dumpChunks`, `shardChunks`) through scratch windows that take
 * turns (`JSON_WINDOWS`): a yielded piece stays valid until the generator has been resumed
 * JSON_WINDOWS - 1 more times, so a consumer may keep that many writes in flight without copying.
 * One serialization at a time per tree.
 */
export class RewardTree {
  readonly amounts: readonly bigint[];
  readonly total: bigint;
  readonly nodes: Uint8Array;
  readonly addresses: Uint8Array;
  readonly checksums: Uint8Array;
  readonly treeIndex: Uint32Array;
  readonly proofOffsets: Uint32Array;
  readonly proofNodes: Uint32Array;
  readonly byAddress: Uint32Array;
  readonly shardStart: Uint32Array;
  private readonly k: KeccakInstance;
  private readonly win: { at: number; size: number; count: number };
  private writing = false;
  private accountCache: string[] | undefined;
  private decimalCache: string[] | undefined;

  constructor(parts: TreeParts) {
    this.amounts = parts.amounts;
    this.total = parts.total;
    this.nodes = parts.nodes;
    this.addresses = parts.addresses;
    this.checksums = parts.checksums;
    this.treeIndex = parts.treeIndex;
    this.proofOffsets = parts.proofOffsets;
    this.proofNodes = parts.proofNodes;
    this.byAddress = parts.byAddress;
    this.shardStart = parts.shardStart;
    this.k = parts.keccak;
    this.win = parts.window;
  }

  /** Number of values (accounts). */
  get count(): number {
    return this.amounts.length;
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

  /** The leaf hash of value `i`. */
  leafHash(i: number): string {
    return this.nodeHex(this.treeIndex[i]!);
  }

  /** The proof of value `i` (entry index), as `StandardMerkleTree#getProof(i)` returns it. */
  proof(i: number): string[] {
    const out: string[] = [];
    for (let p = this.proofOffsets[i]!; p < this.proofOffsets[i + 1]!; p++) out.push(this.nodeHex(this.proofNodes[p]!));
    return out;
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
      const fn = this.k.fn;
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
    const decimals = this.decimals;
    for (; i < n && w.free >= 256; i++) {
      if (i) w.byte(44);
      w.ascii(`{"value":["`);
      w.address(this.addresses, this.checksums, i);
      w.ascii(`","`);
      w.ascii(decimals[i]!);
      w.ascii(`"],"treeIndex":`);
      w.ascii(String(this.treeIndex[i]!));
      w.byte(125);
    }
    return i;
  }

  /**
   * The JSON of `proofs/<xx>.json` for first byte `b` (see the module comment), in pieces (see
   * the class comment for how long each stays valid).
   */
  *shardChunks(b: number): Generator<Uint8Array> {
    const w = this.openWindow();
    try {
      const from = this.shardStart[b]!;
      const to = this.shardStart[b + 1]!;
      w.byte(123);
      for (let k = from; k < to; ) {
        k = this.writeShardEntries(w, k, from, to);
        if (k < to) yield w.take();
      }
      w.byte(125);
      yield w.take();
    } finally {
      this.writing = false;
    }
  }

  /** Writes the shard entries byAddress[k..to) while they fit in the window; returns the next one. */
  private writeShardEntries(w: JsonWindow, k: number, from: number, to: number): number {
    const decimals = this.decimals;
    const fn = this.k.fn;
    const tree = this.nodes.byteOffset;
    const list = this.proofNodes.byteOffset;
    for (; k < to; k++) {
      const i = this.byAddress[k]!;
      const first = this.proofOffsets[i]!;
      const len = this.proofOffsets[i + 1]! - first;
      if (w.free < 256 + 69 * len) break;
      if (k > from) w.byte(44);
      w.byte(34);
      w.address(this.addresses, this.checksums, i);
      w.ascii(`":{"amount":"`);
      w.ascii(decimals[i]!);
      w.ascii(`","proof":[`);
      fn.hexList(tree, list + 4 * first, len, w.pos);
      w.pos += 69 * len - (len ? 1 : 0);
      w.ascii("]}");
    }
    return k;
  }

  /** The canonical JSON bytes of the dump. */
  dumpJson(): Uint8Array {
    return collect(this.dumpChunks());
  }

  /** The JSON bytes of `proofs/<xx>.json` for first byte `b`. */
  shardJson(b: number): Uint8Array {
    return collect(this.shardChunks(b));
  }

  /** keccak256 of the canonical dump (see the module comment). */
  contentHash(): string {
    const h = new Keccak256();
    for (const chunk of this.dumpChunks()) h.update(chunk);
    return h.hex();
  }

  /** What `root.json` holds (computes the content hash). */
  rootInfo(): RootInfo {
    return { root: this.root, total: this.total.toString(), count: this.count, contentHash: this.contentHash() };
  }

  private openWindow(): JsonWindow {
    if (this.writing) throw new Error("RewardTree: one JSON serialization at a time (finish or close the previous one)");
    this.writing = true;
    return new JsonWindow(this.k.bytes, this.win.at, this.win.size, this.win.count);
  }
}

function collect(chunks: Iterable<Uint8Array>): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const chunk of chunks) {
    parts.push(chunk.slice());
    size += chunk.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The EIP-55 form of address i, from its bytes and its checksum hash. */
function checksummed(addresses: Uint8Array, checksums: Uint8Array, i: number): string {
  const w = new JsonWindow(new Uint8Array(42), 0, 42, 1);
  w.address(addresses, checksums, i);
  return Buffer.from(w.take()).toString("latin1");
}

/**
 * Writes ASCII JSON into windows of a byte array (`count` windows of `size` bytes from `first`);
 * `take` hands out what was written and moves on to the next window.
 */
class JsonWindow {
  pos: number;
  private start: number;
  private index = 0;
  constructor(
    private readonly buf: Uint8Array,
    private readonly first: number,
    private readonly size: number,
    private readonly count: number,
  ) {
    this.start = first;
    this.pos = first;
  }
  get free(): number {
    return this.start + this.size - this.pos;
  }
  /** The bytes written in the current window (a view), then switches to the next window. */
  take(): Uint8Array {
    const out = this.buf.subarray(this.start, this.pos);
    this.index = (this.index + 1) % this.count;
    this.start = this.first + this.index * this.size;
    this.pos = this.start;
    return out;
  }
  byte(b: number): void {
    this.buf[this.pos++] = b;
  }
  ascii(s: string): void {
    const buf = this.buf;
    let p = this.pos;
    for (let k = 0; k < s.length; k++) buf[p++] = s.charCodeAt(k);
    this.pos = p;
  }
  /** `0x` + the EIP-55 form of address i (a letter is upper case where its hash nibble is >= 8). */
  address(addresses: Uint8Array, checksums: Uint8Array, i: number): void {
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 48;
    buf[p++] = 120;
    const a = 20 * i;
    const h = 32 * i;
    for (let j = 0; j < 20; j++) {
      const b = addresses[a + j]!;
      const hb = checksums[h + j]!;
      buf[p++] = b >> 4 >= 10 && hb & 0x80 ? HEX_HI[b]! - 32 : HEX_HI[b]!;
      buf[p++] = (b & 15) >= 10 && hb & 0x08 ? HEX_LO[b]! - 32 : HEX_LO[b]!;
    }
    this.pos = p;
  }
}

// --------------------------------------------------------------------------- building

/** Options of `buildRewardTree`. */
export interface BuildOptions {
  /** Names the input in error messages (default "reward entries"). */
  where?: string;
  /** If given, receives the milliseconds spent in each phase (for benchmarks). */
  timings?: Record<string, number>;
  /**
   * Share the hashing with a helper thread (default: from 50,000 entries on a machine with a
   * second core). The tree is the same either way.
   */
  workers?: boolean;
  /** If given, receives how the hashing tasks were shared. */
  stats?: { tasks: number; workerTasks: number };
}

/**
 * Builds the tree of `entries` (see the module comment). Throws an InputError naming each bad
 * entry (the first 20): not an address, a bad EIP-55 checksum (mixed case), an amount that is not
 * a bigint, negative or over uint256, a duplicate account (naming both entries), or no entry.
 */
export function buildRewardTree(entries: readonly RewardEntry[], opts: BuildOptions = {}): RewardTree {
  const where = opts.where ?? "reward entries";
  const timings = opts.timings;
  let last = performance.now();
  const phase = (name: string): void => {
    if (!timings) return;
    const now = performance.now();
    timings[name] = (timings[name] ?? 0) + now - last;
    last = now;
  };
  const issues = new Issues(where);
  if (!Array.isArray(entries)) {
    issues.add("(root)", `expected an array of { account, amount }, got ${show(entries)}`);
    issues.throwIfAny();
  }
  const n = entries.length;
  if (n === 0) issues.add("(root)", "no entries (a Merkle tree needs at least one leaf)");
  if (n > MAX_ENTRIES) issues.add("(root)", `${n} entries, more than the ${MAX_ENTRIES} supported`);
  issues.throwIfAny();

  // Memory: tables; what the tree keeps (its nodes, the accounts' bytes and checksum hashes, the
  // proofs as node indices, a window for writing JSON); the leaf hashes before sorting; SLOTS
  // reused chunks of input (the accounts' text, abi encodings, lowercase hex, a flag per entry).
  const C = KeccakInstance.CHUNK;
  const nodeCount = 2 * n - 1;
  const proofCount = proofLengthSum(n);
  const TREE = KeccakInstance.RESERVED;
  const ADDR = TREE + 32 * nodeCount;
  const CHK = ADDR + 20 * n;
  const PROOFS = CHK + 32 * n;
  const OUT = PROOFS + 4 * proofCount;
  const LEAF = OUT + WINDOW * JSON_WINDOWS;
  const ENC = LEAF + 32 * n;
  const ORIG = ENC + 64 * C * SLOTS;
  const ASC = ORIG + 42 * C * SLOTS;
  const FLAGS = ASC + 40 * C * SLOTS;
  const k = new KeccakInstance(FLAGS + C * SLOTS);
  const mem = k.bytes;
  const buf = Buffer.from(mem.buffer);
  const dv = new DataView(mem.buffer);
  const chunks = Math.ceil(n / C);
  const tasks = new KeccakTasks(
    k,
    { tree: TREE, addr: ADDR, chk: CHK, leaf: LEAF, enc: ENC, orig: ORIG, asc: ASC, flags: FLAGS, chunk: C },
    chunks + 32 * MAX_PIECES,
    opts.workers ?? wantsWorker(n),
  );
  phase("allocate");
  try {
    return build();
  } finally {
    tasks.finish();
    if (opts.stats) Object.assign(opts.stats, { tasks: tasks.count, workerTasks: tasks.byWorker });
  }

  function build(): RewardTree {
    // 1. read the entries; the hashing of checksums and leaves goes on in tasks meanwhile (a
    // chunk slot is reused once its task is done)
    const slotTask = new Int32Array(SLOTS).fill(-1);
    const slotBase = new Int32Array(SLOTS);
    const slots = {
      publish(slot: number, base: number, m: number): void {
        slotTask[slot] = tasks.chunk(slot, base, m);
        slotBase[slot] = base;
        if (!tasks.parallel) slots.retire(slot);
      },
      retire(slot: number): void {
        const t = slotTask[slot]!;
        if (t < 0) return;
        slotTask[slot] = -1;
        if (tasks.settle(t) === 0) return;
        const base = slotBase[slot]!;
        for (let c = 0; c < Math.min(C, n - base); c++) {
          if (mem[FLAGS + C * slot + c] === 3) issues.add(`${base + c}.account`, `${show(entries[base + c]!.account)} has a bad EIP-55 checksum`);
        }
      },
    };
    const amounts: bigint[] = [];
    let total = 0n;
    for (let c = 0; c < chunks; c++) {
      const base = c * C;
      const m = Math.min(C, n - base);
      const slot = c % SLOTS;
      slots.retire(slot);
      const L: ChunkLayout = { mem, buf, dv, enc: ENC + 64 * C * slot, orig: ORIG + 42 * C * slot, flags: FLAGS + C * slot };
      total += readChunk(entries, base, m, L, amounts, issues);
      phase("read entries");
      const invalid = k.fn.prep(L.orig, L.enc, ASC + 40 * C * slot, ADDR + 20 * base, L.flags, m);
      if (invalid > 0) {
        for (let i = 0; i < m; i++) {
          if (mem[L.flags + i] === 1) issues.add(`${base + i}.account`, `${show(entries[base + i]!.account)} is not a 20-byte hex address`);
        }
      }
      phase("parse addresses");
      if (issues.count === 0) slots.publish(slot, base, m); // (after an issue, only look for more)
    }
    issues.throwIfAny();

    // 2. duplicates: sort by address, compare neighbours (stable: the first of equals came first)
    const scratch = new SortScratch(n);
    const byAddress = sortByBytes(mem, ADDR, 20, 20, n, scratch);
    for (let a = 1, first = byAddress[0]!; a < n; a++) {
      const j = byAddress[a]!;
      if (equalBytes(mem, ADDR + 20 * first, ADDR + 20 * j, 20)) {
        issues.add(`${j}.account`, `duplicate account ${checksummed(mem.subarray(ADDR), mem.subarray(CHK), j)}: entry ${first} has it too`);
      } else {
        first = j;
      }
    }
    const shardStart = new Uint32Array(257);
    for (let a = 0; a < n; a++) shardStart[mem[ADDR + 20 * byAddress[a]!]! + 1]!++;
    for (let b = 0; b < 256; b++) shardStart[b + 1]! += shardStart[b]!;
    phase("address sort");
    for (let c = chunks - 1; c >= Math.max(0, chunks - SLOTS); c--) slots.retire(c % SLOTS);
    phase("keccak: checksums+leaves");
    issues.throwIfAny();

    // 3. leaves in ascending hash order, placed from the end of the node array
    const byLeaf = sortByBytes(mem, LEAF, 32, 32, n, scratch);
    const treeIndex = new Uint32Array(n);
    const words = new Uint32Array(mem.buffer);
    for (let s = 0; s < n; s++) {
      const v = byLeaf[s]!;
      const t = nodeCount - 1 - s;
      treeIndex[v] = t;
      const src = (LEAF + 32 * v) >> 2;
      const dst = (TREE + 32 * t) >> 2;
      for (let w = 0; w < 8; w++) words[dst + w] = words[src + w]!;
    }
    phase("leaf sort");

    // 4. inner nodes, level by level from the deepest (a level's nodes depend only on the level
    // below; a large level is split into pieces for the tasks), and meanwhile 5. every proof:
    // the siblings from the leaf to the root, as node indices
    let proofs: { proofOffsets: Uint32Array; proofNodes: Uint32Array } | undefined;
    for (let d = n > 1 ? 31 - Math.clz32(n - 1) : -1; d >= 0; d--) {
      const lo = 2 ** d - 1;
      const hi = Math.min(2 ** (d + 1) - 1, n - 1);
      if (lo >= hi) continue;
      if (tasks.parallel && d >= 2 && hi - lo >= 2 * C) {
        const pieces = Math.min(MAX_PIECES, Math.ceil((hi - lo) / C));
        const ids: number[] = [];
        for (let p = 0; p < pieces; p++) ids.push(tasks.nodes(lo + Math.floor(((hi - lo) * p) / pieces), lo + Math.floor(((hi - lo) * (p + 1)) / pieces)));
        if (!proofs) {
          proofs = allProofs(treeIndex, new Uint32Array(mem.buffer, PROOFS, proofCount));
          phase("proofs");
        }
        for (let p = ids.length - 1; p >= 0; p--) tasks.settle(ids[p]!);
      } else {
        k.nodes(TREE, lo, hi);
      }
    }
    phase("keccak: nodes");
    proofs ??= allProofs(treeIndex, new Uint32Array(mem.buffer, PROOFS, proofCount));
    phase("proofs");

    const view = (from: number, length: number): Uint8Array => new Uint8Array(mem.buffer, from, length);
    return new RewardTree({
      amounts,
      total,
      nodes: view(TREE, 32 * nodeCount),
      addresses: view(ADDR, 20 * n),
      checksums: view(CHK, 32 * n),
      treeIndex,
      proofOffsets: proofs.proofOffsets,
      proofNodes: proofs.proofNodes,
      byAddress,
      shardStart,
      keccak: k,
      window: { at: OUT, size: WINDOW, count: JSON_WINDOWS },
    });
  }
}

/** Total length of all proofs of a tree of n leaves (leaf nodes n-1..2n-2 at depth log2(node+1)). */
function proofLengthSum(n: number): number {
  let sum = 0;
  for (let d = 0; 2 ** d <= 2 * n - 1; d++) {
    const lo = Math.max(n, 2 ** d);
    const hi = Math.min(2 * n - 1, 2 ** (d + 1) - 1);
    if (hi >= lo) sum += d * (hi - lo + 1);
  }
  return sum;
}

/** The proofs of all values into `proofNodes`: the siblings from each leaf to the root, as node indices. */
function allProofs(treeIndex: Uint32Array, proofNodes: Uint32Array): { proofOffsets: Uint32Array; proofNodes: Uint32Array } {
  const n = treeIndex.length;
  const proofOffsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) proofOffsets[i + 1] = proofOffsets[i]! + (31 - Math.clz32(treeIndex[i]! + 1));
  if (proofOffsets[n] !== proofNodes.length) throw new Error("internal: proof lengths");
  for (let i = 0, p = 0; i < n; i++) {
    let t = treeIndex[i]!;
    while (t > 0) {
      proofNodes[p++] = t & 1 ? t + 1 : t - 1;
      t = (t - 1) >>> 1;
    }
  }
  return { proofOffsets, proofNodes };
}

/** Chunk slots: reading runs up to SLOTS chunks ahead of hashing. */
const SLOTS = 8;
/** The most pieces a level of the tree is split into. */
const MAX_PIECES = 8;
/** Scratch windows for writing JSON (the largest shard entry is about 2 KiB). */
const WINDOW = 1 << 20;
/** Number of JSON windows taking turns: a consumer may keep JSON_WINDOWS - 1 pieces in flight. */
export const JSON_WINDOWS = 4;

/** Flag of an entry already reported by the JS checks (the WebAssembly `prep` skips it). */
const REPORTED = 4;

/** Where one chunk of entries goes in memory. */
interface ChunkLayout {
  mem: Uint8Array;
  buf: Buffer;
  dv: DataView;
  /** 64 bytes per entry: the abi encoding (the address part is filled by `prep`). */
  enc: number;
  /** 42 bytes per entry: the account's text. */
  orig: number;
  /** 1 byte per entry: 0, or REPORTED. */
  flags: number;
}

/**
 * The JS part of reading entries base..base+m-1: checks types and amounts, copies each account's
 * text (as UTF-8: a string with a non-ASCII character never encodes to exactly 42 bytes), writes
 * each amount's 32 bytes, appends the amounts. Returns the chunk's sum.
 */
function readChunk(entries: readonly RewardEntry[], base: number, m: number, L: ChunkLayout, amounts: bigint[], issues: Issues): bigint {
  const { mem, buf, dv } = L;
  let sum = 0n;
  for (let c = 0; c < m; c++) {
    const i = base + c;
    const e = entries[i] as unknown;
    amounts.push(0n);
    if (e === null || typeof e !== "object") {
      issues.add(String(i), `expected { account, amount }, got ${show(e)}`);
      mem[L.flags + c] = REPORTED;
      continue;
    }
    const account = (e as { account?: unknown }).account;
    const amount = (e as { amount?: unknown }).amount;
    if (typeof account === "string" && account.length === 42 && buf.write(account, L.orig + 42 * c, 42, "utf8") === 42) {
      mem[L.flags + c] = 0;
    } else {
      issues.add(`${i}.account`, typeof account === "string" ? `${show(account)} is not a 20-byte hex address` : `expected an address string, got ${show(account)}`);
      mem[L.flags + c] = REPORTED;
    }
    if (typeof amount !== "bigint") {
      issues.add(`${i}.amount`, `expected a bigint amount (wei), got ${show(amount)}`);
    } else if (amount < 0n) {
      issues.add(`${i}.amount`, `${amount} is negative (account ${show(account)})`);
    } else if (amount > MAX_UINT256) {
      issues.add(`${i}.amount`, `${amount} overflows uint256 (account ${show(account)})`);
    } else {
      encodeUint256(amount, mem, dv, L.enc + 64 * c + 32);
      amounts[i] = amount;
      sum += amount;
    }
  }
  return sum;
}

const TWO_64 = 1n << 64n;
const TWO_128 = 1n << 128n;

/** Writes `v` (0 <= v <= MAX_UINT256) as 32 big-endian bytes at `o` (few bigint operations). */
function encodeUint256(v: bigint, mem: Uint8Array, dv: DataView, o: number): void {
  if (v < TWO_64) {
    dv.setUint32(o, 0);
    dv.setUint32(o + 4, 0);
    dv.setUint32(o + 8, 0);
    dv.setUint32(o + 12, 0);
    dv.setUint32(o + 16, 0);
    dv.setUint32(o + 20, 0);
    dv.setBigUint64(o + 24, v);
  } else if (v < TWO_128) {
    dv.setUint32(o, 0);
    dv.setUint32(o + 4, 0);
    dv.setUint32(o + 8, 0);
    dv.setUint32(o + 12, 0);
    dv.setBigUint64(o + 16, v >> 64n);
    dv.setBigUint64(o + 24, BigInt.asUintN(64, v));
  } else {
    const hex = v.toString(16);
    mem.fill(0, o, o + 32);
    let p = o + 31;
    let j = hex.length;
    for (; j >= 2; j -= 2) mem[p--] = (HEX_VALUE[hex.charCodeAt(j - 2)]! << 4) | HEX_VALUE[hex.charCodeAt(j - 1)]!;
    if (j === 1) mem[p] = HEX_VALUE[hex.charCodeAt(0)]!;
  }
}

function equalBytes(mem: Uint8Array, a: number, b: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (mem[a + k] !== mem[b + k]) return false;
  return true;
}

// --------------------------------------------------------------------------- dumps and output

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

/** keccak256 (0x-hex) of the canonical JSON bytes of a dump — the `contentHash` of a root. */
export function contentHash(dump: StandardTreeDump | RewardTree): string {
  if (dump instanceof RewardTree) return dump.contentHash();
  return keccak256Hex(Buffer.from(canonicalDumpJson(dump), "utf8"));
}

/** The shard of an account: the first byte of its address (0..255). */
export function shardOf(account: string): number {
  return parseInt(account.slice(2, 4), 16);
}

/** The shard file of first byte `b`, relative to the output directory: `proofs/<xx>.json`. */
export function shardFile(b: number): string {
  return path.join("proofs", `${hexByte(b)}.json`);
}

/**
 * Writes `<dir>/tree.json`, `<dir>/root.json`, `<dir>/proofs/<xx>.json` (all 256) and any `extra`
 * files (plain names, e.g. `{ "epoch.json": text }`) as one atomic replacement of `dir`
 * (writeTreeAtomic): on any failure the previous directory stays as it was. The JSON is streamed
 * (never whole in memory) and `tree.json` hashed on the way. Returns what `root.json` holds.
 */
export async function writeTreeOutput(dir: string, tree: RewardTree, extra: Record<string, string | Uint8Array> = {}): Promise<RootInfo> {
  for (const name of Object.keys(extra)) {
    if (!/^[\w.-]+$/.test(name) || name.startsWith(".") || ["tree.json", "root.json", "proofs"].includes(name)) {
      throw new InputError(`writeTreeOutput: extra file "${name}": must be a plain file name other than tree.json, root.json, proofs`);
    }
  }
  let info: RootInfo | undefined;
  await writeTreeAtomic(dir, async (tmp) => {
    const hash = new Keccak256();
    await writeChunks(path.join(tmp, "tree.json"), tree.dumpChunks(), (chunk) => hash.update(chunk));
    info = { root: tree.root, total: tree.total.toString(), count: tree.count, contentHash: hash.hex() };
    await mkdir(path.join(tmp, "proofs"));
    for (let b = 0; b < 256; b++) await writeChunks(path.join(tmp, shardFile(b)), tree.shardChunks(b));
    for (const [name, data] of Object.entries(extra)) await writeFile(path.join(tmp, name), data);
    await writeFile(path.join(tmp, "root.json"), toJson(info));
  });
  return info!;
}

/**
 * Writes a generator's chunks to a new file, keeping up to JSON_WINDOWS - 1 writes in flight
 * while the next chunks are produced.
 */
async function writeChunks(file: string, chunks: Generator<Uint8Array>, each?: (chunk: Uint8Array) => void): Promise<void> {
  const fh = await open(file, "wx");
  const inFlight: Promise<unknown>[] = [];
  let failure: unknown;
  try {
    let position = 0;
    for (const chunk of chunks) {
      each?.(chunk);
      // written straight from the window: it is not reused before JSON_WINDOWS - 1 more pieces
      const p = fh.write(chunk, 0, chunk.length, position);
      p.catch(() => undefined); // awaited below; never "unhandled"
      inFlight.push(p);
      position += chunk.length;
      if (inFlight.length >= JSON_WINDOWS - 1) await inFlight.shift();
    }
  } catch (e) {
    failure = e;
  }
  // never leave a write running into a file or directory that may be removed
  for (const r of await Promise.allSettled(inFlight)) if (r.status === "rejected") failure ??= r.reason;
  await fh.close();
  if (failure !== undefined) throw failure;
}
