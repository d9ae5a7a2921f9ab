/**
 * Outside input of the operator tools: CSV or JSON files of `account, amount` rows (cumulative
 * amounts for `emissions tree`, balances for `emissions build --balances`). Every row is checked;
 * an error names the file and the line (CSV) or the entry (JSON), and nothing is written.
 *
 * CSV: one `account,amount` per line, an optional header line `account,<name>`, amounts as
 * integers in wei. JSON: an array of `{ "account": "0x…", "amount": "123" }` or an object
 * `{ "0x…": "123" }`; amounts as decimal strings (numbers are refused: they lose precision).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseWeiStrict } from "../core/amounts.js";
import { checksummedAddress } from "../core/validate.js";
import { InputError, messageOf } from "../core/errors.js";
import { nonEmpty } from "../core/fs.js";

export interface AmountRow {
  account: string; // checksummed
  amount: bigint;
  /** "line 3" or "entry 2" — where the row came from. */
  where: string;
}

function parseAccount(text: string, where: string): string {
  try {
    return checksummedAddress(text.trim());
  } catch (e) {
    throw new InputError(`${where}: ${(e as Error).message}`);
  }
}

function parseAmount(text: string, where: string): bigint {
  const t = text.trim();
  // The two mistakes people make most get their own words; everything else is parseWeiStrict's.
  if (/^-/.test(t)) throw new InputError(`${where}: amount "${t}" is negative`);
  if (/^\d+\.\d*$/.test(t) || /^\d*\.\d+$/.test(t)) throw new InputError(`${where}: amount "${t}" is fractional (amounts are integers in wei)`);
  try {
    return parseWeiStrict(t);
  } catch (e) {
    throw new InputError(`${where}: amount ${messageOf(e)}`, { cause: e });
  }
}

/** Parses CSV text; `file` names the source in errors. */
export function parseAmountsCsv(text: string, file: string): AmountRow[] {
  const rows: AmountRow[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const where = `${file}:${i + 1}`;
    if (line === "" || line.startsWith("#")) return;
    const cells = line.split(",");
    if (cells.length !== 2) throw new InputError(`${where}: expected 2 columns "account,amount", found ${cells.length}`);
    if (rows.length === 0 && i === lines.findIndex((l) => l.trim() !== "") && /^account$/i.test(cells[0]!.trim())) return;
    rows.push({ account: parseAccount(cells[0]!, where), amount: parseAmount(cells[1]!, where), where: `line ${i + 1}` });
  });
  return rows;
}

/** Parses JSON text; `file` names the source in errors. */
export function parseAmountsJson(text: string, file: string): AmountRow[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const rows: AmountRow[] = [];
  const amountOf = (v: unknown, where: string) => {
    if (typeof v !== "string") throw new InputError(`${where}: amount must be a decimal string, got ${typeof v}`);
    return parseAmount(v, where);
  };
  if (Array.isArray(data)) {
    data.forEach((e, i) => {
      const where = `${file}: entry ${i}`;
      if (typeof e !== "object" || e === null) throw new InputError(`${where}: expected { "account", "amount" }`);
      const o = e as Record<string, unknown>;
      if (typeof o.account !== "string") throw new InputError(`${where}: "account" missing or not a string`);
      rows.push({ account: parseAccount(o.account, where), amount: amountOf(o.amount, where), where: `entry ${i}` });
    });
  } else if (typeof data === "object" && data !== null) {
    Object.entries(data as Record<string, unknown>).forEach(([k, v], i) => {
      const where = `${file}: entry ${i} ("${k}")`;
      rows.push({ account: parseAccount(k, where), amount: amountOf(v, where), where: `entry ${i}` });
    });
  } else {
    throw new InputError(`${file}: expected an array or an object of amounts`);
  }
  return rows;
}

/** Reads a CSV or JSON amounts file (by extension), refusing duplicate accounts. */
export async function readAmountsFile(file: string): Promise<AmountRow[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new InputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const ext = path.extname(file).toLowerCase();
  if (ext !== ".json" && ext !== ".csv") throw new InputError(`${file}: unknown format "${ext}" (expected .csv or .json)`);
  nonEmpty(text, file);
  const rows = ext === ".json" ? parseAmountsJson(text, file) : parseAmountsCsv(text, file);
  const seen = new Map<string, string>();
  for (const r of rows) {
    const first = seen.get(r.account);
    if (first) throw new InputError(`${file}: ${r.where}: duplicate account ${r.account} (first at ${first})`);
    seen.set(r.account, r.where);
  }
  return rows;
}
