/** Regions of the residual-block, grouped-conv and wide-ResNet families. */
import { feature, param, type FeatureRule } from './kit';

const blockType = feature('block', 'Block', { basic: 'basic block (two 3×3)', bottleneck: 'bottleneck block (1×1, 3×3, 1×1)' }, (v) => (param(v, 'bottleneck') === 1 ? 'bottleneck' : 'basic'));
const shortcut = feature(
  'shortcut',
  'Shortcut',
  { identity: 'identity shortcut', 'projection-same-size': '1×1 projection, same size', 'projection-downsampling': '1×1 projection with stride 2' },
  (v) => (param(v, 'projection') === 0 ? 'identity' : param(v, 'stride') > 1 ? 'projection-downsampling' : 'projection-same-size'),
  { 'projection-same-size': 'the generator only projects in the first, strided block of a stage' },
);

export const resnetBlockParamsRegions: FeatureRule[] = [blockType, shortcut];
export const resnetBlockMacsRegions: FeatureRule[] = [blockType, shortcut];

export const groupedConvRegions: FeatureRule[] = [
  feature('question', 'Question', { weights: 'weights only', params: 'weights and biases', macs: 'MACs' }, (v) => (v.difficulty === 3 ? 'macs' : param(v, 'bias') === 1 ? 'params' : 'weights')),
  feature('groups', 'Groups', { few: '2–4 groups', several: '8–16 groups', many: '32 groups or more' }, (v) => {
    const g = param(v, 'cardinality');
    return g <= 4 ? 'few' : g <= 16 ? 'several' : 'many';
  }),
];

export const wideResnetRegions: FeatureRule[] = [
  feature('block', 'Block', { inner: 'an inner block (identity shortcut)', first: 'the first block of a group (projection, stride 2)' }, (v) => (param(v, 'first') === 1 ? 'first' : 'inner')),
  feature('widening', 'Widening factor', { small: 'k 2–4', medium: 'k 5–8', large: 'k 9 or more' }, (v) => {
    const k = param(v, 'widening');
    return k <= 4 ? 'small' : k <= 8 ? 'medium' : 'large';
  }),
];
