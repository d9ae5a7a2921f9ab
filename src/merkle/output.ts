/**
 * The output directory of a tree (see `index.ts` and docs/formats.md#tree-directory):
 * `tree.json`, `root.json` and the proof files (`proof-layout.ts`), written from the tree's
 * JSON pieces and replaced atomically as a whole, flushed to disk before the rename.
 */
import { open, writeFile } from "node:fs/promises";
import path from "node:path";
import { toJson, writeTreeAtomic } from "../core/fs.js";
import { InputError } from "../core/errors.js";
import { Steps } from "../core/progress.js";
import { toHex } from "./hasher.js";
import { JSON_WINDOWS } from "./layout.js";
import { proofClaims, writeLastNodeFiles, writeProofFiles } from "./proof-files.js";
import { ProofThread, wantsProofThread } from "./proof-thread.js";
import type { RewardTree } from "./tree.js";
import type { RootInfo } from "./types.js";

const RESERVED = ["tree.json", "root.json", "proofs"];

/** Options of `writeTreeOutput`. */
export interface OutputOptions {
  /**
   * Write the proof files from a worker thread while tree.json is written (`proof-thread.ts`):
   * a thread started beforehand (`ProofThread.start()`, to hide its start-up), true, false, or
   * by default from PROOF_THREAD_MIN accounts on a machine with a second core. Only for a tree
   * built with the WebAssembly hasher (its memory is shared); the files are the same either way.
   * A thread given here is terminated when the output is written or has failed.
   */
  thread?: ProofThread | boolean;
  /** Tests only: the proof thread fails at proof file k. */
  failAt?: number;
}

/**
 * Writes `<dir>/tree.json`, `<dir>/root.json`, `<dir>/proofs/` (layout.json, index/, nodes/) and
 * any `extra` files (plain names, e.g. `{ "epoch.json": text }`) as one atomic replacement of
 * `dir` (writeTreeAtomic): on any failure the previous directory stays as it was. `tree.json` is
 * streamed (never whole in memory) and hashed on the way; meanwhile a proof thread writes the
 * proof files (see `OutputOptions.thread`). `steps` reports progress (default: none). Returns
 * what `root.json` holds.
 */
export async function writeTreeOutput(
  dir: string,
  tree: RewardTree,
  extra: Record<string, string | Uint8Array> = {},
  steps: Steps = new Steps({ write: () => undefined }),
  opts: OutputOptions = {},
): Promise<RootInfo> {
  let thread = opts.thread instanceof ProofThread ? opts.thread : undefined;
  try {
    for (const name of Object.keys(extra)) {
      if (!/^[\w.-]+$/.test(name) || name.startsWith(".") || RESERVED.includes(name)) {
        throw new InputError(`writeTreeOutput: extra file "${name}": must be a plain file name other than ${RESERVED.join(", ")}`);
      }
    }
    if (!tree.shared) thread = undefined;
    else if (!thread && (opts.thread ?? wantsProofThread(tree.count)) === true) thread = ProofThread.start();
    let info: RootInfo | undefined;
    await writeTreeAtomic(dir, async (tmp) => {
      if (thread) {
        // the thread writes the proof files from the first on; this thread, once tree.json is
        // written, the node files from the last one down, until the two meet
        const claims = proofClaims(tree.count);
        info = await alongside(
          steps.run("writing proofs", (tick) => thread!.write(tmp, tree, tick, opts.failAt, claims)),
          async () => {
            const written = await steps.run("writing tree.json", () => writeDump(tmp, tree));
            writeLastNodeFiles(tmp, tree.count, tree.root, tree, claims);
            return written;
          },
          () => thread!.close(),
        );
      } else {
        info = await steps.run("writing tree.json", () => writeDump(tmp, tree));
        await steps.run("writing proofs", (tick) => writeProofFiles(tmp, tree.count, tree.root, tree, tick));
      }
      for (const [name, data] of Object.entries(extra)) await writeFile(path.join(tmp, name), data);
      await writeFile(path.join(tmp, "root.json"), toJson(info));
    }, steps);
    return info!;
  } finally {
    await (opts.thread instanceof ProofThread ? opts.thread : thread)?.close();
  }
}

/**
 * Runs `work` while `background` runs; returns work's result once both are done. If either
 * fails, `stop` ends the background work and both have ended before the first failure is thrown
 * (nothing keeps writing into a directory about to be removed).
 */
async function alongside<T>(background: Promise<unknown>, work: () => Promise<T>, stop: () => Promise<void>): Promise<T> {
  background.catch(() => undefined); // settled below
  let value: T;
  try {
    value = await work();
  } catch (e) {
    await stop();
    await background.catch(() => undefined);
    throw e;
  }
  await background;
  return value;
}

/** tree.json, hashed on the way; returns what root.json holds. */
async function writeDump(tmp: string, tree: RewardTree): Promise<RootInfo> {
  const hash = tree.hasher.stream();
  await writeChunks(path.join(tmp, "tree.json"), tree.dumpChunks(), (chunk) => hash.update(chunk));
  return { root: tree.root, total: tree.total.toString(), count: tree.count, contentHash: toHex(hash.digest()) };
}

/**
 * Writes a generator's chunks to a new file, keeping up to JSON_WINDOWS - 1 writes in flight
 * while the next chunks are produced.
 */
async function writeChunks(file: string, chunks: Generator<Uint8Array>, each?: (chunk: Uint8Array) => void): Promise<void> {
  const fh = await open(file, "wx");
  const inFlight: Promise<unknown>[] = [];
  let failure: unknown;
  try {
    let position = 0;
    for (const chunk of chunks) {
      each?.(chunk);
      // written straight from the window: it is not reused before JSON_WINDOWS - 1 more pieces
      const p = fh.write(chunk, 0, chunk.length, position);
      p.catch(() => undefined); // awaited below; never "unhandled"
      inFlight.push(p);
      position += chunk.length;
      if (inFlight.length >= JSON_WINDOWS - 1) await inFlight.shift();
    }
  } catch (e) {
    failure = e;
  }
  // never leave a write running into a file or directory that may be removed
  for (const r of await Promise.allSettled(inFlight)) if (r.status === "rejected") failure ??= r.reason;
  await fh.close();
  if (failure !== undefined) throw failure;
}
