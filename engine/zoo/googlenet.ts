/** GoogLeNet: torchvision's (with its quirks), and the paper's inception module for Table 1. */
import type { Layer } from '../spec';
import type { ZooEntry } from './entry';
import { bn, concat, conv, dense, dropout, maxpool, relu } from './layers';

/** The six widths of an inception module: [#1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj] (paper Table 1). */
export type InceptionWidths = readonly [number, number, number, number, number, number];

/** torchvision's BasicConv2d: conv without bias, batch norm (eps 0.001), ReLU. */
function basicConv(n: number, filters: number, kernel: number, options: { stride?: number; padding?: number } = {}): Layer[] {
  return [conv(`conv${n}`, filters, kernel, { ...options, bias: false }), bn(`bn${n}`, 0.001), relu(`relu${n}`)];
}

/** torchvision's Inception: the "5×5" branch really uses a 3×3 kernel (vision issue #906); the pool is 3×3/1 pad 1 in ceil mode. */
function torchvisionInception(name: string, [c1, c3r, c3, c5r, c5, pp]: InceptionWidths): Layer {
  return concat(name, [
    basicConv(1, c1, 1),
    [...basicConv(1, c3r, 1), ...basicConv(2, c3, 3, { padding: 1 })],
    [...basicConv(1, c5r, 1), ...basicConv(2, c5, 3, { padding: 1 })],
    [maxpool('pool', 3, 1, { padding: 1, ceilMode: true }), ...basicConv(1, pp, 1)],
  ]);
}

/** Widths of every module, from the paper's Table 1 (torchvision uses the same). */
export const INCEPTION_WIDTHS: Record<string, InceptionWidths> = {
  inception3a: [64, 96, 128, 16, 32, 32],
  inception3b: [128, 128, 192, 32, 96, 64],
  inception4a: [192, 96, 208, 16, 48, 64],
  inception4b: [160, 112, 224, 24, 64, 64],
  inception4c: [128, 128, 256, 24, 64, 64],
  inception4d: [112, 144, 288, 32, 64, 64],
  inception4e: [256, 160, 320, 32, 128, 128],
  inception5a: [256, 160, 320, 32, 128, 128],
  inception5b: [384, 192, 384, 48, 128, 128],
};

const m = (name: string) => torchvisionInception(name, INCEPTION_WIDTHS[name]!);
const ceilPool = (name: string, k: number) => maxpool(name, k, 2, { ceilMode: true });

export const googlenet: ZooEntry = {
  id: 'googlenet',
  name: 'GoogLeNet (Inception v1, torchvision)',
  year: 2014,
  source: 'torchvision.models.googlenet without the auxiliary classifiers (Szegedy et al. 2014)',
  convention:
    '224×224×3 input; every conv is BasicConv2d: no bias, batch norm (eps 0.001, γ and β counted), ReLU; max pools in ceil mode; ' +
    "the '5×5' branch uses 3×3 kernels as torchvision does; aux heads left out (they are dropped at inference)",
  spec: {
    name: 'googlenet',
    input: [224, 224, 3],
    layers: [
      ...basicConv(1, 64, 7, { stride: 2, padding: 3 }),
      ceilPool('maxpool1', 3),
      ...basicConv(2, 64, 1),
      ...basicConv(3, 192, 3, { padding: 1 }),
      ceilPool('maxpool2', 3),
      m('inception3a'),
      m('inception3b'),
      ceilPool('maxpool3', 3),
      m('inception4a'),
      m('inception4b'),
      m('inception4c'),
      m('inception4d'),
      m('inception4e'),
      ceilPool('maxpool4', 2),
      m('inception5a'),
      m('inception5b'),
      { kind: 'adaptiveavgpool', name: 'avgpool', output: 1 },
      { kind: 'flatten', name: 'flatten' },
      dropout('dropout', 0.2),
      dense('fc', 1000),
    ],
  },
  published: { params: 6_624_904, macs: 1.5e9, macsStep: 0.01e9, macsRounding: 'nearest', source: 'torchvision model docs (num_params; GFLOPS column, which counts MACs)' },
  notes: "The paper's Table 1 params column (true 5×5 kernels, no batch norm) sums to about 6.8M; the lecture says '5 million', its notes '4M'.",
};

/**
 * One inception module as the paper draws it: true 5×5 kernels (pad 2), 3×3/1 max pool (pad 1),
 * convs with biases and ReLU, no batch norm. Table 1's "ops" are its conv multiply-adds without biases.
 */
export function paperInceptionModule(name: string, widths: InceptionWidths): Layer {
  const [c1, c3r, c3, c5r, c5, pp] = widths;
  return concat(name, [
    [conv('conv1x1', c1, 1), relu('relu1x1')],
    [conv('reduce3x3', c3r, 1), relu('relu_reduce3x3'), conv('conv3x3', c3, 3, { padding: 1 }), relu('relu3x3')],
    [conv('reduce5x5', c5r, 1), relu('relu_reduce5x5'), conv('conv5x5', c5, 5, { padding: 2 }), relu('relu5x5')],
    [maxpool('pool3x3', 3, 1, { padding: 1 }), conv('pool_proj', pp, 1), relu('relu_pool_proj')],
  ]);
}
