/** What the stages of one build share: the input, the memory and its layout, hashing, issues, timings. */
import type { BatchHasher, HashMemory, Hasher } from "../hasher.js";
import type { ByteHelpers } from "../helpers.js";
import { Issues } from "../issues.js";
import { MAX_PIECES, treeLayout, type Layout } from "../layout.js";
import { JsHelpers } from "../js-helpers.js";
import { wasmHasher } from "../wasm/hasher.js";
import { KeccakInstance } from "../wasm/keccak-module.js";
import { KeccakTasks, wantsWorker } from "../wasm/tasks.js";
import type { EntryInput } from "./entries.js";

/** One build in progress. */
export interface Build {
  input: EntryInput;
  n: number;
  /** Where everything is in `mem`. */
  L: Layout;
  /** The whole memory of the build. */
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

/**
 * Allocates the memory of n entries and binds the hashing to it: a WebAssembly instance's memory
 * and helpers for `wasmHasher`; for any other hasher a plain byte array and the JS helpers, so
 * that no generated code runs.
 */
export function openBuild(
  input: EntryInput,
  opts: { hasher: Hasher; workers: boolean | undefined },
  issues: Issues,
  phase: (name: string) => void,
): Build {
  const n = input.n;
  const L = treeLayout(n);
  const { memory, helpers } = allocate(L.size, opts.hasher);
  const hash = opts.hasher.bind(memory);
  const chunks = Math.ceil(n / L.chunk);
  const tasks = new KeccakTasks(helpers, hash, L, chunks + 32 * MAX_PIECES, opts.workers ?? wantsWorker(n));
  return { input, n, L, mem: memory.bytes, helpers, hasher: opts.hasher, hash, tasks, chunks, issues, phase };
}

/** The memory of a build and its byte helpers. */
function allocate(size: number, hasher: Hasher): { memory: HashMemory; helpers: ByteHelpers } {
  if (hasher === wasmHasher) {
    const k = new KeccakInstance(size);
    return { memory: k, helpers: k.fn };
  }
  const bytes = new Uint8Array(size);
  return { memory: { bytes }, helpers: new JsHelpers(bytes) };
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
