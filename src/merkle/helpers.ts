/**
 * The byte work of a build that is not hashing — parsing accounts, checking EIP-55 spellings,
 * writing nodes as JSON hex — done in the build's memory by the WebAssembly helpers of the
 * generated module (`wasm/address.ts`, `wasm/hex.ts`). Offsets are byte offsets into that memory.
 */
export interface ByteHelpers {
  /**
   * For each entry e < n with flags[e] == 0: parses the 42 bytes at orig + 42e ("0x" and 40 hex
   * digits) into addr + 20e and the abi encoding at enc + 64e + 12, writes the lowercase hex at
   * asc + 40e; flags[e] becomes 1 if invalid, 2 if the letters mix cases. Returns the number invalid.
   */
  prep(orig: number, enc: number, asc: number, addr: number, flags: number, n: number): number;
  /**
   * For each entry e < n with flags[e] == 2: checks the text at orig + 42e against the EIP-55
   * spelling of addr + 20e given its hash at chk + 32e; a mismatch sets flags[e] = 3. Returns
   * the number of mismatches.
   */
  verify(orig: number, addr: number, chk: number, flags: number, n: number): number;
  /** JSON array elements `"0x…",` (69 bytes each) of nodes first..first+count-1 of the tree at `tree`. */
  hexNodes(tree: number, first: number, count: number, out: number): void;
  /** JSON array elements `"0x…",` (69 bytes each) of the nodes whose u32 indices are at `list`. */
  hexList(tree: number, list: number, count: number, out: number): void;
}
