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
import { open, readFile } from "node:fs/promises";
import path from "node:path";
import { parseWeiStrict, UINT } from "../core/amounts.js";
import { checksummedAddress, HEX_ADDRESS } from "../core/validate.js";
import { InputError, messageOf } from "../core/errors.js";
import { nonEmpty } from "../core/fs.js";
import { sharedUint32 } from "../merkle/proof-json.js";
import type { DecimalText, EntryColumns } from "../merkle/types.js";

export interface AmountRow {
  account: string; // checksummed
  amount: bigint;
  /** "line 3" or "entry 2" — where the row came from. */
  where: string;
}

/** A row of a CSV line: `where` is made when asked for (a million rows need no million strings). */
class LineRow implements AmountRow {
  constructor(
    public account: string,
    public amount: bigint,
    private readonly line: number,
  ) {}
  get where(): string {
    return `line ${this.line}`;
  }
}

/**
 * Where the CSV readers put the rows they read: row objects ({@link RowList}) or columns
 * ({@link ColumnWriter}).
 */
interface RowSink {
  /** A plain record (see {@link plainRecordEnd}) on `line`: its account is `buf[i .. i+42)`, its amount's digits `buf[i+43 .. end)`. */
  plain(buf: Buffer, i: number, end: number, line: number): void;
  /** Any other row, checked (the account as `ReadOptions` say). */
  add(account: string, amount: bigint, line: number): void;
}

/** Rows as objects (`AmountRow`). */
class RowList implements RowSink {
  readonly rows: AmountRow[] = [];
  constructor(
    private readonly file: string,
    private readonly o: ReadOptions,
  ) {}
  plain(buf: Buffer, i: number, end: number, line: number): void {
    const account = buf.toString("latin1", i, i + 42);
    const amount = BigInt(buf.toString("latin1", i + 43, end));
    this.rows.push(new LineRow(this.o.raw ? account : parseAccount(account, `${this.file}:${line}`, this.o), amount, line));
  }
  add(account: string, amount: bigint, line: number): void {
    this.rows.push(new LineRow(account, amount, line));
  }
}

/**
 * The rows of an amounts file as columns, what `emissions tree` builds its tree from (no object,
 * string or bigint per row, nothing copied): accounts as written (`raw`: 20-byte hex, neither
 * checksums nor duplicates checked: the tree checks both) and amounts as their canonical decimal
 * text (the readers accept no other: no sign, no leading zero), both where they are in the file's
 * bytes, read into shared memory (a proof thread reads the amounts' text); a row the RFC 4180
 * reader read (quoted, spaced…) has its text appended after the file's.
 */
export class AmountColumns implements EntryColumns {
  constructor(
    readonly count: number,
    /** The file's bytes and the appended text. */
    readonly text: Uint8Array,
    /** Row i's account: `text[accountAt[i] .. accountAt[i]+42)` (ASCII). */
    readonly accountAt: Uint32Array,
    readonly digits: DecimalText,
    /** Row i's line (CSV), or none (JSON: row i is entry i). */
    private readonly lines: Uint32Array | undefined,
  ) {}

  /** Where row i came from, as `AmountRow.where` says it ("line 3" or "entry 2"). */
  where(i: number): string {
    return this.lines ? `line ${this.lines[i]}` : `entry ${i}`;
  }

  /** Row i's account. */
  account(i: number): string {
    return Buffer.from(this.text.buffer, this.text.byteOffset + this.accountAt[i]!, 42).toString("latin1");
  }

  /** Row i's amount. */
  amount(i: number): bigint {
    const { bytes, from, to } = this.digits;
    return BigInt(Buffer.from(bytes.buffer, bytes.byteOffset + from[i]!, to[i]! - from[i]!).toString("latin1"));
  }
}

/** Writes rows into columns (raw accounts), growing them when needed. */
class ColumnWriter implements RowSink {
  private count = 0;
  private accountAt: Uint32Array;
  private from: Uint32Array;
  private to: Uint32Array;
  private lines: Uint32Array;

  /**
   * `text`: shared bytes whose first `tail` are the file's (a plain row's offsets are the file's),
   * the rest room for rows' text; `rows`: how many rows to make room for at first.
   */
  constructor(
    private text: Uint8Array,
    private tail: number,
    rows: number,
  ) {
    this.accountAt = new Uint32Array(rows);
    this.from = sharedUint32(rows);
    this.to = sharedUint32(rows);
    this.lines = new Uint32Array(rows);
  }

  plain(_buf: Buffer, i: number, end: number, line: number): void {
    const k = this.count;
    if (k === this.lines.length) this.growRows();
    this.accountAt[k] = i;
    this.from[k] = i + 43;
    this.to[k] = end;
    this.lines[k] = line;
    this.count = k + 1;
  }

  add(account: string, amount: bigint, line: number): void {
    const digits = amount.toString();
    const k = this.count;
    if (k === this.lines.length) this.growRows();
    if (this.tail + 42 + digits.length > this.text.length) this.growText(42 + digits.length);
    const t = Buffer.from(this.text.buffer, this.text.byteOffset, this.text.length);
    this.accountAt[k] = this.tail;
    this.tail += t.write(account, this.tail, "latin1");
    this.from[k] = this.tail;
    this.tail += t.write(digits, this.tail, "latin1");
    this.to[k] = this.tail;
    this.lines[k] = line;
    this.count = k + 1;
  }

  /** The columns; `lines`: whether rows are CSV lines (else JSON entries). */
  finish(lines: boolean): AmountColumns {
    const n = this.count;
    const digits = { bytes: this.text, from: this.from.subarray(0, n), to: this.to.subarray(0, n) };
    return new AmountColumns(n, this.text, this.accountAt.subarray(0, n), digits, lines ? this.lines.subarray(0, n) : undefined);
  }

  private growRows(): void {
    const rows = 2 * this.lines.length + 1;
    const grown = (a: Uint32Array, make: (n: number) => Uint32Array): Uint32Array => {
      const b = make(rows);
      b.set(a);
      return b;
    };
    this.accountAt = grown(this.accountAt, (n) => new Uint32Array(n));
    this.from = grown(this.from, sharedUint32);
    this.to = grown(this.to, sharedUint32);
    this.lines = grown(this.lines, (n) => new Uint32Array(n));
  }

  /** Room for `bytes` more bytes of text (and as many again as there are). */
  private growText(bytes: number): void {
    const text = sharedBytes(2 * this.text.length + bytes);
    text.set(this.text);
    this.text = text;
  }
}

/** `n` zero bytes in shared memory. */
function sharedBytes(n: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(n));
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
export function csvRecords(text: string, file: string): Generator<CsvRecord> {
  return recordsFrom(text, file, 0, 1);
}

/** A record and where the next one starts: its offset in the text and its line. */
interface PlacedRecord extends CsvRecord {
  end: number;
  nextLine: number;
}

/** The records of `text` from offset `i` (the start of a record, on line `line`). */
function* recordsFrom(text: string, file: string, i: number, line: number): Generator<PlacedRecord> {
  const n = text.length;
  while (i < n) {
    const start = line;
    // a blank line, or a comment: up to the end of the line
    const eol = text.indexOf("\n", i);
    const rawLine = text.slice(i, eol === -1 ? n : eol).replace(/\r$/, "");
    if (rawLine.trim() === "" || rawLine.startsWith("#")) {
      i = eol === -1 ? n : eol + 1;
      line++;
      yield { line: start, fields: [rawLine], skip: true, end: i, nextLine: line };
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
    yield { line: start, fields, skip: false, end: i, nextLine: line };
  }
}

/** Parses CSV text (RFC 4180, see {@link parseCsvRecords}); `file` names the source in errors. */
export function parseAmountsCsv(text: string, file: string, o: ReadOptions = {}): AmountRow[] {
  const rows = new RowList(file, o);
  let first = true;
  for (const r of csvRecords(text, file)) first = addRecord(r, file, o, rows, first);
  return rows.rows;
}

/**
 * Adds the row of record `r` to `rows` (nothing for a blank line, a comment or the header);
 * `first`: no record has been read yet (only the first may be a header). Returns the new `first`.
 */
function addRecord(r: CsvRecord, file: string, o: ReadOptions, rows: RowSink, first: boolean): boolean {
  if (r.skip) return first;
  const where = `${file}:${r.line}`;
  const cells = r.fields;
  if (cells.length !== 2) throw new InputError(`${where}: expected 2 columns "account,amount", found ${cells.length}`);
  const header = first && /^account$/i.test(cells[0]!.trim());
  if (!header) rows.add(parseAccount(cells[0]!, where, o), parseAmount(cells[1]!, where), r.line);
  return false;
}

/** Bytes of text the byte reader hands to the RFC 4180 reader for one record (more if the record needs it). */
const WINDOW = 1 << 16;

/** Whether byte c is a hex digit. */
const HEX_BYTE = new Uint8Array(256);
for (const c of "0123456789abcdefABCDEF") HEX_BYTE[c.charCodeAt(0)] = 1;

/**
 * Where the plain record at `i` ends (the offset of its line break, or the end of `buf`), or -1
 * if it is not plain. Plain: `0x` and 40 hex digits, a comma, an amount of 1 to 77 digits without
 * a leading zero (what {@link parseAmount} takes as it is), then LF, CRLF or the end of the file:
 * nothing to unquote, trim or report, so that reading it from the bytes gives exactly the row
 * the RFC 4180 reader gives.
 */
function plainRecordEnd(buf: Uint8Array, i: number): number {
  const n = buf.length;
  if (i + 44 > n || buf[i] !== 48 || buf[i + 1] !== 120 || buf[i + 42] !== 44) return -1;
  for (let k = i + 2; k < i + 42; k++) if (HEX_BYTE[buf[k]!] === 0) return -1;
  const from = i + 43;
  let j = from;
  while (j < n && buf[j]! - 48 >>> 0 < 10) j++;
  if (j === from || j - from > 77 || (buf[from] === 48 && j - from > 1)) return -1;
  if (j === n || buf[j] === 10 || (buf[j] === 13 && buf[j + 1] === 10)) return j;
  return -1;
}

/** Whether `buf` holds an ASCII byte other than white space (then its text is not blank). */
function hasAsciiText(buf: Uint8Array): boolean {
  for (const c of buf) if (c < 0x80 && c !== 32 && (c < 9 || c > 13)) return true;
  return false;
}

/** Whether bytes [from, to) are all ASCII (then their offsets are the decoded text's too). */
function asciiBytes(buf: Uint8Array, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (buf[k]! >= 0x80) return false;
  return true;
}

/**
 * {@link parseAmountsCsv} of the UTF-8 text in `buf`, with the same rows and the same errors,
 * faster: plain records (see {@link plainRecordEnd}) and `#` comment lines are read straight from
 * the bytes; any other record goes through the RFC 4180 reader (on the decoded text, from that
 * record on), which hands back to the byte reader after it as long as everything read so far was
 * ASCII (byte offsets and text offsets then agree).
 */
export function parseAmountsCsvBytes(buf: Uint8Array, file: string, o: ReadOptions = {}): AmountRow[] {
  const rows = new RowList(file, o);
  scanCsvBytes(buf, file, o, rows);
  return rows.rows;
}

/**
 * The rows of {@link parseAmountsCsvBytes} with `raw` accounts, as columns: the same rows, the
 * same errors, without an object per row.
 */
export function parseAmountColumnsCsvBytes(buf: Uint8Array, file: string): AmountColumns {
  // rows point into the bytes: shared ones, from offset 0 (else a shared copy)
  let text: Uint8Array;
  if (buf.buffer instanceof SharedArrayBuffer && buf.byteOffset === 0) {
    text = new Uint8Array(buf.buffer);
  } else {
    text = sharedBytes(buf.length + SPARE);
    text.set(buf);
  }
  // a row takes at least 44 bytes (42 of account, a comma, a digit): room for all at once
  const columns = new ColumnWriter(text, buf.length, Math.floor(buf.length / 44) + 1);
  scanCsvBytes(text.subarray(0, buf.length), file, { raw: true }, columns);
  return columns.finish(true);
}

/** Room left after a file's bytes for the text of rows the RFC 4180 reader reads (more is made if needed). */
const SPARE = 1 << 12;

/** The byte reader of {@link parseAmountsCsvBytes}, putting rows into `rows`. */
function scanCsvBytes(buf: Uint8Array, file: string, o: ReadOptions, rows: RowSink): void {
  const n = buf.length;
  const bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let first = true;
  let line = 1;
  for (let i = 0; i < n; ) {
    const end = plainRecordEnd(buf, i);
    if (end >= 0) {
      rows.plain(bytes, i, end, line);
      first = false;
      i = end === n ? n : buf[end] === 13 ? end + 2 : end + 1;
      line++;
      continue;
    }
    if (buf[i] === 35) {
      const eol = buf.indexOf(10, i);
      const next = eol === -1 ? n : eol + 1;
      if (asciiBytes(buf, i, next)) {
        i = next;
        line++;
        continue;
      }
    }
    // anything else: the RFC 4180 reader on the text from here, for this record (for the rest of
    // the file once it is not ASCII); a record rarely spans WINDOW bytes: the text of a window
    // ending on a line break is enough unless the record runs past it (an unterminated quote)
    const eol = i + WINDOW < n ? buf.indexOf(10, i + WINDOW) : -1;
    const limit = eol === -1 ? n : eol + 1;
    let r: PlacedRecord;
    try {
      r = recordsFrom(bytes.toString("utf8", i, limit), file, 0, line).next().value!;
    } catch (e) {
      if (limit === n) throw e;
      r = recordsFrom(bytes.toString("utf8", i, n), file, 0, line).next().value!;
    }
    first = addRecord(r, file, o, rows, first);
    if (!asciiBytes(buf, i, i + r.end)) {
      for (const rest of recordsFrom(bytes.toString("utf8", i, n), file, r.end, r.nextLine)) first = addRecord(rest, file, o, rows, first);
      break;
    }
    i += r.end;
    line = r.nextLine;
  }
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
  const { bytes, json } = await readInput(file);
  const rows = json ? parseAmountsJson(bytes.toString("utf8"), file, o) : parseAmountsCsvBytes(bytes, file, o);
  checkSomeRows(rows.length, file);
  if (o.raw) return rows;
  const seen = new Map<string, string>();
  for (const r of rows) {
    const first = seen.get(r.account);
    if (first) throw new InputError(`${file}: ${r.where}: duplicate account ${r.account} (first at ${first})`);
    seen.set(r.account, r.where);
  }
  return rows;
}

/**
 * The rows of {@link readAmountsFile} with `raw` accounts, as columns (no object per row): the
 * same rows and the same errors, CSV or JSON.
 */
export async function readAmountColumns(file: string): Promise<AmountColumns> {
  const { bytes, json } = await readInput(file, SPARE);
  let columns: AmountColumns;
  if (json) {
    const rows = parseAmountsJson(bytes.toString("utf8"), file, { raw: true });
    const writer = new ColumnWriter(sharedBytes(68 * rows.length), 0, rows.length);
    rows.forEach((r, i) => writer.add(r.account, r.amount, i));
    columns = writer.finish(false);
  } else {
    columns = parseAmountColumnsCsvBytes(bytes, file);
  }
  checkSomeRows(columns.count, file);
  return columns;
}

/**
 * The bytes of an amounts file, and whether it is JSON (else CSV); refuses other extensions and a
 * blank file. With `spare`, the bytes are read into shared memory with that many bytes of room after them.
 */
async function readInput(file: string, spare?: number): Promise<{ bytes: Buffer; json: boolean }> {
  let bytes: Buffer;
  try {
    bytes = spare === undefined ? await readFile(file) : await readShared(file, spare);
  } catch (e) {
    throw new InputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const ext = path.extname(file).toLowerCase();
  if (ext !== ".json" && ext !== ".csv") throw new InputError(`${file}: unknown format "${ext}" (expected .csv or .json)`);
  // (blank is decided on the text unless an ASCII byte other than white space settles it)
  if (!hasAsciiText(bytes)) nonEmpty(bytes.toString("utf8"), file);
  return { bytes, json: ext === ".json" };
}

/** A file's bytes in a SharedArrayBuffer with `spare` bytes after them (at its start). */
async function readShared(file: string, spare: number): Promise<Buffer> {
  const fh = await open(file, "r");
  try {
    const size = (await fh.stat()).size;
    const bytes = Buffer.from(new SharedArrayBuffer(size + spare));
    let at = 0;
    for (let got = 1; at < size && got > 0; at += got) got = (await fh.read(bytes, at, size - at, at)).bytesRead;
    return bytes.subarray(0, at);
  } finally {
    await fh.close();
  }
}

function checkSomeRows(count: number, file: string): void {
  if (count === 0) throw new InputError(`${file}: no rows: the file holds no account and amount (only a header, comments or an empty list)`);
}
