import { describe, expect, it } from 'vitest';
import { answerHint, grade, readAnswer, type ReadContext } from './index';

// [name, context, the hint as the answer box shows it]
const hints: [string, ReadContext, string][] = [
  ['an exact count', { kind: 'count', unit: 'params' }, 'A whole number, e.g. 1,234,567 (= 1234567 = 1.234567M = 1.234567e6)'],
  ['an estimate', { kind: 'count', unit: 'macs', tolerance: { relative: 0.01 } }, 'A number, e.g. 1,234,567 (= 1234567 = 1.234567M = 1.234567e6); within 1% of the answer is right'],
  ['a shape', { kind: 'shape' }, 'H×W×C, e.g. 12×12×345, or 12 by 12 by 345, or H=12, W=12, C=345'],
  ['a ratio', { kind: 'number', tolerance: { absolute: 0.01 } }, 'A number, e.g. 1,234.5 (= 1234.5); within ±0.01 of the answer is right'],
  ['a percentage', { kind: 'percent' }, 'A percentage, e.g. 7.25% (= 7.25 percent)'],
  ['a choice', { kind: 'choice', options: [{ key: 'a', label: 'VGG' }] }, "An option's key (a, b, …) or its exact text"],
];

describe('answerHint', () => {
  it.each(hints)('%s', (_name, context, text) => {
    const hint = answerHint(context);
    expect(hint.text).toBe(text);
    // Issue 12: the hint offered "35K" beside "34,944", and 35K is graded wrong for an exact 34,944.
    expect(hint.text).not.toMatch(/35K|34,944/);
    for (const spelling of hint.spellings) {
      const read = readAnswer(spelling, context);
      expect(read.ok && read.value.value, spelling).toEqual(hint.example?.value);
    }
  });

  it('an exact count: every suggested spelling is graded right for the example, none diagnosed rounded', () => {
    const hint = answerHint({ kind: 'count', unit: 'params' });
    for (const spelling of hint.spellings) {
      const result = grade({ answer: { kind: 'count', value: 1234567, unit: 'params', display: '1,234,567' }, misconceptions: [] }, spelling);
      expect(result.status, spelling).toBe('correct');
    }
  });
});
