/**
 * Regions: the features of a variant that plausibly change how hard it is (padding, stride, a bias
 * counted or not, …), each split into named regions. A variant's regions are a pure function of
 * the variant, so history can be regrouped later and stored seeds give the same regions again.
 */
import type { Layer, Spec } from '../spec';
import type { Variant } from '../question';

export interface RegionInfo {
  id: string;
  label: string;
}

export interface FeatureInfo {
  id: string;
  label: string;
  regions: RegionInfo[];
}

/** A feature with the rule that places a variant in one of its regions. */
export interface FeatureRule extends FeatureInfo {
  regionOf(variant: Variant): string;
  /** Regions the family's own generator never draws (a bank range may), with the reason. */
  unreachable: Readonly<Record<string, string>>;
}

/**
 * One feature: `regions` maps region id → label in the order shown; `of` names the region;
 * `unreachable` lists regions the family's default generator cannot produce, and why.
 */
export function feature(id: string, label: string, regions: Readonly<Record<string, string>>, of: (v: Variant) => string, unreachable: Readonly<Record<string, string>> = {}): FeatureRule {
  return { id, label, regions: Object.entries(regions).map(([rid, rlabel]) => ({ id: rid, label: rlabel })), regionOf: of, unreachable };
}

/** A drawn value of the variant; a missing one is a bug in the family's `params` line. */
export function param(v: Pick<Variant, 'family' | 'params'>, name: string): number {
  const value = v.params?.[name];
  if (typeof value !== 'number') throw new RangeError(`${v.family}: the variant has no drawn parameter '${name}'`);
  return value;
}

/** Every layer of a spec, blocks, branches and shortcuts included, in order. */
export function layersOf(spec: Spec | null): Layer[] {
  const out: Layer[] = [];
  const walk = (layers: readonly Layer[]) => {
    for (const l of layers) {
      out.push(l);
      if ('branches' in l && Array.isArray(l.branches)) for (const b of l.branches) walk(b);
      if ('layers' in l && Array.isArray(l.layers)) walk(l.layers);
      if ('body' in l && Array.isArray(l.body)) walk(l.body);
      if ('shortcut' in l && Array.isArray(l.shortcut)) walk(l.shortcut);
    }
  };
  if (spec) walk(spec.layers);
  return out;
}

// Features several families share; one home each.

/** Counting convention stated in the prompt. */
export const biasFeature = (of: (v: Variant) => boolean) => feature('bias', 'Biases', { counted: 'biases counted', 'not-counted': 'weights only' }, (v) => (of(v) ? 'counted' : 'not-counted'));

/** A square kernel's size class. */
export function kernelClass(k: number): 'one' | 'three' | 'large' {
  return k === 1 ? 'one' : k === 3 ? 'three' : 'large';
}
export const KERNEL_REGIONS = { one: '1×1 kernel', three: '3×3 kernel', large: 'kernel 5×5 or larger' } as const;

/** Zero padding against the kernel: none, 'same' ((K_eff − 1)/2 per side), or some other amount. */
export function paddingClass(p: number, kEff: number): 'zero' | 'same' | 'other' {
  if (p === 0) return 'zero';
  return 2 * p === kEff - 1 ? 'same' : 'other';
}
export const PADDING_REGIONS = { zero: 'no padding', same: "'same' padding ((K − 1)/2)", other: 'other padding' } as const;

/** The stride against the padded input: 1, a stride that divides (in + 2P − K_eff), or one that leaves a remainder (floor). */
export function strideClass(input: number, kEff: number, s: number, p: number): 'one' | 'divides' | 'floor' {
  if (s === 1) return 'one';
  return (input + 2 * p - kEff) % s === 0 ? 'divides' : 'floor';
}
export const STRIDE_REGIONS = { one: 'stride 1', divides: 'stride > 1, divides exactly', floor: 'stride > 1, needs the floor' } as const;

/** MACs or FLOPs asked for. */
export const costUnitFeature = (isFlops: (v: Variant) => boolean) => feature('unit', 'Unit asked', { macs: 'multiply-accumulates (MACs)', flops: 'FLOPs (2 per MAC)' }, (v) => (isFlops(v) ? 'flops' : 'macs'));
