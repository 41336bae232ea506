/**
 * One item as a student meets it, in review and in quizzes: presented (a generated item built
 * from its variant seed) and graded. The seed fully determines a generated question, so the
 * same (item, seed) always rebuilds the question the student saw.
 */
import { grade, readAnswer, type GradeResult, type ReadContext, type Reading } from '../engine/answers';
import type { BankItem, ChoiceItem, ClozeItem, GeneratedItem } from '../engine/bank/schema';
import { clozeDeletions, CLOZE_DELETION } from '../engine/bank/parse';
import { getFamily } from '../engine/families';
import type { AnswerSource, Variant } from '../engine/question';
import { createRng } from '../engine/random';
import type { Spec } from '../engine/spec';
import type { ItemRow } from '../db/schema';
import { CLOZE_SEPARATOR } from './cloze';
import { renderMarkdown } from './markdown';

export type AnswerMode = 'typed' | 'choice' | 'cloze' | 'reveal';

/** What the page shows before the answer: never the answer itself. */
export interface PresentedCard {
  itemId: string;
  kind: BankItem['kind'];
  topic: string;
  title: string | null;
  promptHtml: string;
  mode: AnswerMode;
  /** For typed answers: what the live reader expects. */
  readContext: ReadContext | null;
  options: { key: string; html: string }[] | null;
  multiple: boolean;
  /** Number of blanks of a cloze. */
  blanks: number;
  /** A basic card's back, shown when the student reveals it and grades themself. */
  backHtml: string | null;
  seed: number | null;
  difficulty: 1 | 2 | 3;
}

export interface GradedCard {
  status: GradeResult['status'];
  correct: boolean;
  readAs: string | null;
  /** The value as read, JSON, for the review record. */
  value: unknown;
  feedback: string[];
  misconception: { id: string; label: string; explanation: string } | null;
  components: GradeResult['components'] | null;
  answerHtml: string;
  explanationHtml: string;
  /** The network the question is about, for the engine panel. */
  spec: Spec | null;
  /** The expected answer, for the engine panel's agreement mark. */
  answer: { kind: string; value: unknown; display: string } | null;
  /** Where the answer sits in the analysis of `spec` (variantOf(...).source), for the panel to measure it; null when it is not one quantity of the network. */
  source: AnswerSource | null;
}

/** The bank item kept whole in the items table. */
export function bankItemOf(row: Pick<ItemRow, 'content'>): BankItem {
  return JSON.parse(row.content) as BankItem;
}

/** FNV-1a over the parts: a stable 31-bit seed for the review of `itemId` after `reps` reviews. */
export function reviewSeed(userId: number, itemId: string, reps: number, lastReviewMs: number | null): number {
  let h = 0x811c9dc5;
  for (const ch of `${userId}|${itemId}|${reps}|${lastReviewMs ?? 0}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}

export function variantOf(item: GeneratedItem, seed: number): Variant {
  const family = getFamily(item.family);
  const generated = family.generate(createRng(seed), { difficulty: item.difficulty, ranges: item.ranges });
  const answer = item.tolerance ? { ...generated.answer, tolerance: item.tolerance } : generated.answer;
  return { ...generated, answer, family: family.id, seed };
}

function readContextOf(variant: Variant): ReadContext {
  const a = variant.answer;
  switch (a.kind) {
    case 'count':
      return { kind: 'count', unit: a.unit };
    case 'choice':
      return { kind: 'choice', options: a.options };
    default:
      return { kind: a.kind };
  }
}

function clozeBlanked(text: string): string {
  let n = 0;
  return text.replace(CLOZE_DELETION, (_m, _c, _answer, hint?: string) => `**[${++n}${hint ? `: ${hint}` : ''} …]**`);
}

export function presentItem(itemId: string, item: BankItem, seed: number | null): PresentedCard {
  const base = { itemId, kind: item.kind, topic: item.topic, options: null, multiple: false, blanks: 0, readContext: null, backHtml: null, difficulty: 2 as const };
  switch (item.kind) {
    case 'generated': {
      const s = seed ?? 0;
      const variant = variantOf(item, s);
      return { ...base, title: item.title, promptHtml: renderMarkdown(variant.prompt), mode: 'typed', readContext: readContextOf(variant), seed: s, difficulty: variant.difficulty };
    }
    case 'choice':
      return {
        ...base,
        title: null,
        promptHtml: renderMarkdown(item.question),
        mode: 'choice',
        options: item.options.map((o) => ({ key: o.key, html: renderMarkdown(o.text) })),
        multiple: Array.isArray(item.answer) && item.answer.length > 1,
        seed: null,
      };
    case 'cloze':
      return { ...base, title: null, promptHtml: renderMarkdown(clozeBlanked(item.text)), mode: 'cloze', blanks: clozeDeletions(item.text).length, seed: null };
    case 'basic':
      return { ...base, title: null, promptHtml: renderMarkdown(item.front), mode: 'reveal', backHtml: renderMarkdown(item.back), seed: null };
  }
}

/**
 * The LaTeX of a deletion as plain text: `$F \cdot k$` → `F · k`. Drops the $ delimiters, turns
 * \cdot and \times into · and ×, spacing commands into spaces, other commands into their names
 * (\alpha → alpha), and removes braces, ^ and _ (`k^{2}` → `k2`, `C_{in}` → `Cin`).
 */
export function stripTex(text: string): string {
  return text
    .replace(/\$/g, '')
    .replace(/\\(?:cdot|times)(?![a-zA-Z])/g, (m) => (m === '\\cdot' ? ' · ' : ' × '))
    .replace(/\\(?:left|right)(?![a-zA-Z])/g, '')
    .replace(/\\[,;:! ]/g, ' ')
    .replace(/\\([a-zA-Z]+)/g, '$1')
    .replace(/[{}^_]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Loose comparison for typed words: case, spacing, punctuation and diacritics don't matter, and
 * the multiplication signs ·, *, ×, (x between digits) count as spaces: `F·k`, `F * k`, `F × k`
 * and `F k` are the same; `3x3` and `3×3` too. The operators + / = < > still count.
 */
export function normaliseWords(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/(?<=\d)\s*x\s*(?=\d)/g, ' ')
    .replace(/[·⋅∙*×✕]/g, ' ')
    .replace(/\.(?!\d)/g, ' ')
    .replace(/[+/=<>]/g, ' $& ')
    .replace(/[^\p{L}\p{N}.%+/=<>]+/gu, ' ')
    .trim();
}

/** A deletion that reads as a number (a count, with its unit if written; or a percentage written with %), or null. */
function numericDeletion(text: string): { context: ReadContext; reading: Reading } | null {
  const plain = stripTex(text);
  const count = readAnswer(plain, { kind: 'count' });
  if (count.ok && count.value.kind === 'count') return { context: count.unitText === null ? { kind: 'count' } : { kind: 'count', unit: count.value.unit }, reading: count };
  if (/%|percent/i.test(plain)) {
    const percent = readAnswer(plain, { kind: 'percent' });
    if (percent.ok) return { context: { kind: 'percent' }, reading: percent };
  }
  return null;
}

/**
 * One blank: a numeric deletion is read (290,400 = 290400; 5e-4 = 0.0005; 0.5MB = 0.5 MB =
 * 500 KB) and compared by value, units too when both name one; anything else by normalised words,
 * TeX stripped.
 */
export function clozeBlankCorrect(expected: string, given: string): boolean {
  const numeric = numericDeletion(expected);
  if (numeric) {
    const read = readAnswer(stripTex(given), numeric.context);
    if (read.ok && read.value.kind === numeric.reading.value.kind) {
      const want = numeric.reading.value;
      const got = read.value;
      if (want.kind === 'count' && got.kind === 'count') {
        const unitsClash = numeric.reading.unitText !== null && read.unitText !== null && want.unit !== got.unit;
        return !unitsClash && got.value === want.value;
      }
      return (got as { value: unknown }).value === (want as { value: unknown }).value;
    }
  }
  const words = normaliseWords(stripTex(given));
  return words !== '' && words === normaliseWords(stripTex(expected));
}

function gradeChoice(item: ChoiceItem, answer: string): Omit<GradedCard, 'answerHtml' | 'explanationHtml' | 'spec' | 'answer' | 'source'> {
  const expected = new Set(Array.isArray(item.answer) ? item.answer : [item.answer]);
  const given = new Set(answer.split(',').map((k) => k.trim().toLowerCase()).filter(Boolean));
  if (given.size === 0) return { status: 'unread', correct: false, readAs: null, value: null, feedback: ['not read: choose an option'], misconception: null, components: null };
  const known = new Set(item.options.map((o) => o.key));
  const unknown = [...given].filter((k) => !known.has(k));
  if (unknown.length) return { status: 'unread', correct: false, readAs: null, value: null, feedback: [`not read: no option ${unknown.join(', ')}`], misconception: null, components: null };
  const correct = given.size === expected.size && [...given].every((k) => expected.has(k));
  return { status: correct ? 'correct' : 'wrong', correct, readAs: `chose ${[...given].join(', ')}`, value: [...given], feedback: [correct ? 'Right.' : 'Not that one.'], misconception: null, components: null };
}

function gradeCloze(item: ClozeItem, answers: string[]): Omit<GradedCard, 'answerHtml' | 'explanationHtml' | 'spec' | 'answer' | 'source'> {
  const deletions = clozeDeletions(item.text);
  if (answers.every((a) => a.trim() === '')) return { status: 'unread', correct: false, readAs: null, value: null, feedback: ['not read: fill in the blanks'], misconception: null, components: null };
  const results = deletions.map((d, i) => clozeBlankCorrect(d.answer, answers[i] ?? ''));
  const correct = results.every(Boolean);
  const feedback = deletions.map((d, i) => `${i + 1}: ${results[i] ? 'right' : `expected “${stripTex(d.answer)}”`}`);
  return { status: correct ? 'correct' : 'wrong', correct, readAs: `read as ${answers.map((a) => `“${a.trim()}”`).join(', ')}`, value: answers, feedback, misconception: null, components: null };
}

/**
 * Grades a raw answer. `raw` is the typed text (generated), comma-separated option keys (choice),
 * the blanks joined by U+241F (cloze), or 'knew' / 'forgot' (a basic card's self-grade).
 */
export function gradeItem(item: BankItem, seed: number | null, raw: string): GradedCard {
  switch (item.kind) {
    case 'generated': {
      const variant = variantOf(item, seed ?? 0);
      const g = grade(variant, raw);
      return {
        status: g.status,
        correct: g.correct,
        readAs: g.readAs,
        value: g.value,
        feedback: g.feedback,
        misconception: g.misconception,
        components: g.components ?? null,
        answerHtml: renderMarkdown(variant.answer.display),
        explanationHtml: renderMarkdown(variant.explanation.join('\n\n')),
        spec: variant.spec,
        answer: { kind: variant.answer.kind, value: variant.answer.value, display: variant.answer.display },
        source: variant.source ?? null,
      };
    }
    case 'choice': {
      const right = new Set(Array.isArray(item.answer) ? item.answer : [item.answer]);
      const answerHtml = item.options.filter((o) => right.has(o.key)).map((o) => `<p><strong>${o.key}.</strong></p>${renderMarkdown(o.text)}`).join('');
      return { ...gradeChoice(item, raw), answerHtml, explanationHtml: renderMarkdown(item.explanation), spec: null, answer: null, source: null };
    }
    case 'cloze': {
      const text = item.text.replace(CLOZE_DELETION, (_m, _c, answer: string) => `**${answer}**`);
      const explanation = [item.extra, item.erratum].filter(Boolean).join('\n\n');
      return { ...gradeCloze(item, raw.split(CLOZE_SEPARATOR)), answerHtml: renderMarkdown(text), explanationHtml: renderMarkdown(explanation), spec: null, answer: null, source: null };
    }
    case 'basic': {
      const knew = raw === 'knew';
      const status = raw === 'knew' || raw === 'forgot' ? (knew ? 'correct' : 'wrong') : 'unread';
      return {
        status,
        correct: knew,
        readAs: status === 'unread' ? null : knew ? 'you knew it' : 'you did not know it',
        value: status === 'unread' ? null : knew,
        feedback: status === 'unread' ? ['not read: say whether you knew it'] : [],
        misconception: null,
        components: null,
        answerHtml: renderMarkdown(item.back),
        explanationHtml: item.erratum ? renderMarkdown(item.erratum) : '',
        spec: null,
        answer: null,
        source: null,
      };
    }
  }
}
