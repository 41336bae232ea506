/**
 * Drawing a variant's parameters: a bank item's range wins, then the family's range for the
 * difficulty, then the family's default. A constraint the draw must meet (an output size that
 * divides exactly) is met by drawing again, never by bending the numbers.
 */
import type { Difficulty, FamilyOptions } from '../question';
import type { Rng } from '../random';

/** Two entries: an inclusive range [min, max]. Any other length: the list of choices. */
export type Range = readonly [number, number] | readonly number[];

export interface Parameter {
  /** The default range (the union of the levels), declared to bank authors. */
  range: Range;
  description: string;
  /** The range used at each difficulty when the bank sets none. */
  levels?: Partial<Record<Difficulty, Range>>;
}

export type Parameters = Record<string, Parameter>;

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

  /** One value of `name` from the bank's range, else this difficulty's, else the default. */
  get(name: keyof P & string): number {
    const declared = this.parameters[name];
    if (!declared) throw new RangeError(`${this.family}: no parameter '${name}'`);
    const range = this.options.ranges?.[name] ?? declared.levels?.[this.difficulty] ?? declared.range;
    return drawFrom(this.rng, range, `${this.family}: ranges.${name}`);
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

function drawFrom(rng: Rng, range: Range, where: string): number {
  if (!Array.isArray(range) || range.length === 0) throw new RangeError(`${where}: expected [min, max] or a list of choices, got ${JSON.stringify(range)}`);
  for (const v of range) if (!Number.isSafeInteger(v)) throw new RangeError(`${where}: ${JSON.stringify(v)} is not an integer`);
  if (range.length === 2) {
    const min = range[0]!;
    const max = range[1]!;
    if (max < min) throw new RangeError(`${where}: [${min}, ${max}] has min > max`);
    return rng.int(min, max);
  }
  return rng.pick(range);
}
