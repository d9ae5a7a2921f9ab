/**
 * Hashing on two cores: a helper worker thread instantiates the keccak module on the same shared
 * memory and takes hashing tasks that the main thread publishes; the main thread takes them too.
 * Each task is claimed by exactly one thread (compare-and-swap on its state), so nothing waits on
 * the worker unless it is in the middle of a task: a worker that is late (starting up, or
 * descheduled on a busy machine) simply leaves more tasks to the main thread, and without a worker
 * the main thread runs every task itself — the same code path, the same results.
 *
 * The worker runs only while a build waits on it (`finish` releases it), is shared by all builds
 * of a process (one build at a time: building is synchronous) and does not keep the process alive.
 *
 * Hashing runs through the build's `BatchHasher`; the worker is used only with the WebAssembly
 * hasher bound to the build's instance (it runs the same module's functions), so with any other
 * hasher every task runs on the main thread, through the hasher.
 *
 * Control block (Int32Array on a SharedArrayBuffer): [0] tasks published, [1] stop, then per task
 * TASK_WORDS ints: state (0 open, 1 claimed, 2 done, 3 failed in the worker), kind, x, y, z, result.
 */
import os from "node:os";
import { Worker } from "node:worker_threads";
import type { BatchHasher } from "../hasher.js";
import type { ByteHelpers } from "../helpers.js";
import { keccakModule, type KeccakInstance, type WasmMemory, type WasmModule } from "./keccak-module.js";
import { WasmBatch } from "./hasher.js";

/** Memory layout the tasks need (byte offsets). */
export interface TaskLayout {
  /** Nodes of the heap tree. */
  tree: number;
  /** 20 bytes per entry. */
  addr: number;
  /** 32 bytes per entry: EIP-55 checksum hashes. */
  chk: number;
  /** 32 bytes per entry: leaf hashes. */
  leaf: number;
  /** Chunk slots: 64-byte abi encodings, 42-byte texts, 40-byte lowercase hex, 1-byte flags. */
  enc: number;
  orig: number;
  asc: number;
  flags: number;
  /** Entries per chunk slot. */
  chunk: number;
}

const HEAD = 8;
const TASK_WORDS = 6;
const OPEN = 0;
const CLAIMED = 1;
const DONE = 2;
const FAILED = 3;
/** A task kind: hash a chunk's checksums and leaves, then check its mixed-case checksums. */
const CHUNK = 1;
/** A task kind: inner nodes [x, y) of one level. */
const NODES = 2;

const HERE = 1;
const WORKER = 2;

/** How long the main thread waits for a task the worker claimed before giving up. */
const STUCK_MS = 120_000;

// The worker (plain JavaScript, evaluated): the same two task kinds as `runHere` below.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", ({ module, memory, control, layout: L }) => {
  const f = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const ctl = new Int32Array(control);
  for (let next = 0; ; ) {
    const published = Atomics.load(ctl, 0);
    if (next >= published) {
      if (Atomics.load(ctl, 1) !== 0) break;
      Atomics.wait(ctl, 0, published, 1000);
      continue;
    }
    const at = ${HEAD} + ${TASK_WORDS} * next++;
    if (Atomics.compareExchange(ctl, at, ${OPEN}, ${CLAIMED}) !== ${OPEN}) continue;
    let state = ${DONE};
    try {
      const kind = ctl[at + 1], x = ctl[at + 2], y = ctl[at + 3], z = ctl[at + 4];
      if (kind === ${CHUNK}) {
        f.hash40(L.asc + 40 * L.chunk * x, L.chk + 32 * y, z);
        f.leaves(L.enc + 64 * L.chunk * x, L.leaf + 32 * y, z);
        ctl[at + 5] = f.verify(L.orig + 42 * L.chunk * x, L.addr + 20 * y, L.chk + 32 * y, L.flags + L.chunk * x, z);
      } else if (kind === ${NODES}) {
        f.nodes(L.tree, x, y);
      }
    } catch {
      state = ${FAILED};
    }
    Atomics.store(ctl, at, state);
    Atomics.notify(ctl, at);
  }
});
`;

let worker: Worker | undefined;

/** Whether a helper thread is worth it for n entries (and the machine has a second core). */
export function wantsWorker(n: number): boolean {
  return n >= 50_000 && os.availableParallelism() > 1;
}

/** The tasks of one build. */
export class KeccakTasks {
  private readonly ctl: Int32Array;
  private published = 0;
  private readonly capacity: number;
  private helped = false;
  /** Per task: 0 not settled yet, HERE or WORKER. */
  private readonly ranBy: Uint8Array;
  /** No task below this one is open. */
  private oldestOpen = 0;
  /** Tasks the worker ran (known once settled). */
  byWorker = 0;

  /**
   * `helpers`: the build's byte helpers (`verify` checks spellings); `hash`: the build's hashing;
   * `L`: where things are; `maxTasks`: the most tasks the build publishes; `useWorker`: share
   * the work with the helper thread (started on first use) if `hash` is the WebAssembly hasher.
   */
  constructor(
    private readonly helpers: ByteHelpers,
    private readonly hash: BatchHasher,
    private readonly L: TaskLayout,
    maxTasks: number,
    useWorker: boolean,
  ) {
    this.capacity = maxTasks;
    this.ranBy = new Uint8Array(maxTasks);
    this.ctl = new Int32Array(new SharedArrayBuffer(4 * (HEAD + TASK_WORDS * maxTasks)));
    if (useWorker && hash instanceof WasmBatch) this.startHelp(hash.instance);
  }

  /** Hands this build to the helper thread: the module, the instance's memory, the control block. */
  private startHelp(k: KeccakInstance): void {
    worker ??= startWorker();
    const module: WasmModule = keccakModule().module;
    const memory: WasmMemory = k.memory;
    const { tree, addr, chk, leaf, enc, orig, asc, flags, chunk } = this.L;
    worker.postMessage({ module, memory, control: this.ctl.buffer, layout: { tree, addr, chk, leaf, enc, orig, asc, flags, chunk } });
    this.helped = true;
  }

  /** Whether a worker shares this build's hashing. */
  get parallel(): boolean {
    return this.helped;
  }

  /** Tasks published so far. */
  get count(): number {
    return this.published;
  }

  /** Publishes "hash chunk slot `slot` (entries base..base+m-1)"; returns the task id. */
  chunk(slot: number, base: number, m: number): number {
    return this.publish(CHUNK, slot, base, m);
  }

  /** Publishes "inner nodes [lo, hi)" (all in one level); returns the task id. */
  nodes(lo: number, hi: number): number {
    return this.publish(NODES, lo, hi, 0);
  }

  /**
   * Runs task `t` here unless the worker has it, then waits for it — running other open tasks
   * meanwhile (the newest first). Returns its result.
   */
  settle(t: number): number {
    const ctl = this.ctl;
    const at = HEAD + TASK_WORDS * t;
    if (this.ranBy[t] === 0) {
      if (!this.claimAndRun(t)) {
        const start = Date.now();
        while (Atomics.load(ctl, at) === CLAIMED) {
          const other = this.newestOpen();
          if (other >= 0 && this.claimAndRun(other)) continue;
          Atomics.wait(ctl, at, CLAIMED, 50);
          if (Date.now() - start > STUCK_MS) throw new Error(`keccak worker did not finish task ${t} in ${STUCK_MS / 1000} s`);
        }
        if (Atomics.load(ctl, at) === FAILED) {
          this.runHere(at); // (the worker threw: run the task again here)
          Atomics.store(ctl, at, DONE);
          this.ranBy[t] = HERE;
        } else {
          this.ranBy[t] = WORKER;
          this.byWorker++;
        }
      }
    }
    return ctl[at + 5]!;
  }

  /** Runs task `t` here if it is still open. */
  private claimAndRun(t: number): boolean {
    const at = HEAD + TASK_WORDS * t;
    if (Atomics.compareExchange(this.ctl, at, OPEN, CLAIMED) !== OPEN) return false;
    this.runHere(at);
    Atomics.store(this.ctl, at, DONE);
    this.ranBy[t] = HERE;
    return true;
  }

  /** The newest task still open, or -1. */
  private newestOpen(): number {
    for (let t = this.published - 1; t >= this.oldestOpen; t--) {
      if (Atomics.load(this.ctl, HEAD + TASK_WORDS * t) === OPEN) return t;
    }
    // nothing open below the newest: remember where to stop scanning next time
    this.oldestOpen = this.published;
    return -1;
  }

  /** Settles every published task (the newest first: the worker goes oldest first) and releases the worker. */
  finish(): void {
    try {
      for (let t = this.published - 1; t >= 0; t--) this.settle(t);
    } finally {
      Atomics.store(this.ctl, 1, 1);
      Atomics.notify(this.ctl, 0);
    }
  }

  private publish(kind: number, x: number, y: number, z: number): number {
    if (this.published >= this.capacity) throw new Error("internal: too many keccak tasks");
    const t = this.published++;
    const ctl = this.ctl;
    const at = HEAD + TASK_WORDS * t;
    ctl[at + 1] = kind;
    ctl[at + 2] = x;
    ctl[at + 3] = y;
    ctl[at + 4] = z;
    Atomics.store(ctl, 0, this.published);
    if (this.helped) Atomics.notify(ctl, 0);
    return t;
  }

  /** The same work as the worker's, through the build's hasher. */
  private runHere(at: number): void {
    const { helpers, hash, L, ctl } = this;
    const kind = ctl[at + 1]!;
    const x = ctl[at + 2]!;
    const y = ctl[at + 3]!;
    const z = ctl[at + 4]!;
    if (kind === CHUNK) {
      hash.hashEach(L.asc + 40 * L.chunk * x, 40, L.chk + 32 * y, z);
      hash.leaves(L.enc + 64 * L.chunk * x, L.leaf + 32 * y, z);
      ctl[at + 5] = helpers.verify(L.orig + 42 * L.chunk * x, L.addr + 20 * y, L.chk + 32 * y, L.flags + L.chunk * x, z);
    } else {
      hash.nodes(L.tree, x, y);
    }
  }
}

function startWorker(): Worker {
  const w = new Worker(WORKER_SOURCE, { eval: true, name: "flux-keccak" });
  w.unref();
  w.on("error", () => {
    // a dead worker only means no more help: tasks it never claimed run on the main thread
    worker = undefined;
  });
  w.on("exit", () => {
    worker = undefined;
  });
  return w;
}
