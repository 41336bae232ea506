/**
 * Cloze items: the deletion syntax, the blanked front and the filled back, and the grading of
 * one blank. The one place a cloze text is turned into what a student sees, so the review, the
 * quiz, the instructor's preview and the exports cannot drift apart.
 */
import { readAnswer, type ReadContext, type Reading } from '../answers';

/** `{{c1::answer}}` or `{{c1::answer::hint}}` */
export const CLOZE_DELETION = /\{\{c(\d+)::((?:(?!\}\}|::).)*)(?:::((?:(?!\}\}).)*))?\}\}/gs;

export { CLOZE_SEPARATOR } from './cloze-separator';

export interface ClozeDeletion {
  answer: string;
  hint?: string;
}

/** The deletions of a cloze text: what is blanked, and its hint. */
export function clozeDeletions(text: string): ClozeDeletion[] {
  return [...text.matchAll(CLOZE_DELETION)].map((m) => ({ answer: m[2]!, ...(m[3] !== undefined && { hint: m[3] }) }));
}

/**
 * The n-th blank (1-based) as a student sees it, numbered like the answer fields:
 * `[1 …]`, or with its hint `[2: a size …]`.
 */
export function clozeBlank(n: number, hint?: string): string {
  return `[${n}${hint ? `: ${hint}` : ''} …]`;
}

/**
 * The front of a cloze: every deletion replaced by its blank, wrapped in `mark` (Markdown bold
 * on pages; '' for a plain-text export such as Anki's).
 */
export function clozeFront(text: string, mark = '**'): string {
  let n = 0;
  return text.replace(CLOZE_DELETION, (_m, _c, _answer, hint?: string) => `${mark}${clozeBlank(++n, hint)}${mark}`);
}

/** The back of a cloze: every deletion filled with its answer, wrapped in `mark` (as clozeFront). */
export function clozeBack(text: string, mark = '**'): string {
  return text.replace(CLOZE_DELETION, (_m, _c, answer: string) => `${mark}${answer}${mark}`);
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
  // A fact's number may be a real (5e-4, 0.5 MB): cloze blanks are not whole-count questions.
  const count = readAnswer(plain, { kind: 'count', whole: false });
  if (count.ok && count.value.kind === 'count') return { context: count.unitText === null ? { kind: 'count', whole: false } : { kind: 'count', unit: count.value.unit, whole: false }, reading: count };
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
