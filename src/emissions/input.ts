/**
 * Outside input of the operator tools: CSV or JSON files of `account, amount` rows (cumulative
 * amounts for `emissions tree`, balances for `emissions build --balances`). Every row is checked;
 * an error names the file and the line (CSV) or the entry (JSON), and nothing is written.
 *
 * CSV (RFC 4180): one `account,amount` record per line, an optional header record
 * `account,<name>`, amounts as integers in wei. Fields may be quoted (`"0x…","1000"`), a quoted
 * field may hold commas, line breaks and doubled quotes (`""`), lines may end in CRLF or LF.
 * Blank lines and lines starting with `#` are skipped. JSON: an array of
 * `{ "account": "0x…", "amount": "123" }` or an object `{ "0x…": "123" }`; amounts as decimal
 * strings (numbers are refused: they lose precision). A file without any row is refused.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseWeiStrict, UINT } from "../core/amounts.js";
import { checksummedAddress, HEX_ADDRESS } from "../core/validate.js";
import { InputError, messageOf } from "../core/errors.js";
import { nonEmpty } from "../core/fs.js";

export interface AmountRow {
  account: string; // checksummed
  amount: bigint;
  /** "line 3" or "entry 2" — where the row came from. */
  where: string;
}

/** How accounts are read: checksummed (default), or `raw`: checked to be 20-byte hex only, kept as written. */
export interface ReadOptions {
  raw?: boolean;
}

function parseAccount(text: string, where: string, o: ReadOptions = {}): string {
  if (o.raw) {
    const t = text.trim();
    if (!HEX_ADDRESS.test(t)) throw new InputError(`${where}: "${t}" is not a 20-byte hex address`);
    return t;
  }
  try {
    return checksummedAddress(text.trim());
  } catch (e) {
    throw new InputError(`${where}: ${(e as Error).message}`);
  }
}

function parseAmount(text: string, where: string): bigint {
  const t = text.trim();
  if (t.length < 78 && UINT.test(t)) return BigInt(t); // the common case: below 10^77, within uint256
  // The two mistakes people make most get their own words; everything else is parseWeiStrict's.
  if (/^-/.test(t)) throw new InputError(`${where}: amount "${t}" is negative`);
  if (/^\d+\.\d*$/.test(t) || /^\d*\.\d+$/.test(t)) throw new InputError(`${where}: amount "${t}" is fractional (amounts are integers in wei)`);
  try {
    return parseWeiStrict(t);
  } catch (e) {
    throw new InputError(`${where}: amount ${messageOf(e)}`, { cause: e });
  }
}

/** One CSV record: its fields, and the line it starts on (1-based). */
export interface CsvRecord {
  line: number;
  fields: string[];
  /** Whether the record is a blank line or a `#` comment (skipped by the readers). */
  skip: boolean;
}

/**
 * Splits CSV text into records as RFC 4180 defines them: fields separated by commas, records by
 * CRLF or LF; a field in double quotes may contain commas, line breaks and `""` (one quote).
 * Refused, naming the file and line: an unterminated quoted field, text after a closing quote,
 * and a quote inside an unquoted field. Blank lines and lines whose first character is `#` are
 * marked `skip`.
 */
export function parseCsvRecords(text: string, file: string): CsvRecord[] {
  return [...csvRecords(text, file)];
}

/** The records of {@link parseCsvRecords}, one at a time (a large file's records are never all in memory). */
export function* csvRecords(text: string, file: string): Generator<CsvRecord> {
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const start = line;
    // a blank line, or a comment: up to the end of the line
    const eol = text.indexOf("\n", i);
    const rawLine = text.slice(i, eol === -1 ? n : eol).replace(/\r$/, "");
    if (rawLine.trim() === "" || rawLine.startsWith("#")) {
      yield { line: start, fields: [rawLine], skip: true };
      i = eol === -1 ? n : eol + 1;
      line++;
      continue;
    }
    const fields: string[] = [];
    for (;;) {
      let field = "";
      // spaces around a quoted field are tolerated (`0x…, "10"`)
      let j = i;
      while (text[j] === " " || text[j] === "\t") j++;
      if (text[j] === '"') i = j;
      if (text[i] === '"') {
        const opened = line;
        i++;
        for (;;) {
          if (i >= n) throw new InputError(`${file}:${opened}: unterminated quoted field (the quote opened on line ${opened} is never closed)`);
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === "\n") line++;
          field += c;
          i++;
        }
        while (text[i] === " " || text[i] === "\t") i++;
        const next = text[i];
        if (next !== undefined && next !== "," && next !== "\n" && !(next === "\r" && text[i + 1] === "\n")) {
          throw new InputError(`${file}:${line}: unexpected text after a closing quote (a quote inside a quoted field is written "")`);
        }
      } else {
        const from = i;
        for (let c = text.charCodeAt(i); i < n && c !== 44 && c !== 10 && !(c === 13 && text[i + 1] === "\n"); c = text.charCodeAt(++i)) {
          if (c === 34) throw new InputError(`${file}:${line}: a quote inside an unquoted field (quote the whole field, and double the quote)`);
        }
        field = text.slice(from, i);
      }
      fields.push(field);
      if (i < n && text[i] === ",") {
        i++;
        continue;
      }
      // end of record: CRLF, LF or the end of the text
      if (text[i] === "\r") i++;
      if (text[i] === "\n") {
        i++;
        line++;
      }
      break;
    }
    yield { line: start, fields, skip: false };
  }
}

/** Parses CSV text (RFC 4180, see {@link parseCsvRecords}); `file` names the source in errors. */
export function parseAmountsCsv(text: string, file: string, o: ReadOptions = {}): AmountRow[] {
  const rows: AmountRow[] = [];
  let first = true;
  for (const r of csvRecords(text, file)) {
    if (r.skip) continue;
    const where = `${file}:${r.line}`;
    const cells = r.fields;
    if (cells.length !== 2) throw new InputError(`${where}: expected 2 columns "account,amount", found ${cells.length}`);
    const header = first && /^account$/i.test(cells[0]!.trim());
    first = false;
    if (header) continue;
    rows.push({ account: parseAccount(cells[0]!, where, o), amount: parseAmount(cells[1]!, where), where: `line ${r.line}` });
  }
  return rows;
}

/** Parses JSON text; `file` names the source in errors. */
export function parseAmountsJson(text: string, file: string, o: ReadOptions = {}): AmountRow[] {
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
      const entry = e as Record<string, unknown>;
      if (typeof entry.account !== "string") throw new InputError(`${where}: "account" missing or not a string`);
      rows.push({ account: parseAccount(entry.account, where, o), amount: amountOf(entry.amount, where), where: `entry ${i}` });
    });
  } else if (typeof data === "object" && data !== null) {
    Object.entries(data as Record<string, unknown>).forEach(([k, v], i) => {
      const where = `${file}: entry ${i} ("${k}")`;
      rows.push({ account: parseAccount(k, where, o), amount: amountOf(v, where), where: `entry ${i}` });
    });
  } else {
    throw new InputError(`${file}: expected an array or an object of amounts`);
  }
  return rows;
}

/**
 * Reads a CSV or JSON amounts file (by extension), refusing duplicate accounts. With `raw`,
 * accounts are kept as written and neither their EIP-55 checksums nor duplicates are checked:
 * for a caller that builds a reward tree from them, which checks both (fast).
 */
export async function readAmountsFile(file: string, o: ReadOptions = {}): Promise<AmountRow[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new InputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const ext = path.extname(file).toLowerCase();
  if (ext !== ".json" && ext !== ".csv") throw new InputError(`${file}: unknown format "${ext}" (expected .csv or .json)`);
  nonEmpty(text, file);
  const rows = ext === ".json" ? parseAmountsJson(text, file, o) : parseAmountsCsv(text, file, o);
  if (rows.length === 0) throw new InputError(`${file}: no rows: the file holds no account and amount (only a header, comments or an empty list)`);
  if (o.raw) return rows;
  const seen = new Map<string, string>();
  for (const r of rows) {
    const first = seen.get(r.account);
    if (first) throw new InputError(`${file}: ${r.where}: duplicate account ${r.account} (first at ${first})`);
    seen.set(r.account, r.where);
  }
  return rows;
}
