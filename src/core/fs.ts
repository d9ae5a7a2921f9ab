/**
 * Atomic output: files are written to a temporary sibling and renamed into place, so a crash or
 * an error never leaves a half-written file. `writeTreeAtomic` does the same for a directory,
 * and flushes it to disk before the rename.
 */
import { execFile } from "node:child_process";
import { mkdir, open, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { InputError } from "./errors.js";
import type { Steps } from "./progress.js";

function tmpSibling(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
}

/** JSON with bigint values written as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2) + "\n";
}

/** Writes `content` to `file` atomically (temp file + rename), creating the parent directory. */
export async function writeFileAtomic(file: string, content: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = tmpSibling(file);
  try {
    await writeFile(tmp, content);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Writes a whole directory atomically: `fill` writes into a fresh temporary directory, which is
 * flushed to disk (`syncTree`) and then replaces `dir` (the old one is removed only after the new
 * one is complete and durable).
 */
export async function writeTreeAtomic(dir: string, fill: (tmpDir: string) => Promise<void>, steps?: Steps): Promise<void> {
  await mkdir(path.dirname(path.resolve(dir)), { recursive: true });
  const tmp = tmpSibling(path.resolve(dir));
  const old = tmpSibling(path.resolve(dir));
  await mkdir(tmp, { recursive: true });
  try {
    await fill(tmp);
    await (steps ? steps.run("syncing to disk", () => syncTree(tmp)) : syncTree(tmp));
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  let moved = false;
  try {
    await rename(dir, old);
    moved = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  await rename(tmp, dir);
  await fsyncPath(path.dirname(path.resolve(dir)));
  if (moved) await rm(old, { recursive: true, force: true });
}

/**
 * Flushes every file and directory under `dir` to disk. On Linux one `syncfs` of its file system
 * (`sync -f`): with thousands of files it is about ten times faster than an fsync of each, even
 * 64 at a time in the thread pool, which is what happens where `sync -f` is unavailable.
 */
export async function syncTree(dir: string): Promise<void> {
  try {
    await promisify(execFile)("sync", ["-f", dir]);
    return;
  } catch {
    // not Linux coreutils: fsync each entry
  }
  const entries = (await readdir(dir, { recursive: true })).map((e) => path.join(dir, e));
  for (let k = 0; k < entries.length; k += 64) await Promise.all(entries.slice(k, k + 64).map(fsyncPath));
  await fsyncPath(dir);
}

/** fsync of a file or directory. */
async function fsyncPath(p: string): Promise<void> {
  const fh = await open(p, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Refuses to replace an output directory that holds something (an earlier epoch, say) unless
 * `force`: an absent or empty directory is fine. One line, naming the option and the directory.
 */
export async function checkOutputDir(dir: string, force: boolean, option = "--out"): Promise<void> {
  if (force) return;
  let entries: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw new InputError(`${option} ${dir}: exists and is not a directory; pass --force to replace it`);
    entries = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  if (entries.length === 0) return;
  const what = entries.includes("epoch.json") ? "an epoch directory" : entries.includes("tree.json") ? "a tree directory" : `${entries.length} entries`;
  throw new InputError(`${option} ${dir}: already exists and is not empty (${what}); pass --force to replace it`);
}

/** `text` read from `file`, or an InputError naming the file when it is empty (or only whitespace). */
export function nonEmpty(text: string, file: string): string {
  if (text.trim() === "") throw new InputError(`${file}: the file is empty`);
  return text;
}
