/** The lecture's two inception modules on a 28×28×256 input (CS231n lecture 9). */
import type { ZooEntry } from './entry';
import { concat, conv, maxpool } from './layers';

const SOURCE = 'CS231n lecture 9, inception module example on a 28×28×256 input';
const CONVENTION = "28×28×256 input; 'same' padding, stride 1; biases counted in params; no ReLU or batch norm drawn (the lecture counts conv multiplies only)";

export const inceptionNaive: ZooEntry = {
  id: 'inception_naive_cs231n',
  name: 'Naive inception module (CS231n)',
  year: 2014,
  source: SOURCE,
  convention: CONVENTION,
  spec: {
    name: 'inception_naive_cs231n',
    input: [28, 28, 256],
    layers: [
      concat('inception', [
        [conv('conv1x1_128', 128, 1)],
        [conv('conv3x3_192', 192, 3, { padding: 'same' })],
        [conv('conv5x5_96', 96, 5, { padding: 'same' })],
        [maxpool('maxpool3x3', 3, 1, { padding: 'same' })],
      ]),
    ],
  },
  published: { macs: 854_196_224, source: 'CS231n lecture 9: 28·28·128·1·1·256 + 28·28·192·3·3·256 + 28·28·96·5·5·256 = 854M conv ops' },
  notes: 'Output 28×28×672: the pool branch passes all 256 input channels through, so depth only grows.',
};

export const inceptionBottleneck: ZooEntry = {
  id: 'inception_bottleneck_cs231n',
  name: 'Inception module with 1×1 bottlenecks (CS231n)',
  year: 2014,
  source: SOURCE,
  convention: CONVENTION,
  spec: {
    name: 'inception_bottleneck_cs231n',
    input: [28, 28, 256],
    layers: [
      concat('inception', [
        [conv('conv1x1_128', 128, 1)],
        [conv('reduce1x1_64', 64, 1), conv('conv3x3_192', 192, 3, { padding: 'same' })],
        [conv('reduce1x1_64', 64, 1), conv('conv5x5_96', 96, 5, { padding: 'same' })],
        [maxpool('maxpool3x3', 3, 1, { padding: 'same' }), conv('proj1x1_64', 64, 1)],
      ]),
    ],
  },
  published: { macs: 271_351_808, source: "the lecture's own terms, summed: 28·28·(64·256 + 64·256 + 128·256 + 192·3·3·64 + 96·5·5·64 + 64·256)" },
  notes:
    "Lecture erratum: the slide totals this module's conv ops as 358M, but its own six terms sum to 271,351,808 ≈ 271M (output 28×28×480, the same widths as GoogLeNet's inception 3b).",
};
