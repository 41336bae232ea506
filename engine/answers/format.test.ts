import { describe, expect, it } from 'vitest';
import type { AnswerValue } from '../question';
import { createRng, type Rng } from '../random';
import { countOf, formatAnswer, nounFor, readAnswer } from './index';

describe('formatAnswer', () => {
  it.each<[AnswerValue, string]>([
    [{ kind: 'count', value: 34944, unit: 'params' }, '34,944'],
    [{ kind: 'count', value: 854196224, unit: 'macs' }, '854,196,224'],
    [{ kind: 'count', value: 999, unit: 'params' }, '999'],
    [{ kind: 'count', value: 105705600, unit: 'params' }, '105,705,600'],
    [{ kind: 'count', value: 34.944, unit: 'params' }, '34.9440'],
    [{ kind: 'count', value: 1234.5, unit: 'values' }, '1,234.5'],
    [{ kind: 'shape', value: [55, 55, 96] }, '55×55×96'],
    [{ kind: 'shape', value: [4096] }, '4096'],
    [{ kind: 'number', value: 0.75 }, '0.75'],
    [{ kind: 'number', value: 1e-7 }, '1e-7'],
    [{ kind: 'percent', value: 12.5 }, '12.5%'],
    [{ kind: 'choice', value: 'b', options: [{ key: 'a', label: 'VGG16' }, { key: 'b', label: 'GoogLeNet' }] }, 'GoogLeNet'],
  ])('%j → %s', (value, display) => {
    expect(formatAnswer(value)).toBe(display);
  });
});

/** Real numbers of the kinds answers have: integers, a few decimals, full-precision doubles, tiny and large. */
function realValue(rng: Rng): number {
  switch (rng.int(0, 4)) {
    case 0:
      return rng.int(0, 1e12);
    case 1:
      return rng.int(0, 10 ** rng.int(1, 9)) / 10 ** rng.int(1, 6);
    case 2:
      return rng.next() * 10 ** rng.int(-3, 12);
    case 3:
      return rng.next() * 10 ** rng.int(-12, -6);
    default:
      return rng.int(0, 1000) * 1000 ** rng.int(0, 4);
  }
}

describe('round trip: readAnswer(formatAnswer(v)) is v exactly', () => {
  const rng = createRng(7);
  it('5,000 counts (real ones are estimates, read with a tolerance)', () => {
    for (let i = 0; i < 5000; i++) {
      const value: AnswerValue = { kind: 'count', value: realValue(rng), unit: rng.pick(['params', 'macs', 'bytes', 'values'] as const) };
      const context = Number.isInteger(value.value) ? value : { ...value, tolerance: { relative: 0.01 } };
      const result = readAnswer(formatAnswer(value), context);
      expect(result.ok && result.value, formatAnswer(value)).toEqual(value);
    }
  });
  it('5,000 shapes', () => {
    for (let i = 0; i < 5000; i++) {
      const value: AnswerValue = { kind: 'shape', value: Array.from({ length: rng.int(1, 4) }, () => rng.int(1, rng.pick([7, 224, 4096, 1e6]))) };
      const result = readAnswer(formatAnswer(value), value);
      expect(result.ok && result.value).toEqual(value);
    }
  });
  it('5,000 numbers and percents', () => {
    for (let i = 0; i < 5000; i++) {
      const magnitude = realValue(rng);
      const number: AnswerValue = { kind: 'number', value: rng.chance(0.2) && magnitude !== 0 ? -magnitude : magnitude };
      const percent: AnswerValue = { kind: 'percent', value: magnitude };
      for (const value of [number, percent]) {
        const result = readAnswer(formatAnswer(value), value);
        expect(result.ok && result.value, formatAnswer(value)).toEqual(value);
      }
    }
  });
  it('choices', () => {
    const options = [{ key: 'a', label: 'AlexNet' }, { key: 'b', label: 'ZFNet' }, { key: 'c', label: 'VGG19' }, { key: 'd', label: '7.3%' }];
    for (const { key } of options) {
      const value: AnswerValue = { kind: 'choice', value: key, options };
      expect(readAnswer(formatAnswer(value), value)).toMatchObject({ ok: true, value: { value: key } });
    }
  });
});

describe('countOf / nounFor: sentences read by a person', () => {
  it.each([
    [0, 'side', '0 sides'],
    [1, 'side', '1 side'],
    [2, 'side', '2 sides'],
    [1, 'lapse', '1 lapse'],
    [3, 'lapse', '3 lapses'],
    [1000, 'attempt', '1,000 attempts'],
    [1, 'generated item', '1 generated item'],
  ] as const)('%i %s → %s', (n, noun, text) => expect(countOf(n, noun)).toBe(text));

  it('takes an irregular plural', () => {
    expect(countOf(1, 'query', 'queries')).toBe('1 query');
    expect(countOf(2, 'query', 'queries')).toBe('2 queries');
    expect(nounFor(1, 'card')).toBe('card');
    expect(nounFor(5, 'card')).toBe('cards');
  });
});
