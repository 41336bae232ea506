/**
 * One item as a student meets it, in review and in quizzes, rendered for the page: the engine
 * (engine/bank/item.ts) builds the face and grades the answer in Markdown; this module turns
 * them into HTML. The instructor's preview renders through the same functions.
 */
import { gradeBankItem, itemAnswer, presentBankItem, StoredItemError, type ItemFace, type ItemGrade } from '../engine/bank/item';
import type { BankItem } from '../engine/bank/schema';
import { answerHint } from '../engine/answers';
import { renderMarkdown } from './markdown';
import { stepsOf, type StepFigure } from './worked-steps.server';

export type { AnswerMode } from '../engine/bank/item';
/** Routes reach the engine's item functions through this server module (kept out of the browser bundle). */
export { parseStoredItem, reviewSeed, StoredItemError } from '../engine/bank/item';

/** What the page shows before the answer (never the answer itself): the engine's face of the item, rendered. */
export type PresentedCard = Omit<ItemFace, 'prompt' | 'options' | 'back'> & {
  itemId: string;
  promptHtml: string;
  options: { key: string; html: string }[] | null;
  /** A basic card's back, shown when the student reveals it and grades themself. */
  backHtml: string | null;
  /** Before anything is typed: how to write the answer, by an example that gives nothing away (null unless typed). */
  answerHint: string | null;
};

/** A graded item as the page shows it: the engine's grade, its answer and explanation rendered. */
export type GradedCard = Omit<ItemGrade, 'answer' | 'explanation' | 'expected'> & {
  answerHtml: string;
  explanationHtml: string;
  /** The expected answer, for the engine panel's agreement mark. */
  answer: ItemGrade['expected'];
  /** The worked-step pictures (app/worked-steps.server.ts); absent where a grade is withheld. */
  steps?: StepFigure[];
};

export function presentItem(itemId: string, item: BankItem, seed: number | null): PresentedCard {
  const { prompt, options, back, ...face } = presentBankItem(item, seed);
  return {
    itemId,
    ...face,
    promptHtml: renderMarkdown(prompt),
    options: options && options.map((o) => ({ key: o.key, html: renderMarkdown(o.text) })),
    backHtml: back === null ? null : renderMarkdown(back),
    answerHint: face.mode === 'typed' && face.readContext ? answerHint(face.readContext).text : null,
  };
}

/** The back of an item as the page shows it after an answer. */
export function answerHtmlOf(item: BankItem, seed: number | null): { answerHtml: string; explanationHtml: string } {
  const { answer, explanation } = itemAnswer(item, seed);
  return { answerHtml: renderMarkdown(answer), explanationHtml: renderMarkdown(explanation) };
}

/** Grades a raw answer (see engine/bank/item.ts gradeBankItem for its forms). */
export function gradeItem(item: BankItem, seed: number | null, raw: string): GradedCard {
  const { answer, explanation, expected, ...graded } = gradeBankItem(item, seed, raw);
  return { ...graded, answerHtml: renderMarkdown(answer), explanationHtml: renderMarkdown(explanation), answer: expected, steps: stepsOf(item, seed) };
}

/**
 * Runs a route's work on stored items: an item that no longer parses (StoredItemError) becomes a
 * 500 whose text names the bank and the item, instead of a crash deep in a page.
 */
export function storedItemFailureAsHttp<T>(run: () => T): T {
  try {
    const value = run();
    // An async model call: its rejection is answered the same way.
    return (value instanceof Promise ? value.catch(storedItemAsHttp) : value) as T;
  } catch (err) {
    return storedItemAsHttp(err);
  }
}

function storedItemAsHttp(err: unknown): never {
  if (err instanceof StoredItemError) throw new Response(err.message, { status: 500, statusText: 'Stored item unreadable' });
  throw err;
}
