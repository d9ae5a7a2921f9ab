/**
 * Stage 1: read the entries in chunks into the chunk slots, parse their accounts, and publish the
 * hashing of each chunk (checksums and leaves) as a task; the tasks run meanwhile, and a slot is
 * reused once its task is done.
 */
import { show } from "../issues.js";
import { SLOTS, slotRegions, type SlotRegions } from "../layout.js";
import type { Build } from "./context.js";
import type { DecimalText } from "../types.js";

/** The chunk slots of a build and the task hashing each. */
export class ChunkSlots {
  private readonly task = new Int32Array(SLOTS).fill(-1);
  private readonly base = new Int32Array(SLOTS);
  constructor(private readonly b: Build) {}

  /** Publishes the hashing of slot `slot` (entries base..base+m-1). */
  publish(slot: number, base: number, m: number): void {
    this.task[slot] = this.b.tasks.chunk(slot, base, m);
    this.base[slot] = base;
    if (!this.b.tasks.parallel) this.retire(slot);
  }

  /** Waits for the task of slot `slot`, if any, and reports the bad EIP-55 spellings it found. */
  retire(slot: number): void {
    const { b } = this;
    const t = this.task[slot]!;
    if (t < 0) return;
    this.task[slot] = -1;
    if (b.tasks.settle(t) === 0) return;
    const base = this.base[slot]!;
    const flags = slotRegions(b.L, slot).flags;
    for (let c = 0; c < Math.min(b.L.chunk, b.n - base); c++) {
      if (b.mem[flags + c] === 3) b.issues.add(`${base + c}.account`, `${show(b.input.account(base + c))} has a bad EIP-55 checksum`);
    }
  }

  /** Retires the slots of the last chunks (the others were retired on reuse). */
  retireAll(): void {
    for (let c = this.b.chunks - 1; c >= Math.max(0, this.b.chunks - SLOTS); c--) this.retire(c % SLOTS);
  }
}

/** Reads every entry (throws on any issue found); returns the amounts (as bigints or as text) and their sum. */
export function readEntries(b: Build, slots: ChunkSlots): { amounts?: bigint[]; digits?: DecimalText; total: bigint } {
  const { mem, L, n } = b;
  const buf = Buffer.from(mem.buffer);
  const dv = new DataView(mem.buffer);
  for (let c = 0; c < b.chunks; c++) {
    const base = c * L.chunk;
    const m = Math.min(L.chunk, n - base);
    const slot = c % SLOTS;
    slots.retire(slot);
    const R = slotRegions(L, slot);
    b.input.read(base, m, { mem, buf, dv, enc: R.enc, orig: R.orig, flags: R.flags }, b.issues);
    b.phase("read entries");
    parseAddresses(b, R, base, m);
    b.phase("parse addresses");
    if (b.issues.count === 0) slots.publish(slot, base, m); // (after an issue, only look for more)
  }
  b.issues.throwIfAny();
  return b.input.values();
}

/** The WebAssembly `prep` of a chunk (bytes, abi encoding, lowercase hex); reports what is not an address. */
function parseAddresses(b: Build, R: SlotRegions, base: number, m: number): void {
  const invalid = b.helpers.prep(R.orig, R.enc, R.asc, b.L.addr + 20 * base, R.flags, m);
  if (invalid === 0) return;
  for (let i = 0; i < m; i++) {
    if (b.mem[R.flags + i] === 1) b.issues.add(`${base + i}.account`, `${show(b.input.account(base + i))} is not a 20-byte hex address`);
  }
}
