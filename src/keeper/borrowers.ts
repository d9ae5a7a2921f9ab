/**
 * Who has borrowed, and in which markets each account may hold anything: every account a market's
 * `Borrow` event names is a borrower, and an account's markets are those where a `Deposit` (as
 * receiver), a `Seize` (as liquidator) or a `Borrow` named it (the only ways a market's shares or
 * debt reach an account), learnt from the chain's logs through the event reader the emissions use
 * (`pagedLogs`, `MARKET_EVENTS`), and kept in a checkpoint file so that a restarted keeper or
 * watcher reads only the blocks it has not seen. A scan then reads each borrower in its own
 * markets only.
 *
 * Blocks at least `confirmations` deep are read once and recorded in the checkpoint; the newer
 * ones (which a reorg may still change) are read again on every update and never recorded, so an
 * account that borrowed a block ago is watched at once and a reorged borrow is never remembered.
 * An account is never dropped: a repaid borrower costs one more read per scan, and may borrow again.
 *
 * Checkpoint format (version 1), written atomically:
 * `{ "version": 1, "chainId": 56, "controller": "0x…", "block": 123,
 * "borrows": { "0x<account>": ["0x<market>", …], … }, "supplies": { "0x<account>": ["0x<market>", …], … } }`:
 * the markets each account borrowed from (its keys are the borrowers, in the order first seen) and
 * supplied to (a deposit it received or a seize it made), `block` being the last confirmed block read.
 */
import { readFile } from "node:fs/promises";
import { getAddress, type Log, type Provider } from "ethers";
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
  borrows: z.record(z.string(), z.array(address)),
  supplies: z.record(z.string(), z.array(address)),
});
export type Checkpoint = z.output<typeof checkpointSchema>;

const BORROW_TOPIC = MARKET_EVENTS.getEvent("Borrow")!.topicHash;
const DEPOSIT_TOPIC = MARKET_EVENTS.getEvent("Deposit")!.topicHash;
const SEIZE_TOPIC = MARKET_EVENTS.getEvent("Seize")!.topicHash;

/** The markets each account borrowed from and supplied to (the borrowers are the keys of `borrows`). */
interface Seen {
  borrows: Map<string, Set<string>>;
  supplies: Map<string, Set<string>>;
}

/** Where an account may hold debt (`borrow`) and shares (`supply`). */
export interface AccountMarkets {
  supply: ReadonlySet<string>;
  borrow: ReadonlySet<string>;
}

const emptySeen = (): Seen => ({ borrows: new Map(), supplies: new Map() });

function add(map: Map<string, Set<string>>, account: string, market: string): void {
  let m = map.get(account);
  if (!m) map.set(account, (m = new Set()));
  m.add(market);
}

/** Adds what `logs` say to `seen`. */
function learn(seen: Seen, logs: readonly Log[]): void {
  const accountOf = (topic: string | undefined) => getAddress(`0x${(topic ?? "").slice(26)}`);
  for (const log of logs) {
    const topic = log.topics[0];
    const market = getAddress(log.address);
    if (topic === BORROW_TOPIC) add(seen.borrows, accountOf(log.topics[1]), market);
    else if (topic === DEPOSIT_TOPIC) add(seen.supplies, accountOf(log.topics[2]), market);
    else add(seen.supplies, accountOf(log.topics[1]), market); // Seize: the liquidator's new shares
  }
}

const toMap = (r: Record<string, string[]> | undefined) => new Map(Object.entries(r ?? {}).map(([a, ms]) => [getAddress(a), new Set(ms)]));
const toRecord = (m: Map<string, Set<string>>) => Object.fromEntries([...m].map(([a, ms]) => [a, [...ms]]));
const union = (a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): ReadonlySet<string> =>
  a && b ? new Set([...a, ...b]) : (a ?? b ?? new Set());

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
  #confirmed: Seen;
  #recent: Seen = emptySeen();
  #block: number;

  private constructor(private readonly o: BookOptions, start: Checkpoint | undefined) {
    this.#confirmed = { borrows: toMap(start?.borrows), supplies: toMap(start?.supplies) };
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
    return [...new Set([...this.#confirmed.borrows.keys(), ...this.#recent.borrows.keys()])];
  }

  /** The markets where `account` may hold debt and shares (where an event named it). */
  marketsOf(account: string): AccountMarkets {
    return {
      borrow: union(this.#confirmed.borrows.get(account), this.#recent.borrows.get(account)),
      supply: union(this.#confirmed.supplies.get(account), this.#recent.supplies.get(account)),
    };
  }

  /**
   * Reads the `Borrow` logs of `markets` up to `head`: the confirmed blocks not yet read (then
   * saves the checkpoint), and the unconfirmed ones again. Returns how many accounts are new.
   */
  async update(provider: Provider, markets: readonly string[], head: number): Promise<number> {
    const before = this.accounts().length;
    const confirmedTo = head - this.o.confirmations;
    const filter = { address: [...markets], topics: [[BORROW_TOPIC, DEPOSIT_TOPIC, SEIZE_TOPIC]] };
    const opts = { fromBlock: 0, pageSize: this.o.pageSize };
    if (confirmedTo > this.#block) {
      learn(this.#confirmed, await pagedLogs(provider, filter, this.#block + 1, confirmedTo, opts));
      this.#block = confirmedTo;
      await this.save();
    }
    const recent = emptySeen();
    if (head > this.#block) learn(recent, await pagedLogs(provider, filter, this.#block + 1, head, opts));
    this.#recent = recent;
    return this.accounts().length - before;
  }

  private async save(): Promise<void> {
    if (!this.o.file) return;
    const c: Checkpoint = {
      version: 1,
      chainId: this.o.chainId,
      controller: getAddress(this.o.controller),
      block: this.#block,
      borrows: toRecord(this.#confirmed.borrows),
      supplies: toRecord(this.#confirmed.supplies),
    };
    await writeFileAtomic(this.o.file, toJson(c));
  }
}
