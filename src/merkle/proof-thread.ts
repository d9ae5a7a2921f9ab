/**
 * A worker thread that writes a tree's proof files (`proof-worker.ts`) while the main thread
 * writes and hashes tree.json: the two take about the same time, and the second core is idle
 * otherwise. The worker reads the tree where it is — the build's shared WebAssembly memory and
 * the SharedArrayBuffers of `proof-json.ts` — and builds its node files in a window of the memory
 * that nothing else uses (the main thread's windows are the tree's own), so no buffer is written
 * by both. It is started early (its start-up, loading the TypeScript modules, takes a few hundred
 * ms) and terminated when done or on any failure, before the caller removes what it wrote.
 */
import { Worker } from "node:worker_threads";
import os from "node:os";
import type { ProofJob, ProofReply } from "./proof-worker.js";
import type { RewardTree } from "./tree.js";

/** Trees from this many accounts get a proof thread by default (on a machine with a second core). */
export const PROOF_THREAD_MIN = 50_000;

/** Whether a proof thread is worth it for `count` accounts. */
export function wantsProofThread(count: number): boolean {
  return count >= PROOF_THREAD_MIN && os.availableParallelism() > 1;
}

/** The worker's module, and the loader it needs when this runs from TypeScript sources (none from JavaScript). */
function workerEntry(): { url: URL; execArgv: string[] } | undefined {
  const ts = import.meta.url.endsWith(".ts");
  const url = new URL(`./proof-worker.${ts ? "ts" : "js"}`, import.meta.url);
  if (!ts) return { url, execArgv: [] };
  try {
    return { url, execArgv: ["--import", import.meta.resolve("tsx/esm")] };
  } catch {
    return undefined; // no TypeScript loader for the worker: the caller writes on its own thread
  }
}

/** One proof thread, for one tree. */
export class ProofThread {
  private readonly worker: Worker;
  /** Why the worker stopped, once it has (an error it threw, or its exit). */
  private stopped: Error | undefined;
  private listener: ((r: ProofReply | Error) => void) | undefined;
  /** Whether the thread has ended (it ends when done, on failure or when closed). */
  exited = false;

  private constructor(entry: { url: URL; execArgv: string[] }) {
    this.worker = new Worker(entry.url, { execArgv: entry.execArgv, name: "flux-proofs" });
    this.worker.unref();
    this.worker.on("message", (r: ProofReply) => this.listener?.(r));
    this.worker.on("error", (e) => this.stop(e));
    this.worker.on("exit", (code) => {
      this.exited = true;
      this.stop(new Error(`the thread exited (code ${code}) before finishing`));
    });
  }

  /** Starts a proof thread, or undefined where none can run (no TypeScript loader for it). */
  static start(): ProofThread | undefined {
    const entry = workerEntry();
    return entry && new ProofThread(entry);
  }

  private stop(e: Error): void {
    this.stopped ??= e;
    this.listener?.(e);
  }

  /**
   * Writes the proof files of `tree` into `dir` (the tree must live in shared memory: built with
   * the WebAssembly hasher); `tick` gets the progress. Rejects with one line naming the thread if
   * it fails, after the thread is terminated; the thread is terminated when done either way.
   * `claims`: shared with the caller, which writes the last node files (`writeProofFiles`).
   */
  async write(dir: string, tree: RewardTree, tick: (done: number, total: number) => void, failAt?: number, claims?: Uint8Array): Promise<void> {
    if (!tree.shared) throw new Error("internal: a proof thread needs a tree in shared memory");
    try {
      await new Promise<void>((resolve, reject) => {
        const fail = (message: string): void => reject(new Error(`writing proofs (worker thread): ${message}`));
        this.listener = (r) => {
          if (r instanceof Error) fail(r.message);
          else if ("tick" in r) tick(r.tick, r.total);
          else if ("done" in r) resolve();
          else fail(r.error);
        };
        if (this.stopped) return fail(this.stopped.message);
        const job: ProofJob = { dir, root: tree.root, source: tree.proofSource, window: tree.threadWindow, claims, failAt };
        this.worker.postMessage(job);
      });
    } finally {
      this.listener = undefined;
      await this.close();
    }
  }

  /** Terminates the thread (nothing more is written once this resolves). */
  async close(): Promise<void> {
    await this.worker.terminate(); // (a write under way then fails: the thread exited)
  }
}
