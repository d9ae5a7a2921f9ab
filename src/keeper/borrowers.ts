/**
 * Who has borrowed: every account a market's `Borrow` event names, learnt from the chain's logs
 * through the event reader the emissions use (`pagedLogs`, `MARKET_EVENTS`), and kept in a
 * checkpoint file so that a restarted keeper or watcher reads only the blocks it has not seen.
 *
 * Blocks at least `confirmations` deep are read once and recorded in the checkpoint; the newer
 * ones (which a reorg may still change) are read again on every update and never recorded, so an
 * account that borrowed a block ago is watched at once and a reorged borrow is never remembered.
 * An account is never dropped: a repaid borrower costs one more read per scan, and may borrow again.
 *
 * Checkpoint format (version 1), written atomically:
 * `{ "version": 1, "chainId": 56, "controller": "0x…", "block": 123, "borrowers": ["0x…", …] }`,
 * `block` being the last confirmed block read.
 */
import { readFile } from "node:fs/promises";
import { getAddress, type Provider } from "ethers";
import { z } from "zod";
import { address } from "../core/schemas.js";
import { toJson, writeFileAtomic } from "../core/fs.js";
import { parseWith } from "../core/validate.js";
import { InputError } from "../core/errors.js";
import { MARKET_EVENTS, pagedLogs } from "../emissions/events.js";

const checkpointSchema = z.object({
  version: z.literal(1),
  chainId: z.number().int().positive(),
  controller: address,
  block: z.number().int().nonnegative(),
  borrowers: z.array(address),
});
export type Checkpoint = z.output<typeof checkpointSchema>;

const BORROW_TOPIC = MARKET_EVENTS.getEvent("Borrow")!.topicHash;

export interface BookOptions {
  /** The checkpoint file; `undefined`: kept in memory only. */
  file?: string;
  chainId: number;
  controller: string;
  /** The first block to read when there is no checkpoint (the deployment's block). */
  fromBlock: number;
  confirmations: number;
  /** Blocks per getLogs query. */
  pageSize?: number;
}

/**
 * A checkpoint file (the keeper's, the watcher's) read through `schema`; `undefined` when there is
 * none yet. A file that cannot be read, is not JSON or does not fit is an InputError naming it
 * (`what`), with `fresh` saying how to start over.
 */
export async function readCheckpoint<S extends z.ZodType>(file: string, schema: S, what: string, fresh: string): Promise<z.output<S> | undefined> {
  const text = await readFile(file, "utf8").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return undefined;
    throw new InputError(`${file}: cannot read ${what} (${e.message})`);
  });
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not JSON (${(e as Error).message}); ${fresh}`);
  }
  return parseWith(schema, json, file);
}

/** The borrowers of one deployment, as far as the logs have been read. */
export class BorrowerBook {
  #confirmed: Set<string>;
  #recent = new Set<string>();
  #block: number;

  private constructor(private readonly o: BookOptions, start: Checkpoint | undefined) {
    this.#confirmed = new Set(start?.borrowers ?? []);
    this.#block = start?.block ?? o.fromBlock - 1;
  }

  /** Opens the book at its checkpoint (refusing one of another chain or controller), or empty. */
  static async open(o: BookOptions): Promise<BorrowerBook> {
    const start = o.file ? await readCheckpoint(o.file, checkpointSchema, "the checkpoint", "delete it to read the borrowers again from the deployment block") : undefined;
    if (start && (start.chainId !== o.chainId || getAddress(start.controller) !== getAddress(o.controller))) {
      throw new InputError(`${o.file}: the checkpoint is for controller ${start.controller} on chain ${start.chainId}, not ${getAddress(o.controller)} on chain ${o.chainId}; give another --checkpoint`);
    }
    return new BorrowerBook(o, start);
  }

  /** The last confirmed block read. */
  get block(): number {
    return this.#block;
  }

  /** Every borrower known, confirmed or recent, in the order first seen. */
  accounts(): string[] {
    return [...new Set([...this.#confirmed, ...this.#recent])];
  }

  /**
   * Reads the `Borrow` logs of `markets` up to `head`: the confirmed blocks not yet read (then
   * saves the checkpoint), and the unconfirmed ones again. Returns how many accounts are new.
   */
  async update(provider: Provider, markets: readonly string[], head: number): Promise<number> {
    const before = this.accounts().length;
    const confirmedTo = head - this.o.confirmations;
    const filter = { address: [...markets], topics: [[BORROW_TOPIC]] };
    const opts = { fromBlock: 0, pageSize: this.o.pageSize };
    const accountOf = (topic: string | undefined) => getAddress(`0x${(topic ?? "").slice(26)}`);
    if (confirmedTo > this.#block) {
      const logs = await pagedLogs(provider, filter, this.#block + 1, confirmedTo, opts);
      for (const log of logs) this.#confirmed.add(accountOf(log.topics[1]));
      this.#block = confirmedTo;
      await this.save();
    }
    const recent = new Set<string>();
    if (head > this.#block) {
      for (const log of await pagedLogs(provider, filter, this.#block + 1, head, opts)) recent.add(accountOf(log.topics[1]));
    }
    this.#recent = recent;
    return this.accounts().length - before;
  }

  private async save(): Promise<void> {
    if (!this.o.file) return;
    const c: Checkpoint = { version: 1, chainId: this.o.chainId, controller: getAddress(this.o.controller), block: this.#block, borrowers: [...this.#confirmed] };
    await writeFileAtomic(this.o.file, toJson(c));
  }
}
