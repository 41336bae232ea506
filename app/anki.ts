/**
 * Anki in and out (docs/decisions/0032-csv-anki-gradebook.md). Out: a bank's fact cards as one
 * text file Anki (2.1.55+) imports with File → Import: basic and choice cards as Basic notes,
 * clozes as Cloze notes with their `{{c1::…}}` deletions, maths as MathJax (`\(…\)`, `\[…\]`).
 * In: Anki's own "Notes in Plain Text" export, with or without its `#` headers, back into fact
 * cards (fields still unchecked: the caller parses them as a bank, like a CSV's rows).
 *
 * Fields are HTML (`#html:true`): the bank's text is escaped, so a bank never injects markup into
 * Anki either, and only the few tags written here (<br>, <b>, <code>) come back as Markdown.
 */
import { CLOZE_DELETION } from '../engine/bank/cloze';
import { topics, type Bank, type BankItem, type Topic } from '../engine/bank/schema';
import { readCsv, type CsvReadError } from './csv';
import { escapeHtml } from './markdown';

// ---------------------------------------------------------------------------------------------
// Out

/** Anki's names for its stock note types, the ones every collection has. */
export const ANKI_NOTETYPES = { basic: 'Basic', cloze: 'Cloze' } as const;

/** Columns of the export: guid, note type, two fields, tags (the headers say so to Anki). */
export const ANKI_HEADER = ['#separator:tab', '#html:true', '#guid column:1', '#notetype column:2', '#tags column:5'] as const;

/** Inline `$…$` and display `$$…$$` maths, as the bank's Markdown reads them (app/markdown.ts). */
const BANK_MATH = /\$\$([^$]+)\$\$|\$([^$\n]+)\$/g;

/** Non-maths bank text as Anki HTML: escaped, **bold** and `code` as tags, line breaks as <br>. */
function ankiHtmlText(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>')
    .replace(/\t/g, ' ')
    .replace(/\n/g, '<br>');
}

/**
 * One field of an Anki note from bank Markdown: maths as MathJax `\(…\)` / `\[…\]` (escaped:
 * Anki decodes the HTML before MathJax reads it; a line break inside maths becomes a space), the
 * rest through ankiHtmlText. Cloze markers pass through untouched.
 */
export function ankiField(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(BANK_MATH)) {
    out += ankiHtmlText(text.slice(last, m.index));
    const display = m[1] !== undefined;
    const tex = escapeHtml((display ? m[1]! : m[2]!).replace(/\s*\n\s*/g, ' '));
    out += display ? `\\[${tex}\\]` : `\\(${tex}\\)`;
    last = m.index! + m[0].length;
  }
  return out + ankiHtmlText(text.slice(last));
}

export interface AnkiNote {
  notetype: 'basic' | 'cloze';
  /** Basic: Front, Back. Cloze: Text (with its deletions), Back Extra. Bank Markdown, not yet HTML. */
  fields: [string, string];
  tags: string[];
  /** Anki's note id: re-importing the file updates the notes instead of duplicating them. */
  guid: string;
}

/** The guid of an item's note: the bank and item ids, which are stable (decision 0003). */
export function ankiGuidOf(bankId: string, itemId: string): string {
  return `stride:${bankId}/${itemId}`;
}

/** The note of a fact card; null for a generated item (Anki cannot generate variants). */
export function ankiNoteOf(item: BankItem, bankId: string): AnkiNote | null {
  const tags = [...new Set([item.topic, ...item.tags])];
  const guid = ankiGuidOf(bankId, item.id);
  const withErratum = (back: string) => [back, item.erratum].filter(Boolean).join('\n\n');
  switch (item.kind) {
    case 'basic':
      return { notetype: 'basic', fields: [item.front, withErratum(item.back)], tags, guid };
    case 'cloze':
      return { notetype: 'cloze', fields: [item.text, withErratum(item.extra ?? '')], tags, guid };
    case 'choice': {
      // Anki has no choice note type: the options on the front, the right ones on the back.
      const right = new Set(typeof item.answer === 'string' ? [item.answer] : item.answer);
      const line = (o: { key: string; text: string }) => `${o.key}. ${o.text}`;
      const answers = item.options.filter((o) => right.has(o.key)).map(line).join('\n');
      return { notetype: 'basic', fields: [`${item.question}\n\n${item.options.map(line).join('\n')}`, withErratum(`${answers}\n\n${item.explanation}`)], tags, guid };
    }
    case 'generated':
    case 'network':
      return null;
  }
}

/** The fact cards of a bank as an Anki import file; generated items are left out and counted. */
export function bankToAnkiTsv(bank: Bank): { text: string; notes: number; skipped: number } {
  // The deck header names the deck the notes go to (Anki creates it); no line breaks in a header.
  const lines: string[] = [...ANKI_HEADER, `#deck:${bank.title.replace(/\s+/g, ' ').trim()}`];
  let notes = 0;
  for (const item of bank.items) {
    const note = ankiNoteOf(item, bank.id);
    if (!note) continue;
    notes++;
    lines.push([note.guid, ANKI_NOTETYPES[note.notetype], ankiField(note.fields[0]), ankiField(note.fields[1]), note.tags.join(' ')].join('\t'));
  }
  return { text: `${lines.join('\n')}\n`, notes, skipped: bank.items.length - notes };
}

// ---------------------------------------------------------------------------------------------
// In

/** The named entities Anki's editor writes; others are numeric (&#…;) and decoded as such. */
const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', times: '×', middot: '·', divide: '÷', minus: '−', plusmn: '±', deg: '°',
  hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', le: '≤', ge: '≥', ne: '≠', asymp: '≈', rarr: '→',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[name.toLowerCase()] ?? m;
  });
}

/**
 * An Anki field (HTML) as bank Markdown: <br> and block ends as line breaks, <b>/<strong> as
 * **, <i>/<em> as *, <code> as backticks, every other tag dropped, entities decoded, and MathJax
 * (`\(…\)`, `\[…\]`) and Anki's LaTeX tags ([$]…[/$], [$$]…[/$$]) back to `$…$` and `$$…$$`.
 */
export function bankTextOfAnkiHtml(html: string): string {
  const text = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(?:div|p|li)>\s*/gi, '\n')
    .replace(/<\/?(?:b|strong)(?:\s[^>]*)?>/gi, '**')
    .replace(/<\/?(?:i|em)(?:\s[^>]*)?>/gi, '*')
    .replace(/<\/?code(?:\s[^>]*)?>/gi, '`')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(text)
    .replace(/\\\[([\s\S]*?)\\\]|\[\$\$\]([\s\S]*?)\[\/\$\$\]/g, (_m, a?: string, b?: string) => `$$${(a ?? b)!.trim()}$$`)
    .replace(/\\\(([\s\S]*?)\\\)|\[\$\]([\s\S]*?)\[\/\$\]/g, (_m, a?: string, b?: string) => `$${(a ?? b)!.trim()}$`)
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** An Anki tag as a bank tag (kebab-case): `Deep::CNN_basics` → `deep-cnn-basics`. */
export function bankTagOf(tag: string): string {
  return tag
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Anki's own states, not subjects. */
const ANKI_STATE_TAGS = new Set(['marked', 'leech']);

/** An id from a card's first words: `What is the stride of …` → `what-is-the-stride-of`. */
function idFromText(text: string): string {
  const words = bankTagOf(text.replace(CLOZE_DELETION, (_m, _c, answer: string) => answer).replace(/\$\$[^$]*\$\$|\$[^$]*\$/g, ' ')).split('-').filter(Boolean);
  let id = '';
  for (const w of words) {
    if (id.length + w.length > 40) break;
    id = id ? `${id}-${w}` : w;
  }
  return id;
}

/**
 * The cards of an Anki cloze note, one per deletion number, as bank cloze texts: Anki's card cN
 * blanks the cN deletions and shows the others filled, and a bank cloze blanks all its
 * deletions at once (written c1), so a note with c1 and c2 becomes two items.
 */
export function clozeCards(text: string): string[] {
  const numbers = [...new Set([...text.matchAll(CLOZE_DELETION)].map((m) => Number(m[1])))].sort((a, b) => a - b);
  if (numbers.length <= 1) return [text.replace(CLOZE_DELETION, (m, _c, answer: string, hint?: string) => (numbers.length ? `{{c1::${answer}${hint !== undefined ? `::${hint}` : ''}}}` : m))];
  return numbers.map((n) => text.replace(CLOZE_DELETION, (_m, c: string, answer: string, hint?: string) => (Number(c) === n ? `{{c1::${answer}${hint !== undefined ? `::${hint}` : ''}}}` : answer)));
}

export interface AnkiRow {
  /** Line of the file where the note starts. */
  line: number;
  item: Record<string, unknown>;
}

export type AnkiRead = { ok: true; rows: AnkiRow[]; deck?: string } | { ok: false; error: CsvReadError };

/**
 * Anki's text export as fact-card rows. Honours the headers Anki writes (`#separator`, `#html`,
 * `#notetype`, `#notetype column`, `#guid column`, `#deck column`, `#tags column`, `#deck`); a
 * file without headers is tab-separated Front/Text, Back/Extra and, as a third column, tags. A
 * note is a cloze when its note type's name says so or, without one, when its first field has a
 * `{{cN::…}}`. The topic is the first tag that is a topic of the chapter, else `defaultTopic`.
 */
export function readAnkiText(text: string, { defaultTopic, bankId }: { defaultTopic: Topic; bankId?: string }): AnkiRead {
  const read = readCsv(text, { headerLines: true, relaxQuotes: true, delimiter: text.replace(/^\uFEFF/, '').startsWith('#') ? 'auto' : '\t' });
  if (read.error) return { ok: false, error: read.error };
  const h = read.headers;
  const column = (key: string) => (h[`${key} column`] ? Number(h[`${key} column`]) - 1 : -1);
  const hasHeaders = Object.keys(h).length > 0;
  const special = { guid: column('guid'), notetype: column('notetype'), deck: column('deck'), tags: column('tags') };
  const html = (h.html ?? 'true').toLowerCase() !== 'false';
  const usedIds = new Set<string>();
  const rows = read.records.flatMap(({ fields, line }): AnkiRow[] => {
    let tagsIndex = special.tags;
    if (!hasHeaders && fields.length >= 3) tagsIndex = fields.length - 1;
    const skip = new Set([special.guid, special.notetype, special.deck, tagsIndex]);
    const values = fields.filter((_f, i) => !skip.has(i)).map((f) => (html ? bankTextOfAnkiHtml(f) : f.trim()));
    const notetype = special.notetype >= 0 ? (fields[special.notetype] ?? '') : (h.notetype ?? '');
    const cloze = notetype ? /cloze/i.test(notetype) : new RegExp(CLOZE_DELETION.source, 's').test(values[0] ?? '');
    const ankiTags = tagsIndex >= 0 ? (fields[tagsIndex] ?? '').split(/\s+/).filter((t) => t && !ANKI_STATE_TAGS.has(t.toLowerCase())) : [];
    const tags = [...new Set(ankiTags.map(bankTagOf).filter(Boolean))];
    const topic = tags.find((t): t is Topic => (topics as readonly string[]).includes(t)) ?? defaultTopic;
    // Our own guid gives the item its id back; other notes get one from their first words.
    const guid = special.guid >= 0 ? (fields[special.guid] ?? '') : '';
    const own = /^stride:([^/]+)\/(.+)$/.exec(guid);
    const base = own && (!bankId || own[1] === bankId) ? own[2]! : idFromText(values[0] ?? '') || 'anki-note';
    const fresh = (wanted: string) => {
      let id = wanted;
      for (let n = 2; usedIds.has(id); n++) id = `${wanted}-${n}`;
      usedIds.add(id);
      return id;
    };
    const [first = '', second = ''] = values;
    if (!cloze) return [{ line, item: { id: fresh(base), kind: 'basic', topic, tags, front: first, back: second } }];
    return clozeCards(first).map((text, k, all) => ({
      line,
      item: { id: fresh(all.length > 1 ? `${base}-c${k + 1}` : base), kind: 'cloze', topic, tags, text, ...(second && { extra: second }) },
    }));
  });
  const deck = h.deck;
  return { ok: true, rows, ...(deck && { deck }) };
}
