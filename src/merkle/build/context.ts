/** What the stages of one build share: the input, the memory and its layout, hashing, issues, timings. */
import type { BatchHasher, Hasher } from "../hasher.js";
import type { ByteHelpers } from "../helpers.js";
import { Issues } from "../issues.js";
import { MAX_PIECES, treeLayout, type Layout } from "../layout.js";
import type { RewardEntry } from "../types.js";
import { KeccakInstance } from "../wasm/keccak-module.js";
import { KeccakTasks, wantsWorker } from "../wasm/tasks.js";

/** One build in progress. */
export interface Build {
  entries: readonly RewardEntry[];
  n: number;
  /** Where everything is in `mem`. */
  L: Layout;
  /** The instance owning the memory. */
  k: KeccakInstance;
  mem: Uint8Array;
  /** Parsing accounts, checking spellings, JSON hex (the instance's helpers). */
  helpers: ByteHelpers;
  hasher: Hasher;
  hash: BatchHasher;
  /** The hashing tasks (shared with a helper thread when worth it). */
  tasks: KeccakTasks;
  /** Chunks of `L.chunk` entries. */
  chunks: number;
  issues: Issues;
  /** Ends a timed phase (see `BuildOptions.timings`). */
  phase: (name: string) => void;
}

/** Allocates the memory of n entries and binds the hashing to it. */
export function openBuild(
  entries: readonly RewardEntry[],
  opts: { hasher: Hasher; workers: boolean | undefined },
  issues: Issues,
  phase: (name: string) => void,
): Build {
  const n = entries.length;
  const L = treeLayout(n);
  const k = new KeccakInstance(L.size);
  const hash = opts.hasher.bind(k);
  const chunks = Math.ceil(n / L.chunk);
  const tasks = new KeccakTasks(k, hash, L, chunks + 32 * MAX_PIECES, opts.workers ?? wantsWorker(n));
  return { entries, n, L, k, mem: k.bytes, helpers: k.fn, hasher: opts.hasher, hash, tasks, chunks, issues, phase };
}

/** A phase timer: `phase(name)` adds the time since the previous call to `timings[name]`. */
export function phaseClock(timings: Record<string, number> | undefined): (name: string) => void {
  let last = performance.now();
  return (name: string): void => {
    if (!timings) return;
    const now = performance.now();
    timings[name] = (timings[name] ?? 0) + now - last;
    last = now;
  };
}
