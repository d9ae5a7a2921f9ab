/**
 * Keccak-256 for bulk work, and the byte work around it: a WebAssembly module generated here, at
 * first use, from the Keccak-f[1600] definition (no binary blob, no dependency). It hashes whole
 * batches of short fixed-size messages in one call, so the cost per hash is the permutation
 * itself rather than call, copy and object overhead (that overhead is what limits JS keccak
 * libraries on 64-byte inputs: see the Merkle benchmark, `src/bench/merkle.ts`).
 *
 * Every message the batch functions hash fits one 136-byte block (one permutation per hash):
 * - `hash32`/`hash40`/`hash64`: keccak256 of each 32/40/64-byte message of a packed array;
 * - `leaves`: keccak256(keccak256(m)) of each 64-byte message (the StandardMerkleTree leaf of an
 *   abi-encoded (address, uint256));
 * - `nodes`: the inner nodes of a heap-layout tree (node i = keccak256(sort(node 2i+1, node 2i+2)),
 *   the pair sorted as big-endian numbers, as OpenZeppelin's `standardNodeHash` and `MerkleProof`).
 * Around them: `prep` parses and checks "0x"-hex addresses, `verify` checks EIP-55 spellings
 * against their hashes, `hexNodes`/`hexList` write nodes as JSON strings. `Keccak256` and
 * `keccak256(bytes)` hash arbitrary input with the same permutation (sponge, 136-byte rate).
 *
 * When the engine supports WebAssembly SIMD (Node >= 16 on x86-64/arm64), the batch functions run
 * two permutations at once in the two 64-bit lanes of v128 values and the hex functions use byte
 * shuffles; otherwise a scalar module is used (FLUX_KECCAK_SCALAR=1 forces it). Both are checked
 * against ethers' keccak256 in the tests. The memory is shared, so a worker thread can work in it
 * (`keccak-tasks.ts`).
 */

// --------------------------------------------------------------------------- the permutation

const ROUND_CONSTANTS: readonly bigint[] = [
  0x0000000000000001n, 0x0000000000008082n, 0x800000000000808an, 0x8000000080008000n,
  0x000000000000808bn, 0x0000000080000001n, 0x8000000080008081n, 0x8000000000008009n,
  0x000000000000008an, 0x0000000000000088n, 0x0000000080008009n, 0x000000008000000an,
  0x000000008000808bn, 0x800000000000008bn, 0x8000000000008089n, 0x8000000000008003n,
  0x8000000000008002n, 0x8000000000000080n, 0x000000000000800an, 0x800000008000000an,
  0x8000000080008081n, 0x8000000000008080n, 0x0000000080000001n, 0x8000000080008008n,
];

/** Rotation offsets of lane (x, y), indexed x + 5y. */
const ROTATIONS: readonly number[] = [
  0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14,
];

// --------------------------------------------------------------------------- a tiny wasm emitter

const I32 = 0x7f;
const I64 = 0x7e;
const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function sleb(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function str(s: string): number[] {
  return [...uleb(s.length), ...Buffer.from(s, "utf8")];
}

function concat(parts: number[][]): number[] {
  const out: number[] = [];
  for (const part of parts) for (let i = 0; i < part.length; i++) out.push(part[i]!);
  return out;
}

function section(id: number, body: number[]): number[] {
  return concat([[id], uleb(body.length), body]);
}

function vec(items: number[][]): number[] {
  return concat([uleb(items.length), ...items]);
}

/** One function body under construction: named locals and raw instructions. */
class Fn {
  readonly code: number[] = [];
  private readonly locals: number[] = [];
  constructor(readonly params: number[], readonly results: number[] = []) {}

  local(type: number): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }
  op(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }
  get(i: number): this {
    return this.op(0x20, ...uleb(i));
  }
  set(i: number): this {
    return this.op(0x21, ...uleb(i));
  }
  tee(i: number): this {
    return this.op(0x22, ...uleb(i));
  }
  i32(v: number): this {
    return this.op(0x41, ...sleb(BigInt(v | 0)));
  }
  i64(v: bigint): this {
    return this.op(0x42, ...sleb(BigInt.asIntN(64, v)));
  }
  /** Memory access with an immediate byte offset (alignment hint 0: data may be unaligned). */
  mem(opcode: number, offset: number): this {
    return this.op(opcode, 0, ...uleb(offset));
  }
  simd(opcode: number, ...imm: number[]): this {
    return this.op(0xfd, ...uleb(opcode), ...imm);
  }
  body(): number[] {
    const b = concat([vec(this.locals.map((t) => [1, t])), this.code, [0x0b]]);
    return concat([uleb(b.length), b]);
  }
}

// opcodes
const OP = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, select: 0x1b,
  i32Load8: 0x2d, i64Load: 0x29, i64Store: 0x37, i32Load: 0x28, i32Store: 0x36,
  i32Store8: 0x3a, i32Eqz: 0x45, i32Eq: 0x46, i32Ne: 0x47, i32LtU: 0x49, i32GtU: 0x4b, i32GeU: 0x4f,
  i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32And: 0x71, i32Or: 0x72, i32Shl: 0x74, i32ShrU: 0x76,
  i64And: 0x83, i64Xor: 0x85, i64Rotl: 0x89,
} as const;
const VOID = 0x40;
const SIMD = {
  load: 0x00, store: 0x0b, const: 0x0c, shuffle: 0x0d, swizzle: 0x0e, i8x16ShrU: 0x6d,
  i64x2Splat: 0x12, i64x2Extract: 0x1d, i64x2Replace: 0x1e,
  and: 0x4e, andnot: 0x4f, or: 0x50, xor: 0x51, i64x2Shl: 0xcb, i64x2ShrU: 0xcd,
} as const;

/** Function indices of the two permutation functions (after the exported ones). */
const PERM_MAIN = 10; // SIMD (two states in the lanes) in the SIMD module, else scalar
const PERM_SCALAR = 11;

/**
 * Emits a call of the permutation function on the 25 lane locals `a` (results written back).
 * One shared function instead of inlined copies keeps the module small: it is generated and
 * compiled at first use, so size is start-up time.
 */
function emitPermutation(f: Fn, simd: boolean, a: number[]): void {
  for (let i = 0; i < 25; i++) f.get(a[i]!);
  f.op(0x10, ...uleb(simd ? PERM_MAIN : PERM_SCALAR));
  for (let i = 24; i >= 0; i--) f.set(a[i]!);
}

/** The permutation as a function of 25 lanes returning 25 lanes. */
function permFn(simd: boolean): Fn {
  const t = simd ? V128 : I64;
  const lanes = Array.from({ length: 25 }, () => t);
  const f = new Fn(lanes, lanes);
  const a = Array.from({ length: 25 }, (_, i) => i);
  const b = Array.from({ length: 25 }, () => f.local(t));
  const c = Array.from({ length: 5 }, () => f.local(t));
  emitPermutationCode(f, simd, a, b, c);
  for (let i = 0; i < 25; i++) f.get(i);
  return f;
}

/**
 * Emits one Keccak-f[1600] over the 25 lane locals `a` (i64 or v128), using `b` (25) and `c` (5)
 * as scratch. For v128, each of the two 64-bit lanes is an independent state.
 */
function emitPermutationCode(f: Fn, simd: boolean, a: number[], b: number[], c: number[]): void {
  const xor = (): void => void (simd ? f.simd(SIMD.xor) : f.op(OP.i64Xor));
  const rotl = (local: number, r: number): void => {
    if (r === 0) {
      f.get(local);
    } else if (simd) {
      f.get(local).i32(r).simd(SIMD.i64x2Shl).get(local).i32(64 - r).simd(SIMD.i64x2ShrU).simd(SIMD.or);
    } else {
      f.get(local).i64(BigInt(r)).op(OP.i64Rotl);
    }
  };
  const A = (i: number): number => a[i]!;
  const B = (i: number): number => b[i]!;
  const C = (i: number): number => c[i]!;
  for (let round = 0; round < 24; round++) {
    // theta
    for (let x = 0; x < 5; x++) {
      f.get(A(x)).get(A(x + 5));
      xor();
      f.get(A(x + 10));
      xor();
      f.get(A(x + 15));
      xor();
      f.get(A(x + 20));
      xor();
      f.set(C(x));
    }
    for (let x = 0; x < 5; x++) {
      // d = C[x-1] ^ rotl(C[x+1], 1), kept in b[0] as scratch (b is rewritten by rho-pi below)
      f.get(C((x + 4) % 5));
      rotl(C((x + 1) % 5), 1);
      xor();
      f.set(B(0));
      for (let y = 0; y < 5; y++) {
        f.get(A(x + 5 * y)).get(B(0));
        xor();
        f.set(A(x + 5 * y));
      }
    }
    // rho and pi: B[y, 2x+3y] = rotl(A[x, y], r[x, y])
    for (let x = 0; x < 5; x++) {
      for (let y = 0; y < 5; y++) {
        rotl(A(x + 5 * y), ROTATIONS[x + 5 * y]!);
        f.set(B(y + 5 * ((2 * x + 3 * y) % 5)));
      }
    }
    // chi: A[x, y] = B[x, y] ^ (~B[x+1, y] & B[x+2, y]); iota on A[0, 0]
    for (let y = 0; y < 5; y++) {
      for (let x = 0; x < 5; x++) {
        f.get(B(x + 5 * y));
        if (simd) {
          f.get(B(((x + 2) % 5) + 5 * y)).get(B(((x + 1) % 5) + 5 * y)).simd(SIMD.andnot).simd(SIMD.xor);
        } else {
          f.get(B(((x + 1) % 5) + 5 * y)).i64(-1n).op(OP.i64Xor).get(B(((x + 2) % 5) + 5 * y)).op(OP.i64And).op(OP.i64Xor);
        }
        if (x === 0 && y === 0) {
          if (simd) {
            const rc = BigInt.asUintN(64, ROUND_CONSTANTS[round]!);
            const bytes: number[] = [];
            for (let k = 0; k < 16; k++) bytes.push(Number((rc >> BigInt(8 * (k % 8))) & 0xffn));
            f.simd(SIMD.const, ...bytes).simd(SIMD.xor);
          } else {
            f.i64(ROUND_CONSTANTS[round]!).op(OP.i64Xor);
          }
        }
        f.set(A(x + 5 * y));
      }
    }
  }
}

interface Lanes {
  a: number[];
}

/** The 25 lane locals of a state. */
function laneLocals(f: Fn, type: number): Lanes {
  return { a: Array.from({ length: 25 }, () => f.local(type)) };
}

/** Sets the state to zero then loads `words` 64-bit words of a message at pointer local(s), pads. */
function emitLoad(f: Fn, simd: boolean, st: Lanes, ptrs: number[], words: number): void {
  for (let i = 0; i < 25; i++) {
    if (i < words) {
      if (simd) {
        f.get(ptrs[0]!).mem(OP.i64Load, 8 * i).simd(SIMD.i64x2Splat).get(ptrs[1]!).mem(OP.i64Load, 8 * i).simd(SIMD.i64x2Replace, 1);
      } else {
        f.get(ptrs[0]!).mem(OP.i64Load, 8 * i);
      }
    } else {
      emitConst(f, simd, i === words ? 1n : i === 16 ? 0x8000000000000000n : 0n);
    }
    f.set(st.a[i]!);
  }
}

function emitConst(f: Fn, simd: boolean, v: bigint): void {
  if (simd) {
    const bytes: number[] = [];
    for (let k = 0; k < 16; k++) bytes.push(Number((v >> BigInt(8 * (k % 8))) & 0xffn));
    f.simd(SIMD.const, ...bytes);
  } else {
    f.i64(v);
  }
}

/** Stores lanes 0..3 (the digest) at pointer local(s). */
function emitStoreDigest(f: Fn, simd: boolean, st: Lanes, ptrs: number[]): void {
  for (let lane = 0; lane < (simd ? 2 : 1); lane++) {
    for (let i = 0; i < 4; i++) {
      f.get(ptrs[lane]!).get(st.a[i]!);
      if (simd) f.simd(SIMD.i64x2Extract, lane);
      f.mem(OP.i64Store, 8 * i);
    }
  }
}

/** The digest (lanes 0..3) becomes a fresh padded 32-byte message: keccak256(digest). */
function emitRehash(f: Fn, simd: boolean, st: Lanes): void {
  for (let i = 4; i < 25; i++) {
    emitConst(f, simd, i === 4 ? 1n : i === 16 ? 0x8000000000000000n : 0n);
    f.set(st.a[i]!);
  }
}

/**
 * A batch function (inPtr, outPtr, n): for each message k < n at inPtr + k*stride, writes its
 * digest at outPtr + 32k. `double` hashes the digest again. With SIMD, two messages per step (the
 * odd last one is hashed together with itself).
 */
function batchFn(simd: boolean, words: number, double: boolean): Fn {
  const f = new Fn([I32, I32, I32]);
  const [pIn, pOut, pN] = [0, 1, 2];
  const st = laneLocals(f, simd ? V128 : I64);
  const stride = 8 * words;
  const in2 = f.local(I32);
  const out2 = f.local(I32);
  f.op(OP.block, VOID).op(OP.loop, VOID);
  f.get(pN).op(OP.i32Eqz).op(OP.brIf, 1);
  if (simd) {
    // second message: the next one, or the same one again when only one is left
    f.get(pIn).i32(stride).op(OP.i32Add).get(pIn).get(pN).i32(1).op(OP.i32GtU).op(OP.select).set(in2);
    f.get(pOut).i32(32).op(OP.i32Add).get(pOut).get(pN).i32(1).op(OP.i32GtU).op(OP.select).set(out2);
  }
  emitLoad(f, simd, st, [pIn, in2], words);
  emitPermutation(f, simd, st.a);
  if (double) {
    emitRehash(f, simd, st);
    emitPermutation(f, simd, st.a);
  }
  emitStoreDigest(f, simd, st, [pOut, out2]);
  const step = simd ? 2 : 1;
  f.get(pIn).i32(stride * step).op(OP.i32Add).set(pIn);
  f.get(pOut).i32(32 * step).op(OP.i32Add).set(pOut);
  // n = n > step ? n - step : 0
  f.get(pN).i32(step).op(OP.i32Sub).i32(0).get(pN).i32(step).op(OP.i32GtU).op(OP.select).set(pN);
  f.op(OP.br, 0).op(OP.end).op(OP.end);
  return f;
}

/**
 * nodes(tree, lo, hi): for i from hi - 1 down to lo, node i (at tree + 32i) = keccak256 of the
 * sorted pair (node 2i+1, node 2i+2). Descending order computes children first. With SIMD, nodes
 * i and i-1 are hashed together, which is only wrong for the pair (1, 0) (node 1 is a child of
 * node 0): callers compute node 0 in a call of its own (see `KeccakInstance#nodes`).
 */
function nodesFn(simd: boolean): Fn {
  const f = new Fn([I32, I32, I32]);
  const [pTree, pLo, pHi] = [0, 1, 2];
  const st = laneLocals(f, simd ? V128 : I64);
  const i1 = f.local(I32);
  const i2 = f.local(I32);
  const lp = [f.local(I32), f.local(I32)]; // per lane: pointer of the smaller child
  const rp = [f.local(I32), f.local(I32)]; // per lane: pointer of the larger child
  const out = [f.local(I32), f.local(I32)];
  const j = f.local(I32);
  const x = f.local(I32);
  const y = f.local(I32);
  const swap = f.local(I32);

  /** For node index local `idx`: lp/rp = its children in big-endian order, out = its pointer. */
  const order = (idx: number, lane: number): void => {
    // left child pointer = tree + 32*(2i+1); right = left + 32
    f.get(pTree).get(idx).i32(6).op(OP.i32Shl).op(OP.i32Add).i32(32).op(OP.i32Add).set(lp[lane]!);
    f.get(lp[lane]!).i32(32).op(OP.i32Add).set(rp[lane]!);
    f.get(pTree).get(idx).i32(5).op(OP.i32Shl).op(OP.i32Add).set(out[lane]!);
    // compare bytes until the first difference
    f.i32(0).set(j).i32(0).set(swap);
    f.op(OP.block, VOID).op(OP.loop, VOID);
    f.get(j).i32(32).op(OP.i32GeU).op(OP.brIf, 1);
    f.get(lp[lane]!).get(j).op(OP.i32Add).mem(OP.i32Load8, 0).set(x);
    f.get(rp[lane]!).get(j).op(OP.i32Add).mem(OP.i32Load8, 0).set(y);
    f.get(x).get(y).op(OP.i32Ne).op(OP.if, VOID);
    f.get(x).get(y).op(OP.i32GtU).set(swap).op(OP.br, 2);
    f.op(OP.end);
    f.get(j).i32(1).op(OP.i32Add).set(j).op(OP.br, 0);
    f.op(OP.end).op(OP.end);
    // if swap: exchange lp and rp
    f.get(swap).op(OP.if, VOID);
    f.get(lp[lane]!).set(j).get(rp[lane]!).set(lp[lane]!).get(j).set(rp[lane]!);
    f.op(OP.end);
  };

  const load = (): void => {
    for (let k = 0; k < 25; k++) {
      if (k < 8) {
        const src = k < 4 ? lp : rp;
        const off = 8 * (k % 4);
        if (simd) {
          f.get(src[0]!).mem(OP.i64Load, off).simd(SIMD.i64x2Splat).get(src[1]!).mem(OP.i64Load, off).simd(SIMD.i64x2Replace, 1);
        } else {
          f.get(src[0]!).mem(OP.i64Load, off);
        }
      } else {
        emitConst(f, simd, k === 8 ? 1n : k === 16 ? 0x8000000000000000n : 0n);
      }
      f.set(st.a[k]!);
    }
  };

  f.get(pHi).set(i1);
  f.op(OP.block, VOID).op(OP.loop, VOID);
  f.get(i1).get(pLo).op(OP.i32GtU).op(OP.i32Eqz).op(OP.brIf, 1); // while hi > lo
  f.get(i1).i32(1).op(OP.i32Sub).set(i1); // i1 = next node
  if (simd) {
    // i2 = i1 - 1 if still >= lo, else i1 again (hashing the same node twice is harmless)
    f.get(i1).i32(1).op(OP.i32Sub).get(i1).get(i1).get(pLo).op(OP.i32GtU).op(OP.select).set(i2);
  }
  order(i1, 0);
  if (simd) order(i2, 1);
  load();
  emitPermutation(f, simd, st.a);
  emitStoreDigest(f, simd, st, out);
  if (simd) f.get(i2).set(i1);
  f.op(OP.br, 0).op(OP.end).op(OP.end);
  return f;
}

/** absorb(state, data, blocks): XORs each 136-byte block into the 200-byte state and permutes. */
function absorbFn(): Fn {
  const f = new Fn([I32, I32, I32]);
  const [pState, pData, pN] = [0, 1, 2];
  const st = laneLocals(f, I64);
  for (let i = 0; i < 25; i++) f.get(pState).mem(OP.i64Load, 8 * i).set(st.a[i]!);
  f.op(OP.block, VOID).op(OP.loop, VOID);
  f.get(pN).op(OP.i32Eqz).op(OP.brIf, 1);
  for (let i = 0; i < 17; i++) {
    f.get(st.a[i]!).get(pData).mem(OP.i64Load, 8 * i).op(OP.i64Xor).set(st.a[i]!);
  }
  emitPermutation(f, false, st.a);
  f.get(pData).i32(136).op(OP.i32Add).set(pData);
  f.get(pN).i32(1).op(OP.i32Sub).set(pN);
  f.op(OP.br, 0).op(OP.end).op(OP.end);
  for (let i = 0; i < 25; i++) f.get(pState).get(st.a[i]!).mem(OP.i64Store, 8 * i);
  return f;
}

// ------------------------------------------------------------ addresses: hex parsing and EIP-55

/** Fixed tables at the start of every instance's memory (see `KeccakInstance.RESERVED`). */
const HEX_TABLE = 0; // 256 bytes: value of a hex digit character, 0xff for any other byte
const HEX_CHARS = 256; // 16 bytes: "0123456789abcdef"

/**
 * prep(orig, enc, asc, addr, flags, n) -> number of invalid addresses. For each entry e with
 * flags[e] == 0, the 42 bytes at orig + 42e must be "0x" and 40 hex digits: their 20 bytes go to
 * enc + 64e + 12 (the abi encoding) and addr + 20e, their lowercase hex to asc + 40e (the input of
 * the EIP-55 hash); flags[e] becomes 1 if invalid, 2 if the letters mix cases, else stays 0.
 */
function prepFn(): Fn {
  const f = new Fn([I32, I32, I32, I32, I32, I32], [I32]);
  const [pOrig, pEnc, pAsc, pAddr, pFlags, pN] = [0, 1, 2, 3, 4, 5];
  const [e, o, j, c1, c2, v1, v2, low, up, bad, count, encP, addrP, ascP] = Array.from({ length: 14 }, () => f.local(I32)) as [
    number, number, number, number, number, number, number, number, number, number, number, number, number, number,
  ];
  const isLower = (c: number): void => void f.get(c).i32(97).op(OP.i32GeU);
  const isUpper = (c: number): void => void f.get(c).i32(65).op(OP.i32Sub).i32(6).op(OP.i32LtU);
  f.op(OP.block, VOID).op(OP.loop, VOID);
  f.get(e).get(pN).op(OP.i32GeU).op(OP.brIf, 1);
  f.get(pFlags).get(e).op(OP.i32Add).mem(OP.i32Load8, 0).op(OP.i32Eqz).op(OP.if, VOID);
  f.get(pOrig).get(e).i32(42).op(OP.i32Mul).op(OP.i32Add).set(o);
  f.get(pEnc).get(e).i32(6).op(OP.i32Shl).op(OP.i32Add).i32(12).op(OP.i32Add).set(encP);
  f.get(pAddr).get(e).i32(20).op(OP.i32Mul).op(OP.i32Add).set(addrP);
  f.get(pAsc).get(e).i32(40).op(OP.i32Mul).op(OP.i32Add).set(ascP);
  // "0x"
  f.get(o).mem(OP.i32Load8, 0).i32(48).op(OP.i32Ne).get(o).mem(OP.i32Load8, 1).i32(120).op(OP.i32Ne).op(OP.i32Or).set(bad);
  f.i32(0).set(low).i32(0).set(up).i32(0).set(j);
  f.op(OP.loop, VOID);
  f.get(o).mem(OP.i32Load8, 2).set(c1);
  f.get(o).mem(OP.i32Load8, 3).set(c2);
  f.get(c1).mem(OP.i32Load8, HEX_TABLE).set(v1);
  f.get(c2).mem(OP.i32Load8, HEX_TABLE).set(v2);
  f.get(bad).get(v1).get(v2).op(OP.i32Or).i32(4).op(OP.i32ShrU).op(OP.i32Or).set(bad);
  f.get(low);
  isLower(c1);
  isLower(c2);
  f.op(OP.i32Or).op(OP.i32Or).set(low);
  f.get(up);
  isUpper(c1);
  isUpper(c2);
  f.op(OP.i32Or).op(OP.i32Or).set(up);
  // the byte, twice; the lowercase digits
  f.get(encP).get(v1).i32(4).op(OP.i32Shl).get(v2).op(OP.i32Or).mem(OP.i32Store8, 0);
  f.get(addrP).get(v1).i32(4).op(OP.i32Shl).get(v2).op(OP.i32Or).mem(OP.i32Store8, 0);
  f.get(ascP).get(v1).i32(15).op(OP.i32And).mem(OP.i32Load8, HEX_CHARS).mem(OP.i32Store8, 0);
  f.get(ascP).get(v2).i32(15).op(OP.i32And).mem(OP.i32Load8, HEX_CHARS).mem(OP.i32Store8, 1);
  f.get(o).i32(2).op(OP.i32Add).set(o);
  f.get(encP).i32(1).op(OP.i32Add).set(encP);
  f.get(addrP).i32(1).op(OP.i32Add).set(addrP);
  f.get(ascP).i32(2).op(OP.i32Add).set(ascP);
  f.get(j).i32(1).op(OP.i32Add).tee(j).i32(20).op(OP.i32LtU).op(OP.brIf, 0);
  f.op(OP.end);
  // flags[e] = bad ? 1 : (low & up) << 1
  f.get(pFlags).get(e).op(OP.i32Add);
  f.i32(1).get(low).get(up).op(OP.i32And).i32(1).op(OP.i32Shl).get(bad).op(OP.select);
  f.mem(OP.i32Store8, 0);
  f.get(count).get(bad).i32(0).op(OP.i32Ne).op(OP.i32Add).set(count);
  f.op(OP.end); // if
  f.get(e).i32(1).op(OP.i32Add).set(e).op(OP.br, 0);
  f.op(OP.end).op(OP.end);
  f.get(count);
  return f;
}

/**
 * verify(orig, addr, chk, flags, n) -> number of bad checksums. For each entry e with
 * flags[e] == 2 (mixed case), the hex at orig + 42e + 2 must be the EIP-55 spelling of the 20
 * bytes at addr + 20e: a letter is upper case exactly where the corresponding nibble of the hash
 * at chk + 32e is >= 8. A mismatch sets flags[e] = 3.
 */
function verifyFn(): Fn {
  const f = new Fn([I32, I32, I32, I32, I32], [I32]);
  const [pOrig, pAddr, pChk, pFlags, pN] = [0, 1, 2, 3, 4];
  const [e, o, a, h, j, b, hb, count] = Array.from({ length: 8 }, () => f.local(I32)) as [number, number, number, number, number, number, number, number];
  /** Pushes the expected character of nibble `nib` (pushed by `nibble`), upper-cased when `bit` (pushed by `flag`) is set. */
  const expected = (nibble: () => void, flag: () => void): void => {
    nibble();
    f.mem(OP.i32Load8, HEX_CHARS);
    nibble();
    f.i32(10).op(OP.i32GeU);
    flag();
    f.op(OP.i32And).i32(5).op(OP.i32Shl).op(OP.i32Sub);
  };
  f.op(OP.block, VOID).op(OP.loop, VOID);
  f.get(e).get(pN).op(OP.i32GeU).op(OP.brIf, 1);
  f.get(pFlags).get(e).op(OP.i32Add).mem(OP.i32Load8, 0).i32(2).op(OP.i32Eq).op(OP.if, VOID);
  f.get(pOrig).get(e).i32(42).op(OP.i32Mul).op(OP.i32Add).i32(2).op(OP.i32Add).set(o);
  f.get(pAddr).get(e).i32(20).op(OP.i32Mul).op(OP.i32Add).set(a);
  f.get(pChk).get(e).i32(5).op(OP.i32Shl).op(OP.i32Add).set(h);
  f.i32(0).set(j);
  f.op(OP.block, VOID).op(OP.loop, VOID);
  f.get(a).mem(OP.i32Load8, 0).set(b);
  f.get(h).mem(OP.i32Load8, 0).set(hb);
  f.get(o).mem(OP.i32Load8, 0);
  expected(
    () => void f.get(b).i32(4).op(OP.i32ShrU),
    () => void f.get(hb).i32(7).op(OP.i32ShrU),
  );
  f.op(OP.i32Ne);
  f.get(o).mem(OP.i32Load8, 1);
  expected(
    () => void f.get(b).i32(15).op(OP.i32And),
    () => void f.get(hb).i32(3).op(OP.i32ShrU).i32(1).op(OP.i32And),
  );
  f.op(OP.i32Ne).op(OP.i32Or).op(OP.if, VOID);
  f.get(pFlags).get(e).op(OP.i32Add).i32(3).mem(OP.i32Store8, 0);
  f.get(count).i32(1).op(OP.i32Add).set(count);
  f.op(OP.br, 2);
  f.op(OP.end);
  f.get(o).i32(2).op(OP.i32Add).set(o);
  f.get(a).i32(1).op(OP.i32Add).set(a);
  f.get(h).i32(1).op(OP.i32Add).set(h);
  f.get(j).i32(1).op(OP.i32Add).tee(j).i32(20).op(OP.i32LtU).op(OP.brIf, 0);
  f.op(OP.end).op(OP.end);
  f.op(OP.end); // if
  f.get(e).i32(1).op(OP.i32Add).set(e).op(OP.br, 0);
  f.op(OP.end).op(OP.end);
  f.get(count);
  return f;
}

// ------------------------------------------------------------ JSON hex of nodes and proofs

/** Writes the 64 lowercase hex digits of the 32 bytes at local `src` to local `dst`. */
function emitHex32(f: Fn, simd: boolean, src: number, dst: number, tmp: number): void {
  if (simd) {
    const digits = [..."0123456789abcdef"].map((c) => c.charCodeAt(0));
    const low = Array.from({ length: 16 }, () => 0x0f);
    const first = [0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23];
    const second = first.map((x) => x + 8);
    for (const half of [0, 16]) {
      // hi/lo nibbles -> digit characters (swizzle is a 16-entry table lookup), then interleaved
      f.get(src).simd(SIMD.load, 0, ...uleb(half)).set(tmp);
      for (const [lanes, at] of [[first, 2 * half], [second, 2 * half + 16]] as const) {
        f.get(dst);
        f.simd(SIMD.const, ...digits).get(tmp).i32(4).simd(SIMD.i8x16ShrU).simd(SIMD.swizzle);
        f.simd(SIMD.const, ...digits).get(tmp).simd(SIMD.const, ...low).simd(SIMD.and).simd(SIMD.swizzle);
        f.simd(SIMD.shuffle, ...lanes);
        f.simd(SIMD.store, 0, ...uleb(at));
      }
    }
  } else {
    for (let i = 0; i < 32; i++) {
      f.get(dst).get(src).mem(OP.i32Load8, i).i32(4).op(OP.i32ShrU).mem(OP.i32Load8, HEX_CHARS).mem(OP.i32Store8, 2 * i);
      f.get(dst).get(src).mem(OP.i32Load8, i).i32(15).op(OP.i32And).mem(OP.i32Load8, HEX_CHARS).mem(OP.i32Store8, 2 * i + 1);
    }
  }
}

/** Writes `"0x<64 hex digits>",` (69 bytes) for node `node` of the tree at `tree`, at `out`. */
function emitNodeElement(f: Fn, simd: boolean, tree: number, node: number, out: number, src: number, dst: number, tmp: number): void {
  f.get(out).i32(34).mem(OP.i32Store8, 0);
  f.get(out).i32(48).mem(OP.i32Store8, 1);
  f.get(out).i32(120).mem(OP.i32Store8, 2);
  f.get(out).i32(34).mem(OP.i32Store8, 67);
  f.get(out).i32(44).mem(OP.i32Store8, 68);
  f.get(tree).get(node).i32(5).op(OP.i32Shl).op(OP.i32Add).set(src);
  f.get(out).i32(3).op(OP.i32Add).set(dst);
  emitHex32(f, simd, src, dst, tmp);
}

/** hexNodes(tree, first, count, out): JSON elements (69 bytes each) of nodes first..first+count-1. */
function hexNodesFn(simd: boolean): Fn {
  const f = new Fn([I32, I32, I32, I32]);
  const [pTree, pFirst, pCount, pOut] = [0, 1, 2, 3];
  const [src, dst, end] = [f.local(I32), f.local(I32), f.local(I32)];
  const tmp = f.local(simd ? V128 : I32);
  f.get(pFirst).get(pCount).op(OP.i32Add).set(end);
  f.op(OP.block, VOID).op(OP.loop, VOID);
  f.get(pFirst).get(end).op(OP.i32GeU).op(OP.brIf, 1);
  emitNodeElement(f, simd, pTree, pFirst, pOut, src, dst, tmp);
  f.get(pOut).i32(69).op(OP.i32Add).set(pOut);
  f.get(pFirst).i32(1).op(OP.i32Add).set(pFirst).op(OP.br, 0);
  f.op(OP.end).op(OP.end);
  return f;
}

/** hexList(tree, list, count, out): JSON elements (69 bytes each) of the nodes whose u32 indices are at `list`. */
function hexListFn(simd: boolean): Fn {
  const f = new Fn([I32, I32, I32, I32]);
  const [pTree, pList, pCount, pOut] = [0, 1, 2, 3];
  const [node, src, dst, end] = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const tmp = f.local(simd ? V128 : I32);
  f.get(pList).get(pCount).i32(2).op(OP.i32Shl).op(OP.i32Add).set(end);
  f.op(OP.block, VOID).op(OP.loop, VOID);
  f.get(pList).get(end).op(OP.i32GeU).op(OP.brIf, 1);
  f.get(pList).mem(OP.i32Load, 0).set(node);
  emitNodeElement(f, simd, pTree, node, pOut, src, dst, tmp);
  f.get(pOut).i32(69).op(OP.i32Add).set(pOut);
  f.get(pList).i32(4).op(OP.i32Add).set(pList).op(OP.br, 0);
  f.op(OP.end).op(OP.end);
  return f;
}

const EXPORTS = ["hash32", "hash40", "hash64", "leaves", "nodes", "absorb", "prep", "verify", "hexNodes", "hexList"] as const;

function moduleBytes(simd: boolean): Uint8Array {
  const fns: Fn[] = [
    batchFn(simd, 4, false),
    batchFn(simd, 5, false),
    batchFn(simd, 8, false),
    batchFn(simd, 8, true),
    nodesFn(simd),
    absorbFn(),
    prepFn(),
    verifyFn(),
    hexNodesFn(simd),
    hexListFn(simd),
    permFn(simd),
    permFn(false),
  ];
  // one function type per function (in the same order)
  const types = fns.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const bytes = concat([
    [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    section(1, vec(types)),
    // import env.memory: shared (limits flag 3: min 1 page, max 65536 pages), so that worker
    // threads can hash in the same memory
    section(2, vec([[...str("env"), ...str("memory"), 0x02, 0x03, 1, ...uleb(65536)]])),
    section(3, vec(fns.map((_, i) => uleb(i)))),
    section(7, vec(EXPORTS.map((name, i) => [...str(name), 0x00, i]))), // PERM_* follow the exports
    section(10, vec(fns.map((f) => f.body()))),
  ]);
  return Uint8Array.from(bytes);
}

// --------------------------------------------------------------------------- the JS side

type BatchFn = (inPtr: number, outPtr: number, n: number) => void;

/** The exported functions of one instance. Pointers are byte offsets into `memory`. */
export interface KeccakExports {
  /** keccak256 of each 32-byte message at in + 32k → out + 32k. */
  hash32: BatchFn;
  /** keccak256 of each 40-byte message at in + 40k → out + 32k. */
  hash40: BatchFn;
  /** keccak256 of each 64-byte message at in + 64k → out + 32k. */
  hash64: BatchFn;
  /** keccak256(keccak256(m)) of each 64-byte message at in + 64k → out + 32k. */
  leaves: BatchFn;
  /** Heap-tree inner nodes i in [lo, hi), descending: node i = H(sorted(node 2i+1, node 2i+2)). */
  nodes: (tree: number, lo: number, hi: number) => void;
  /** Sponge absorb of `blocks` 136-byte blocks at data into the 200-byte state at `state`. */
  absorb: (state: number, data: number, blocks: number) => void;
  /** Address parsing, see `prepFn`: returns the number of invalid addresses. */
  prep: (orig: number, enc: number, asc: number, addr: number, flags: number, n: number) => number;
  /** EIP-55 check of mixed-case addresses, see `verifyFn`: returns the number of bad checksums. */
  verify: (orig: number, addr: number, chk: number, flags: number, n: number) => number;
  /** JSON array elements `"0x…",` (69 bytes each) of nodes first..first+count-1. */
  hexNodes: (tree: number, first: number, count: number, out: number) => void;
  /** JSON array elements `"0x…",` (69 bytes each) of the nodes whose u32 indices are at `list`. */
  hexList: (tree: number, list: number, count: number, out: number) => void;
}

// The project's TypeScript lib (es2023, no DOM) has no WebAssembly types: the few used here.
/** A compiled module (opaque). */
export interface WasmModule {
  readonly __wasmModule: unique symbol;
}
/** A linear memory. */
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
  Memory: new (descriptor: { initial: number; maximum: number; shared: true }) => WasmMemory;
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: { module: WasmModule; simd: boolean } | undefined;

/** The compiled module (SIMD when the engine validates it, scalar otherwise). */
export function keccakModule(): { module: WasmModule; simd: boolean } {
  if (!compiled) {
    // SIMD unless the engine refuses it (or FLUX_KECCAK_SCALAR=1 asks for the scalar code)
    let simd = process.env.FLUX_KECCAK_SCALAR !== "1";
    let module: WasmModule | undefined;
    if (simd) {
      try {
        module = new WA.Module(moduleBytes(true));
      } catch {
        simd = false;
      }
    }
    compiled = { module: module ?? new WA.Module(moduleBytes(false)), simd };
  }
  return compiled;
}

/** Scalar module, for tests (both variants must agree). */
export function scalarKeccakModule(): WasmModule {
  return new WA.Module(moduleBytes(false));
}

const PAGE = 65536;

/**
 * An instance with its own linear memory of at least `bytes` bytes (fixed size, shared: a
 * `KeccakTasks` worker may instantiate the same module on it).
 */
export class KeccakInstance {
  readonly memory: WasmMemory;
  readonly fn: KeccakExports;
  /** Entries per batch call: callers split work into chunks (the engine tiers code up early). */
  static readonly CHUNK = 4096;
  /** The first bytes of memory hold the tables of `prep`/`verify`: callers use offsets from here. */
  static readonly RESERVED = 512;

  /** An instance whose memory has `bytes` bytes at least, counted from offset 0. */
  constructor(bytes: number, module: WasmModule = keccakModule().module) {
    const pages = Math.max(1, Math.ceil(bytes / PAGE));
    if (pages > 65536) throw new Error(`keccak: ${bytes} bytes exceed the 4 GiB of a WebAssembly memory`);
    this.memory = new WA.Memory({ initial: pages, maximum: pages, shared: true });
    const inst = new WA.Instance(module, { env: { memory: this.memory } });
    this.fn = inst.exports as unknown as KeccakExports;
    const mem = this.bytes;
    mem.fill(0xff, HEX_TABLE, HEX_TABLE + 256);
    for (let v = 0; v < 16; v++) {
      const lower = "0123456789abcdef".charCodeAt(v);
      mem[HEX_TABLE + lower] = v;
      mem[HEX_TABLE + "0123456789ABCDEF".charCodeAt(v)] = v;
      mem[HEX_CHARS + v] = lower;
    }
  }

  /** A view of the whole memory. */
  get bytes(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }

  /** Inner nodes [lo, hi) of a heap tree at `tree`, in chunks from the top index down. */
  nodes(tree: number, lo: number, hi: number): void {
    const chunk = KeccakInstance.CHUNK;
    const bottom = Math.max(lo, 1);
    for (let top = hi; top > bottom; top -= chunk) this.fn.nodes(tree, Math.max(bottom, top - chunk), top);
    if (lo === 0 && hi > 0) this.fn.nodes(tree, 0, 1); // the root after its children
  }
}

const RATE = 136;
const CHUNK_BLOCKS = 7710; // ~1 MiB of input per absorb call

/** Incremental keccak256 (its own small instance: state, and a buffer of whole blocks). */
export class Keccak256 {
  private static readonly STATE = KeccakInstance.RESERVED;
  private static readonly BUF = KeccakInstance.RESERVED + 256;
  private readonly k = new KeccakInstance(Keccak256.BUF + CHUNK_BLOCKS * RATE);
  private fill = 0;

  /** Starts over. */
  reset(): this {
    this.k.bytes.fill(0, Keccak256.STATE, Keccak256.STATE + 200);
    this.fill = 0;
    return this;
  }

  /** Absorbs `data`. */
  update(data: Uint8Array): this {
    const mem = this.k.bytes;
    const { STATE, BUF } = Keccak256;
    for (let off = 0; off < data.length; ) {
      const take = Math.min(CHUNK_BLOCKS * RATE - this.fill, data.length - off);
      mem.set(data.subarray(off, off + take), BUF + this.fill);
      this.fill += take;
      off += take;
      const blocks = Math.floor(this.fill / RATE);
      if (blocks > 0) {
        this.k.fn.absorb(STATE, BUF, blocks);
        mem.copyWithin(BUF, BUF + blocks * RATE, BUF + this.fill);
        this.fill -= blocks * RATE;
      }
    }
    return this;
  }

  /** The hash of everything absorbed (then `reset` before reuse). */
  digest(): Uint8Array {
    const mem = this.k.bytes;
    const { STATE, BUF } = Keccak256;
    mem.fill(0, BUF + this.fill, BUF + RATE);
    mem[BUF + this.fill]! ^= 0x01;
    mem[BUF + RATE - 1]! ^= 0x80;
    this.k.fn.absorb(STATE, BUF, 1);
    return mem.slice(STATE, STATE + 32);
  }

  /** The hash as 0x-hex. */
  hex(): string {
    return "0x" + Buffer.from(this.digest()).toString("hex");
  }
}

let oneShot: Keccak256 | undefined;

/** keccak256 of arbitrary bytes (sponge with the same permutation). */
export function keccak256(data: Uint8Array): Uint8Array {
  oneShot ??= new Keccak256();
  return oneShot.reset().update(data).digest();
}

/** keccak256 as 0x-prefixed hex. */
export function keccak256Hex(data: Uint8Array): string {
  return "0x" + Buffer.from(keccak256(data)).toString("hex");
}
