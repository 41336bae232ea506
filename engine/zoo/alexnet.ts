/** AlexNet (the lecture's single column and torchvision's) and ZFNet. */
import type { Layer } from '../spec';
import type { ZooEntry } from './entry';
import { conv, dense, dropout, maxpool, relu } from './layers';

const lrn = (name: string): Layer => ({ kind: 'lrn', name, size: 5, alpha: 1e-4, beta: 0.75, k: 2 });

/** FC6–FC8 on a flattened map, with dropout 0.5 before FC7 and FC8 as in the paper. */
function classifier(): Layer[] {
  return [
    { kind: 'flatten', name: 'flatten' },
    dense('fc6', 4096),
    relu('relu6'),
    dropout('drop6', 0.5),
    dense('fc7', 4096),
    relu('relu7'),
    dropout('drop7', 0.5),
    dense('fc8', 1000),
  ];
}

export const alexnetCs231n: ZooEntry = {
  id: 'alexnet_cs231n',
  name: 'AlexNet (CS231n, single column)',
  year: 2012,
  source: "CS231n lecture 9, 'Full (simplified) AlexNet architecture' (Krizhevsky et al. 2012 on one GPU)",
  convention: '227×227×3 input; conv and FC layers with biases; LRN after POOL1 and POOL2 as in the lecture; no batch norm',
  spec: {
    name: 'alexnet_cs231n',
    input: [227, 227, 3],
    layers: [
      conv('conv1', 96, 11, { stride: 4, padding: 0 }),
      relu('relu1'),
      maxpool('pool1', 3, 2),
      lrn('norm1'),
      conv('conv2', 256, 5, { padding: 2 }),
      relu('relu2'),
      maxpool('pool2', 3, 2),
      lrn('norm2'),
      conv('conv3', 384, 3, { padding: 1 }),
      relu('relu3'),
      conv('conv4', 384, 3, { padding: 1 }),
      relu('relu4'),
      conv('conv5', 256, 3, { padding: 1 }),
      relu('relu5'),
      maxpool('pool3', 3, 2),
      ...classifier(),
    ],
  },
  notes: "The lecture's CONV1 '35K' parameters are the 34,848 weights without the 96 biases (34,944 with them).",
};

export const alexnet: ZooEntry = {
  id: 'alexnet',
  name: 'AlexNet (torchvision)',
  year: 2012,
  source: "torchvision.models.alexnet (the 'One weird trick' variant: 64/192/384/256/256 filters, no LRN)",
  convention: '224×224×3 input; biases; no batch norm; adaptive average pool to 6×6 (the identity at 224)',
  spec: {
    name: 'alexnet',
    input: [224, 224, 3],
    layers: [
      conv('conv1', 64, 11, { stride: 4, padding: 2 }),
      relu('relu1'),
      maxpool('pool1', 3, 2),
      conv('conv2', 192, 5, { padding: 2 }),
      relu('relu2'),
      maxpool('pool2', 3, 2),
      conv('conv3', 384, 3, { padding: 1 }),
      relu('relu3'),
      conv('conv4', 256, 3, { padding: 1 }),
      relu('relu4'),
      conv('conv5', 256, 3, { padding: 1 }),
      relu('relu5'),
      maxpool('pool5', 3, 2),
      { kind: 'adaptiveavgpool', name: 'avgpool', output: 6 },
      { kind: 'flatten', name: 'flatten' },
      dropout('drop6', 0.5),
      dense('fc6', 4096),
      relu('relu6'),
      dropout('drop7', 0.5),
      dense('fc7', 4096),
      relu('relu7'),
      dense('fc8', 1000),
    ],
  },
  published: { params: 61_100_840, macs: 0.71e9, macsStep: 0.01e9, macsRounding: 'nearest', source: 'torchvision model docs (num_params; GFLOPS column, which counts MACs)' },
  notes: 'CONV1 at 224 does not tile exactly: (224 + 4 − 11)/4 + 1 = 55.25, floored to 55.',
};

export const zfnet: ZooEntry = {
  id: 'zfnet',
  name: 'ZFNet',
  year: 2013,
  source: "Zeiler & Fergus 2013, Fig. 3, with the lecture's CONV3–5 of 512, 1024, 512 filters",
  convention:
    '224×224×3 input; CONV1 96 7×7 stride 2 pad 1 → 110×110 and CONV2 256 5×5 stride 2 pad 0 → 26×26 as in the paper; ' +
    '3×3 stride-2 max pools in ceil mode (Caffe) to reach the paper’s 55, 13 and 6; LRN after POOL1 and POOL2; biases; no batch norm',
  spec: {
    name: 'zfnet',
    input: [224, 224, 3],
    layers: [
      conv('conv1', 96, 7, { stride: 2, padding: 1 }),
      relu('relu1'),
      maxpool('pool1', 3, 2, { ceilMode: true }),
      lrn('norm1'),
      conv('conv2', 256, 5, { stride: 2, padding: 0 }),
      relu('relu2'),
      maxpool('pool2', 3, 2, { ceilMode: true }),
      lrn('norm2'),
      conv('conv3', 512, 3, { padding: 1 }),
      relu('relu3'),
      conv('conv4', 1024, 3, { padding: 1 }),
      relu('relu4'),
      conv('conv5', 512, 3, { padding: 1 }),
      relu('relu5'),
      maxpool('pool3', 3, 2, { ceilMode: true }),
      ...classifier(),
    ],
  },
  notes: "The paper's own network has CONV3–5 of 384, 384, 256 filters; 512, 1024, 512 is the lecture's (the paper's larger variant).",
};
