/**
 * JSON helpers of the keccak module (no hashing): `hexNodes`/`hexList` write 32-byte nodes as
 * JSON string elements `"0x…",` (69 bytes each).
 */
import { Fn, I32, OP, SIMD, V128, VOID, uleb } from "./emit.js";
import { HEX_CHARS } from "./address.js";

// ------------------------------------------------------------ JSON hex of nodes and proofs

/** Writes the 64 lowercase hex digits of the 32 bytes at local `src` to local `dst`. */
export function emitHex32(f: Fn, simd: boolean, src: number, dst: number, tmp: number): void {
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
export function emitNodeElement(f: Fn, simd: boolean, tree: number, node: number, out: number, src: number, dst: number, tmp: number): void {
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
export function hexNodesFn(simd: boolean): Fn {
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
export function hexListFn(simd: boolean): Fn {
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
