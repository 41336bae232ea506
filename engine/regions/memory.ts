/** Regions of the activation-memory family. */
import { PADDING_REGIONS, STRIDE_REGIONS, feature, paddingClass, param, strideClass, type FeatureRule } from './kit';

const single = (v: Parameters<FeatureRule['regionOf']>[0]) => param(v, 'layers') === 1;
const network = { network: 'a five-layer network (no single window)' } as const;

export const activationMemoryRegions: FeatureRule[] = [
  feature('unit', 'Unit asked', { values: 'values', bytes: 'bytes (4 per value)' }, (v) => (param(v, 'bytes') === 1 ? 'bytes' : 'values')),
  feature('scope', 'Question', { layer: 'one conv layer', network: 'all five layers of a network' }, (v) => (single(v) ? 'layer' : 'network')),
  feature('padding', 'Padding', { ...PADDING_REGIONS, ...network }, (v) => (single(v) ? paddingClass(param(v, 'padding'), param(v, 'kernel')) : 'network')),
  feature('stride', 'Stride', { ...STRIDE_REGIONS, ...network }, (v) => (single(v) ? strideClass(param(v, 'size'), param(v, 'kernel'), param(v, 'stride'), param(v, 'padding')) : 'network'), { floor: 'the generator only draws windows that tile the padded input exactly' }),
];
