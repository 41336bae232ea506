/** VGG 11/13/16/19 and their batch-norm forms, as torchvision builds them. */
import type { Layer } from '../spec';
import type { ZooEntry } from './entry';
import { block, bn, conv, dense, dropout, maxpool, relu } from './layers';

/** Convs per stage of configurations A, B, D, E (Simonyan & Zisserman Table 1). */
const STAGES: Record<11 | 13 | 16 | 19, readonly number[]> = {
  11: [1, 1, 2, 2, 2],
  13: [2, 2, 2, 2, 2],
  16: [2, 2, 3, 3, 3],
  19: [2, 2, 4, 4, 4],
};
const WIDTHS = [64, 128, 256, 512, 512];

/** Stages named like TF-slim's vgg_16 (conv1/conv1_1 ... pool5), so receptive-field tables line up. */
function vggLayers(depth: 11 | 13 | 16 | 19, batchNorm: boolean): Layer[] {
  const layers: Layer[] = [];
  STAGES[depth].forEach((n, s) => {
    const stage: Layer[] = [];
    for (let i = 1; i <= n; i++) {
      const id = `${s + 1}_${i}`;
      stage.push(conv(`conv${id}`, WIDTHS[s]!, 3, { padding: 1 }));
      if (batchNorm) stage.push(bn(`bn${id}`));
      stage.push(relu(`relu${id}`));
    }
    layers.push(block(`conv${s + 1}`, 'vgg_stage', stage), maxpool(`pool${s + 1}`, 2, 2));
  });
  layers.push(
    { kind: 'adaptiveavgpool', name: 'avgpool', output: 7 },
    { kind: 'flatten', name: 'flatten' },
    dense('fc6', 4096),
    relu('relu6'),
    dropout('drop6', 0.5),
    dense('fc7', 4096),
    relu('relu7'),
    dropout('drop7', 0.5),
    dense('fc8', 1000),
  );
  return layers;
}

const PUBLISHED: Record<string, number> = {
  vgg11: 132_863_336,
  vgg11_bn: 132_868_840,
  vgg13: 133_047_848,
  vgg13_bn: 133_053_736,
  vgg16: 138_357_544,
  vgg16_bn: 138_365_992,
  vgg19: 143_667_240,
  vgg19_bn: 143_678_248,
};

/** The erratum of docs/sources/cs231n-facts.md, shown on the explorer's vgg16 page as the inception one is on its module's. */
const VGG16_MEMORY_ERRATUM =
  "Lecture erratum: the slide totals VGG-16's forward memory as 24M values (~96 MB per image), but its own table's entries (the input plus every conv, pool and FC output) sum to 15,237,608 ≈ 15.2M values (≈ 61 MB in float32): the 'memory' total here. 'Activations' (28,701,160) also counts every ReLU and dropout output.";

function vgg(depth: 11 | 13 | 16 | 19, batchNorm: boolean): ZooEntry {
  const id = `vgg${depth}${batchNorm ? '_bn' : ''}`;
  return {
    id,
    name: `VGG-${depth}${batchNorm ? ' with batch norm' : ''}`,
    year: 2014,
    source: `torchvision.models.${id} (Simonyan & Zisserman 2014, configuration ${{ 11: 'A', 13: 'B', 16: 'D', 19: 'E' }[depth]})`,
    convention: `224×224×3 input; conv and FC biases; ${batchNorm ? 'batch norm after every conv (γ, β counted)' : 'no batch norm'}; adaptive average pool to 7×7 (the identity at 224)`,
    spec: { name: id, input: [224, 224, 3], layers: vggLayers(depth, batchNorm) },
    published: {
      params: PUBLISHED[id]!,
      ...(id === 'vgg16' ? { macs: 15.47e9, macsStep: 0.01e9, macsRounding: 'nearest' as const } : {}),
      source: 'torchvision model docs (num_params; GFLOPS column, which counts MACs)',
    },
    // Keras Applications has VGG16 and VGG19; only VGG16's count is in the reference table.
    ...(id === 'vgg16' ? { keras: { model: 'VGG16', params: 138_357_544, convBias: false, source: 'Keras Applications (keras-io applications index): model.count_params(); test/reference/cnn-reference.tsv' } } : {}),
    ...(id === 'vgg16' ? { notes: VGG16_MEMORY_ERRATUM } : {}),
  };
}

export const vggs: ZooEntry[] = [11, 13, 16, 19].flatMap((d) => [vgg(d as 11, false), vgg(d as 11, true)]);
