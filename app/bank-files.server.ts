/**
 * Bank files in and out (docs/decisions/0009-bank-authoring.md): a bank as one YAML file in the
 * content/ format (lossless: export → parseBank → the same bank), fact cards from CSV with an
 * error per row, and fact cards out as a tab-separated file Anki imports.
 *
 * Everything that comes in goes through engine/bank's parseBank: CSV rows are turned into a
 * bank file and parsed like any other, so the rules (and their hostile-input caps) live in one place.
 */
import { stringify } from 'yaml';
import { clozeBack, clozeFront } from '../engine/bank/cloze';
import { MANIFEST_NAME, parseBank, type BankError } from '../engine/bank/parse';
import { LIMITS, type Bank, type BankItem } from '../engine/bank/schema';
import { families } from '../engine/families';
import { escapeHtml } from './markdown';
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

interface CsvRecord {
  fields: string[];
  /** Line of the file where the record starts (a quoted field may span lines). */
  line: number;
}

/**
 * RFC 4180 records: fields split by commas, a field in double quotes may hold commas, line
 * breaks and doubled quotes (""). An unterminated quote is an error at the record it opens.
 */
export function readCsvRecords(text: string): { records: CsvRecord[]; error: { line: number; message: string } | null } {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let fieldStarted = false;
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // spreadsheet exports start with a BOM
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recordLine });
    fields = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      fieldStarted = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) return { records, error: { line: recordLine, message: 'a quoted field is never closed (a " is missing)' } };
  if (field !== '' || fields.length > 0) endRecord();
  return { records, error: null };
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
  if (error) errors.push({ row: records.length + 1, message: `${error.message} (line ${error.line})` });
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
    return itemOfRow(cells);
  });
  if (errors.length) return { ok: false, errors };

  // Parse the rows as a bank, after the existing items, and map each error back to its row.
  const doc = { id: 'csv-import', title: 'CSV import', description: 'CSV import', version: '1.0.0', items: [...existing.map(orderedItem), ...rowItems] };
  const parsed = parseBankText(stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0 }));
  if (parsed.ok) return { ok: true, items: parsed.bank.items.slice(existing.length) };
  for (const e of parsed.errors) {
    const m = /items\[(\d+)\](?:\.(\w+))?/.exec(e.path);
    const index = m ? Number(m[1]) - existing.length : -1;
    if (index >= 0) errors.push({ row: index + 2, ...(m?.[2] && { column: m[2] }), message: e.message });
    else if (m) errors.push({ row: 0, message: `an existing item of the bank: ${e.message}` });
    else errors.push({ row: 0, message: e.message });
  }
  errors.sort((a, b) => a.row - b.row);
  return { ok: false, errors };
}

// ---------------------------------------------------------------------------------------------
// Anki

/** The header lines Anki (2.1.55+) reads from a plain-text import. */
export const ANKI_HEADER = ['#separator:tab', '#html:true', '#tags column:3'] as const;

/** One field of an Anki note: HTML-escaped, line breaks as <br>, no tabs (the separator). */
export function ankiField(text: string): string {
  return escapeHtml(text).replace(/\r?\n/g, '<br>').replace(/\t/g, ' ');
}

/** Front and back of a fact card as Anki's basic note type shows them; null for generated items. */
export function ankiNoteOf(item: BankItem): { front: string; back: string; tags: string[] } | null {
  const tags = [...new Set([item.topic, ...item.tags])];
  const withErratum = (back: string) => (item.erratum ? `${back}\n\n${item.erratum}` : back);
  switch (item.kind) {
    case 'basic':
      return { front: item.front, back: withErratum(item.back), tags };
    case 'cloze':
      // Plain text (the fields are escaped): the review's blanks and fills without Markdown's bold.
      return { front: clozeFront(item.text, ''), back: withErratum([clozeBack(item.text, ''), item.extra].filter(Boolean).join('\n\n')), tags };
    case 'choice': {
      const right = new Set(typeof item.answer === 'string' ? [item.answer] : item.answer);
      const options = item.options.map((o) => `${o.key}. ${o.text}`).join('\n');
      const answers = item.options.filter((o) => right.has(o.key)).map((o) => `${o.key}. ${o.text}`).join('\n');
      return { front: `${item.question}\n\n${options}`, back: withErratum(`${answers}\n\n${item.explanation}`), tags };
    }
    case 'generated':
    case 'network':
      return null;
  }
}

/** The fact cards of a bank as an Anki import file: front<TAB>back<TAB>tags. Generated items are left out (Anki cannot generate them). */
export function bankToAnkiTsv(bank: Bank): { text: string; notes: number; skipped: number } {
  const lines: string[] = [...ANKI_HEADER];
  let skipped = 0;
  for (const item of bank.items) {
    const note = ankiNoteOf(item);
    if (!note) {
      skipped++;
      continue;
    }
    lines.push([ankiField(note.front), ankiField(note.back), note.tags.join(' ')].join('\t'));
  }
  return { text: `${lines.join('\n')}\n`, notes: lines.length - ANKI_HEADER.length, skipped };
}
