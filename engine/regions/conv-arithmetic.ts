/** Regions of the conv and pooling output-size families. */
import { effectiveKernel } from '../formulas';
import { KERNEL_REGIONS, PADDING_REGIONS, STRIDE_REGIONS, feature, kernelClass, layersOf, paddingClass, param, strideClass, type FeatureRule } from './kit';

const tiles = 'the generator only draws windows that tile the padded input exactly';

export const convOutputSizeRegions: FeatureRule[] = [
  feature('padding', 'Padding', PADDING_REGIONS, (v) => paddingClass(param(v, 'padding'), effectiveKernel(param(v, 'kernel'), param(v, 'dilation')))),
  feature('stride', 'Stride', STRIDE_REGIONS, (v) => {
    // The harder axis decides: a non-square input whose width alone needs the floor needs the floor.
    const k = effectiveKernel(param(v, 'kernel'), param(v, 'dilation'));
    const [h, w] = [param(v, 'size'), param(v, 'width')].map((x) => strideClass(x, k, param(v, 'stride'), param(v, 'padding')));
    return h === 'floor' || w === 'floor' ? 'floor' : h!;
  }, { floor: tiles }),
  feature('kernel', 'Kernel size', KERNEL_REGIONS, (v) => kernelClass(param(v, 'kernel'))),
  feature('dilation', 'Dilation', { none: 'no dilation', dilated: 'dilated kernel' }, (v) => (param(v, 'dilation') > 1 ? 'dilated' : 'none')),
  feature('input', 'Input shape', { square: 'square input', 'non-square': 'non-square input (H ≠ W)' }, (v) => (param(v, 'size') === param(v, 'width') ? 'square' : 'non-square')),
];

export const poolOutputSizeRegions: FeatureRule[] = [
  feature('rounding', 'Rounding', { exact: 'window tiles exactly', floor: 'rounds down (floor)', ceil: 'rounds up (ceil mode)' }, (v) => {
    const w = param(v, 'size') + 2 * param(v, 'padding') - param(v, 'kernel');
    if (w % param(v, 'stride') === 0) return 'exact';
    return param(v, 'ceil') === 1 ? 'ceil' : 'floor';
  }),
  feature('padding', 'Padding', { zero: 'no padding', padded: 'padded' }, (v) => (param(v, 'padding') > 0 ? 'padded' : 'zero')),
  feature('overlap', 'Window and stride', { 'stride-one': 'stride 1', 'stride-equals-window': 'stride equals the window', overlapping: 'overlapping windows (1 < stride < window)' }, (v) => {
    const s = param(v, 'stride');
    if (s === 1) return 'stride-one';
    return s === param(v, 'kernel') ? 'stride-equals-window' : 'overlapping';
  }),
  feature('pool', 'Pooling', { max: 'max pooling', average: 'average pooling' }, (v) => (layersOf(v.spec).some((l) => l.kind === 'avgpool') ? 'average' : 'max')),
];
