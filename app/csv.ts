/**
 * CSV and TSV in and out (docs/decisions/0032-csv-anki-gradebook.md): one reader, csv-parse
 * (RFC 4180: quoted fields hold delimiters, line breaks and doubled quotes), and one writer.
 *
 * The reader adds what csv-parse leaves to its callers: the line each record starts on (a quoted
 * field may span lines), the delimiter detected from the first line or declared, Anki's `#key:value`
 * header lines, and errors in plain words that name their line and column.
 */
import { parse } from 'csv-parse/sync';

export type CsvDelimiter = ',' | '\t' | ';';

export interface CsvRecord {
  fields: string[];
  /** Line of the file where the record starts (1-based, counting header lines). */
  line: number;
}

export interface CsvReadError {
  line: number;
  /** 1-based field number, when the fault is in one field. */
  column?: number;
  message: string;
}

export interface CsvRead {
  records: CsvRecord[];
  delimiter: CsvDelimiter;
  /** Leading `#key:value` lines (Anki's file headers), keys lower-cased; only with `headerLines`. */
  headers: Record<string, string>;
  error: CsvReadError | null;
}

export interface CsvReadOptions {
  /** Declared, or 'auto': the most frequent of tab, comma and semicolon outside quotes on the first line. */
  delimiter?: CsvDelimiter | 'auto';
  /** Read leading `#key:value` lines as headers (Anki's text files) rather than as a record. */
  headerLines?: boolean;
  /** A quote inside an unquoted field is kept as text (default true: Anki and hand-written files do it). */
  relaxQuotes?: boolean;
}

const DELIMITER_NAMES: Record<string, CsvDelimiter> = { tab: '\t', comma: ',', semicolon: ';', ',': ',', ';': ';', '\t': '\t' };

/** The delimiter Anki's `#separator:` header names (tab, comma, semicolon, or the character). */
export function delimiterNamed(name: string): CsvDelimiter | undefined {
  return DELIMITER_NAMES[name.trim().toLowerCase()] ?? DELIMITER_NAMES[name];
}

/** The most frequent candidate outside quotes on the first line; ties go to tab, then comma. */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts: Record<CsvDelimiter, number> = { '\t': 0, ',': 0, ';': 0 };
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '\n') break;
    else if (!quoted && c in counts) counts[c as CsvDelimiter]++;
  }
  // Ties go to the earlier candidate; a line with none of them is one comma-separated field.
  return (['\t', ',', ';'] as const).reduce<CsvDelimiter>((best, d) => (counts[d] > counts[best] ? d : best), counts['\t'] > 0 ? '\t' : ',');
}

/** csv-parse's error codes in plain words. */
function messageOf(code: string | undefined, fallback: string): string {
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed (a " is missing)';
    case 'INVALID_OPENING_QUOTE':
      return 'a " inside a field that does not start with one: quote the whole field and double the inner quotes ("")';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'text after a closing quote: double a quote inside a quoted field ("")';
    default:
      return fallback;
  }
}

/**
 * The records of a CSV or TSV text. BOM dropped, CRLF and CR read as line breaks (also inside
 * quoted fields: bank text uses \n), rows whose every field is blank skipped (spreadsheets write
 * them). Records may have different lengths: the caller knows how many fields a row needs.
 */
export function readCsv(input: string, options: CsvReadOptions = {}): CsvRead {
  let text = (input.charCodeAt(0) === 0xfeff ? input.slice(1) : input).replace(/\r\n?/g, '\n');
  const headers: Record<string, string> = {};
  let lineOffset = 0;
  if (options.headerLines) {
    // Anki's headers are the file's first lines: `#separator:tab`, `#notetype column:1`, …
    for (let m = /^#([^:\n]+):([^\n]*)(?:\n|$)/.exec(text); m; m = /^#([^:\n]+):([^\n]*)(?:\n|$)/.exec(text)) {
      headers[m[1]!.trim().toLowerCase()] = m[2]!.trim();
      text = text.slice(m[0].length);
      lineOffset++;
    }
  }
  const declared = options.delimiter && options.delimiter !== 'auto' ? options.delimiter : headers.separator ? delimiterNamed(headers.separator) : undefined;
  const delimiter = declared ?? detectDelimiter(text);
  const base = { delimiter, headers };
  if (text.trim() === '') return { ...base, records: [], error: null };
  let parsed: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    parsed = parse(text, { delimiter, info: true, raw: true, relax_column_count: true, skip_empty_lines: true, relax_quotes: options.relaxQuotes ?? true }) as unknown as typeof parsed;
  } catch (err) {
    const e = err as { code?: string; lines?: number; column?: number; message: string };
    const line = (e.lines ?? 1) + lineOffset;
    return { ...base, records: [], error: { line, ...(typeof e.column === 'number' && e.code !== 'CSV_QUOTE_NOT_CLOSED' && { column: e.column + 1 }), message: messageOf(e.code, e.message) } };
  }
  const records: CsvRecord[] = [];
  for (const { record, info, raw } of parsed) {
    // info.lines is the line the record ends on; raw holds the record (after any skipped blank lines).
    const body = raw.replace(/^\n+/, '').replace(/\n$/, '');
    const line = info.lines - (body.match(/\n/g)?.length ?? 0) + lineOffset;
    if (record.every((f) => f.trim() === '')) continue;
    records.push({ fields: record, line });
  }
  return { ...base, records, error: null };
}

// ---------------------------------------------------------------------------------------------
// Writing

export type CsvCell = string | number | null | undefined;

/**
 * A text cell a spreadsheet would run as a formula (= + - @, or a tab or CR before one) gets a
 * leading apostrophe, OWASP's advice; numbers are written as numbers (a negative score is no formula).
 */
function guarded(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** One cell: quoted when it holds the delimiter, a quote or a line break; quotes doubled. */
export function csvCell(cell: CsvCell, delimiter: CsvDelimiter = ','): string {
  if (cell === null || cell === undefined) return '';
  const text = typeof cell === 'number' ? (Number.isFinite(cell) ? String(cell) : '') : guarded(cell);
  return text.includes(delimiter) || /["\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Rows as a CSV file: CRLF line ends (RFC 4180) and a UTF-8 BOM, so that Excel opens names with
 * accents correctly; Canvas and csv-parse (`bom: true`, and readCsv) read past it.
 */
export function writeCsv(rows: readonly (readonly CsvCell[])[], options: { delimiter?: CsvDelimiter; bom?: boolean } = {}): string {
  const d = options.delimiter ?? ',';
  const body = rows.map((row) => row.map((c) => csvCell(c, d)).join(d)).join('\r\n');
  return `${options.bom === false ? '' : '\ufeff'}${body}\r\n`;
}
