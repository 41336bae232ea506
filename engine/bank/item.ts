/**
 * A bank item as a student meets it: the seed of a generated question, the variant it builds,
 * what the page shows before the answer, and the grade of a raw answer, for all four kinds.
 * Review, quizzes, the instructor's preview, publishing, `stride bank check`, the exports and the
 * benchmarks all go through here (docs/decisions/0010-one-home-for-a-bank-item.md).
 *
 * Pure and free of HTML: prompts, answers and explanations are Markdown, which the app renders.
 * The seed fully determines a generated question, so (item, seed) always rebuilds what was shown.
 */
import { grade, readContextOf, type GradeResult, type ReadContext } from '../answers';
import { getFamily, variantOf } from '../families';
import type { AnswerSource, Variant } from '../question';
import type { Spec } from '../spec';
import { CLOZE_SEPARATOR, clozeBack, clozeBlankCorrect, clozeDeletions, clozeFront, stripTex } from './cloze';
import { itemSchema, type BankItem, type ChoiceItem, type ClozeItem, type GeneratedItem } from './schema';

// ---------------------------------------------------------------------------------------------
// Seeds

/**
 * The variant seed named by `key`: FNV-1a (32-bit) over its UTF-16 code units, kept to 31 bits so
 * that every seed is a valid `stride question --seed` (0…2³¹−1).
 * h₀ = 2166136261; hₙ₊₁ = (hₙ XOR unitₙ) · 16777619 mod 2³²; seed = h & (2³¹ − 1)
 */
export function variantSeed(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}

/** The seed of a user's next review of `itemId` after `reps` reviews, the last at `lastReviewMs`. */
export function reviewSeed(userId: number, itemId: string, reps: number, lastReviewMs: number | null): number {
  return variantSeed(`${userId}|${itemId}|${reps}|${lastReviewMs ?? 0}`);
}

/** The seed of sample `i` of an item (preview, publishing, `bank check`): a failing sample can be rebuilt exactly. */
export function sampleSeed(itemId: string, i: number): number {
  return variantSeed(`${itemId}#${i}`);
}

// ---------------------------------------------------------------------------------------------
// Variant

/**
 * The question a generated item asks for `seed`: its family's variant under the item's
 * difficulty and ranges, with the item's tolerance (when it sets one) on the answer.
 */
export function itemVariant(item: GeneratedItem, seed: number): Variant {
  const variant = variantOf(getFamily(item.family), seed, { difficulty: item.difficulty, ranges: item.ranges });
  return item.tolerance ? { ...variant, answer: { ...variant.answer, tolerance: item.tolerance } } : variant;
}

// ---------------------------------------------------------------------------------------------
// Presenting

export type AnswerMode = 'typed' | 'choice' | 'cloze' | 'reveal';

/** What a student sees before answering (never the answer), in Markdown. */
export interface ItemFace {
  kind: BankItem['kind'];
  topic: string;
  title: string | null;
  prompt: string;
  mode: AnswerMode;
  /** For typed answers: what the live reader expects. */
  readContext: ReadContext | null;
  options: { key: string; text: string }[] | null;
  multiple: boolean;
  /** Number of blanks of a cloze. */
  blanks: number;
  /** A basic card's back, shown when the student reveals it and grades themself. */
  back: string | null;
  seed: number | null;
  difficulty: 1 | 2 | 3;
}

/** The face of an item; `seed` picks a generated item's question (0 when null). */
export function presentBankItem(item: BankItem, seed: number | null): ItemFace {
  const base = { kind: item.kind, topic: item.topic, title: null, options: null, multiple: false, blanks: 0, readContext: null, back: null, seed: null, difficulty: 2 as const };
  switch (item.kind) {
    case 'generated': {
      const s = seed ?? 0;
      const variant = itemVariant(item, s);
      return { ...base, title: item.title, prompt: variant.prompt, mode: 'typed', readContext: readContextOf(variant.answer), seed: s, difficulty: variant.difficulty };
    }
    case 'choice':
      return { ...base, prompt: item.question, mode: 'choice', options: item.options.map((o) => ({ key: o.key, text: o.text })), multiple: Array.isArray(item.answer) && item.answer.length > 1 };
    case 'cloze':
      return { ...base, prompt: clozeFront(item.text), mode: 'cloze', blanks: clozeDeletions(item.text).length };
    case 'basic':
      return { ...base, prompt: item.front, mode: 'reveal', back: item.back };
  }
}

/** What is shown once answered: the answer and the explanation, Markdown ('' when there is none). */
export interface ItemAnswer {
  answer: string;
  explanation: string;
}

function answerOf(item: Exclude<BankItem, GeneratedItem>): ItemAnswer {
  switch (item.kind) {
    case 'choice': {
      const right = new Set(Array.isArray(item.answer) ? item.answer : [item.answer]);
      const answer = item.options.filter((o) => right.has(o.key)).map((o) => `**${o.key}.** ${o.text}`).join('\n\n');
      return { answer, explanation: item.explanation };
    }
    case 'cloze':
      return { answer: clozeBack(item.text), explanation: [item.extra, item.erratum].filter(Boolean).join('\n\n') };
    case 'basic':
      return { answer: item.back, explanation: item.erratum ?? '' };
  }
}

function variantAnswer(variant: Variant): ItemAnswer {
  return { answer: variant.answer.display, explanation: variant.explanation.join('\n\n') };
}

/** The back of an item: what review and quiz show after an answer, and the preview beside the front. */
export function itemAnswer(item: BankItem, seed: number | null): ItemAnswer {
  return item.kind === 'generated' ? variantAnswer(itemVariant(item, seed ?? 0)) : answerOf(item);
}

// ---------------------------------------------------------------------------------------------
// Grading

export interface ItemGrade extends ItemAnswer {
  status: GradeResult['status'];
  correct: boolean;
  readAs: string | null;
  /** The value as read, JSON, for the review record. */
  value: unknown;
  feedback: string[];
  misconception: GradeResult['misconception'];
  /** Every misconception that explains the answer (two can give the same wrong value); the first is `misconception`. */
  misconceptions: GradeResult['misconceptions'];
  components: GradeResult['components'] | null;
  /** The network the question is about, for the engine panel. */
  spec: Spec | null;
  /** The expected answer, for the engine panel's agreement mark. */
  expected: { kind: string; value: unknown; display: string } | null;
  /** Where the answer sits in the analysis of `spec` (the variant's source); null when it is not one quantity of the network. */
  source: AnswerSource | null;
}

type Verdict = Pick<ItemGrade, 'status' | 'correct' | 'readAs' | 'value' | 'feedback'>;

const unread = (feedback: string): Verdict => ({ status: 'unread', correct: false, readAs: null, value: null, feedback: [feedback] });

function gradeChoice(item: ChoiceItem, raw: string): Verdict {
  const expected = new Set(Array.isArray(item.answer) ? item.answer : [item.answer]);
  const given = new Set(raw.split(',').map((k) => k.trim().toLowerCase()).filter(Boolean));
  if (given.size === 0) return unread('not read: choose an option');
  const known = new Set(item.options.map((o) => o.key));
  const unknown = [...given].filter((k) => !known.has(k));
  if (unknown.length) return unread(`not read: no option ${unknown.join(', ')}`);
  const correct = given.size === expected.size && [...given].every((k) => expected.has(k));
  return { status: correct ? 'correct' : 'wrong', correct, readAs: `chose ${[...given].join(', ')}`, value: [...given], feedback: [correct ? 'Right.' : 'Not that one.'] };
}

function gradeCloze(item: ClozeItem, answers: string[]): Verdict {
  const deletions = clozeDeletions(item.text);
  if (answers.every((a) => a.trim() === '')) return unread('not read: fill in the blanks');
  const results = deletions.map((d, i) => clozeBlankCorrect(d.answer, answers[i] ?? ''));
  const correct = results.every(Boolean);
  const feedback = deletions.map((d, i) => `${i + 1}: ${results[i] ? 'right' : `expected “${stripTex(d.answer)}”`}`);
  return { status: correct ? 'correct' : 'wrong', correct, readAs: `read as ${answers.map((a) => `“${a.trim()}”`).join(', ')}`, value: answers, feedback };
}

function gradeBasic(raw: string): Verdict {
  if (raw !== 'knew' && raw !== 'forgot') return unread('not read: say whether you knew it');
  const knew = raw === 'knew';
  return { status: knew ? 'correct' : 'wrong', correct: knew, readAs: knew ? 'you knew it' : 'you did not know it', value: knew, feedback: [] };
}

const noEngine: Pick<ItemGrade, 'misconception' | 'misconceptions' | 'components' | 'spec' | 'expected' | 'source'> = { misconception: null, misconceptions: [], components: null, spec: null, expected: null, source: null };

/**
 * Grades a raw answer. `raw` is the typed text (generated), comma-separated option keys (choice),
 * the blanks joined by CLOZE_SEPARATOR (cloze), or 'knew' / 'forgot' (a basic card's self-grade).
 */
export function gradeBankItem(item: BankItem, seed: number | null, raw: string): ItemGrade {
  switch (item.kind) {
    case 'generated': {
      const variant = itemVariant(item, seed ?? 0);
      const g = grade(variant, raw);
      const { kind, value, display } = variant.answer;
      return {
        status: g.status,
        correct: g.correct,
        readAs: g.readAs,
        value: g.value,
        feedback: g.feedback,
        misconception: g.misconception,
        misconceptions: g.misconceptions,
        components: g.components ?? null,
        ...variantAnswer(variant),
        spec: variant.spec,
        expected: { kind, value, display },
        source: variant.source ?? null,
      };
    }
    case 'choice':
      return { ...gradeChoice(item, raw), ...noEngine, ...answerOf(item) };
    case 'cloze':
      return { ...gradeCloze(item, raw.split(CLOZE_SEPARATOR)), ...noEngine, ...answerOf(item) };
    case 'basic':
      return { ...gradeBasic(raw), ...noEngine, ...answerOf(item) };
  }
}

// ---------------------------------------------------------------------------------------------
// Reading an item back from storage

export const STORED_ITEM_ERRORS = {
  notJson: (bankId: string, itemId: string, reason: string) => `bank ${bankId}, item ${itemId}: the stored item is not JSON (${reason})`,
  invalid: (bankId: string, itemId: string, problems: string) => `bank ${bankId}, item ${itemId}: the stored item no longer fits the bank format: ${problems}`,
} as const;

/** A stored item that does not parse: the message names the bank, the item and what failed. */
export class StoredItemError extends Error {
  override name = 'StoredItemError';
  constructor(
    readonly bankId: string,
    readonly itemId: string,
    message: string,
  ) {
    super(message);
  }
}

/** Problems listed in a StoredItemError's message at most (the rest are counted). */
const MAX_LISTED_PROBLEMS = 3;

/**
 * An item read back from the database, parsed with the bank schema: `content` is the stored JSON
 * text (or a value already taken out of a larger JSON document, such as a saved bank version).
 * Throws StoredItemError when it no longer parses.
 */
export function parseStoredItem({ bankId, itemId, content }: { bankId: string; itemId: string; content: unknown }): BankItem {
  let value = content;
  if (typeof content === 'string') {
    try {
      value = JSON.parse(content);
    } catch (err) {
      throw new StoredItemError(bankId, itemId, STORED_ITEM_ERRORS.notJson(bankId, itemId, err instanceof Error ? err.message : String(err)));
    }
  }
  const parsed = itemSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const listed = issues.slice(0, MAX_LISTED_PROBLEMS).map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`);
  if (issues.length > MAX_LISTED_PROBLEMS) listed.push(`and ${issues.length - MAX_LISTED_PROBLEMS} more`);
  throw new StoredItemError(bankId, itemId, STORED_ITEM_ERRORS.invalid(bankId, itemId, listed.join('; ')));
}
