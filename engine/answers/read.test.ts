import { describe, expect, it } from 'vitest';
import type { AnswerValue } from '../question';
import { createRng } from '../random';
import { formatAnswer, NOT_READ, readAnswer, type ReadContext } from './index';

const params: ReadContext = { kind: 'count', unit: 'params' };
const macs: ReadContext = { kind: 'count', unit: 'macs' };
/** A count with a tolerance is an estimate, and may be a real number. */
const estimate: ReadContext = { kind: 'count', unit: 'params', tolerance: { relative: 0.01 } };
const bytes: ReadContext = { kind: 'count', unit: 'bytes' };
const shape: ReadContext = { kind: 'shape' };
const percent: ReadContext = { kind: 'percent' };
const number: ReadContext = { kind: 'number' };
const choice: ReadContext = {
  kind: 'choice',
  options: [
    { key: 'a', label: 'VGG16' },
    { key: 'b', label: 'GoogLeNet' },
    { key: 'c', label: 'ResNet-152' },
  ],
};

const count = (value: number, unit: 'params' | 'macs' | 'bytes' | 'flops' = 'params'): AnswerValue => ({ kind: 'count', value, unit });
const dims = (...value: number[]): AnswerValue => ({ kind: 'shape', value });

// [input, context, value read, readAs]
const accepted: [string, ReadContext, AnswerValue, string][] = [
  ['55x55x96', shape, dims(55, 55, 96), 'read as 55×55×96'],
  ['55×55×96', shape, dims(55, 55, 96), 'read as 55×55×96'],
  ['55 x 55 x 96', shape, dims(55, 55, 96), 'read as 55×55×96'],
  ['55 X 55 X 96', shape, dims(55, 55, 96), 'read as 55×55×96'],
  ['55*55*96', shape, dims(55, 55, 96), 'read as 55×55×96'],
  ['(55, 55, 96)', shape, dims(55, 55, 96), 'read as 55×55×96'],
  ['[55,55,96]', shape, dims(55, 55, 96), 'read as 55×55×96'],
  ['55,55,96', shape, dims(55, 55, 96), 'read as 55×55×96'],
  ['55 55 96', shape, dims(55, 55, 96), 'read as 55×55×96'],
  ['  55\u00a0×\u00a055 ×96 ', shape, dims(55, 55, 96), 'read as 55×55×96'],
  ['4096', shape, dims(4096), 'read as 4096'],
  ['1x1x4096', shape, dims(1, 1, 4096), 'read as 1×1×4096'],
  ['34944', params, count(34944), 'read as 34,944'],
  ['34,944', params, count(34944), 'read as 34,944'],
  ['34 944', params, count(34944), 'read as 34,944'],
  ['34\u202f944', params, count(34944), 'read as 34,944'],
  ['34_944', params, count(34944), 'read as 34,944'],
  ['3.4944e4', params, count(34944), 'read as 34,944 (3.4944e4)'],
  ['3.4944E4', params, count(34944), 'read as 34,944 (3.4944E4)'],
  ['3.4944 × 10^4', params, count(34944), 'read as 34,944 (3.4944 × 10^4)'],
  ['34.944K', params, count(34944), 'read as 34,944 (34.944K)'],
  ['34.944k', params, count(34944), 'read as 34,944 (34.944k)'],
  ['35K', params, count(35000), 'read as 35,000 (35K)'],
  ['~35K', params, count(35000), 'read as 35,000 (~35K)'],
  ['854M', macs, count(854e6, 'macs'), 'read as 854,000,000 (854M)'],
  ['854m', macs, count(854e6, 'macs'), 'read as 854,000,000 (854m)'],
  ['0.85G', macs, count(850e6, 'macs'), 'read as 850,000,000 (0.85G)'],
  ['≈ 271M', params, count(271e6), 'read as 271,000,000 (≈ 271M)'],
  ['271 M', params, count(271e6), 'read as 271,000,000 (271 M)'],
  ['1.2 million', params, count(1.2e6), 'read as 1,200,000 (1.2 million)'],
  ['1.2 billion', params, count(1.2e9), 'read as 1,200,000,000 (1.2 billion)'],
  ['2.5 thousand', params, count(2500), 'read as 2,500 (2.5 thousand)'],
  ['138M params', params, count(138e6), 'read as 138,000,000 params (138M params)'],
  ['1.2B', params, count(1.2e9), 'read as 1,200,000,000 (1.2B)'],
  ['34,944 params', params, count(34944), 'read as 34,944 params'],
  ['1,234,567', params, count(1234567), 'read as 1,234,567'],
  ['34,944.5', estimate, count(34944.5), 'read as 34,944.5'],
  ['1.4 GFLOPs', macs, count(1.4e9, 'flops'), 'read as 1,400,000,000 FLOPs (1.4 GFLOPs)'],
  ['724M MACs', macs, count(724e6, 'macs'), 'read as 724,000,000 MACs (724M MACs)'],
  ['96 MB', bytes, count(96e6, 'bytes'), 'read as 96,000,000 bytes (96 MB)'],
  ['61 MB', params, count(61e6, 'bytes'), 'read as 61,000,000 bytes (61 MB)'],
  ['3 KB', bytes, count(3000, 'bytes'), 'read as 3,000 bytes (3 KB)'],
  ['1 KiB', bytes, count(1024, 'bytes'), 'read as 1,024 bytes (1 KiB)'],
  ['96 MiB', bytes, count(96 * 2 ** 20, 'bytes'), 'read as 100,663,296 bytes (96 MiB)'],
  ['1.5 GiB', bytes, count(1.5 * 2 ** 30, 'bytes'), 'read as 1,610,612,736 bytes (1.5 GiB)'],
  ['96 bytes', bytes, count(96, 'bytes'), 'read as 96 bytes'],
  ['12B', bytes, count(12, 'bytes'), 'read as 12 bytes'],
  ['0.034944', estimate, count(0.034944), 'read as 0.034944'],
  ['7.3%', percent, { kind: 'percent', value: 7.3 }, 'read as 7.3%'],
  ['7.3 %', percent, { kind: 'percent', value: 7.3 }, 'read as 7.3%'],
  ['7.3 percent', percent, { kind: 'percent', value: 7.3 }, 'read as 7.3%'],
  ['7.3', percent, { kind: 'percent', value: 7.3 }, 'read as 7.3%'],
  ['0.5%', percent, { kind: 'percent', value: 0.5 }, 'read as 0.5%'],
  ['0.75', number, { kind: 'number', value: 0.75 }, 'read as 0.75'],
  ['-3', number, { kind: 'number', value: -3 }, 'read as -3'],
  ['50×', number, { kind: 'number', value: 50 }, 'read as 50'],
  ['a', choice, { kind: 'choice', value: 'a', options: [] }, 'read as (a) VGG16'],
  ['B', choice, { kind: 'choice', value: 'b', options: [] }, 'read as (b) GoogLeNet'],
  ['(c)', choice, { kind: 'choice', value: 'c', options: [] }, 'read as (c) ResNet-152'],
  ['googlenet', choice, { kind: 'choice', value: 'b', options: [] }, 'read as (b) GoogLeNet'],
  ['  resnet-152 ', choice, { kind: 'choice', value: 'c', options: [] }, 'read as (c) ResNet-152'],
  ['b) GoogLeNet', choice, { kind: 'choice', value: 'b', options: [] }, 'read as (b) GoogLeNet'],
];

// [input, context, substring of the reason]
const refused: [string, ReadContext, string][] = [
  ['', params, 'empty'],
  ['   ', shape, 'empty'],
  ['9'.repeat(201), params, 'longer than 200 characters'],
  ['34,94', params, 'ambiguous'],
  ['1,23,456', params, 'ambiguous'],
  ['3,4944', params, 'ambiguous'],
  ['1234,567', params, 'ambiguous'],
  ['1.234,5', params, 'mixes separators'],
  ['1,234 567', params, 'mixes separators'],
  ['1.234.567', params, 'more than one decimal point'],
  ['34,', params, 'separator with no digits'],
  ['34.944', params, 'ambiguous for a count'],
  ['-5', params, 'cannot be negative'],
  ['1e40', params, 'out of range'],
  ['2e15', params, 'too large'],
  ['55x55x96', params, 'looks like a shape'],
  ['(55, 55, 96)', params, 'is not a number'],
  ['12 apples', params, 'unknown unit "apples"'],
  ['34944 or 35000', params, 'unknown unit'],
  ['about', params, 'is not a number'],
  ['abc', params, 'is not a number'],
  ['one million', params, 'is not a number'],
  ['55x55x', shape, 'side of the shape is missing'],
  ['(55,55,96', shape, 'brackets do not match'],
  ['55x55x96]', shape, 'brackets do not match'],
  ['55.5x55x96', shape, 'not a side of a shape'],
  ['55x55x96 values', shape, 'not a side of a shape'],
  ['1x2x3x4x5', shape, '1 to 4 sides'],
  ['0.073', percent, 'ambiguous: the fraction 7.3%, or 0.073%'],
  ['7.3 pts', percent, 'after a percentage'],
  ['0.75 m', number, 'after the number'],
  ['d', choice, 'not one of the options (a, b, c)'],
  ['VGG', choice, 'not one of the options'],
  ['b) VGG16', choice, 'not one of the options'],
];

describe('readAnswer: accepted inputs', () => {
  it.each(accepted)('%j (%j) is read', (input, context, value, readAs) => {
    const result = readAnswer(input, context);
    if (!result.ok) throw new Error(result.reason);
    if (value.kind === 'choice') expect(result.value.kind === 'choice' && result.value.value).toBe(value.value);
    else expect(result.value).toEqual(value);
    expect(result.readAs).toBe(readAs);
  });
  it('the table has at least 40 rows', () => expect(accepted.length + refused.length).toBeGreaterThanOrEqual(80));
});

describe('readAnswer: refused inputs', () => {
  it.each(refused)('%j (%j) is not read', (input, context, reason) => {
    const result = readAnswer(input, context);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toMatch(/^not read: /);
      expect(result.reason).toContain(reason);
    }
  });
});

/**
 * Issue 12, "the answer reader": each case failed before (read as something else, or refused).
 * [name, input, context, value read | null for refused, readAs | a substring of the reason]
 */
const issue12: [string, string, ReadContext, number[] | number | null, string][] = [
  // A thousands comma inside a shape is a thousands comma (13×13×1,000 was 13×13×1×0).
  ['thousands comma in the last side', '13×13×1,000', shape, [13, 13, 1000], 'read as 13×13×1000'],
  ['thousands comma in a 1×1 shape', '1×1×4,096', shape, [1, 1, 4096], 'read as 1×1×4096'],
  ['thousands comma with "by"', '13 by 13 by 1,000', shape, [13, 13, 1000], 'read as 13×13×1000'],
  ['thousands comma with ";" between sides', '13; 13; 1,000', shape, [13, 13, 1000], 'read as 13×13×1000'],
  ['a vector with a thousands comma', '4,096', shape, [4096], 'read as 4096'],
  ['a vector of 1,000', '1,000', shape, [1000], 'read as 1000'],
  ['a vector with two thousands commas', '1,000,000', shape, [1000000], 'read as 1000000'],
  ['commas as separators', '13,13,1000', shape, [13, 13, 1000], 'read as 13×13×1000'],
  ['commas as separators, three-digit sides', '224,224,3', shape, [224, 224, 3], 'read as 224×224×3'],
  ['comma and space as separators', '64, 128', shape, [64, 128], 'read as 64×128'],
  ['a group not of three after a thousands comma', '13×13×1,00', shape, null, 'groups of three'],
  ['number or two sides', '64,128', shape, null, 'ambiguous: the number 64128 or the shape 64×128'],
  ['number or two sides, leading 1', '1,152', shape, null, 'ambiguous: the number 1152 or the shape 1×152'],
  ['number or three sides', '256,256,256', shape, null, 'ambiguous'],
  ['thousands comma among separator commas', '13,13,1,000', shape, null, '"000" starts with 0'],
  ['a side 024 from a thousands comma', '7,7,1,024', shape, null, '"024" starts with 0'],
  ['a zero side', '13×13×0', shape, null, 'a side of a shape is at least 1'],
  ['× and commas between sides', '55×55, 96', shape, null, 'mixes × and commas'],
  // Also read.
  ['"by" between sides', '55 by 55 by 96', shape, [55, 55, 96], 'read as 55×55×96'],
  ['named sides, H W C', 'H=55, W=55, C=96', shape, [55, 55, 96], 'read as 55×55×96'],
  ['named sides, C H W', 'C=96, H=55, W=55', shape, [55, 55, 96], 'read as 55×55×96'],
  ['named sides, W C H, colons, lower case', 'w: 55; c: 96; h: 27', shape, [27, 55, 96], 'read as 27×55×96'],
  ['named sides with a thousands comma', 'H=13, W=13, C=1,000', shape, [13, 13, 1000], 'read as 13×13×1000'],
  ['named sides, one missing', 'H=55, W=55', shape, null, 'name each of H, W and C once'],
  ['named sides, one twice', 'H=55, W=55, C=96, H=3', shape, null, 'name each of H, W and C once'],
  ['named sides and something else', 'H=55, W=55, C=96 pixels', shape, null, 'name each of H, W and C once'],
  ['stated order H×W×C', '55×55×96 (H×W×C)', shape, [55, 55, 96], 'read as 55×55×96'],
  ['stated order C×H×W is honoured', '96×55×55 (C×H×W)', shape, [55, 55, 96], 'read as 55×55×96 (from 96×55×55, C×H×W)'],
  ['stated order CHW, commas', '(96, 27, 55) (chw)', shape, [27, 55, 96], 'read as 27×55×96 (from 96×27×55, C×H×W)'],
  ['stated order W×H×C', '55×27×96 [WxHxC]', shape, [27, 55, 96], 'read as 27×55×96 (from 55×27×96, W×H×C)'],
  ['stated order naming an axis twice', '96×55×55 (C×H×H)', shape, null, 'must name H, W and C once each'],
  ['stated order of two axes', '55×55 (H×W)', shape, null, 'must name H, W and C once each'],
  ['stated order on a vector', '4096 (HWC)', shape, null, 'the order names 3 sides (H, W, C) but the shape has 1'],
  ['"=" before a count', '= 34944', params, 34944, 'read as 34,944'],
  ['"=" before a shape', '= 55×55×96', shape, [55, 55, 96], 'read as 55×55×96'],
  ['"≈" before a grouped count', '≈ 34,944', params, 34944, 'read as 34,944'],
  // Counts are whole numbers.
  ['a count with four decimals', '34.9440', params, null, '"34.9440" is not a whole number'],
  ['a count of one and a half', '1.5', params, null, '"1.5" is not a whole number'],
  ['a count in exponent form below 1', '1e-5', params, null, '"1e-5" is not a whole number'],
  ['a count with K that is not whole', '1.2345K', params, null, 'not a whole number'],
  ['1.5M is a whole count', '1.5M', params, 1500000, 'read as 1,500,000 (1.5M)'],
  ['0.85G is a whole count', '0.85G', macs, 850000000, 'read as 850,000,000 (0.85G)'],
  ['an estimate may be real', '34.9440', estimate, 34.944, 'read as 34.9440'],
  ['an estimate in exponent form', '1e-5', estimate, 0.00001, 'read as 0.00001 (1e-5)'],
  ['a count told it may be real', '1.5', { kind: 'count', whole: false }, 1.5, 'read as 1.5'],
  ['still ambiguous: a short group', '34,94', params, null, 'ambiguous: after a separator, digits must come in groups of three'],
];

describe('readAnswer: issue 12 regressions', () => {
  it.each(issue12)('%s: %j', (_name, input, context, value, text) => {
    const result = readAnswer(input, context);
    if (value === null) {
      expect(result.ok, JSON.stringify(result)).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/^not read: /);
      if (!result.ok) expect(result.reason).toContain(text);
    } else {
      if (!result.ok) throw new Error(result.reason);
      expect(result.value.value).toEqual(value);
      expect(result.readAs).toBe(text);
    }
  });

  it('no reason suggests a rounded spelling or a chapter answer as an example', () => {
    const reasons = [NOT_READ.notANumber('abc'), NOT_READ.notWhole('1.5'), NOT_READ.ambiguousGroups('34,94'), NOT_READ.shapeRank(5), NOT_READ.shapeEmptySide, NOT_READ.shapeSide('x')];
    for (const reason of reasons) expect(reason).not.toMatch(/35K|34,944|55×55×96/);
  });
});

describe('readAnswer: exactness', () => {
  // Independent: the exact value is the decimal digits as a BigInt times a power of ten.
  it.each([
    ['3.4944e4', 34944n],
    ['0.000001G', 1000n],
    ['1,234,567,890,123', 1234567890123n],
    ['4.35e11', 435000000000n],
    ['0.3K', 300n],
    ['0.7M', 700000n],
    ['1.1 billion', 1100000000n],
    ['999,999,999,999,999', 999999999999999n],
    ['2.3E+2', 230n],
    ['12345678901200e-2', 123456789012n],
  ])('%s is exactly %s', (input, exact) => {
    const result = readAnswer(input, params);
    expect(result.ok && result.value.kind === 'count' && BigInt(result.value.value)).toBe(exact);
  });

  it('reads every d.dd × K / M / G exactly, as the integer it names', () => {
    for (let hundredths = 1; hundredths < 100000; hundredths += 7) {
      const written = `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
      for (const [suffix, zeros] of [['K', 1n], ['M', 1000n], ['G', 1000000n]] as const) {
        const result = readAnswer(`${written}${suffix}`, params);
        expect(result.ok && result.value.kind === 'count' && result.value.value).toBe(Number(BigInt(hundredths) * 10n * zeros));
      }
    }
  });

  it('records precision: one step in the last written digit', () => {
    const precision = (text: string) => {
      const r = readAnswer(text, params);
      return r.ok ? r.precision : NaN;
    };
    expect(precision('854M')).toBe(1e6);
    expect(precision('0.85G')).toBe(1e7);
    expect(precision('34,944')).toBe(1);
    expect(precision('3.5e4')).toBe(1000);
    expect(precision('3.50e4')).toBe(100);
    expect(precision('35,000')).toBe(1000);
    expect(precision('780M')).toBe(1e7);
    expect(precision('35.0K')).toBe(100);
  });
});

/** A grammar of answer-like noise: digits, separators, suffixes, units, brackets, unicode. */
const FUZZ_TOKENS = [
  '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '00', '999', '1,000', '034',
  ',', '.', ' ', '_', '  ', '\u00a0', '\u202f', '\t', '\n',
  'x', '×', 'X', '*', '·', '^', '10^', 'e', 'E', 'e-', 'e+', '-', '+', '−',
  'K', 'k', 'M', 'm', 'G', 'B', 'b', 'T', 'Ki', 'Mi', 'iB', 'MB', 'GiB', 'million', 'billion', 'thousand', 'mn', 'bn',
  'params', 'MACs', 'FLOPs', 'GFLOPs', 'bytes', 'values', '%', 'percent',
  '~', '≈', 'about ', '(', ')', '[', ']', '{', '}', ';', ':', "'", '=', ' by ', 'H=', 'W=', 'C=', 'h: ', ' (C×H×W)', ' (HWC)', '(c, h, w)', ',000', ',096', ',00',
  '⁴', '⁻', '¹²', '０', '１', '٣', '🙂', '\u0301', '\u202e', '\u0000', '\ud800', 'ß', 'Ⅻ', 'a', 'c)', 'NaN', 'Infinity', '1e308', '0x1F',
];

/** Near-miss answers: a number or a shape spelled with random separators, suffixes and units. */
function answerLike(rng: ReturnType<typeof createRng>): string {
  const digits = () => String(rng.int(0, 10 ** rng.int(1, 6)));
  if (rng.chance(0.3)) {
    const sides = Array.from({ length: rng.int(1, 5) }, digits);
    if (rng.chance(0.15)) return rng.pick([['H', 'W', 'C'], ['C', 'H', 'W'], ['W', 'C', 'H'], ['H', 'W'], ['H', 'H', 'C']]).map((axis, i) => `${axis}${rng.pick(['=', ': ', ' = '])}${sides[i] ?? digits()}`).join(rng.pick([', ', '; ', ' ', ',']));
    const text = sides.join(rng.pick(['x', '×', ' x ', '*', ',', ', ', ' ', 'X', ' by ', '; ']));
    if (rng.chance(0.1)) return `${text} ${rng.pick(['(H×W×C)', '(C×H×W)', '(chw)', '[W×H×C]', '(H×W)'])}`;
    return rng.chance(0.3) ? `${rng.pick(['(', '['])}${text}${rng.pick([')', ']', ''])}` : text;
  }
  let text = rng.chance(0.15) ? rng.pick(['~', '≈ ', 'about ', '-']) : '';
  text += digits();
  for (let g = rng.int(0, 3); g > 0; g--) text += rng.pick([',', ' ', '_', '.']) + String(rng.int(0, 999)).padStart(rng.pick([2, 3, 3, 3, 4]), '0');
  if (rng.chance(0.3)) text += `.${digits()}`;
  if (rng.chance(0.15)) text += rng.pick(['e', 'E', ' × 10^']) + String(rng.int(-8, 14));
  if (rng.chance(0.4)) text += rng.pick(['', ' ']) + rng.pick(['K', 'k', 'M', 'm', 'G', 'B', 'million', 'billion', 'KB', 'MiB', 'GB', '%', 'percent', 'x']);
  if (rng.chance(0.2)) text += ` ${rng.pick(['params', 'MACs', 'FLOPs', 'bytes', 'values', 'apples'])}`;
  return text;
}

function fuzzInput(rng: ReturnType<typeof createRng>): string {
  if (rng.chance(0.01)) return rng.pick(['9', '1,', '×', ' ']).repeat(rng.int(150, 400));
  if (rng.chance(0.5)) {
    const text = answerLike(rng);
    if (!rng.chance(0.2)) return text;
    const at = rng.int(0, text.length);
    return `${text.slice(0, at)}${rng.pick(FUZZ_TOKENS)}${text.slice(at)}`;
  }
  const n = rng.int(0, 12);
  let text = '';
  for (let i = 0; i < n; i++) text += rng.pick(FUZZ_TOKENS);
  return text;
}

describe('readAnswer: fuzz', () => {
  const contexts: ReadContext[] = [params, macs, bytes, shape, percent, number, choice, estimate];

  it('never throws on 20,000 random strings; every result is a reading or a reason', () => {
    const rng = createRng(20240505);
    let read = 0;
    for (let i = 0; i < 20_000; i++) {
      const input = fuzzInput(rng);
      const context = contexts[i % contexts.length]!;
      const result = readAnswer(input, context);
      if (input.length > 200) expect(result.ok).toBe(false);
      if (result.ok) {
        read++;
        expect(result.value.kind).toBe(context.kind);
        expect(result.readAs).toMatch(/^read as \S/);
        if (result.value.kind === 'shape') expect(result.value.value.every(Number.isSafeInteger)).toBe(true);
        else if (result.value.kind !== 'choice') expect(Number.isFinite(result.value.value)).toBe(true);
        // What was read reads back to itself once formatted.
        const again = readAnswer(formatAnswer(result.value), context);
        expect(again.ok && again.value.value).toEqual(result.value.value);
      } else {
        expect(result.reason).toMatch(/^not read: .+/);
      }
    }
    // The grammar is meant to hit both sides.
    expect(read).toBeGreaterThan(1_000);
    expect(read).toBeLessThan(19_000);
  });
});
