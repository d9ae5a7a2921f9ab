/**
 * Stage 2: the accounts in ascending address order — duplicates (neighbours in that order) are
 * refused, naming both entries. The hashing
 * tasks of the last chunks are settled here, after the sort they overlap with.
 */
import { checksummed } from "../json-window.js";
import { sharedUint32 } from "../proof-json.js";
import { sortByBytes, type SortScratch } from "../sort.js";
import type { Build } from "./context.js";
import type { ChunkSlots } from "./read.js";

/** The accounts by address. */
export interface AccountIndex {
  /** Value indices in ascending address order. */
  byAddress: Uint32Array;
}

/** Sorts the accounts, settles the chunk hashing, and throws on any issue (duplicates, spellings). */
export function indexAccounts(b: Build, slots: ChunkSlots, scratch: SortScratch): AccountIndex {
  // in shared memory: a thread writing the proof files reads it (`proof-json.ts`)
  const byAddress = sharedUint32(b.n);
  byAddress.set(sortByBytes(b.mem, b.L.addr, 20, 20, b.n, scratch));
  const duplicates = findDuplicates(b, byAddress);
  b.phase("address sort");
  slots.retireAll();
  b.phase("keccak: checksums+leaves");
  // (named after the hashing: the message spells the account with its checksum hash)
  const { mem, L } = b;
  for (const [first, j] of duplicates) {
    b.issues.add(`${j}.account`, `duplicate account ${checksummed(mem.subarray(L.addr), mem.subarray(L.chk), j)}: entry ${first} has it too`);
  }
  b.issues.throwIfAny();
  return { byAddress };
}

/** Pairs [first entry, later entry] of equal accounts (stable order: the first of equals came first). */
function findDuplicates(b: Build, byAddress: Uint32Array): [number, number][] {
  const { mem, n } = b;
  const addr = b.L.addr;
  const found: [number, number][] = [];
  for (let a = 1, first = byAddress[0]!; a < n; a++) {
    const j = byAddress[a]!;
    if (equalBytes(mem, addr + 20 * first, addr + 20 * j, 20)) found.push([first, j]);
    else first = j;
  }
  return found;
}

function equalBytes(mem: Uint8Array, a: number, b: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (mem[a + k] !== mem[b + k]) return false;
  return true;
}
