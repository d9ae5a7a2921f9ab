/**
 * `emissions tree` (CSV/JSON of cumulative amounts → tree directory), apart from the other
 * commands so that its task loads only what it runs: the input reader, the tree builder and its
 * output writer (no ethers, no contract types, no schemas); the previous epoch's reader is
 * loaded only for `--previous`.
 */
import { buildRewardTreeFromColumns } from "../merkle/build/index.js";
import { writeTreeOutput } from "../merkle/output.js";
import { PROOF_THREAD_MIN, ProofThread, wantsProofThread } from "../merkle/proof-thread.js";
import type { RewardTree } from "../merkle/tree.js";
import type { RootInfo } from "../merkle/types.js";
import { readAmountColumns, type AmountColumns } from "./input.js";
import { Steps } from "../core/progress.js";
import { parseWeiStrict } from "../core/amounts.js";
import { InputError } from "../core/errors.js";
import { checkOutputDir } from "../core/fs.js";
import { stat } from "node:fs/promises";

/** `emissions tree`; `steps` reports progress (one line a step that takes over a second). */
export async function treeFromFile(
  o: { input: string; out: string; previous?: string; budget?: string; force?: boolean },
  steps: Steps = new Steps({ write: () => undefined }),
): Promise<RootInfo> {
  await checkOutputDir(o.out, o.force ?? false);
  const budget = o.budget === undefined ? undefined : parseBudget(o.budget);
  // a large input: the thread that will write the proof files starts now, while the input is read
  const thread = (await inputSize(o.input)) >= PROOF_THREAD_MIN * CSV_ROW ? ProofThread.start() : undefined;
  try {
    // columns, accounts as written: the tree checks their checksums and duplicates, naming the
    // entry, and shows the amounts' text as the file has it (the reader takes canonical text only)
    const rows = await steps.run("reading input", () => readAmountColumns(o.input), (r) => `${r.count.toLocaleString("en-US")} accounts`);
    const tree = await steps.run("hashing", () => buildRewardTreeFromColumns(rows, { where: o.input, proofs: false }));
    if (o.previous) {
      const { loadPreviousAmounts } = await import("./epoch.js");
      checkNoDecrease(o.input, rows, tree, await loadPreviousAmounts(o.previous));
    }
    if (budget !== undefined && tree.total > budget) throw new InputError(`${o.input}: total ${tree.total} exceeds the budget ${budget}`);
    return await writeTreeOutput(o.out, tree, {}, steps, { thread: thread ?? wantsProofThread(tree.count) });
  } finally {
    await thread?.close();
  }
}

/** Bytes of a plain CSV row (`0x` + 40 hex digits, a comma, ~24 digits, a line break). */
const CSV_ROW = 68;

/** The input's size in bytes (0 if it cannot be read: reading it says why). */
async function inputSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

function parseBudget(text: string): bigint {
  try {
    return parseWeiStrict(text);
  } catch (e) {
    throw new InputError(`--budget: ${(e as Error).message}`);
  }
}

/** Every account of the previous tree is still there, with no less. */
function checkNoDecrease(input: string, rows: AmountColumns, tree: RewardTree, prev: Map<string, bigint>): void {
  const now = new Map(tree.accounts.map((account, i) => [account, i]));
  for (const [account, amount] of prev) {
    const i = now.get(account);
    if (i === undefined) throw new InputError(`${input}: ${account} is missing (it had ${amount} last epoch)`);
    const has = tree.amount(i);
    if (has < amount) throw new InputError(`${input}: ${rows.where(i)}: ${account} has ${has}, lower than last epoch's ${amount}`);
  }
}
