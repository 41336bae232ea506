/**
 * Drawing a variant's parameters: a bank item's range wins, then the family's range for the
 * difficulty, then the family's default. A constraint the draw must meet (an output size that
 * divides exactly) is met by drawing again, never by bending the numbers. Every value drawn is
 * checked against the parameter's domain (docs/decisions/0011-explicit-ranges-and-domains.md).
 */
import type { Difficulty, FamilyOptions, FamilyParameter, ParameterDomain, RangeSpec } from '../question';
import type { Rng } from '../random';

export type { ParameterDomain, RangeSpec };

export interface Parameter extends FamilyParameter {
  /** The range used at each difficulty when the bank sets none. */
  levels?: Partial<Record<Difficulty, RangeSpec>>;
}

export type Parameters = Record<string, Parameter>;

/** The domains parameters share: a count of things, a size in pixels, a padding, an odd kernel, a yes/no flag. */
export const domains = {
  count: { min: 1 },
  padding: { min: 0 },
  odd: { odd: true, min: 1 },
  flag: { min: 0, max: 1 },
} as const satisfies Record<string, ParameterDomain>;


/** `3`, `{min: 3, max: 11}`, `{min: 3, max: 11, step: 2}`, `{choices: [3, 5]}`: the bank syntax, for messages. */
export function formatRange(range: RangeSpec): string {
  if (typeof range === 'number') return String(range);
  if ('choices' in range) return `{choices: [${range.choices.join(', ')}]}`;
  return `{min: ${range.min}, max: ${range.max}${range.step !== undefined ? `, step: ${range.step}` : ''}}`;
}

/** What is wrong with a range on its own (bounds the wrong way round, fractions, an empty list), or null. */
export function rangeProblem(range: RangeSpec): string | null {
  if (Array.isArray(range)) return `${JSON.stringify(range)} is the old list syntax; write a number, {min, max} or {choices: [...]}`;
  const text = formatRange(range);
  const whole = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v);
  if (typeof range === 'number') return whole(range) ? null : `${text} is not a whole number (parameters take whole numbers)`;
  if (range === null || typeof range !== 'object') return `${JSON.stringify(range)} is not a number, {min, max} or {choices: […]}`;
  if ('choices' in range) {
    if (!Array.isArray(range.choices) || range.choices.length === 0) return `${text} lists no values`;
    const bad = range.choices.find((v) => !whole(v));
    return bad === undefined ? null : `${text}: ${bad} is not a whole number (parameters take whole numbers)`;
  }
  if (!whole(range.min) || !whole(range.max)) return `${text}: min and max must be whole numbers`;
  if (range.step !== undefined && (!whole(range.step) || range.step < 1)) return `${text}: step must be a whole number ≥ 1`;
  if (range.max < range.min) return `${text} has min > max`;
  return null;
}

/** The smallest and largest value a (valid) range admits. */
export function rangeBounds(range: RangeSpec): { min: number; max: number } {
  if (typeof range === 'number') return { min: range, max: range };
  if ('choices' in range) return { min: Math.min(...range.choices), max: Math.max(...range.choices) };
  const step = range.step ?? 1;
  return { min: range.min, max: range.min + step * Math.floor((range.max - range.min) / step) };
}

/**
 * Values of a (valid) range that stand for all of them before a domain: the bounds, and for
 * {min, max} the first few values, as many as the domain's period (2 for odd or even, m for a
 * multiple of m): past them the residues repeat. So a check costs O(m), not O(max − min).
 */
function representatives(range: RangeSpec, domain: ParameterDomain): number[] {
  if (typeof range === 'number') return [range];
  if ('choices' in range) return [...range.choices];
  const { min, max } = rangeBounds(range);
  const step = range.step ?? 1;
  const period = Math.max(domain.odd || domain.even ? 2 : 1, domain.multipleOf ?? 1);
  const out = [min];
  for (let v = min + step; v <= max && out.length < period; v += step) out.push(v);
  out.push(max);
  return out;
}

/** True when `value` is one of the values the domain allows. */
export function inDomain(value: number, domain: ParameterDomain | undefined): boolean {
  if (!domain) return true;
  if (domain.min !== undefined && value < domain.min) return false;
  if (domain.max !== undefined && value > domain.max) return false;
  if (domain.odd && Math.abs(value % 2) !== 1) return false;
  if (domain.even && value % 2 !== 0) return false;
  if (domain.multipleOf !== undefined && value % domain.multipleOf !== 0) return false;
  return true;
}

/** "kernel must be odd and ≥ 1", "bias must be 0 or 1". */
export function describeDomain(name: string, domain: ParameterDomain): string {
  const parts: string[] = [];
  if (domain.odd) parts.push('odd');
  if (domain.even) parts.push('even');
  if (domain.multipleOf !== undefined) parts.push(`a multiple of ${domain.multipleOf}`);
  const { min, max } = domain;
  if (min !== undefined && max !== undefined) parts.push(max === min + 1 ? `${min} or ${max}` : `from ${min} to ${max}`);
  else if (min !== undefined) parts.push(`≥ ${min}`);
  else if (max !== undefined) parts.push(`≤ ${max}`);
  return `${name} must be ${parts.join(' and ')}`;
}

/**
 * Why a range does not fit a parameter's domain, or null:
 * "{min: 3, max: 5} admits 4, but kernel must be odd".
 */
export function domainViolation(name: string, range: RangeSpec, domain: ParameterDomain | undefined): string | null {
  if (!domain) return null;
  const outside = representatives(range, domain).find((v) => !inDomain(v, domain));
  if (outside === undefined) return null;
  return typeof range === 'number' ? `${range} is outside the domain: ${describeDomain(name, domain)}` : `${formatRange(range)} admits ${outside}, but ${describeDomain(name, domain)}`;
}

/** The difficulty asked for, or one drawn so that unsteered variants cover all three. */
export function chooseDifficulty(rng: Rng, options: FamilyOptions = {}): Difficulty {
  return options.difficulty ?? (rng.int(1, 3) as Difficulty);
}

/** Draws integer parameters by name for one variant. */
export class Draw<P extends Parameters> {
  readonly difficulty: Difficulty;

  constructor(
    readonly family: string,
    private readonly rng: Rng,
    private readonly parameters: P,
    private readonly options: FamilyOptions = {},
  ) {
    this.difficulty = chooseDifficulty(rng, options);
  }

  /** One value of `name` from the bank's range, else this difficulty's, else the default; never outside its domain. */
  get(name: keyof P & string): number {
    const declared = this.parameters[name];
    if (!declared) throw new RangeError(`${this.family}: no parameter '${name}'`);
    const range = this.options.ranges?.[name] ?? declared.levels?.[this.difficulty] ?? declared.range;
    const where = `${this.family}: ranges.${name}`;
    const problem = rangeProblem(range);
    if (problem) throw new RangeError(`${where}: ${problem}`);
    const value = drawFrom(this.rng, range);
    if (!inDomain(value, declared.domain)) throw new RangeError(`${where}: drew ${value} from ${formatRange(range)}, but ${describeDomain(name, declared.domain!)}`);
    return value;
  }

  /** True when the bank item sets this parameter's range (a family's own pairing rules then give way). */
  setByBank(name: keyof P & string): boolean {
    return this.options.ranges?.[name] !== undefined;
  }

  /** True with probability p (for choices that are not bank parameters). */
  chance(p: number): boolean {
    return this.rng.chance(p);
  }

  pick<T>(items: readonly T[]): T {
    return this.rng.pick(items);
  }

  /** Call `attempt` until it returns a value; it returns undefined when the draw breaks a constraint. */
  until<T>(attempt: () => T | undefined, constraint: string, tries = 2000): T {
    for (let i = 0; i < tries; i++) {
      const found = attempt();
      if (found !== undefined) return found;
    }
    throw new RangeError(`${this.family}: no draw within the given ranges met the constraint (${constraint}) in ${tries} tries; widen the ranges`);
  }
}

/** Each form uses the generator as the list syntax did (a fixed value was a list of one, picked), so an upgraded bank rebuilds the same variants. */
function drawFrom(rng: Rng, range: RangeSpec): number {
  if (typeof range === 'number') return rng.pick([range]);
  if ('choices' in range) return rng.pick(range.choices);
  if (range.step === undefined) return rng.int(range.min, range.max);
  return range.min + range.step * rng.int(0, Math.floor((range.max - range.min) / range.step));
}
