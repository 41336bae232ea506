/** Regions of the 1×1 projection and inception families. */
import { costUnitFeature, feature, param, type FeatureRule } from './kit';

const mapSize = feature('map', 'Map size', { large: '28×28', medium: '14×14', small: '7×7 or other' }, (v) => {
  const h = param(v, 'size');
  return h === 28 ? 'large' : h === 14 ? 'medium' : 'small';
});

export const oneByOneRegions: FeatureRule[] = [
  feature('question', 'Question', { volume: 'output volume', macs: 'MACs', flops: 'FLOPs' }, (v) => (v.difficulty === 1 ? 'volume' : v.difficulty === 2 ? 'macs' : 'flops')),
  feature('reduction', 'Depth reduction', { strong: 'to a quarter of the depth or less', mild: 'to more than a quarter of the depth' }, (v) => (4 * param(v, 'filters') <= param(v, 'channels') ? 'strong' : 'mild')),
];

export const inceptionOutputDepthRegions: FeatureRule[] = [
  feature('module', 'Module', { naive: 'a naive module (the pool keeps the depth)', bottleneck: 'a module with 1×1 bottlenecks', stacked: 'two naive modules stacked' }, (v) => (v.difficulty === 1 ? 'naive' : v.difficulty === 2 ? 'bottleneck' : 'stacked')),
];

export const inceptionNaiveMacsRegions: FeatureRule[] = [costUnitFeature((v) => v.difficulty === 3), mapSize];

export const inceptionBottleneckMacsRegions: FeatureRule[] = [costUnitFeature((v) => v.difficulty === 3), mapSize];
