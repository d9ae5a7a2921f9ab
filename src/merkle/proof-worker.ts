/**
 * The proof thread's side (see `proof-thread.ts`): given a job — the output directory, the
 * tree's root and proof source (views of shared memory), its own window in that memory — it
 * writes the proof files and answers with progress, then `done`, or the error's message.
 */
import { parentPort } from "node:worker_threads";
import { messageOf } from "../core/errors.js";
import { writeProofFiles } from "./proof-files.js";
import { ProofJson, type ProofSource } from "./proof-json.js";

/** One job: write the proof files of a tree into `dir`. */
export interface ProofJob {
  dir: string;
  root: string;
  source: ProofSource;
  /** Where in the memory this thread writes a node file (no other thread writes there). */
  window: { at: number; size: number };
  /** Which files are taken (`proofClaims`): the main thread writes the last node files once tree.json is written. */
  claims?: Uint8Array;
  /** Tests only: fail at proof file k. */
  failAt?: number;
}

/** What the thread answers: progress, then done or an error. */
export type ProofReply = { tick: number; total: number } | { done: true } | { error: string };

/** Files between two progress messages. */
const TICK_EVERY = 256;

const port = parentPort!;
port.on("message", (job: ProofJob) => {
  const reply = (r: ProofReply): void => port.postMessage(r);
  try {
    const json = new ProofJson(job.source, job.window);
    let last = 0;
    writeProofFiles(job.dir, job.source.count, job.root, json, (k, total) => {
      if (k === job.failAt) throw new Error(`injected failure at proof file ${k}`);
      if (k - last >= TICK_EVERY) reply({ tick: (last = k), total });
    }, job.claims);
    reply({ done: true });
  } catch (e) {
    reply({ error: messageOf(e) });
  }
});
