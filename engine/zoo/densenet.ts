/** DenseNet-121/169/201 as torchvision builds them (growth rate 32, bottleneck width 4·32, compression 0.5). */
import type { Layer } from '../spec';
import type { ZooEntry } from './entry';
import { avgpool, block, bn, concat, conv, dense, maxpool, relu } from './layers';

const GROWTH = 32;
const BN_SIZE = 4;

/** One dense layer: the input passes through (empty branch) and BN-ReLU-1×1-BN-ReLU-3×3 adds `GROWTH` channels. */
function denseLayer(n: number): Layer {
  return concat(`denselayer${n}`, [
    [],
    [
      bn('norm1'),
      relu('relu1'),
      conv('conv1', BN_SIZE * GROWTH, 1, { bias: false }),
      bn('norm2'),
      relu('relu2'),
      conv('conv2', GROWTH, 3, { padding: 1, bias: false }),
    ],
  ]);
}

function densenetLayers(blocks: readonly number[]): Layer[] {
  const layers: Layer[] = [
    conv('conv0', 64, 7, { stride: 2, padding: 3, bias: false }),
    bn('norm0'),
    relu('relu0'),
    maxpool('pool0', 3, 2, { padding: 1 }),
  ];
  let channels = 64;
  blocks.forEach((n, i) => {
    layers.push(block(`denseblock${i + 1}`, 'dense_block', Array.from({ length: n }, (_, j) => denseLayer(j + 1))));
    channels += n * GROWTH;
    if (i < blocks.length - 1) {
      channels = Math.floor(channels / 2);
      layers.push(block(`transition${i + 1}`, 'transition', [bn('norm'), relu('relu'), conv('conv', channels, 1, { bias: false }), avgpool('pool', 2, 2)]));
    }
  });
  layers.push(bn('norm5'), relu('relu5'), { kind: 'adaptiveavgpool', name: 'avgpool', output: 1 }, { kind: 'flatten', name: 'flatten' }, dense('classifier', 1000));
  return layers;
}

function densenet(depth: 121 | 169 | 201, blocks: readonly number[], params: number): ZooEntry {
  const id = `densenet${depth}`;
  return {
    id,
    name: `DenseNet-${depth}`,
    year: 2017,
    source: `torchvision.models.${id} (Huang et al. 2017, DenseNet-BC, blocks ${blocks.join('/')})`,
    convention: '224×224×3 input; convs without bias, batch norm before each (γ, β counted), classifier with bias; growth rate 32, 1×1 bottleneck of 128, transitions halve the channels',
    spec: { name: id, input: [224, 224, 3], layers: densenetLayers(blocks) },
    published: { params, source: 'torchvision model docs (num_params)' },
  };
}

export const densenets: ZooEntry[] = [
  densenet(121, [6, 12, 24, 16], 7_978_856),
  densenet(169, [6, 12, 32, 32], 14_149_480),
  densenet(201, [6, 12, 48, 32], 20_013_928),
];
