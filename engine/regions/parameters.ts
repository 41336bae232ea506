/** Regions of the parameter-counting families. */
import { biasFeature, feature, layersOf, param, type FeatureRule } from './kit';

const bias = biasFeature((v) => param(v, 'bias') === 1);
const inputDepth = feature('input-depth', 'Input depth', { single: 'one input channel', colour: 'three input channels', deep: 'deeper input (> 3 channels)' }, (v) => {
  const c = param(v, 'channels');
  return c === 1 ? 'single' : c === 3 ? 'colour' : 'deep';
});

export const convParamsRegions: FeatureRule[] = [
  bias,
  feature('kernel', 'Kernel', { one: '1×1 kernel', three: '3×3 kernel', large: 'square kernel 5×5 or larger', factorised: 'factorised 1×K or K×1 kernel' }, (v) => {
    const kh = param(v, 'kernelHeight');
    const kw = param(v, 'kernelWidth');
    if (kh !== kw) return 'factorised';
    return kh === 1 ? 'one' : kh === 3 ? 'three' : 'large';
  }),
  { ...inputDepth, unreachable: { single: "the generator's input depths start at 3" } },
];

export const fcParamsRegions: FeatureRule[] = [
  bias,
  feature('input', 'Input', { vector: 'a vector', volume: 'a volume to flatten' }, (v) => (param(v, 'size') === 1 ? 'vector' : 'volume')),
  feature('units', 'Output units', { few: 'at most 100 units', many: 'more than 100 units' }, (v) => (param(v, 'units') <= 100 ? 'few' : 'many')),
];

export const networkParamsRegions: FeatureRule[] = [
  bias,
  feature('convs', 'Conv layers', { one: 'one conv', two: 'two convs', three: 'three convs' }, (v) => (['one', 'two', 'three'] as const)[Math.min(param(v, 'convs'), 3) - 1]!),
  feature('hidden', 'Hidden FC layer', { none: 'no hidden FC layer', one: 'one hidden FC layer' }, (v) => (param(v, 'hidden') > 0 ? 'one' : 'none')),
  feature('input-depth', 'Input', { grey: 'grey input (1 channel)', colour: 'colour input (3 channels)' }, (v) => (param(v, 'depth') === 1 ? 'grey' : 'colour')),
  feature('kernels', 'Kernels', { three: 'all 3×3', five: 'all 5×5', other: 'all one other size', mixed: 'mixed sizes' }, (v) => {
    const ks = new Set(layersOf(v.spec).flatMap((l) => (l.kind === 'conv' ? [JSON.stringify(l.kernel)] : [])));
    if (ks.size > 1) return 'mixed';
    return ks.has('3') ? 'three' : ks.has('5') ? 'five' : 'other';
  }, { other: 'the generator draws 3×3 and 5×5 kernels only (a bank range may ask for others)' }),
];

export const locallyConnectedRegions: FeatureRule[] = [
  feature('question', 'Question', { count: 'count the unshared parameters', ratio: 'ratio to the shared conv' }, (v) => (v.difficulty === 3 ? 'ratio' : 'count')),
  feature('stride', 'Stride', { one: 'stride 1', strided: 'stride > 1' }, (v) => (param(v, 'stride') > 1 ? 'strided' : 'one')),
  feature('padding', 'Padding', { zero: 'no padding', padded: 'padded' }, (v) => (param(v, 'padding') > 0 ? 'padded' : 'zero')),
  inputDepth,
];
