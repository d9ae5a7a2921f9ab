/**
 * A tiny WebAssembly emitter: LEB128 numbers, sections, vectors, opcodes, and `Fn`, one function
 * body under construction (named locals, raw instructions). Used by the generated keccak module.
 */
export const I32 = 0x7f;
export const I64 = 0x7e;
export const V128 = 0x7b;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

export function sleb(v: bigint): number[] {
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

export function str(s: string): number[] {
  return [...uleb(s.length), ...Buffer.from(s, "utf8")];
}

export function concat(parts: number[][]): number[] {
  const out: number[] = [];
  for (const part of parts) for (let i = 0; i < part.length; i++) out.push(part[i]!);
  return out;
}

export function section(id: number, body: number[]): number[] {
  return concat([[id], uleb(body.length), body]);
}

export function vec(items: number[][]): number[] {
  return concat([uleb(items.length), ...items]);
}

/** One function body under construction: named locals and raw instructions. */
export class Fn {
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
export const OP = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, select: 0x1b,
  i32Load8: 0x2d, i64Load: 0x29, i64Store: 0x37, i32Load: 0x28, i32Store: 0x36,
  i32Store8: 0x3a, i32Eqz: 0x45, i32Eq: 0x46, i32Ne: 0x47, i32LtU: 0x49, i32GtU: 0x4b, i32GeU: 0x4f,
  i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32And: 0x71, i32Or: 0x72, i32Shl: 0x74, i32ShrU: 0x76,
  i64And: 0x83, i64Xor: 0x85, i64Rotl: 0x89,
} as const;
export const VOID = 0x40;
export const SIMD = {
  load: 0x00, store: 0x0b, const: 0x0c, shuffle: 0x0d, swizzle: 0x0e, i8x16ShrU: 0x6d,
  i64x2Splat: 0x12, i64x2Extract: 0x1d, i64x2Replace: 0x1e,
  and: 0x4e, andnot: 0x4f, or: 0x50, xor: 0x51, i64x2Shl: 0xcb, i64x2ShrU: 0xcd,
} as const;
