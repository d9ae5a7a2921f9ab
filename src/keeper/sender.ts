/**
 * Sends one transaction so that it can never be executed twice, whatever the node does with it.
 *
 * The transaction takes the account's next nonce as the chain has it (`latest`), never a count of
 * its own: a nonce the keeper skipped, or one it used for a transaction the node dropped, is
 * filled rather than left as a gap. Every later attempt for the same action reuses that nonce, so
 * at most one of them can be mined:
 * - it waits for a receipt of any of its attempts, polling, for `receiptTimeoutMs`;
 * - on no receipt it sends again with the same nonce and fees raised by 25% (a replacement the
 *   node accepts, and a rebroadcast when the node had dropped it), up to `attempts` times;
 * - when the account's nonce moves past it without a receipt of its own, another transaction of
 *   the same key took the nonce: the action was not executed (`replaced`);
 * - an unreachable node while sending or waiting counts as no receipt yet: the attempt may have
 *   gone out, and the nonce guards against a second one.
 */
import type { Provider, Signer, TransactionReceipt } from "ethers";
import { isUnreachable, revertData } from "../core/revert.js";
import { messageOf } from "../core/errors.js";

export interface SendRequest {
  to: string;
  data: string;
  gasLimit: bigint;
}

export type SendOutcome =
  | { status: "mined"; hash: string; receipt: TransactionReceipt; attempts: number }
  | { status: "reverted"; hash: string; receipt: TransactionReceipt; attempts: number }
  | { status: "replaced"; nonce: number; attempts: number }
  | { status: "dropped"; nonce: number; attempts: number; reason: string };

export interface SenderOptions {
  /** How long to wait for a receipt before sending again (default 30 s). */
  receiptTimeoutMs?: number;
  /** Between receipt polls (default 250 ms). */
  pollMs?: number;
  /** Attempts with the same nonce before giving up (default 4). */
  attempts?: number;
  /** Notes for the log (a resend, a replacement). */
  note?: (line: string) => void;
  /** Test hook: the time source and sleep. */
  sleep?: (ms: number) => Promise<void>;
}

const ALREADY_SENT = /already known|known transaction|replacement (transaction )?underpriced|already imported/i;
const NONCE_USED = /nonce too low|nonce has already been used|NONCE_EXPIRED|nonce.*lower than/i;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class TxSender {
  readonly #o: Required<Omit<SenderOptions, "note">> & Pick<SenderOptions, "note">;

  constructor(
    readonly signer: Signer,
    readonly provider: Provider,
    o: SenderOptions = {},
  ) {
    this.#o = { receiptTimeoutMs: o.receiptTimeoutMs ?? 30_000, pollMs: o.pollMs ?? 250, attempts: o.attempts ?? 4, sleep: o.sleep ?? sleep, note: o.note };
  }

  /** Sends `req` (see the module comment). Throws only when the node refuses it outright (not a network fault). */
  async send(req: SendRequest): Promise<SendOutcome> {
    const from = await this.signer.getAddress();
    const nonce = await this.provider.getTransactionCount(from, "latest");
    const fee = await this.provider.getFeeData();
    let maxFee = fee.maxFeePerGas ?? fee.gasPrice ?? 1n;
    let tip = fee.maxPriorityFeePerGas ?? maxFee;
    const hashes: string[] = [];
    let lastFault = "";
    for (let attempt = 1; attempt <= this.#o.attempts; attempt++) {
      try {
        const tx = await this.signer.sendTransaction({ to: req.to, data: req.data, gasLimit: req.gasLimit, nonce, maxFeePerGas: maxFee, maxPriorityFeePerGas: tip });
        hashes.push(tx.hash);
      } catch (e) {
        const text = messageOf(e);
        if (NONCE_USED.test(text)) {
          const mined = await this.#receiptOf(hashes);
          if (mined) return this.#outcome(mined, attempt);
          return { status: "replaced", nonce, attempts: attempt };
        }
        if (revertData(e) !== undefined) {
          // a development node mining at once answers a reverted transaction with its revert: it was mined all the same
          const mined = (await this.#receiptOf(hashes)) ?? (await this.#findByNonce(from, nonce));
          if (mined) return this.#outcome(mined, attempt);
          throw e;
        }
        if (!ALREADY_SENT.test(text) && !isUnreachable(e)) throw e;
        lastFault = isUnreachable(e) ? "the node was unreachable" : text;
      }
      const receipt = await this.#wait(hashes, from, nonce);
      if (receipt === "replaced") return { status: "replaced", nonce, attempts: attempt };
      if (receipt) return this.#outcome(receipt, attempt);
      if (attempt < this.#o.attempts) {
        maxFee = (maxFee * 5n) / 4n + 1n;
        tip = (tip * 5n) / 4n + 1n;
        this.#o.note?.(`not mined after ${this.#o.receiptTimeoutMs / 1000} s: sending again with nonce ${nonce} and fees +25% (attempt ${attempt + 1} of ${this.#o.attempts})`);
      }
    }
    return { status: "dropped", nonce, attempts: this.#o.attempts, reason: `not mined after ${this.#o.attempts} attempts${lastFault ? ` (${lastFault})` : ""}` };
  }

  #outcome(receipt: TransactionReceipt, attempts: number): SendOutcome {
    return { status: receipt.status === 1 ? "mined" : "reverted", hash: receipt.hash, receipt, attempts };
  }

  /** The receipt of `from`'s transaction with `nonce` among the newest blocks, once the chain's nonce has passed it. */
  async #findByNonce(from: string, nonce: number, depth = 8): Promise<TransactionReceipt | null> {
    if ((await this.provider.getTransactionCount(from, "latest")) <= nonce) return null;
    const head = await this.provider.getBlockNumber();
    for (let b = head; b >= Math.max(0, head - depth); b--) {
      const block = await this.provider.getBlock(b, true);
      const tx = block?.prefetchedTransactions.find((t) => t.from.toLowerCase() === from.toLowerCase() && t.nonce === nonce);
      if (tx) return this.provider.getTransactionReceipt(tx.hash);
    }
    return null;
  }

  async #receiptOf(hashes: readonly string[]): Promise<TransactionReceipt | null> {
    for (const h of hashes) {
      const r = await this.provider.getTransactionReceipt(h);
      if (r) return r;
    }
    return null;
  }

  /** A receipt of one of `hashes`; "replaced" when the nonce was taken by another; null at the timeout. */
  async #wait(hashes: readonly string[], from: string, nonce: number): Promise<TransactionReceipt | "replaced" | null> {
    const deadline = Date.now() + this.#o.receiptTimeoutMs;
    for (;;) {
      try {
        const r = await this.#receiptOf(hashes);
        if (r) return r;
        if ((await this.provider.getTransactionCount(from, "latest")) > nonce) {
          return (await this.#receiptOf(hashes)) ?? "replaced";
        }
      } catch (e) {
        if (!isUnreachable(e)) throw e;
      }
      if (Date.now() >= deadline) return null;
      await this.#o.sleep(this.#o.pollMs);
    }
  }
}
