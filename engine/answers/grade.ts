/**
 * Grading: read the answer, compare it with the variant's answer under its tolerance, and say
 * what went wrong the way a patient tutor would.
 *
 * Rules:
 * - Unreadable input → status 'unread', no attempt spent, the reader's reason as feedback.
 * - Tolerance: absent = exact; otherwise |given − expected| ≤ max(relative·|expected|, absolute).
 * - Shapes are compared with leading 1s dropped: [4096] = 1×1×4096 (a dense layer's output is
 *   [units]; the spatial 1×1 and a batch of one add nothing). Feedback is given per axis.
 * - A C×H×W answer (96×55×55 for 55×55×96) is WRONG, named as such and diagnosed 'chw-order':
 *   Stride writes H×W×C throughout, and the order is part of what the card teaches.
 * - Diagnosis names every misconception that explains the answer, in this order: the family's
 *   misconceptions whose value equals the answer exactly, then those within the answer's
 *   tolerance; then C×H×W; then the unit slips the grader knows without the family; then
 *   'rounded' (GENERIC_MISCONCEPTIONS). Two misconceptions with the same wrong value are both
 *   named; `misconception` is the first (the one a review records), `misconceptions` all.
 * - 'rounded': a count question without a tolerance wants every digit, so "35K" or "854M" for
 *   34,944 or 854,196,224 is wrong and diagnosed as rounded, never silently.
 * - Notes that are not misconceptions: a rounded answer where a tolerance is allowed but too
 *   coarse, or to an exact non-count; an answer off by a power of 1,000; a unit other than the
 *   one asked.
 */
import type { Answer, AnswerValue, CountUnit, Misconception, MisconceptionId, Tolerance } from '../question';
import { COUNT_UNIT_NAMES, countOf, groupThousands } from './format';
import { readAnswer, readContextOf } from './read';

export interface ShapeComponent {
  axis: 'H' | 'W' | 'C';
  given: number;
  expected: number;
  ok: boolean;
}

export interface Diagnosis {
  id: MisconceptionId;
  label: string;
  explanation: string;
}

export interface GradeResult {
  status: 'correct' | 'wrong' | 'unread';
  correct: boolean;
  /** "read as 34,944"; null when not read. */
  readAs: string | null;
  /** The value as read; null when not read. */
  value: AnswerValue | null;
  feedback: string[];
  /** The first of `misconceptions`, or null. */
  misconception: Diagnosis | null;
  /** Every misconception that explains the answer (two may give the same wrong value). */
  misconceptions: Diagnosis[];
  /** Shapes of the expected rank only: one entry per axis. */
  components?: ShapeComponent[];
}

/** What grading needs of a variant. */
export interface Gradable {
  answer: Answer;
  misconceptions: readonly Misconception[];
}

/** Diagnoses the grader makes for any count question, from the unit asked. "X-for-Y": X given where Y was asked. */
export const GENERIC_MISCONCEPTIONS = {
  'flops-for-macs': {
    label: 'FLOPs given for MACs',
    explanation: 'A multiply-accumulate is one MAC but two FLOPs (a multiply and an add); the question asks for MACs.',
  },
  'macs-for-flops': {
    label: 'MACs given for FLOPs',
    explanation: 'FLOPs count the multiply and the add separately: FLOPs = 2 × MACs.',
  },
  'bytes-vs-values': {
    label: 'bytes given for values',
    explanation: 'The question counts values; each float32 value takes 4 bytes, so bytes are 4 × values.',
  },
  'values-vs-bytes': {
    label: 'values given for bytes',
    explanation: 'The question asks for bytes: multiply the number of values by 4 (float32).',
  },
  'chw-order': {
    label: 'C×H×W order',
    explanation: 'You wrote C×H×W; Stride writes H×W×C (channels last, as in the lecture).',
  },
  rounded: {
    label: 'rounded',
    explanation: 'This question wants the exact count, every digit of it; a rounded figure is graded wrong.',
  },
} as const satisfies Record<string, { label: string; explanation: string }>;

/** Unit asked → (factor the slip multiplies by, misconception). */
const UNIT_SLIPS: Partial<Record<CountUnit, { factor: number; id: keyof typeof GENERIC_MISCONCEPTIONS }>> = {
  macs: { factor: 2, id: 'flops-for-macs' },
  flops: { factor: 0.5, id: 'macs-for-flops' },
  values: { factor: 4, id: 'bytes-vs-values' },
  bytes: { factor: 0.25, id: 'values-vs-bytes' },
};

export function grade(variant: Gradable, text: string): GradeResult {
  const { answer } = variant;
  const reading = readAnswer(text, readContextOf(answer));
  if (!reading.ok) {
    return { status: 'unread', correct: false, readAs: null, value: null, feedback: [reading.reason, 'No attempt was spent.'], misconception: null, misconceptions: [] };
  }
  const given = reading.value;
  const correct = sameAnswer(given, answer, answer.tolerance);
  const feedback: string[] = [];
  const components = shapeComponents(given, answer);

  if (given.kind === 'count' && answer.kind === 'count' && reading.unitText !== null && given.unit !== answer.unit) {
    feedback.push(`You wrote ${COUNT_UNIT_NAMES[given.unit]}; this question asks for ${COUNT_UNIT_NAMES[answer.unit]}.`);
  }
  if (correct) {
    return { status: 'correct', correct: true, readAs: reading.readAs, value: given, feedback, misconception: null, misconceptions: [], ...(components && { components }) };
  }

  if (components) {
    for (const c of components) feedback.push(c.ok ? `${c.axis} = ${c.given}: right` : `${c.axis} = ${c.given}: expected ${c.expected}`);
  } else if (given.kind === 'shape' && answer.kind === 'shape') {
    const expectedRank = withoutLeadingOnes(answer.value).length;
    feedback.push(`You gave ${countOf(given.value.length, 'side')}; this shape has ${countOf(expectedRank, 'side')}${expectedRank === 3 ? ' (H×W×C)' : ''}.`);
  }

  const rounded = isRounded(given, answer, reading.precision, reading.approximate);
  const misconceptions = diagnoses(given, variant, rounded);
  for (const m of misconceptions) feedback.push(`${capitalise(m.label)}: ${m.explanation}`);
  feedback.push(...numericNotes(given, answer, rounded && !misconceptions.some((m) => m.id === 'rounded')));

  return { status: 'wrong', correct: false, readAs: reading.readAs, value: given, feedback, misconception: misconceptions[0] ?? null, misconceptions, ...(components && { components }) };
}

/** |given − expected| ≤ max(relative·|expected|, absolute); exact when no tolerance. */
function withinTolerance(given: number, expected: number, tolerance: Tolerance | undefined): boolean {
  if (given === expected) return true;
  if (!tolerance) return false;
  const allowed = Math.max((tolerance.relative ?? 0) * Math.abs(expected), tolerance.absolute ?? 0);
  return Math.abs(given - expected) <= allowed;
}

function numericValue(v: AnswerValue): number | null {
  return v.kind === 'count' || v.kind === 'number' || v.kind === 'percent' ? v.value : null;
}

/** Equal as answers: numbers within tolerance, shapes without leading 1s, choices by key. */
export function sameAnswer(given: AnswerValue, expected: AnswerValue, tolerance: Tolerance | undefined): boolean {
  if (given.kind === 'shape' || expected.kind === 'shape') {
    if (given.kind !== 'shape' || expected.kind !== 'shape') return false;
    const a = withoutLeadingOnes(given.value);
    const b = withoutLeadingOnes(expected.value);
    return a.length === b.length && a.every((side, i) => withinTolerance(side, b[i] ?? NaN, tolerance));
  }
  if (given.kind === 'choice' || expected.kind === 'choice') {
    return given.kind === 'choice' && expected.kind === 'choice' && given.value.toLowerCase() === expected.value.toLowerCase();
  }
  const g = numericValue(given);
  const e = numericValue(expected);
  return g !== null && e !== null && withinTolerance(g, e, tolerance);
}

/** [1, 1, 4096] → [4096]; keeps at least one side. */
function withoutLeadingOnes(shape: readonly number[]): number[] {
  let start = 0;
  while (start < shape.length - 1 && shape[start] === 1) start++;
  return shape.slice(start);
}

const AXES: Record<number, readonly ('H' | 'W' | 'C')[]> = { 1: ['C'], 2: ['H', 'W'], 3: ['H', 'W', 'C'] };

/** Per-axis comparison: as written when the ranks agree, else once leading 1s are set aside. */
function shapeComponents(given: AnswerValue, expected: AnswerValue): ShapeComponent[] | undefined {
  if (given.kind !== 'shape' || expected.kind !== 'shape') return undefined;
  const [g, e] = sameRankShapes(given.value, expected.value) ?? [[], []];
  const axes = AXES[e.length];
  if (!axes) return undefined;
  return axes.map((axis, i) => ({ axis, given: g[i] ?? NaN, expected: e[i] ?? NaN, ok: g[i] === e[i] }));
}

function sameRankShapes(given: readonly number[], expected: readonly number[]): [number[], number[]] | null {
  if (given.length === expected.length) return [[...given], [...expected]];
  const g = withoutLeadingOnes(given);
  const e = withoutLeadingOnes(expected);
  return g.length === e.length ? [g, e] : null;
}

/** 96×55×55 for 55×55×96: the same sides, channels first. A cube has no order to get wrong. */
function isChannelsFirst(given: AnswerValue, expected: AnswerValue): boolean {
  if (given.kind !== 'shape' || expected.kind !== 'shape') return false;
  const [g, e] = sameRankShapes(given.value, expected.value) ?? [[], []];
  if (e.length !== 3) return false;
  const [h, w, c] = e;
  return g[0] === c && g[1] === h && g[2] === w && !(h === w && w === c);
}

/** Every misconception that explains `given`, most specific first, each named once. */
function diagnoses(given: AnswerValue, variant: Gradable, rounded: boolean): Diagnosis[] {
  const { answer, misconceptions } = variant;
  const found: Diagnosis[] = [];
  const add = (d: Diagnosis) => {
    if (!found.some((f) => f.id === d.id)) found.push(d);
  };
  const generic = (id: keyof typeof GENERIC_MISCONCEPTIONS) => add({ id, ...GENERIC_MISCONCEPTIONS[id] });
  const family = (m: Misconception) => add({ id: m.id, label: m.label, explanation: m.explanation });
  misconceptions.filter((m) => sameAnswer(given, m.value, undefined)).forEach(family);
  if (answer.tolerance) misconceptions.filter((m) => sameAnswer(given, m.value, answer.tolerance)).forEach(family);
  if (isChannelsFirst(given, answer)) generic('chw-order');
  if (given.kind === 'count' && answer.kind === 'count') {
    const slip = UNIT_SLIPS[answer.unit];
    if (slip && withinTolerance(given.value, answer.value * slip.factor, answer.tolerance)) generic(slip.id);
    if (rounded && !answer.tolerance) generic('rounded');
  }
  return found;
}

/**
 * Rounded: the answer is within one step of its last written digit of the right value ("35K",
 * "34.9K" for 34,944), or marked approximate ("~34,900") and within 5% of it.
 */
function isRounded(given: AnswerValue, answer: Answer, precision: number, approximate: boolean): boolean {
  const g = numericValue(given);
  const e = numericValue(answer);
  if (g === null || e === null) return false;
  const difference = Math.abs(g - e);
  return (precision > 1 && difference <= precision) || (approximate && difference <= 0.05 * Math.abs(e));
}

/** Feedback on the number itself: rounded (where not a misconception), off by a power of 1,000. */
function numericNotes(given: AnswerValue, answer: Answer, roundedNote: boolean): string[] {
  const g = numericValue(given);
  const e = numericValue(answer);
  if (g === null || e === null) return [];
  const notes: string[] = [];
  if (roundedNote) {
    notes.push(
      answer.tolerance
        ? 'Your answer is rounded more coarsely than this question allows; give more digits.'
        : `Your answer is rounded; this question wants the exact ${answer.kind === 'count' ? 'count' : 'value'}.`,
    );
  }
  for (let k = 1; k <= 4; k++) {
    const factor = 1000 ** k;
    const larger = withinTolerance(g, e * factor, answer.tolerance);
    const smaller = withinTolerance(g, e / factor, answer.tolerance);
    if (e !== 0 && (larger || smaller)) {
      notes.push(`Off by a factor of ${groupThousands(factor)}: your answer is ${groupThousands(factor)} times too ${larger ? 'large' : 'small'}.`);
    }
  }
  return notes;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
