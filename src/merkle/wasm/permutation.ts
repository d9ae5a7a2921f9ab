/**
 * Keccak-f[1600] as WebAssembly code: the permutation function (scalar i64 lanes, or two states
 * at once in the 64-bit lanes of v128 values) and the code around a call of it — loading a
 * padded one-block message, storing a digest, rehashing a digest.
 */
import { Fn, I32, I64, OP, SIMD, V128, VOID, uleb } from "./emit.js";

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

/** Function indices of the two permutation functions (after the exported ones). */
export const PERM_MAIN = 10; // SIMD (two states in the lanes) in the SIMD module, else scalar
const PERM_SCALAR = 11;

/**
 * Emits a call of the permutation function on the 25 lane locals `a` (results written back).
 * One shared function instead of inlined copies keeps the module small: it is generated and
 * compiled at first use, so size is start-up time.
 */
export function emitPermutation(f: Fn, simd: boolean, a: number[]): void {
  for (let i = 0; i < 25; i++) f.get(a[i]!);
  f.op(0x10, ...uleb(simd ? PERM_MAIN : PERM_SCALAR));
  for (let i = 24; i >= 0; i--) f.set(a[i]!);
}

/** The permutation as a function of 25 lanes returning 25 lanes. */
export function permFn(simd: boolean): Fn {
  const t = simd ? V128 : I64;
  const lanes = Array.from({ length: 25 }, () => t);
  const f = new Fn(lanes, lanes);
  emitPermutationLoop(f, simd, Array.from({ length: 25 }, (_, i) => i));
  for (let i = 0; i < 25; i++) f.get(i);
  return f;
}

/** Where `KeccakInstance` keeps the 24 round constants (8 bytes each, little-endian, in its reserved bytes). */
export const ROUND_CONSTANTS_AT = 272;
/** Rounds per iteration of the permutation's loop. */
const ROUNDS_PER_STEP = 2;

/** The round constants as 192 little-endian bytes (what `KeccakInstance` writes at ROUND_CONSTANTS_AT). */
export function roundConstantBytes(): Uint8Array {
  const out = new Uint8Array(8 * ROUND_CONSTANTS.length);
  ROUND_CONSTANTS.forEach((rc, i) => {
    for (let k = 0; k < 8; k++) out[8 * i + k] = Number((rc >> BigInt(8 * k)) & 0xffn);
  });
  return out;
}

/**
 * Emits one Keccak-f[1600] over the 25 lane locals `a` (i64, or v128 holding two independent
 * states): a loop of 12 iterations of two rounds each, the round constants read from memory at
 * ROUND_CONSTANTS_AT (splat into both lanes for v128). A loop rather than 24 unrolled rounds:
 * the unrolled function's machine code (about 40 KB for v128) outgrew the CPU's instruction
 * cache, and the loop measured 28% faster both for the batch hashes (two states at once: 1M
 * leaves, 2M permutations, 0.53 s against 0.74 s) and for the sponge (tree.json's 232 MB: 0.69 s
 * against 0.96 s) on the 2-core machine of docs/benchmarks.md; four rounds an iteration were no
 * faster than two.
 */
function emitPermutationLoop(f: Fn, simd: boolean, a: number[]): void {
  const t = simd ? V128 : I64;
  const b = Array.from({ length: 25 }, () => f.local(t));
  const c = Array.from({ length: 5 }, () => f.local(t));
  const at = f.local(I32);
  const rc = (k: number): void => {
    f.get(at).mem(OP.i64Load, 8 * k);
    if (simd) f.simd(SIMD.i64x2Splat);
  };
  const s: Step = { f, simd, a, b, c, rc };
  f.i32(ROUND_CONSTANTS_AT).set(at);
  f.op(OP.loop, VOID);
  for (let k = 0; k < ROUNDS_PER_STEP; k++) {
    emitTheta(s);
    emitRhoPi(s);
    emitChi(s);
    emitIota(s, k);
  }
  f.get(at).i32(8 * ROUNDS_PER_STEP).op(OP.i32Add).tee(at);
  f.i32(ROUND_CONSTANTS_AT + 8 * ROUND_CONSTANTS.length).op(OP.i32LtU).op(OP.brIf, 0);
  f.op(OP.end);
}

/** What the steps of a round emit into: the function, the lane kind, the lane and scratch locals. */
interface Step {
  f: Fn;
  simd: boolean;
  a: number[];
  b: number[];
  c: number[];
  /** Pushes the constant of the iteration's k-th round. */
  rc: (k: number) => void;
}

function emitXor(s: Step): void {
  if (s.simd) s.f.simd(SIMD.xor);
  else s.f.op(OP.i64Xor);
}

/** Pushes rotl(local, r). */
function emitRotl(s: Step, local: number, r: number): void {
  const f = s.f;
  if (r === 0) {
    f.get(local);
  } else if (s.simd) {
    f.get(local).i32(r).simd(SIMD.i64x2Shl).get(local).i32(64 - r).simd(SIMD.i64x2ShrU).simd(SIMD.or);
  } else {
    f.get(local).i64(BigInt(r)).op(OP.i64Rotl);
  }
}

/** theta: C[x] = xor of column x; A[x, y] ^= C[x-1] ^ rotl(C[x+1], 1). */
function emitTheta(s: Step): void {
  const { f, a, b, c } = s;
  for (let x = 0; x < 5; x++) {
    f.get(a[x]!).get(a[x + 5]!);
    emitXor(s);
    for (const y of [2, 3, 4]) {
      f.get(a[x + 5 * y]!);
      emitXor(s);
    }
    f.set(c[x]!);
  }
  for (let x = 0; x < 5; x++) {
    // d = C[x-1] ^ rotl(C[x+1], 1), kept in b[0] as scratch (b is rewritten by rho-pi below)
    f.get(c[(x + 4) % 5]!);
    emitRotl(s, c[(x + 1) % 5]!, 1);
    emitXor(s);
    f.set(b[0]!);
    for (let y = 0; y < 5; y++) {
      f.get(a[x + 5 * y]!).get(b[0]!);
      emitXor(s);
      f.set(a[x + 5 * y]!);
    }
  }
}

/** rho and pi: B[y, 2x+3y] = rotl(A[x, y], r[x, y]). */
function emitRhoPi(s: Step): void {
  for (let x = 0; x < 5; x++) {
    for (let y = 0; y < 5; y++) {
      emitRotl(s, s.a[x + 5 * y]!, ROTATIONS[x + 5 * y]!);
      s.f.set(s.b[y + 5 * ((2 * x + 3 * y) % 5)]!);
    }
  }
}

/** chi: A[x, y] = B[x, y] ^ (~B[x+1, y] & B[x+2, y]). */
function emitChi(s: Step): void {
  const { f, simd, a, b } = s;
  for (let y = 0; y < 5; y++) {
    for (let x = 0; x < 5; x++) {
      const [b0, b1, b2] = [b[x + 5 * y]!, b[((x + 1) % 5) + 5 * y]!, b[((x + 2) % 5) + 5 * y]!];
      f.get(b0);
      if (simd) f.get(b2).get(b1).simd(SIMD.andnot).simd(SIMD.xor);
      else f.get(b1).i64(-1n).op(OP.i64Xor).get(b2).op(OP.i64And).op(OP.i64Xor);
      f.set(a[x + 5 * y]!);
    }
  }
}

/** iota: A[0, 0] ^= the constant of the iteration's k-th round. */
function emitIota(s: Step, k: number): void {
  s.f.get(s.a[0]!);
  s.rc(k);
  emitXor(s);
  s.f.set(s.a[0]!);
}

export interface Lanes {
  a: number[];
}

/** The 25 lane locals of a state. */
export function laneLocals(f: Fn, type: number): Lanes {
  return { a: Array.from({ length: 25 }, () => f.local(type)) };
}

/** Sets the state to zero then loads `words` 64-bit words of a message at pointer local(s), pads. */
export function emitLoad(f: Fn, simd: boolean, st: Lanes, ptrs: number[], words: number): void {
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

export function emitConst(f: Fn, simd: boolean, v: bigint): void {
  if (simd) {
    const bytes: number[] = [];
    for (let k = 0; k < 16; k++) bytes.push(Number((v >> BigInt(8 * (k % 8))) & 0xffn));
    f.simd(SIMD.const, ...bytes);
  } else {
    f.i64(v);
  }
}

/** Stores lanes 0..3 (the digest) at pointer local(s). */
export function emitStoreDigest(f: Fn, simd: boolean, st: Lanes, ptrs: number[]): void {
  for (let lane = 0; lane < (simd ? 2 : 1); lane++) {
    for (let i = 0; i < 4; i++) {
      f.get(ptrs[lane]!).get(st.a[i]!);
      if (simd) f.simd(SIMD.i64x2Extract, lane);
      f.mem(OP.i64Store, 8 * i);
    }
  }
}

/** The digest (lanes 0..3) becomes a fresh padded 32-byte message: keccak256(digest). */
export function emitRehash(f: Fn, simd: boolean, st: Lanes): void {
  for (let i = 4; i < 25; i++) {
    emitConst(f, simd, i === 4 ? 1n : i === 16 ? 0x8000000000000000n : 0n);
    f.set(st.a[i]!);
  }
}
