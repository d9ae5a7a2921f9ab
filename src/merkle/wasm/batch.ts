/**
 * The batch hashing functions of the keccak module: `batchFn` (hash32/hash40/hash64/leaves),
 * `nodesFn` (inner nodes of a heap-layout tree) and `absorbFn` (sponge absorb, any length).
 */
import { Fn, I32, I64, OP, SIMD, V128, VOID } from "./emit.js";
import { emitConst, emitLoad, emitPermutation, emitRehash, emitStoreDigest, laneLocals, type Lanes } from "./permutation.js";

/**
 * A batch function (inPtr, outPtr, n): for each message k < n at inPtr + k*stride, writes its
 * digest at outPtr + 32k. `double` hashes the digest again. With SIMD, two messages per step (the
 * odd last one is hashed together with itself).
 */
export function batchFn(simd: boolean, words: number, double: boolean): Fn {
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
export function nodesFn(simd: boolean): Fn {
  const f = new Fn([I32, I32, I32]);
  const [pTree, pLo, pHi] = [0, 1, 2];
  const v = nodeLocals(f, simd);
  f.get(pHi).set(v.i1);
  f.op(OP.block, VOID).op(OP.loop, VOID);
  f.get(v.i1).get(pLo).op(OP.i32GtU).op(OP.i32Eqz).op(OP.brIf, 1); // while hi > lo
  f.get(v.i1).i32(1).op(OP.i32Sub).set(v.i1); // i1 = next node
  if (simd) {
    // i2 = i1 - 1 if still >= lo, else i1 again (hashing the same node twice is harmless)
    f.get(v.i1).i32(1).op(OP.i32Sub).get(v.i1).get(v.i1).get(pLo).op(OP.i32GtU).op(OP.select).set(v.i2);
  }
  emitOrderChildren(f, v, pTree, v.i1, 0);
  if (simd) emitOrderChildren(f, v, pTree, v.i2, 1);
  emitLoadPair(f, simd, v);
  emitPermutation(f, simd, v.st.a);
  emitStoreDigest(f, simd, v.st, v.out);
  if (simd) f.get(v.i2).set(v.i1);
  f.op(OP.br, 0).op(OP.end).op(OP.end);
  return f;
}

/** The locals of `nodesFn`. */
interface NodeLocals {
  st: Lanes;
  i1: number;
  i2: number;
  /** Per lane: pointer of the smaller child, of the larger child, of the node. */
  lp: number[];
  rp: number[];
  out: number[];
  j: number;
  x: number;
  y: number;
  swap: number;
}

function nodeLocals(f: Fn, simd: boolean): NodeLocals {
  const st = laneLocals(f, simd ? V128 : I64);
  const i1 = f.local(I32);
  const i2 = f.local(I32);
  const lp = [f.local(I32), f.local(I32)];
  const rp = [f.local(I32), f.local(I32)];
  const out = [f.local(I32), f.local(I32)];
  return { st, i1, i2, lp, rp, out, j: f.local(I32), x: f.local(I32), y: f.local(I32), swap: f.local(I32) };
}

/** For node index local `idx`: lp/rp[lane] = its children in big-endian order, out[lane] = its pointer. */
function emitOrderChildren(f: Fn, v: NodeLocals, pTree: number, idx: number, lane: number): void {
  const { j, x, y, swap } = v;
  const [lp, rp] = [v.lp[lane]!, v.rp[lane]!];
  // left child pointer = tree + 32*(2i+1); right = left + 32
  f.get(pTree).get(idx).i32(6).op(OP.i32Shl).op(OP.i32Add).i32(32).op(OP.i32Add).set(lp);
  f.get(lp).i32(32).op(OP.i32Add).set(rp);
  f.get(pTree).get(idx).i32(5).op(OP.i32Shl).op(OP.i32Add).set(v.out[lane]!);
  // compare bytes until the first difference
  f.i32(0).set(j).i32(0).set(swap);
  f.op(OP.block, VOID).op(OP.loop, VOID);
  f.get(j).i32(32).op(OP.i32GeU).op(OP.brIf, 1);
  f.get(lp).get(j).op(OP.i32Add).mem(OP.i32Load8, 0).set(x);
  f.get(rp).get(j).op(OP.i32Add).mem(OP.i32Load8, 0).set(y);
  f.get(x).get(y).op(OP.i32Ne).op(OP.if, VOID);
  f.get(x).get(y).op(OP.i32GtU).set(swap).op(OP.br, 2);
  f.op(OP.end);
  f.get(j).i32(1).op(OP.i32Add).set(j).op(OP.br, 0);
  f.op(OP.end).op(OP.end);
  // if swap: exchange lp and rp
  f.get(swap).op(OP.if, VOID);
  f.get(lp).set(j).get(rp).set(lp).get(j).set(rp);
  f.op(OP.end);
}

/** Loads the padded 64-byte message (smaller child, larger child) of each lane into the state. */
function emitLoadPair(f: Fn, simd: boolean, v: NodeLocals): void {
  for (let k = 0; k < 25; k++) {
    if (k < 8) {
      const src = k < 4 ? v.lp : v.rp;
      const off = 8 * (k % 4);
      if (simd) {
        f.get(src[0]!).mem(OP.i64Load, off).simd(SIMD.i64x2Splat).get(src[1]!).mem(OP.i64Load, off).simd(SIMD.i64x2Replace, 1);
      } else {
        f.get(src[0]!).mem(OP.i64Load, off);
      }
    } else {
      emitConst(f, simd, k === 8 ? 1n : k === 16 ? 0x8000000000000000n : 0n);
    }
    f.set(v.st.a[k]!);
  }
}

/** absorb(state, data, blocks): XORs each 136-byte block into the 200-byte state and permutes. */
export function absorbFn(): Fn {
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
