/**
 * Questions: families generate variants; a variant carries its typed answer, worked
 * explanation, the spec it is about and the misconceptions it can recognise.
 */
import type { Rng } from './random';
import type { Spec } from './spec';

/** What a count measures; used for display ("34,944 params") and for bytes/values diagnosis. */
export type CountUnit = 'params' | 'weights' | 'macs' | 'flops' | 'values' | 'bytes' | 'channels' | 'layers' | 'pixels' | 'blocks' | 'paths' | 'convs' | 'units';

export type AnswerValue =
  /** An integer (or, for estimates, a real) count. */
  | { kind: 'count'; value: number; unit: CountUnit }
  /** A shape, H×W×C (or [units]). */
  | { kind: 'shape'; value: number[] }
  /** A real number that is not a count: an expected depth, a ratio. */
  | { kind: 'number'; value: number }
  /** A percentage, stored as the percent (7.3 for 7.3%). */
  | { kind: 'percent'; value: number }
  /** One of a fixed set of options; value is the option's key. */
  | { kind: 'choice'; value: string; options: { key: string; label: string }[] };

export interface Tolerance {
  /** |given − expected| ≤ relative · |expected| */
  relative?: number;
  /** |given − expected| ≤ absolute */
  absolute?: number;
}

export type Answer = AnswerValue & {
  /** The answer as a person writes it: "55×55×96", "34,944", "≈ 271M". */
  display: string;
  /** Absent: exact. */
  tolerance?: Tolerance;
};

export type MisconceptionId =
  | 'forgot-bias'
  | 'forgot-padding'
  | 'forgot-input-channels'
  | 'flops-for-macs'
  | 'macs-for-flops'
  | 'floor-vs-ceil'
  | 'rf-without-stride-product'
  | 'inception-without-pool'
  | 'bytes-vs-values'
  | 'values-vs-bytes'
  | 'chw-order'
  | 'forgot-stride'
  | 'forgot-dilation'
  | 'forgot-groups'
  | 'forgot-k-squared'
  | 'off-by-one'
  | (string & {});

export interface Misconception {
  id: MisconceptionId;
  /** Short label shown to the student: "forgot the bias". */
  label: string;
  /** The wrong answer this misconception produces for this variant. */
  value: AnswerValue;
  /** One sentence on what went wrong. */
  explanation: string;
}

/**
 * Where the answer sits in analyze(spec), so a checker (tests, `bank check`) can recompute it:
 * answer = factor × quantity, read from the row named `row` or, without a row, from the whole
 * spec (totals; the final output; the field of the last top-level row).
 */
export interface AnswerSource {
  quantity: 'output' | 'channels' | 'params' | 'macs' | 'flops' | 'activations' | 'rf';
  row?: string;
  /** The counting convention the question states (default true: biases counted). */
  bias?: boolean;
  /** Default 1; 4 for float32 bytes. */
  factor?: number;
}

export interface Variant {
  family: string;
  seed: number;
  prompt: string;
  answer: Answer;
  /** Worked explanation, one step a line; the last line's final number is the answer. */
  explanation: string[];
  /** The network (fragment) the question is about, when there is one. */
  spec: Spec | null;
  /** Absent when the answer is not one quantity of the spec (ratios, differences, no spec). */
  source?: AnswerSource;
  misconceptions: Misconception[];
  difficulty: Difficulty;
  /** The values drawn for it, by parameter name: its regions (engine/regions) are read from them. */
  params: Record<string, number>;
}

export type Difficulty = 1 | 2 | 3;

/**
 * How a bank item (or a family's default) says which values a parameter takes
 * (docs/decisions/0011-explicit-ranges-and-domains.md):
 * a plain number is that value; `{ min, max }` every whole number from min to max (with `step`,
 * min, min + step, … up to max); `{ choices }` exactly the values listed.
 */
export type RangeSpec = number | { readonly min: number; readonly max: number; readonly step?: number } | { readonly choices: readonly number[] };

/**
 * The values a family's parameter can mean at all, whatever a bank asks: a kernel is odd, a
 * count is ≥ 1, a flag is 0 or 1. A bank range that admits a value outside it is refused at
 * parse time, and a draw outside it makes `generate` throw.
 */
export interface ParameterDomain {
  min?: number;
  max?: number;
  odd?: true;
  even?: true;
  /** Every value a multiple of this (sizes that divide exactly). */
  multipleOf?: number;
}

export interface FamilyParameter {
  /** The default (the union of the levels), declared to bank authors. */
  range: RangeSpec;
  description: string;
  domain?: ParameterDomain;
}

export interface FamilyOptions {
  /** Absent: drawn per variant, so that one item covers every template of its family. */
  difficulty?: Difficulty | undefined;
  /** Parameter ranges from a bank item, by parameter name. */
  ranges?: Readonly<Record<string, RangeSpec>> | undefined;
}

export interface Family {
  id: string;
  title: string;
  topic: string;
  /** The parameters a bank item may set ranges for, with their defaults and domains. */
  parameters?: Readonly<Record<string, FamilyParameter>>;
  generate(rng: Rng, options?: FamilyOptions): Omit<Variant, 'family' | 'seed'>;
}
