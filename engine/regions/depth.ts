/** Regions of the stochastic-depth and FractalNet families. */
import { feature, param, type FeatureRule } from './kit';

export const stochasticDepthRegions: FeatureRule[] = [
  feature('question', 'Question', { active: 'expected active blocks', dropped: 'expected dropped blocks' }, (v) => (v.difficulty === 3 ? 'dropped' : 'active')),
  feature('blocks', 'Blocks', { few: 'up to 12 blocks', many: 'more than 12 blocks' }, (v) => (param(v, 'blocks') <= 12 ? 'few' : 'many')),
  feature('survival', 'Last survival', { paper: 'p_L = 0.5 (the paper)', other: 'another p_L' }, (v) => (param(v, 'survival') === 50 ? 'paper' : 'other')),
];

export const fractalnetRegions: FeatureRule[] = [
  feature('question', 'Question', { 'block-depth': "a block's deepest path", 'network-depth': "a network's deepest path", paths: 'paths through a block' }, (v) => (v.difficulty === 1 ? 'block-depth' : v.difficulty === 2 ? 'network-depth' : 'paths')),
  feature('columns', 'Columns', { few: '2–3 columns', many: '4 or more columns' }, (v) => (param(v, 'columns') <= 3 ? 'few' : 'many')),
];
