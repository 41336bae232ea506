/**
 * Reading a typed answer into a typed value. The reader is told which kind is expected; it
 * never guesses: input it cannot read unambiguously is refused with a reason ("not read: …"),
 * and the grader then spends no attempt. A leading "=" is dropped ("= 34944").
 *
 * Accepted (→ value):
 *
 * | expected | input                                   | read as                        |
 * |----------|-----------------------------------------|--------------------------------|
 * | shape    | 55x55x96, 55×55×96, 55 X 55 x 96        | 55×55×96                       |
 * | shape    | 55*55*96, 55 by 55 by 96, 55; 55; 96    | 55×55×96                       |
 * | shape    | (55, 55, 96), [55,55,96], 55,55,96, 55 55 96 | 55×55×96 (commas separate sides when no × is written) |
 * | shape    | 13×13×1,000, 1×1×4,096, 13; 13; 1,000   | 13×13×1000, 1×1×4096 (with ×, by or ;, a comma is a thousands comma) |
 * | shape    | 4,096, 1,000, 1,000,000                 | one side: a group after a comma starts with 0, and no side is written 096 |
 * | shape    | H=55, W=55, C=96; C=96, H=55, W=55; h: 55; w: 55; c: 96 | 55×55×96 (named sides, any order) |
 * | shape    | 55×55×96 (H×W×C), 96×55×55 (C×H×W), 96,55,55 (chw) | 55×55×96 (a stated order is honoured) |
 * | shape    | 4096, 1x1x4096, 1×4096                  | as written; graded equal (leading 1s ignored) |
 * | count    | 34944, 34,944, 34 944, 34_944, = 34944, ≈ 34,944 | 34,944 (groups of exactly 3 after the first) |
 * | count    | 1,234,567; 34,944.5 (estimates only)    | comma groups with a decimal point |
 * | count    | 3.4944e4, 3.4944E4, 3.4944 × 10^4       | 34,944 (exact: no float error) |
 * | count    | 34.944K, 34.944k, 35K, ~35K, 1.5M       | 34,944; 35,000; 1,500,000      |
 * | count    | 854M, 854m, 271 M, ≈ 271M, 0.85G, 1.2B  | M/m million, G/g/B/b/bn billion (B is bytes when bytes are asked), T trillion |
 * | count    | 1.2 million, 2.5 thousand, 1.2 billion  | 1,200,000; 2,500; 1,200,000,000 |
 * | count    | 34,944 params, 1.4 GFLOPs, 724M MACs    | unit recorded (params, MACs, FLOPs, values, bytes, channels, …) |
 * | count    | 96 MB, 61 MB, 3 KB, 2 GB, 96 bytes      | bytes, decimal: 1 KB = 10³, 1 MB = 10⁶, 1 GB = 10⁹ |
 * | count    | 1 KiB, 96 MiB, 2 GiB                    | bytes, binary: 2¹⁰, 2²⁰, 2³⁰   |
 * | number   | 0.75, -3, 1,234.5, 50x, 50×             | as written (a trailing × for ratios) |
 * | percent  | 7.3%, 7.3 %, 7.3 percent, 7.3           | 7.3% (a bare number is percent points) |
 * | choice   | b, B, (b), b), the option's label       | the option's key (case-insensitive) |
 *
 * Refused (→ reason): empty input; more than 200 characters; `34,94`, `1,23,456`, `3,4944`
 * (groups not of 3: ambiguous); `1.234,5` and `1,234 567` (mixed separators); `1.234.567`
 * (dots as thousands separators); for counts, `34.944` with no suffix (a decimal point or a
 * European thousands separator?), negative numbers, and — unless the question has a tolerance
 * (an estimate) or the context says `whole: false` — numbers that are not whole (`34.9440`,
 * `1.5`, `1e-5`, `1.2345K`); a shape typed where a count is wanted and vice versa; for shapes,
 * a zero side, a side with a leading zero (`7,7,1,024`: the 024 of a thousands comma), a comma
 * group not of three inside a ×-shape (`13×13×1,00`), × and separating commas mixed
 * (`55×55, 96`), a bare thousands-grouped number that could be sides (`64,128`, `1,152`:
 * 64128 or 64×128?), named sides other than H, W and C once each, a stated order other than a
 * permutation of H, W, C or on a shape of another rank; unknown units; for percents, a bare
 * fraction strictly between 0 and 1 such as `0.073` (7.3% or 0.073%?); a choice that is
 * neither a key nor a label; values over 10¹⁵.
 */
import type { Answer, AnswerValue, CountUnit, Tolerance } from '../question';
import { decimalFromDigits, decimalPrecision, decimalToNumber, scaleDecimal, type ExactDecimal } from './decimal';
import { COUNT_UNIT_NAMES, formatAnswer, groupThousands } from './format';
import { COUNT_EXAMPLE, SHAPE_EXAMPLE } from './hint';

export const MAX_ANSWER_LENGTH = 200;
/** "1,234,567 (= 1234567 = …)": spellings of one count, all read exactly alike (never a rounded one). */
const COUNT_EXAMPLES = `${COUNT_EXAMPLE.spellings[0]} (= ${COUNT_EXAMPLE.spellings.slice(1).join(' = ')})`;
const SHAPE_EXAMPLES = SHAPE_EXAMPLE.spellings[0] ?? '';
/** Larger counts are not answers to any question of the chapter; refusing them keeps numbers exact. */
const MAX_MAGNITUDE = 1e15;

/** What the reader is told about the expected answer; any AnswerValue fits. */
export type ReadContext =
  /**
   * A count is a whole number (`1.5` and `1e-5` are not read) unless `whole` is false or the
   * question has a tolerance (an estimate, which may be a real number).
   */
  | { kind: 'count'; unit?: CountUnit; tolerance?: Tolerance; whole?: boolean }
  | { kind: 'shape' }
  | { kind: 'number'; tolerance?: Tolerance }
  | { kind: 'percent'; tolerance?: Tolerance }
  | { kind: 'choice'; options: readonly { key: string; label: string }[] };

/**
 * What the reader (and the answer box's hint) may know of an answer without learning it: its
 * kind, unit, tolerance and options, never its value. Sent to the browser for the live reading.
 */
export function readContextOf(answer: Answer): ReadContext {
  const tolerance = answer.tolerance ? { tolerance: answer.tolerance } : {};
  switch (answer.kind) {
    case 'count':
      return { kind: 'count', unit: answer.unit, ...tolerance };
    case 'number':
    case 'percent':
      return { kind: answer.kind, ...tolerance };
    case 'shape':
      return { kind: 'shape' };
    case 'choice':
      return { kind: 'choice', options: answer.options };
  }
}

export interface Reading {
  ok: true;
  value: AnswerValue;
  /** Echo for the student: "read as 34,944", "read as 854,000,000 (854M)". */
  readAs: string;
  /** The unit as the student wrote it ("params", "MB"), or null. */
  unitText: string | null;
  /**
   * Value of one step in the last significant digit: 1 for "34,944", 10⁶ for "854M". For counts,
   * trailing zeros before any decimal point are not significant: 1,000 for "35,000", 10⁷ for
   * "780M" (zeros after a point are: 10² for "3.50e4").
   */
  precision: number;
  /** The student marked the answer as approximate (~, ≈, about). */
  approximate: boolean;
}

export type ReadResult = Reading | { ok: false; reason: string };

/** Reasons, as the student sees them. */
export const NOT_READ = {
  empty: 'not read: the answer is empty',
  tooLong: `not read: the answer is longer than ${MAX_ANSWER_LENGTH} characters`,
  notANumber: (text: string) => `not read: "${text}" is not a number; write e.g. ${COUNT_EXAMPLES}`,
  ambiguousGroups: (text: string) =>
    `not read: "${text}" is ambiguous: after a separator, digits must come in groups of three (1,234,567 or 1234567)`,
  mixedSeparators: (text: string) => `not read: "${text}" mixes separators; write 1,234.5 or 1234.5`,
  dotGroups: (text: string) => `not read: "${text}" has more than one decimal point; write thousands as 1,234,567 or 1234567`,
  ambiguousDecimal: (text: string) =>
    `not read: "${text}" is ambiguous for a count (a decimal point or a thousands separator?); write ${text.replace('.', '')} or ${text.replace('.', ',')}, or add a unit such as K`,
  notWhole: (text: string) =>
    `not read: "${text}" is not a whole number, and this question asks for a count; write every digit, e.g. ${COUNT_EXAMPLES}`,
  danglingSeparator: (text: string) => `not read: "${text}" has a separator with no digits on one side`,
  negativeCount: 'not read: a count cannot be negative',
  tooLarge: 'not read: the number is too large (over 10^15)',
  exponentTooLarge: 'not read: the exponent is out of range',
  unknownUnit: (unit: string) =>
    `not read: unknown unit "${unit}"; write the number alone, or with K/M/G, params, MACs, FLOPs, values, bytes, KB/MB/GB, KiB/MiB/GiB`,
  shapeForCount: (text: string) => `not read: "${text}" looks like a shape; this question wants a single number`,
  shapeSide: (part: string) => `not read: "${part}" is not a side of a shape; sides are whole numbers, as in ${SHAPE_EXAMPLES}`,
  shapeZeroSide: `not read: a side of a shape is at least 1; a thousands comma inside a shape goes with × (13×13×1,000 or 13×13×1000)`,
  shapeLeadingZero: (part: string) =>
    `not read: "${part}" starts with 0; a side is written without one, and a thousands comma inside a shape goes with × (13×13×1,000)`,
  shapeGroups: (part: string) =>
    `not read: "${part}" is ambiguous in a shape: after a thousands comma, digits come in groups of three (1,000); sides are separated by ×`,
  shapeNumberOrSides: (text: string) =>
    `not read: "${text}" is ambiguous: the number ${text.replace(/,/g, '')} or the shape ${text.replace(/,/g, '×')}? Write one of those`,
  shapeMixedSeparators: (text: string) => `not read: "${text}" mixes × and commas between sides; write ${SHAPE_EXAMPLES}`,
  shapeEmptySide: `not read: a side of the shape is missing; write e.g. ${SHAPE_EXAMPLES}`,
  shapeRank: (n: number) => `not read: a shape has 1 to 4 sides, this has ${n}; write H×W×C, e.g. ${SHAPE_EXAMPLES}`,
  shapeNames: 'not read: name each of H, W and C once, as in H=12, W=12, C=345',
  shapeOrder: (order: string) => `not read: the order "${order}" must name H, W and C once each, as in (H×W×C) or (C×H×W)`,
  shapeOrderRank: (n: number) => `not read: the order names 3 sides (H, W, C) but the shape has ${n}`,
  brackets: 'not read: the brackets do not match',
  percentUnit: (unit: string) => `not read: "${unit}" after a percentage; write e.g. 7.3%`,
  ambiguousFraction: (text: string, asPercent: number) =>
    `not read: "${text}" is ambiguous: the fraction ${groupThousands(asPercent)}%, or ${text}%? Add a % sign`,
  numberUnit: (unit: string) => `not read: "${unit}" after the number; write the number alone`,
  notAnOption: (keys: string) => `not read: not one of the options (${keys}); answer with a key or the exact label`,
} as const;

export function readAnswer(text: string, expected: ReadContext): ReadResult {
  if (text.length > MAX_ANSWER_LENGTH) return refuse(NOT_READ.tooLong);
  // "= 34944": the answer to "what is …?" written as the end of a calculation.
  const input = normaliseSpelling(text).replace(/^=\s*/, '');
  if (input === '') return refuse(NOT_READ.empty);
  switch (expected.kind) {
    case 'shape':
      return readShape(input);
    case 'choice':
      return readChoice(input, expected.options);
    case 'count':
      return readCount(input, expected.unit, expected.whole ?? expected.tolerance === undefined);
    case 'number':
      return readPlainNumber(input);
    case 'percent':
      return readPercent(input);
  }
}

function refuse(reason: string): ReadResult {
  return { ok: false, reason };
}

/** One spelling for the characters people type interchangeably: spaces, minus signs, times signs. */
function normaliseSpelling(text: string): string {
  return text
    .replace(/[\u00a0\u2007\u2009\u202f\u2002\u2003\u3000\t]/g, ' ')
    .replace(/[\u2212\u2013]/g, '-')
    .replace(/[\u2715\u2a2f\u00d7]/g, '×')
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Numbers: prefix, digits with separators, exponent, then a tail (multiplier, unit, %).

interface NumberLiteral {
  decimal: ExactDecimal;
  /** The digits as written, for the echo ("0.85"). */
  digits: string;
  exponentText: string;
  approximate: boolean;
  rest: string;
  hasGroups: boolean;
  /** Zeros ending the integer digits when no fraction is written ("35,000" → 3; "35.0" → 0). */
  trailingZeros: number;
}

const APPROXIMATE_PREFIX = /^(?:~|≈|∼|≃|about\b|approx\.?|approximately\b|ca\.|circa\b)\s*/i;
const SUPERSCRIPT: Record<string, string> = { '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9', '⁻': '-', '⁺': '+' };

function readNumberLiteral(input: string): NumberLiteral | { reason: string } {
  let rest = input;
  const prefix = APPROXIMATE_PREFIX.exec(rest);
  const approximate = prefix !== null;
  if (prefix) rest = rest.slice(prefix[0].length);
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1).trimStart();
  }
  const run = /^[\d.][\d.,_ ]*/.exec(rest)?.[0].trimEnd();
  if (!run || !/\d/.test(run)) return { reason: NOT_READ.notANumber(input) };
  rest = rest.slice(run.length);

  const parts = run.split('.');
  if (parts.length > 2) return { reason: NOT_READ.dotGroups(run) };
  const [integerPart = '', fractionPart = ''] = parts;
  if (/[^\d]/.test(fractionPart)) return { reason: NOT_READ.mixedSeparators(run) };
  const separators = new Set(integerPart.replace(/\d/g, ''));
  if (separators.size > 1) return { reason: NOT_READ.mixedSeparators(run) };
  let integerDigits = integerPart;
  if (separators.size === 1) {
    const [separator = ','] = separators;
    const groups = integerPart.split(separator);
    if (groups.some((g) => g === '')) return { reason: NOT_READ.danglingSeparator(run) };
    const [first = '', ...others] = groups;
    if (first.length > 3 || others.some((g) => g.length !== 3)) return { reason: NOT_READ.ambiguousGroups(run) };
    integerDigits = groups.join('');
  }
  if (integerDigits.length + fractionPart.length > 40) return { reason: NOT_READ.tooLarge };
  let decimal = decimalFromDigits(integerDigits, fractionPart, negative);

  let exponentText = '';
  const exponent =
    /^[eE]([+-]?\d{1,3})(?![\d])/.exec(rest) ??
    /^\s*[x×*·]\s*10\s*\^\s*([+-]?\d{1,3})(?![\d])/.exec(rest) ??
    /^\s*[x×*·]\s*10([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})/.exec(rest);
  if (exponent) {
    const power = Number([...(exponent[1] ?? '')].map((c) => SUPERSCRIPT[c] ?? c).join(''));
    if (Math.abs(power) > 30) return { reason: NOT_READ.exponentTooLarge };
    decimal = scaleDecimal(decimal, power);
    exponentText = exponent[0].trim();
    rest = rest.slice(exponent[0].length);
  }
  const trailingZeros = fractionPart === '' && /[1-9]/.test(integerDigits) ? (/0*$/.exec(integerDigits)?.[0].length ?? 0) : 0;
  return { decimal, digits: run, exponentText, approximate, rest: rest.trim(), hasGroups: separators.size === 1, trailingZeros };
}

/** A single number in bounds, as a JS number. */
function boundedValue(decimal: ExactDecimal): number | { reason: string } {
  const value = decimalToNumber(decimal);
  if (!Number.isFinite(value) || Math.abs(value) > MAX_MAGNITUDE) return { reason: NOT_READ.tooLarge };
  return value + 0; // "-0" is 0: a signed zero would not survive formatting

}

// ---------------------------------------------------------------------------------------------
// Counts

/** Unit words a count may carry, lower-cased → what they measure (null: tolerated, unit unknown). */
const COUNT_UNIT_WORDS: Record<string, CountUnit | null> = {
  param: 'params', params: 'params', parameter: 'params', parameters: 'params',
  weight: 'weights', weights: 'weights',
  mac: 'macs', macs: 'macs', 'mult-adds': 'macs', 'multiply-adds': 'macs', madds: 'macs',
  flop: 'flops', flops: 'flops',
  value: 'values', values: 'values', floats: 'values', numbers: 'values', activations: 'values',
  byte: 'bytes', bytes: 'bytes',
  channel: 'channels', channels: 'channels', filters: 'channels', maps: 'channels',
  layer: 'layers', layers: 'layers',
  pixel: 'pixels', pixels: 'pixels', px: 'pixels',
  block: 'blocks', blocks: 'blocks',
  path: 'paths', paths: 'paths',
  conv: 'convs', convs: 'convs', convolutions: 'convs',
  unit: 'units', units: 'units', neurons: 'units',
  ops: null, operations: null, multiplies: null, multiplications: null,
};

/** Multipliers, longest spelling first so "mn" wins over "m". Powers of ten. */
const MULTIPLIERS: readonly (readonly [spelling: string, powerOfTen: number])[] = [
  ['thousand', 3], ['million', 6], ['billion', 9], ['trillion', 12],
  ['mn', 6], ['bn', 9], ['k', 3], ['m', 6], ['g', 9], ['b', 9], ['t', 12],
];

/** Byte units: K/M/G/T decimal (1 MB = 10⁶ bytes), with "i" binary (1 MiB = 2²⁰ bytes). */
const BYTE_UNIT = /^([kmgt])?(i)?b(?:ytes?)?$/i;
const PREFIX_POWER: Record<string, number> = { k: 1, m: 2, g: 3, t: 4 };

interface CountTail {
  powerOfTen: number;
  powerOfTwo: number;
  /** The multiplier as written, for the echo: "M", " million". */
  multiplierText: string;
  unit: CountUnit | null;
  unitText: string | null;
}

function readCountTail(tail: string, expectedUnit: CountUnit | undefined): CountTail | { reason: string } {
  const none: CountTail = { powerOfTen: 0, powerOfTwo: 0, multiplierText: '', unit: null, unitText: null };
  if (tail === '') return none;
  const lower = tail.toLowerCase();
  // A lone B is billion unless bytes are asked (nobody answers 1.2 bytes to a params question).
  const loneB = lower === 'b';
  const bytes = BYTE_UNIT.exec(tail);
  if (bytes && !(loneB && expectedUnit !== 'bytes')) {
    const prefix = bytes[1]?.toLowerCase();
    const step = prefix ? (PREFIX_POWER[prefix] ?? 0) : 0;
    return bytes[2]
      ? { ...none, powerOfTwo: 10 * step, unit: 'bytes', unitText: tail }
      : { ...none, powerOfTen: 3 * step, unit: 'bytes', unitText: tail };
  }
  if (lower in COUNT_UNIT_WORDS) return { ...none, unit: COUNT_UNIT_WORDS[lower] ?? null, unitText: tail };
  for (const [spelling, powerOfTen] of MULTIPLIERS) {
    if (!lower.startsWith(spelling)) continue;
    const written = tail.slice(0, spelling.length);
    const after = tail.slice(spelling.length);
    // "million" needs a space or end after it; a letter multiplier may run into the unit (GFLOPs).
    if (spelling.length > 2 && after !== '' && !after.startsWith(' ')) continue;
    const unitWord = after.trim();
    const multiplierText = spelling.length > 2 ? ` ${written}` : written;
    if (unitWord === '') return { ...none, powerOfTen, multiplierText };
    if (unitWord.toLowerCase() in COUNT_UNIT_WORDS) {
      return { powerOfTen, powerOfTwo: 0, multiplierText, unit: COUNT_UNIT_WORDS[unitWord.toLowerCase()] ?? null, unitText: unitWord };
    }
  }
  return { reason: NOT_READ.unknownUnit(tail) };
}

const SHAPE_LIKE = /^[([]?\s*\d+(?:\s*(?:[x×*]|\sby\s)\s*\d+)+\s*[)\]]?$/i;

function readCount(input: string, expectedUnit: CountUnit | undefined, whole: boolean): ReadResult {
  if (SHAPE_LIKE.test(input)) return refuse(NOT_READ.shapeForCount(input));
  const literal = readNumberLiteral(input);
  if ('reason' in literal) return refuse(literal.reason);
  if (literal.decimal.negative) return refuse(NOT_READ.negativeCount);
  const tail = readCountTail(literal.rest, expectedUnit);
  if ('reason' in tail) return refuse(tail.reason);
  const scaled = tail.powerOfTen !== 0 || tail.powerOfTwo !== 0 || literal.exponentText !== '';
  const [integerPart = '', fractionPart] = literal.digits.split('.');
  // "34.944" for a count: a decimal point, or a European thousands separator? Don't guess.
  if (!scaled && !literal.hasGroups && fractionPart?.length === 3 && integerPart !== '' && !/^0+$/.test(integerPart)) {
    return refuse(NOT_READ.ambiguousDecimal(literal.digits));
  }
  const decimal = scaleDecimal(literal.decimal, tail.powerOfTen, tail.powerOfTwo);
  const value = boundedValue(decimal);
  if (typeof value !== 'number') return refuse(value.reason);
  // Counts are whole: "1.5" or "1e-5" params is a slip, not an answer to grade (1.5M is whole).
  if (whole && !Number.isInteger(value)) return refuse(NOT_READ.notWhole(input));
  const unit = tail.unit ?? expectedUnit ?? 'units';
  const unitEcho = tail.unitText === null ? '' : ` ${tail.unit ? COUNT_UNIT_NAMES[tail.unit] : tail.unitText}`;
  // A scaled answer is echoed as typed too: "read as 854,000,000 (854M)".
  const shown = scaled ? ` (${input})` : '';
  return {
    ok: true,
    value: { kind: 'count', value, unit },
    readAs: `read as ${formatAnswer({ kind: 'count', value, unit })}${unitEcho}${shown}`,
    unitText: tail.unitText,
    precision: decimalPrecision(decimal) * 10 ** literal.trailingZeros,
    approximate: literal.approximate,
  };
}

// ---------------------------------------------------------------------------------------------
// Plain numbers and percentages

function readPlainNumber(input: string): ReadResult {
  const literal = readNumberLiteral(input);
  if ('reason' in literal) return refuse(literal.reason);
  // A trailing × is how ratios are written ("50× smaller").
  if (literal.rest !== '' && !/^(?:x|×|times)$/i.test(literal.rest)) return refuse(NOT_READ.numberUnit(literal.rest));
  const value = boundedValue(literal.decimal);
  if (typeof value !== 'number') return refuse(value.reason);
  return {
    ok: true,
    value: { kind: 'number', value },
    readAs: `read as ${formatAnswer({ kind: 'number', value })}`,
    unitText: literal.rest || null,
    precision: decimalPrecision(literal.decimal),
    approximate: literal.approximate,
  };
}

function readPercent(input: string): ReadResult {
  const literal = readNumberLiteral(input);
  if ('reason' in literal) return refuse(literal.reason);
  const signed = literal.rest !== '';
  if (signed && !/^(?:%|percent|pct)$/i.test(literal.rest)) return refuse(NOT_READ.percentUnit(literal.rest));
  const value = boundedValue(literal.decimal);
  if (typeof value !== 'number') return refuse(value.reason);
  // "0.073": the fraction 7.3%, or 0.073%? Both are plausible; ask for the sign.
  if (!signed && value !== 0 && Math.abs(value) < 1) {
    return refuse(NOT_READ.ambiguousFraction(input.replace(APPROXIMATE_PREFIX, ''), decimalToNumber(scaleDecimal(literal.decimal, 2))));
  }
  return {
    ok: true,
    value: { kind: 'percent', value },
    readAs: `read as ${formatAnswer({ kind: 'percent', value })}`,
    unitText: signed ? literal.rest : null,
    precision: decimalPrecision(literal.decimal),
    approximate: literal.approximate,
  };
}

// ---------------------------------------------------------------------------------------------
// Shapes

const BRACKETS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** A trailing "(H×W×C)", "(C×H×W)", "(CHW)", "[c, h, w]": the order the sides were written in. */
const ORDER_NOTE = /\s*[([]\s*([hwc](?:\s*[x×*,]?\s*[hwc]){1,3})\s*[)\]]$/i;
/** "H=55", "c: 1,000": a side named by its axis. */
const NAMED_SIDE = /\b([hwc])\s*[=:]\s*(\d{1,3}(?:,\d{3})+(?![\d,])|\d+)/gi;
/** Between sides: ×, x, *, "by" or ";" — with these present, a comma is a thousands comma. */
const SIDE_SEPARATOR = /\s*[x×*;]\s*|\s+by\s+/i;
/** 1,000 or 1000: a side with optional thousands commas (groups of exactly three). */
const GROUPED = /^\d{1,3}(?:,\d{3})+$/;

/**
 * Shapes. Sides are separated by ×, x, *, "by" or ";", and then a comma inside a side is a
 * thousands comma (13×13×1,000 is 13×13×1000; 13×13×1,00 is refused). Without those
 * separators, commas and spaces separate sides (13,13,1000; 224, 224, 3), except that input
 * which is one well-formed thousands-grouped number (1,000 or 4,096; 1,152 or 64,128) is that
 * number when some group starts with 0 (no side is written 096) and is refused as ambiguous
 * otherwise. Sides are ≥ 1. Named sides (H=55, W=55, C=96, in any order) are put in H×W×C
 * order, and so is a shape followed by the order it was written in: 96×55×55 (C×H×W).
 */
function readShape(input: string): ReadResult {
  let body = input;
  let order: string | null = null;
  const note = ORDER_NOTE.exec(body);
  if (note && note.index > 0) {
    order = (note[1] ?? '').replace(/[^hwc]/gi, '').toUpperCase();
    if (order.length !== 3 || [...'HWC'].some((axis) => !order!.includes(axis))) return refuse(NOT_READ.shapeOrder(note[1] ?? ''));
    body = body.slice(0, note.index).trim();
  }
  const open = body[0] ?? '';
  const close = body[body.length - 1] ?? '';
  const expectedClose = BRACKETS[open];
  if (expectedClose !== undefined || Object.values(BRACKETS).includes(close)) {
    if (expectedClose !== close) return refuse(NOT_READ.brackets);
    body = body.slice(1, -1).trim();
  }
  if (/[()[\]{}]/.test(body)) return refuse(NOT_READ.brackets);
  if (body === '') return refuse(NOT_READ.shapeEmptySide);

  let sides: number[];
  if (/[hwc]\s*[=:]/i.test(body)) {
    if (order) return refuse(NOT_READ.shapeNames);
    const named = readNamedSides(body);
    if ('reason' in named) return refuse(named.reason);
    sides = named.sides;
  } else {
    const written = readSides(body);
    if ('reason' in written) return refuse(written.reason);
    sides = written.sides;
  }
  if (sides.length > 4) return refuse(NOT_READ.shapeRank(sides.length));
  if (sides.some((side) => side === 0)) return refuse(NOT_READ.shapeZeroSide);

  let from = '';
  if (order && order !== 'HWC') {
    if (sides.length !== 3) return refuse(NOT_READ.shapeOrderRank(sides.length));
    from = ` (from ${sides.join('×')}, ${[...order].join('×')})`;
    const at = (axis: string) => sides[order!.indexOf(axis)] ?? NaN;
    sides = [at('H'), at('W'), at('C')];
  } else if (order && sides.length !== 3) {
    return refuse(NOT_READ.shapeOrderRank(sides.length));
  }
  const value: AnswerValue = { kind: 'shape', value: sides };
  return { ok: true, value, readAs: `read as ${formatAnswer(value)}${from}`, unitText: null, precision: 1, approximate: false };
}

/** One side as written: digits, with thousands commas only in groups of three. */
function readSide(part: string): number | { reason: string } {
  if (part === '') return { reason: NOT_READ.shapeEmptySide };
  if (part.includes(',')) {
    if (!GROUPED.test(part)) return { reason: /\s/.test(part) ? NOT_READ.shapeMixedSeparators(part) : NOT_READ.shapeGroups(part) };
    part = part.replace(/,/g, '');
  }
  if (!/^\d{1,9}$/.test(part)) return { reason: NOT_READ.shapeSide(part) };
  // "7,7,1,024": the 024 of a thousands comma, not a side of 24.
  if (/^0\d/.test(part)) return { reason: NOT_READ.shapeLeadingZero(part) };
  return Number(part);
}

function readSides(body: string): { sides: number[] } | { reason: string } {
  let parts: string[];
  if (SIDE_SEPARATOR.test(body)) {
    parts = body.split(SIDE_SEPARATOR);
  } else if (GROUPED.test(body)) {
    // 4,096 or 1,000: no side is written with a leading zero, so this is one number; 1,152 is not clear.
    const groups = body.split(',');
    if (!groups.slice(1).some((g) => g.startsWith('0'))) return { reason: NOT_READ.shapeNumberOrSides(body) };
    parts = [body];
  } else {
    parts = body.split(/\s*,\s*|\s+/);
  }
  const sides: number[] = [];
  for (const part of parts) {
    const side = readSide(part);
    if (typeof side !== 'number') return side;
    sides.push(side);
  }
  return { sides };
}

/** "H=55, W=55, C=96" in any order, separated by commas, semicolons, spaces or ×. */
function readNamedSides(body: string): { sides: number[] } | { reason: string } {
  const named = new Map<string, number>();
  for (const match of body.matchAll(NAMED_SIDE)) {
    const axis = (match[1] ?? '').toUpperCase();
    const side = readSide(match[2] ?? '');
    if (typeof side !== 'number') return side;
    if (named.has(axis)) return { reason: NOT_READ.shapeNames };
    named.set(axis, side);
  }
  const rest = body.replace(NAMED_SIDE, '');
  if (!/^[\s,;×x*]*$/i.test(rest) || named.size !== 3) return { reason: NOT_READ.shapeNames };
  return { sides: ['H', 'W', 'C'].map((axis) => named.get(axis) ?? NaN) };
}

// ---------------------------------------------------------------------------------------------
// Choices

function readChoice(input: string, options: readonly { key: string; label: string }[]): ReadResult {
  const folded = fold(input);
  const key = /^\(?\s*([^\s().:]+)\s*[).:]?$/.exec(folded)?.[1];
  const chosen =
    options.find((o) => fold(o.key) === key) ??
    options.find((o) => fold(o.label) === folded) ??
    // "b) the label" or "b. the label": the key and its label, both right.
    options.find((o) => new RegExp(`^\\(?${escapeRegExp(fold(o.key))}\\s*[).:]\\s*(.*)$`).exec(folded)?.[1] === fold(o.label));
  if (!chosen) return refuse(NOT_READ.notAnOption(options.map((o) => o.key).join(', ')));
  const value: AnswerValue = { kind: 'choice', value: chosen.key, options: [...options] };
  return { ok: true, value, readAs: `read as (${chosen.key}) ${chosen.label}`, unitText: null, precision: 1, approximate: false };
}

function fold(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
