/**
 * Bank files in and out (docs/decisions/0009-bank-authoring.md): a bank as one YAML file in the
 * content/ format (lossless: export → parseBank → the same bank), fact cards from CSV with an
 * error per row, and fact cards out as a tab-separated file Anki imports.
 *
 * Everything that comes in goes through engine/bank's parseBank: CSV rows are turned into a
 * bank file and parsed like any other, so the rules (and their hostile-input caps) live in one place.
 */
import { stringify } from 'yaml';
import { readCsv, type CsvReadError, type CsvRecord } from './csv';
import { MANIFEST_NAME, parseBank, type BankError } from '../engine/bank/parse';
import { LIMITS, type Bank, type BankItem, type Topic } from '../engine/bank/schema';
import { readAnkiText } from './anki';
import { families } from '../engine/families';
import { countOf } from '../engine/answers/format';

export type ParsedBankText = { ok: true; bank: Bank } | { ok: false; errors: BankError[] };

/** Parses one bank file (manifest and items) as the editor and the YAML import send it. */
export function parseBankText(text: string, name = MANIFEST_NAME): ParsedBankText {
  const result = parseBank({ files: [{ name, text }] }, { families });
  return result.ok ? { ok: true, bank: result.bank } : { ok: false, errors: result.errors };
}

/** Keys first in every item, for a file a person reads top to bottom; the rest keep their order. */
const LEADING_ITEM_KEYS = ['id', 'kind', 'topic', 'tags'] as const;

function orderedItem(item: BankItem): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fields = item as unknown as Record<string, unknown>;
  for (const key of LEADING_ITEM_KEYS) if (fields[key] !== undefined) out[key] = fields[key];
  for (const [key, value] of Object.entries(fields)) if (!(key in out) && value !== undefined) out[key] = value;
  return out;
}

/** The bank as one content/ file: `bank.yaml` holding the manifest and every item, in order. */
export function bankToYaml(bank: Bank): string {
  const doc = { id: bank.id, title: bank.title, description: bank.description, version: bank.version, items: bank.items.map(orderedItem) };
  // No aliases (parseBank caps them) and no folding: the file diffs line by line.
  return `# Stride question bank (format: docs/decisions/0003-bank-format.md)\n${stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0 })}`;
}

// ---------------------------------------------------------------------------------------------
// CSV of fact cards

/** The columns a fact-card CSV may have (header row, any order, case-insensitive). */
export const CSV_COLUMNS = ['kind', 'id', 'topic', 'tags', 'front', 'back', 'text', 'extra', 'question', 'options', 'answer', 'explanation', 'source', 'erratum'] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly CsvColumn[] = ['kind', 'id', 'topic'];
/** Option keys given to a choice's options in order. */
const OPTION_KEYS = 'abcdefgh';

export interface CsvRowError {
  /** 1-based record number; the header is row 1. */
  row: number;
  /** The column at fault, when one is. */
  column?: string;
  message: string;
}

export type CsvImport = { ok: true; items: BankItem[] } | { ok: false; errors: CsvRowError[] };

/**
 * The records of a fact-card CSV (app/csv.ts: csv-parse, delimiter detected: a spreadsheet's
 * comma, semicolon or tab export all read). Kept under this name for its callers and tests.
 */
export function readCsvRecords(text: string): { records: CsvRecord[]; error: CsvReadError | null } {
  const { records, error } = readCsv(text);
  return { records, error };
}

/** One CSV row → the item it describes (unchecked: parseBank checks it). */
function itemOfRow(cells: Partial<Record<CsvColumn, string>>): Record<string, unknown> {
  const item: Record<string, unknown> = { id: cells.id, kind: cells.kind, topic: cells.topic, tags: (cells.tags ?? '').split(/[\s,;]+/).filter(Boolean) };
  for (const key of ['front', 'back', 'text', 'extra', 'question', 'explanation', 'source', 'erratum'] as const) {
    if (cells[key]) item[key] = cells[key];
  }
  if (cells.options) item.options = cells.options.split('|').map((text, i) => ({ key: OPTION_KEYS[i] ?? `o${i + 1}`, text: text.trim() }));
  if (cells.answer) {
    const keys = cells.answer.split(/[\s,;]+/).filter(Boolean).map((k) => k.toLowerCase());
    item.answer = keys.length === 1 ? keys[0] : keys;
  }
  return item;
}

/**
 * Fact cards (basic, cloze, choice) from a CSV with a header row. Every row is checked, every
 * bad row reported (row number, column, message); the result has items only when all are good.
 * `existing` are the bank's items: a row may not reuse one of their ids.
 */
export function importFactCardsCsv(text: string, existing: readonly BankItem[] = []): CsvImport {
  if (text.length > LIMITS.fileBytes) return { ok: false, errors: [{ row: 0, message: `the file is over ${LIMITS.fileBytes.toLocaleString('en-US')} characters (2 MB)` }] };
  const { records, error } = readCsvRecords(text);
  const errors: CsvRowError[] = [];
  if (error) {
    // The row is the records before the faulty line, plus one.
    const before = readCsvRecords(text.replace(/\r\n?/g, '\n').split('\n').slice(0, error.line - 1).join('\n')).records.length;
    errors.push({ row: before + 1, message: `${error.message} (line ${error.line}${error.column ? `, field ${error.column}` : ''})` });
    return { ok: false, errors };
  }
  const header = records[0];
  if (!header) return { ok: false, errors: errors.length ? errors : [{ row: 1, message: `the file is empty; the first row names the columns: ${CSV_COLUMNS.join(',')}` }] };
  const columns = header.fields.map((h) => h.trim().toLowerCase());
  columns.forEach((c, i) => {
    if (!(CSV_COLUMNS as readonly string[]).includes(c)) errors.push({ row: 1, column: c, message: `unknown column '${header.fields[i]}'; columns: ${CSV_COLUMNS.join(', ')}` });
    else if (columns.indexOf(c) !== i) errors.push({ row: 1, column: c, message: `column '${c}' appears twice` });
  });
  for (const c of REQUIRED_COLUMNS) if (!columns.includes(c)) errors.push({ row: 1, message: `the header needs a '${c}' column` });
  if (errors.length) return { ok: false, errors };
  const rows = records.slice(1);
  if (rows.length === 0) return { ok: false, errors: [{ row: 2, message: 'no rows after the header' }] };
  if (rows.length + existing.length > LIMITS.items) return { ok: false, errors: [{ row: 0, message: `${rows.length} rows; a bank holds at most ${LIMITS.items} items` }] };

  const rowItems = rows.map((record, r) => {
    const row = r + 2;
    if (record.fields.length !== columns.length) errors.push({ row, message: `${countOf(record.fields.length, 'field')}, the header has ${columns.length} (line ${record.line}); quote a field that holds a comma` });
    const cells: Partial<Record<CsvColumn, string>> = {};
    columns.forEach((c, i) => {
      const v = record.fields[i]?.trim();
      if (v) cells[c as CsvColumn] = v;
    });
    if (cells.kind === 'generated') errors.push({ row, column: 'kind', message: 'generated items are written in YAML (family, ranges); a CSV holds fact cards: basic, cloze or choice' });
    return { row, item: itemOfRow(cells) };
  });
  if (errors.length) return { ok: false, errors };
  return checkedRows(rowItems, existing);
}

/**
 * Rows of fact cards parsed as a bank, after the existing items, so that parseBank's rules hold;
 * each error is mapped back to its row. Items only when every row is good.
 */
function checkedRows(rowItems: readonly { row: number; item: Record<string, unknown> }[], existing: readonly BankItem[]): CsvImport {
  const doc = { id: 'csv-import', title: 'CSV import', description: 'CSV import', version: '1.0.0', items: [...existing.map(orderedItem), ...rowItems.map((r) => r.item)] };
  const parsed = parseBankText(stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0 }));
  if (parsed.ok) return { ok: true, items: parsed.bank.items.slice(existing.length) };
  const errors: CsvRowError[] = [];
  for (const e of parsed.errors) {
    const m = /items\[(\d+)\](?:\.(\w+))?/.exec(e.path);
    const index = m ? Number(m[1]) - existing.length : -1;
    if (index >= 0) errors.push({ row: rowItems[index]?.row ?? index + 2, ...(m?.[2] && { column: m[2] }), message: e.message });
    else if (m) errors.push({ row: 0, message: `an existing item of the bank: ${e.message}` });
    else errors.push({ row: 0, message: e.message });
  }
  errors.sort((a, b) => a.row - b.row);
  return { ok: false, errors };
}

/**
 * Fact cards from Anki's text export (app/anki.ts reads it); `row` is the note's line in the
 * file. Checked like a CSV's rows: every bad note reported, items only when all are good.
 */
export function importAnkiText(text: string, { defaultTopic, bankId, existing = [] }: { defaultTopic: Topic; bankId?: string; existing?: readonly BankItem[] }): CsvImport & { deck?: string } {
  if (text.length > LIMITS.fileBytes) return { ok: false, errors: [{ row: 0, message: `the file is over ${LIMITS.fileBytes.toLocaleString('en-US')} characters (2 MB)` }] };
  const read = readAnkiText(text, { defaultTopic, bankId });
  if (!read.ok) return { ok: false, errors: [{ row: read.error.line, message: `${read.error.message} (line ${read.error.line}${read.error.column ? `, field ${read.error.column}` : ''})` }] };
  if (read.rows.length === 0) return { ok: false, errors: [{ row: 1, message: 'no notes in the file: export from Anki with File → Export, "Notes in Plain Text"' }] };
  if (read.rows.length + existing.length > LIMITS.items) return { ok: false, errors: [{ row: 0, message: `${read.rows.length} notes; a bank holds at most ${LIMITS.items} items` }] };
  const checked = checkedRows(read.rows.map((r) => ({ row: r.line, item: r.item })), existing);
  return read.deck && checked.ok ? { ...checked, deck: read.deck } : checked;
}

// ---------------------------------------------------------------------------------------------
// Anki: app/anki.ts (kept importable from here, where the other bank files are)

export { ANKI_HEADER, ankiField, ankiNoteOf, bankToAnkiTsv } from './anki';
