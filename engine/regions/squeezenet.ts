/** Regions of the SqueezeNet families. */
import { biasFeature, feature, param, type FeatureRule } from './kit';

const expands = feature('expands', 'Expands', { squeezenet: "SqueezeNet's 4·s in each expand", apart: 'expands drawn apart' }, (v) => (v.difficulty === 3 ? 'apart' : 'squeezenet'));

export const fireModuleRegions: FeatureRule[] = [
  feature('question', 'Question', { depth: 'output depth', weights: 'weights only', params: 'weights and biases' }, (v) => (v.difficulty === 1 ? 'depth' : param(v, 'bias') === 1 ? 'params' : 'weights')),
  expands,
];

export const squeezenetCompressionRegions: FeatureRule[] = [biasFeature((v) => param(v, 'bias') === 1), expands];
