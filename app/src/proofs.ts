/**
 * An account's entry in a published tree, from the proof files under the config's `proofs` URL
 * (`<proofs>/<chainId>/<root>/proofs/…`, layout "flux-proofs-v2", docs/formats.md): two small
 * files per account, read with `fetch` and checked against the root by src/merkle's reader. The
 * page further requires that root to be the distributor's, so a proof it sends always matches
 * the root the contract checks.
 */
import { InputError, UnreachableError } from "../../src/core/errors.js";
import { NotInTreeError, ProofFiles, type FetchFile } from "../../src/merkle/proof-reader.js";
import type { TreeEntry } from "./claim.js";
import { proofsUrl, type AppConfig } from "./config.js";

const opened = new Map<string, Promise<ProofFiles>>();

/** `fetch` of a file under `base` (its bytes), as the reader's FetchFile; a 404 or an unreachable host in words. */
export function httpFiles(base: string, fetchImpl: typeof fetch = fetch): FetchFile {
  return async (rel) => {
    const url = new URL(rel, new URL(base, globalThis.location?.href ?? "http://localhost/")).href;
    let res: Response;
    try {
      res = await fetchImpl(url);
    } catch (e) {
      throw new UnreachableError(`${url}: cannot be reached (${(e as Error).message})`, { cause: e });
    }
    if (!res.ok) throw new InputError(`${url}: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer()); // (a node file is raw bytes)
  };
}

/**
 * The entry of `account` in the tree of `root` on `chainId`: its cumulative amount and proof, or
 * null when the tree does not hold it. Throws when the files are missing, unreadable, corrupt, or
 * for another root than `root`.
 */
export async function treeEntry(config: AppConfig, chainId: number, root: string, account: string, fetchImpl?: typeof fetch): Promise<TreeEntry | null> {
  const base = proofsUrl(config, chainId, root);
  let files = opened.get(base);
  if (!files) {
    files = ProofFiles.open(httpFiles(base, fetchImpl));
    opened.set(base, files);
    files.catch(() => opened.delete(base));
  }
  const f = await files;
  if (f.layout.root !== root.toLowerCase()) throw new InputError(`${base}proofs/layout.json: the files are for root ${f.layout.root}, not the distributor's ${root}`);
  try {
    const { amount, proof } = await f.lookup(account);
    return { amount, proof };
  } catch (e) {
    if (e instanceof NotInTreeError) return null;
    throw e;
  }
}
