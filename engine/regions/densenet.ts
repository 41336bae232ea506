/** Regions of the DenseNet family. */
import { feature, param, type FeatureRule } from './kit';

export const densenetRegions: FeatureRule[] = [
  feature('question', 'Question', { 'block-output': 'channels leaving the block', 'layer-input': 'channels into layer l', transition: 'channels after the transition' }, (v) => (v.difficulty === 1 ? 'block-output' : v.difficulty === 2 ? 'layer-input' : 'transition')),
  feature('length', 'Block length', { short: 'up to 8 layers', long: 'more than 8 layers' }, (v) => (param(v, 'layers') <= 8 ? 'short' : 'long')),
  feature(
    'compression',
    'Compression',
    { none: 'no transition', exact: '⌊θ·m⌋ is exact', floor: '⌊θ·m⌋ rounds down' },
    (v) => {
      if (v.difficulty !== 3) return 'none';
      return (param(v, 'input') + param(v, 'layers') * param(v, 'growth')) % 2 === 0 ? 'exact' : 'floor';
    },
    { floor: "the generator's input depths and growth rates are all even, so m is even" },
  ),
];
