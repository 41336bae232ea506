/**
 * The gate a generated item passes before it reaches a student, the same for `stride bank check`
 * and for publishing from the web editor: draw N samples (seeds fixed per item and sample) with
 * the item's ranges, difficulty and tolerance, and check each variant: fit to show
 * (variantProblems), and its answer is what the engine's analysis of its spec gives
 * (engineAgreement, compared as the grader compares a student's answer).
 * tfjs is not part of the gate: `bank check` runs it on top as an extra report (decision 0010).
 */
import { analyze } from '../analysis';
import { sameAnswer } from '../answers/grade';
import { measureSource } from '../families';
import type { AnswerValue, Variant } from '../question';
import { itemVariant, networkItemProblems, networkVariant, sampleSeed } from './item';
import type { Bank, GeneratedItem, NetworkItem } from './schema';

/** Samples per generated item, for `bank check` (its default) and for publishing alike. */
export const GATE_SAMPLES = 5;

export interface SampleCheck {
  seed: number;
  ok: boolean;
  /** What is wrong with this sample, one sentence each. */
  problems: string[];
  /** The variant, when it could be generated. */
  variant: Variant | null;
  /** The engine's own figure for the quantity asked (from analyze(spec)), or null when the answer is not one quantity of the spec. */
  measured: string | null;
}

/** Draw `count` variants of a generated item and check each. Never throws. */
export function sampleGeneratedItem(item: GeneratedItem, count: number): SampleCheck[] {
  return Array.from({ length: count }, (_, i) => checkVariantSeed(item, sampleSeed(item.id, i)));
}

/** The gate's check of one variant of a generated item (a sample, or a seed a student was shown). Never throws. */
export function checkVariantSeed(item: GeneratedItem, seed: number): SampleCheck {
  let variant: Variant | null = null;
  let measured: string | null = null;
  const problems: string[] = [];
  try {
    variant = itemVariant(item, seed);
    problems.push(...variantProblems(variant));
    const agreement = engineAgreement(variant);
    measured = agreement.measured;
    if (agreement.problem) problems.push(agreement.problem);
  } catch (err) {
    problems.push(`the family could not generate a question: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { seed, ok: problems.length === 0, problems, variant, measured };
}

/**
 * The one question of a network item (seed 0: it draws nothing), checked as a sample: the layer
 * exists, the quantity applies to it, and the engine's analysis gives the answer. Never throws.
 */
export function sampleNetworkItem(item: NetworkItem): SampleCheck[] {
  const problems = networkItemProblems(item).map((p) => p.message);
  let variant: Variant | null = null;
  let measured: string | null = null;
  if (problems.length === 0) {
    try {
      variant = networkVariant(item);
      problems.push(...variantProblems(variant));
      const agreement = engineAgreement(variant);
      measured = agreement.measured;
      if (agreement.problem) problems.push(agreement.problem);
    } catch (err) {
      problems.push(`the question could not be built: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return [{ seed: 0, ok: problems.length === 0, problems, variant, measured }];
}

/** The samples of any item the gate checks: N variants of a generated item, the one question of a network item. */
export function sampleItem(item: GeneratedItem | NetworkItem, count: number): SampleCheck[] {
  return item.kind === 'network' ? sampleNetworkItem(item) : sampleGeneratedItem(item, count);
}

export interface ItemGate {
  item: GeneratedItem | NetworkItem;
  ok: boolean;
  checks: SampleCheck[];
}

/** The gate over every generated and network item of a bank, in bank order: `bank check` and publishing call this. */
export function gateBank(bank: Pick<Bank, 'items'>, samples = GATE_SAMPLES): ItemGate[] {
  return bank.items
    .filter((i): i is GeneratedItem | NetworkItem => i.kind === 'generated' || i.kind === 'network')
    .map((item) => {
      const checks = sampleItem(item, samples);
      return { item, ok: checks.every((c) => c.ok), checks };
    });
}

/** What makes a variant unfit to show: an answer that is not a finite (integral) number, text with holes, a spec the engine cannot analyse. */
export function variantProblems(variant: Omit<Variant, 'family' | 'seed'>): string[] {
  const problems: string[] = [];
  const answer = variant.answer;
  const exact = answer.tolerance === undefined;
  if (answer.kind === 'count' || answer.kind === 'number' || answer.kind === 'percent') {
    if (!Number.isFinite(answer.value)) problems.push(`the answer is not a finite number: ${answer.value}`);
    else if (answer.kind === 'count' && exact && !Number.isInteger(answer.value)) problems.push(`the answer ${answer.value} is not a whole number`);
  } else if (answer.kind === 'shape') {
    if (answer.value.length === 0 || !answer.value.every((v) => Number.isInteger(v) && v > 0)) problems.push(`the answer shape [${answer.value.join(', ')}] has a size that is not a positive whole number`);
  } else if (answer.kind === 'choice' && !answer.options.some((o) => o.key === answer.value)) {
    problems.push(`the answer '${answer.value}' is not one of the options`);
  }
  const texts = [variant.prompt, answer.display, ...variant.explanation];
  if (variant.prompt.trim() === '') problems.push('the prompt is empty');
  if (variant.explanation.length === 0) problems.push('the explanation is empty');
  if (texts.some((t) => /\b(undefined|NaN|Infinity|null)\b/.test(t))) problems.push('the prompt, answer or explanation contains undefined, NaN, Infinity or null');
  if (variant.spec) {
    try {
      const totals = analyze(variant.spec).totals;
      if (![totals.params, totals.macs, totals.activations].every(Number.isFinite)) problems.push('the analysis of the spec is not finite');
    } catch (err) {
      problems.push(`the engine cannot analyse the spec: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return problems;
}

/**
 * Whether the analysis of the variant's spec gives its answer, and the engine's figure as text.
 * The figure is compared as a student's answer would be (engine/answers' sameAnswer: the
 * answer's tolerance, shapes without leading 1s), so the gate passes exactly what the grader
 * would mark right if a student typed the engine's number.
 */
export function engineAgreement(variant: Pick<Variant, 'spec' | 'source' | 'answer'>): { measured: string | null; problem: string | null } {
  if (!variant.spec || !variant.source) return { measured: null, problem: null };
  let measured: number | number[];
  try {
    measured = measureSource(variant.spec, variant.source);
  } catch (err) {
    return { measured: null, problem: `the engine cannot measure the answer: ${err instanceof Error ? err.message : String(err)}` };
  }
  const answer = variant.answer;
  const text = Array.isArray(measured) ? measured.join('×') : measured.toLocaleString('en-US');
  const given = measuredValue(measured, answer);
  const agrees = given !== null && sameAnswer(given, answer, answer.tolerance);
  return { measured: text, problem: agrees ? null : `the engine's analysis gives ${text}, the answer says ${answer.display}` };
}

/** The engine's figure as an answer of the variant's kind; null when the kinds cannot match. */
function measuredValue(measured: number | number[], answer: AnswerValue): AnswerValue | null {
  if (Array.isArray(measured)) return answer.kind === 'shape' ? { kind: 'shape', value: measured } : null;
  switch (answer.kind) {
    case 'count':
      return { kind: 'count', value: measured, unit: answer.unit };
    case 'number':
    case 'percent':
      return { kind: answer.kind, value: measured };
    default:
      return null;
  }
}
