/**
 * The answer box's hint: how to write an answer of the kind asked, by example. Each example is
 * spelled several ways that the reader reads back to exactly the same value, so no suggested
 * spelling is graded wrong (a rounded "35K" offered beside "34,944" was); and the example
 * values (1,234,567; 12×12×345) are no answer of the chapter, so the hint gives nothing away.
 * The not-read reasons of read.ts use the same examples.
 */
import type { AnswerValue, Tolerance } from '../question';
import { groupThousands } from './format';
import type { ReadContext } from './read';

interface Example<V> {
  value: V;
  /** The first is the display form; all read back to `value` exactly. */
  spellings: readonly string[];
}

export const COUNT_EXAMPLE: Example<number> = { value: 1234567, spellings: ['1,234,567', '1234567', '1.234567M', '1.234567e6'] };
export const SHAPE_EXAMPLE: Example<number[]> = { value: [12, 12, 345], spellings: ['12×12×345', '12 by 12 by 345', 'H=12, W=12, C=345'] };
export const NUMBER_EXAMPLE: Example<number> = { value: 1234.5, spellings: ['1,234.5', '1234.5'] };
export const PERCENT_EXAMPLE: Example<number> = { value: 7.25, spellings: ['7.25%', '7.25 percent'] };

export interface AnswerHint {
  /** One line for a person: "A whole number, e.g. 1,234,567 (= 1234567 = 1.234567M = 1.234567e6)". */
  text: string;
  /** The spellings the text suggests, each a spelling of `example`. */
  spellings: readonly string[];
  /** The value every suggested spelling reads as; null for choices. */
  example: AnswerValue | null;
}

/** "1,234,567 (= 1234567 = 1.234567M)": the first spelling, then the others as equal to it. */
function equalSpellings(spellings: readonly string[]): string {
  const [first = '', ...others] = spellings;
  return others.length ? `${first} (= ${others.join(' = ')})` : first;
}

/** "; within 1% is right" / "; within ±0.01 is right" — what a tolerance accepts, said plainly. */
function toleranceNote(tolerance: Tolerance | undefined, percentSign = ''): string {
  if (!tolerance) return '';
  const parts: string[] = [];
  if (tolerance.relative !== undefined) parts.push(`${groupThousands(tolerance.relative * 100)}%`);
  if (tolerance.absolute !== undefined) parts.push(`±${groupThousands(tolerance.absolute)}${percentSign}`);
  return parts.length ? `; within ${parts.join(' or ')} of the answer is right` : '';
}

export function answerHint(context: ReadContext): AnswerHint {
  switch (context.kind) {
    case 'count': {
      const whole = context.whole ?? context.tolerance === undefined;
      const unit = context.unit ?? 'units';
      return {
        text: `${whole ? 'A whole number' : 'A number'}, e.g. ${equalSpellings(COUNT_EXAMPLE.spellings)}${toleranceNote(context.tolerance)}`,
        spellings: COUNT_EXAMPLE.spellings,
        example: { kind: 'count', value: COUNT_EXAMPLE.value, unit },
      };
    }
    case 'shape':
      return {
        text: `H×W×C, e.g. ${SHAPE_EXAMPLE.spellings.join(', or ')}`,
        spellings: SHAPE_EXAMPLE.spellings,
        example: { kind: 'shape', value: [...SHAPE_EXAMPLE.value] },
      };
    case 'number':
      return {
        text: `A number, e.g. ${equalSpellings(NUMBER_EXAMPLE.spellings)}${toleranceNote(context.tolerance)}`,
        spellings: NUMBER_EXAMPLE.spellings,
        example: { kind: 'number', value: NUMBER_EXAMPLE.value },
      };
    case 'percent':
      return {
        text: `A percentage, e.g. ${equalSpellings(PERCENT_EXAMPLE.spellings)}${toleranceNote(context.tolerance, ' points')}`,
        spellings: PERCENT_EXAMPLE.spellings,
        example: { kind: 'percent', value: PERCENT_EXAMPLE.value },
      };
    case 'choice':
      return { text: "An option's key (a, b, …) or its exact text", spellings: [], example: null };
  }
}
