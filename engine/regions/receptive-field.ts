/** Regions of the receptive-field families. */
import { feature, layersOf, param, type FeatureRule } from './kit';

export const receptiveFieldStackRegions: FeatureRule[] = [
  feature('strides', 'Strided layers', { none: 'no strided layer', one: 'one stride-2 layer', several: 'two or more stride-2 layers' }, (v) => {
    const s = param(v, 'strided');
    return s === 0 ? 'none' : s === 1 ? 'one' : 'several';
  }),
  feature('pooling', 'Pooling', { none: 'convs only', pools: 'a pool in the stack' }, (v) => (param(v, 'pools') > 0 ? 'pools' : 'none')),
  feature('dilation', 'Dilation', { none: 'no dilation', dilated: 'a dilated conv' }, (v) => (layersOf(v.spec).some((l) => l.kind === 'conv' && l.dilation !== undefined && l.dilation !== 1) ? 'dilated' : 'none')),
  feature('depth', 'Stack depth', { short: '2–3 layers', deep: '4 or more layers' }, (v) => (param(v, 'layers') <= 3 ? 'short' : 'deep')),
  feature('kernels', 'Kernels', { three: 'all 3×3', larger: 'a kernel 5×5 or larger' }, (v) => (layersOf(v.spec).some((l) => l.kind === 'conv' && l.kernel !== 3) ? 'larger' : 'three')),
];

export const stacked3x3Regions: FeatureRule[] = [
  feature('question', 'Question', { kernel: 'the equivalent kernel K', 'stack-weights': 'weights of the stack', saved: 'weights saved' }, (v) => (v.difficulty === 1 ? 'kernel' : v.difficulty === 2 ? 'stack-weights' : 'saved')),
  feature('stack', 'Stack depth', { two: '2 convs', three: '3 convs', more: '4 or more convs' }, (v) => {
    const m = param(v, 'convs');
    return m === 2 ? 'two' : m === 3 ? 'three' : 'more';
  }),
];
