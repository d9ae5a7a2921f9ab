/**
 * The output directory of a tree (see `index.ts` for the format): `tree.json`, `root.json`,
 * `proofs/<xx>.json`, streamed from the tree's JSON pieces and replaced atomically as a whole.
 */
import { mkdir, open, writeFile } from "node:fs/promises";
import path from "node:path";
import { toJson, writeTreeAtomic } from "../core/fs.js";
import { InputError } from "../core/errors.js";
import { toHex } from "./hasher.js";
import { hexByte } from "./hex.js";
import { JSON_WINDOWS } from "./layout.js";
import type { RewardTree } from "./tree.js";
import type { RootInfo } from "./types.js";

/** The shard of an account: the first byte of its address (0..255). */
export function shardOf(account: string): number {
  return parseInt(account.slice(2, 4), 16);
}

/** The shard file of first byte `b`, relative to the output directory: `proofs/<xx>.json`. */
export function shardFile(b: number): string {
  return path.join("proofs", `${hexByte(b)}.json`);
}

/**
 * Writes `<dir>/tree.json`, `<dir>/root.json`, `<dir>/proofs/<xx>.json` (all 256) and any `extra`
 * files (plain names, e.g. `{ "epoch.json": text }`) as one atomic replacement of `dir`
 * (writeTreeAtomic): on any failure the previous directory stays as it was. The JSON is streamed
 * (never whole in memory) and `tree.json` hashed on the way. Returns what `root.json` holds.
 */
export async function writeTreeOutput(dir: string, tree: RewardTree, extra: Record<string, string | Uint8Array> = {}): Promise<RootInfo> {
  for (const name of Object.keys(extra)) {
    if (!/^[\w.-]+$/.test(name) || name.startsWith(".") || ["tree.json", "root.json", "proofs"].includes(name)) {
      throw new InputError(`writeTreeOutput: extra file "${name}": must be a plain file name other than tree.json, root.json, proofs`);
    }
  }
  let info: RootInfo | undefined;
  await writeTreeAtomic(dir, async (tmp) => {
    const hash = tree.hasher.stream();
    await writeChunks(path.join(tmp, "tree.json"), tree.dumpChunks(), (chunk) => hash.update(chunk));
    info = { root: tree.root, total: tree.total.toString(), count: tree.count, contentHash: toHex(hash.digest()) };
    await mkdir(path.join(tmp, "proofs"));
    for (let b = 0; b < 256; b++) await writeChunks(path.join(tmp, shardFile(b)), tree.shardChunks(b));
    for (const [name, data] of Object.entries(extra)) await writeFile(path.join(tmp, name), data);
    await writeFile(path.join(tmp, "root.json"), toJson(info));
  });
  return info!;
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
