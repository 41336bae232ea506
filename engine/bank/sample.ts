/**
 * Sampling a generated item before it reaches a student: draw N variants from its family with
 * the item's ranges and check each with the engine. Seeds are a hash of the item id and the
 * sample number, so a failing sample can be rebuilt exactly (`stride question <family> --seed`).
 */
import { analyze } from '../analysis';
import type { Family, Variant } from '../question';
import { createRng } from '../random';
import type { GeneratedItem } from './schema';

export interface SampleCheck {
  seed: number;
  ok: boolean;
  /** What is wrong with this sample, one sentence each. */
  problems: string[];
  /** The variant, when it could be generated. */
  variant: Omit<Variant, 'family' | 'seed'> | null;
}

/**
 * Seed of sample `i` of an item: FNV-1a (32-bit) of `<itemId>#<i>`, kept to 31 bits so that
 * every sample seed is a valid `stride question --seed` (0…2³¹−1), like the review seeds.
 * h₀ = 2166136261; hₙ₊₁ = (hₙ XOR byteₙ) · 16777619 mod 2³²; seed = h & (2³¹ − 1)
 */
export function sampleSeed(itemId: string, i: number): number {
  let h = 0x811c9dc5;
  const text = `${itemId}#${i}`;
  for (let j = 0; j < text.length; j++) {
    h ^= text.charCodeAt(j);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}

/** Draw `count` variants of a generated item and check each with the engine. Never throws. */
export function sampleGeneratedItem(item: GeneratedItem, family: Family, count: number): SampleCheck[] {
  const checks: SampleCheck[] = [];
  for (let i = 0; i < count; i++) {
    const seed = sampleSeed(item.id, i);
    let variant: SampleCheck['variant'] = null;
    const problems: string[] = [];
    try {
      variant = family.generate(createRng(seed), { difficulty: item.difficulty, ...(item.ranges && { ranges: item.ranges }) });
      problems.push(...variantProblems(variant));
    } catch (err) {
      problems.push(`the family could not generate a question: ${err instanceof Error ? err.message : String(err)}`);
    }
    checks.push({ seed, ok: problems.length === 0, problems, variant });
  }
  return checks;
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
