/**
 * Assembling a variant from a family's draft: the display comes from the answer formatter, and
 * only misconceptions the grader can tell apart are kept (a wrong value that equals the answer,
 * another misconception's value or a reordering of the answer's shape would be misdiagnosed).
 */
import { formatAnswer } from '../answers/format';
import type { AnswerSource, AnswerValue, CountUnit, Difficulty, Misconception, MisconceptionId, Tolerance, Variant } from '../question';
import type { Spec } from '../spec';

export interface Draft {
  prompt: string;
  answer: AnswerValue;
  tolerance?: Tolerance;
  /** One step a line; the last line ends with the answer. */
  explanation: string[];
  spec: Spec | null;
  source?: AnswerSource;
  /** Candidates; undefined entries (misconceptions that do not apply) are dropped. */
  misconceptions: readonly (Misconception | undefined)[];
  difficulty: Difficulty;
  /** The values drawn for this variant, by parameter name (what its regions are read from). */
  params: Record<string, number>;
}

export type GeneratedVariant = Omit<Variant, 'family' | 'seed'>;

export function assemble(draft: Draft): GeneratedVariant {
  const kept: Misconception[] = [];
  for (const m of draft.misconceptions) {
    if (!m || !plausible(m.value)) continue;
    if (close(m.value, draft.answer, draft.tolerance) || reordered(m.value, draft.answer)) continue;
    if (kept.some((k) => close(k.value, m.value, draft.tolerance))) continue;
    kept.push(m);
  }
  return {
    prompt: draft.prompt,
    answer: { ...draft.answer, display: formatAnswer(draft.answer), ...(draft.tolerance ? { tolerance: draft.tolerance } : {}) } as GeneratedVariant['answer'],
    explanation: draft.explanation,
    spec: draft.spec,
    ...(draft.source ? { source: draft.source } : {}),
    misconceptions: kept,
    difficulty: draft.difficulty,
    params: draft.params,
  };
}

export function count(value: number, unit: CountUnit): AnswerValue {
  return { kind: 'count', value, unit };
}

export function dims(value: readonly number[]): AnswerValue {
  return { kind: 'shape', value: [...value] };
}

export function real(value: number): AnswerValue {
  return { kind: 'number', value };
}

/** A misconception with the wrong value it produces; `when` false drops it (it does not apply). */
export function mistake(when: boolean, id: MisconceptionId, label: string, value: AnswerValue, explanation: string): Misconception | undefined {
  return when ? { id, label, value, explanation } : undefined;
}

function numbers(v: AnswerValue): number[] | undefined {
  switch (v.kind) {
    case 'count':
    case 'number':
    case 'percent':
      return [v.value];
    case 'shape':
      return v.value;
    default:
      return undefined;
  }
}

function plausible(v: AnswerValue): boolean {
  const xs = numbers(v);
  return xs !== undefined && xs.every((x) => Number.isFinite(x) && x > 0);
}

/** Same kind and equal, or within the answer's tolerance. */
function close(a: AnswerValue, b: AnswerValue, tolerance: Tolerance | undefined): boolean {
  if (a.kind !== b.kind) return false;
  const xs = numbers(a);
  const ys = numbers(b);
  if (!xs || !ys) return a.value === b.value;
  if (xs.length !== ys.length) return false;
  return xs.every((x, i) => {
    const y = ys[i]!;
    const slack = Math.max(tolerance?.absolute ?? 0, (tolerance?.relative ?? 0) * Math.abs(y));
    return Math.abs(x - y) <= slack;
  });
}

/** A shape that is a permutation of the answer's: the grader names it as an order slip instead. */
function reordered(a: AnswerValue, b: AnswerValue): boolean {
  if (a.kind !== 'shape' || b.kind !== 'shape' || a.value.length !== b.value.length) return false;
  const sa = [...a.value].sort((x, y) => x - y);
  const sb = [...b.value].sort((x, y) => x - y);
  return sa.every((x, i) => x === sb[i]);
}
