/** SqueezeNet 1.0 and 1.1 as torchvision builds them: fire modules, ceil-mode pools, a conv classifier. */
import type { Layer } from '../spec';
import type { ZooEntry } from './entry';
import { block, concat, conv, dropout, maxpool, relu } from './layers';

/** Fire module: a 1×1 squeeze, then 1×1 and 3×3 expands side by side, concatenated. */
function fire(name: string, squeeze: number, expand1: number, expand3: number): Layer {
  return block(name, 'fire', [
    conv('squeeze1x1', squeeze, 1),
    relu('squeeze_relu'),
    concat('expand', [
      [conv('expand1x1', expand1, 1), relu('expand1x1_relu')],
      [conv('expand3x3', expand3, 3, { padding: 1 }), relu('expand3x3_relu')],
    ]),
  ]);
}

const pool = (name: string) => maxpool(name, 3, 2, { ceilMode: true });

/** Dropout, a 1×1 conv to the 1000 classes, ReLU, global average: no dense layer at all. */
const classifier: Layer[] = [
  dropout('drop9', 0.5),
  conv('conv10', 1000, 1),
  relu('relu10'),
  { kind: 'adaptiveavgpool', name: 'avgpool', output: 1 },
  { kind: 'flatten', name: 'flatten' },
];

const CONVENTION = '224×224×3 input; biases; no batch norm; 3×3 stride-2 max pools in ceil mode; final 1×1 conv classifier + adaptive average pool';

export const squeezenets: ZooEntry[] = [
  {
    id: 'squeezenet1_0',
    name: 'SqueezeNet 1.0',
    year: 2016,
    source: 'torchvision.models.squeezenet1_0 (Iandola et al. 2016)',
    convention: CONVENTION,
    spec: {
      name: 'squeezenet1_0',
      input: [224, 224, 3],
      layers: [
        conv('conv1', 96, 7, { stride: 2 }),
        relu('relu1'),
        pool('maxpool1'),
        fire('fire2', 16, 64, 64),
        fire('fire3', 16, 64, 64),
        fire('fire4', 32, 128, 128),
        pool('maxpool4'),
        fire('fire5', 32, 128, 128),
        fire('fire6', 48, 192, 192),
        fire('fire7', 48, 192, 192),
        fire('fire8', 64, 256, 256),
        pool('maxpool8'),
        fire('fire9', 64, 256, 256),
        ...classifier,
      ],
    },
    published: { params: 1_248_424, source: 'torchvision model docs (num_params)' },
  },
  {
    id: 'squeezenet1_1',
    name: 'SqueezeNet 1.1',
    year: 2016,
    source: 'torchvision.models.squeezenet1_1 (SqueezeNet v1.1: 3×3 CONV1 of 64, pools moved earlier; 2.4× less compute)',
    convention: CONVENTION,
    spec: {
      name: 'squeezenet1_1',
      input: [224, 224, 3],
      layers: [
        conv('conv1', 64, 3, { stride: 2 }),
        relu('relu1'),
        pool('maxpool1'),
        fire('fire2', 16, 64, 64),
        fire('fire3', 16, 64, 64),
        pool('maxpool3'),
        fire('fire4', 32, 128, 128),
        fire('fire5', 32, 128, 128),
        pool('maxpool5'),
        fire('fire6', 48, 192, 192),
        fire('fire7', 48, 192, 192),
        fire('fire8', 64, 256, 256),
        fire('fire9', 64, 256, 256),
        ...classifier,
      ],
    },
    published: { params: 1_235_496, source: 'torchvision model docs (num_params)' },
  },
];
