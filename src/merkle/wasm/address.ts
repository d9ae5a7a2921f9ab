/**
 * Address helpers of the keccak module (no hashing): `prep` parses and checks "0x"-hex accounts
 * into their bytes, abi encoding and lowercase hex; `verify` checks EIP-55 spellings against
 * their hashes.
 */
import { Fn, I32, OP, VOID } from "./emit.js";


/** Fixed tables at the start of every instance's memory (see `KeccakInstance.RESERVED`). */
export const HEX_TABLE = 0; // 256 bytes: value of a hex digit character, 0xff for any other byte
export const HEX_CHARS = 256; // 16 bytes: "0123456789abcdef"

/**
 * prep(orig, enc, asc, addr, flags, n) -> number of invalid addresses. For each entry e with
 * flags[e] == 0, the 42 bytes at orig + 42e must be "0x" and 40 hex digits: their 20 bytes go to
 * enc + 64e + 12 (the abi encoding) and addr + 20e, their lowercase hex to asc + 40e (the input of
 * the EIP-55 hash); flags[e] becomes 1 if invalid, 2 if the letters mix cases, else stays 0.
 */
export function prepFn(): Fn {
  const f = new Fn([I32, I32, I32, I32, I32, I32], [I32]);
  const [pOrig, pEnc, pAsc, pAddr, pFlags, pN] = [0, 1, 2, 3, 4, 5];
  const [e, o, j, c1, c2, v1, v2, low, up, bad, count, encP, addrP, ascP] = Array.from({ length: 14 }, () => f.local(I32)) as [
    number, number, number, number, number, number, number, number, number, number, number, number, number, number,
  ];
  const v: PrepLocals = { o, j, c1, c2, v1, v2, low, up, bad, encP, addrP, ascP };
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
  emitPrepDigits(f, v);
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

/** The locals of one entry of `prepFn`. */
interface PrepLocals {
  o: number;
  j: number;
  c1: number;
  c2: number;
  v1: number;
  v2: number;
  low: number;
  up: number;
  bad: number;
  encP: number;
  addrP: number;
  ascP: number;
}

/** The loop over the 20 digit pairs of one address: parse, note cases, write byte and lowercase hex. */
function emitPrepDigits(f: Fn, v: PrepLocals): void {
  const { o, j, c1, c2, v1, v2, low, up, bad, encP, addrP, ascP } = v;
  const isLower = (c: number): void => void f.get(c).i32(97).op(OP.i32GeU);
  const isUpper = (c: number): void => void f.get(c).i32(65).op(OP.i32Sub).i32(6).op(OP.i32LtU);
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
}

/**
 * verify(orig, addr, chk, flags, n) -> number of bad checksums. For each entry e with
 * flags[e] == 2 (mixed case), the hex at orig + 42e + 2 must be the EIP-55 spelling of the 20
 * bytes at addr + 20e: a letter is upper case exactly where the corresponding nibble of the hash
 * at chk + 32e is >= 8. A mismatch sets flags[e] = 3.
 */
export function verifyFn(): Fn {
  const f = new Fn([I32, I32, I32, I32, I32], [I32]);
  const [pOrig, pAddr, pChk, pFlags, pN] = [0, 1, 2, 3, 4];
  const [e, o, a, h, j, b, hb, count] = Array.from({ length: 8 }, () => f.local(I32)) as [number, number, number, number, number, number, number, number];
  const expected = (nibble: () => void, flag: () => void): void => emitExpectedChar(f, nibble, flag);
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

/**
 * Pushes the EIP-55 character of a nibble (pushed by `nibble`): its lowercase hex digit, upper-cased
 * when it is a letter and the hash bit (pushed by `flag`) is set.
 */
function emitExpectedChar(f: Fn, nibble: () => void, flag: () => void): void {
  nibble();
  f.mem(OP.i32Load8, HEX_CHARS);
  nibble();
  f.i32(10).op(OP.i32GeU);
  flag();
  f.op(OP.i32And).i32(5).op(OP.i32Shl).op(OP.i32Sub);
}
