/** ResNets (torchvision v1.5 and the paper's v1), Wide ResNet-50-2 and ResNeXt-50 32×4d. */
import type { Layer } from '../spec';
import type { ZooEntry } from './entry';
import { block, bn, conv, dense, maxpool, relu, residual } from './layers';

interface ResNetShape {
  kind: 'basic' | 'bottleneck';
  blocks: readonly [number, number, number, number];
  /** Cardinality (ResNeXt) and width of each group at the first stage (torchvision's width_per_group). */
  groups?: number;
  widthPerGroup?: number;
  /** 'v1.5' puts the stride on the 3×3 conv (torchvision); 'v1' on the first 1×1 (the paper). */
  strideOn?: 'v1' | 'v1.5';
}

/** Body of one unit; convs have no bias (batch norm follows each). */
function unitBody(shape: ResNetShape, planes: number, stride: number): Layer[] {
  if (shape.kind === 'basic') {
    return [
      conv('conv1', planes, 3, { stride, padding: 1, bias: false }),
      bn('bn1'),
      relu('relu1'),
      conv('conv2', planes, 3, { padding: 1, bias: false }),
      bn('bn2'),
    ];
  }
  const groups = shape.groups ?? 1;
  const width = Math.floor(planes * ((shape.widthPerGroup ?? 64) / 64)) * groups;
  const [s1, s3] = shape.strideOn === 'v1' ? [stride, 1] : [1, stride];
  return [
    conv('conv1', width, 1, { stride: s1, bias: false }),
    bn('bn1'),
    relu('relu1'),
    conv('conv2', width, 3, { stride: s3, padding: 1, groups, bias: false }),
    bn('bn2'),
    relu('relu2'),
    conv('conv3', planes * 4, 1, { bias: false }),
    bn('bn3'),
  ];
}

function resnetLayers(shape: ResNetShape): Layer[] {
  const expansion = shape.kind === 'basic' ? 1 : 4;
  let channels = 64;
  const stages = shape.blocks.map((n, s) => {
    const planes = 64 * 2 ** s;
    const units: Layer[] = [];
    for (let i = 0; i < n; i++) {
      const stride = i === 0 && s > 0 ? 2 : 1;
      const out = planes * expansion;
      // A projection (1×1 conv + BN) where the shape changes; the identity elsewhere.
      const shortcut = stride !== 1 || channels !== out ? [conv('conv', out, 1, { stride, bias: false }), bn('bn')] : undefined;
      units.push(block(`${i}`, shape.kind, [residual('residual', unitBody(shape, planes, stride), shortcut), relu('relu')]));
      channels = out;
    }
    return block(`layer${s + 1}`, 'resnet_stage', units);
  });
  return [
    conv('conv1', 64, 7, { stride: 2, padding: 3, bias: false }),
    bn('bn1'),
    relu('relu'),
    maxpool('maxpool', 3, 2, { padding: 1 }),
    ...stages,
    { kind: 'globalavgpool', name: 'avgpool' },
    { kind: 'flatten', name: 'flatten' },
    dense('fc', 1000),
  ];
}

const TORCHVISION_DOCS = 'torchvision model docs (num_params; GFLOPS column, which counts MACs)';
const PAPER_TABLE = "He et al. 2015, Table 1 ('FLOPs' are multiply-adds)";
const CONVENTION = '224×224×3 input; convs without bias, batch norm after each (γ, β counted, running stats not), FC with bias; ';

function entry(id: string, name: string, year: number, source: string, shape: ResNetShape, convention: string, published: ZooEntry['published'], notes?: string): ZooEntry {
  return { id, name, year, source, convention: CONVENTION + convention, spec: { name: id, input: [224, 224, 3], layers: resnetLayers(shape) }, ...(published ? { published } : {}), ...(notes ? { notes } : {}) };
}

/** keras.applications.ResNet50/101/152 (include_top, 1000 classes): model.count_params(). */
const KERAS_RESNET = { 50: 25_636_712, 101: 44_707_176, 152: 60_419_944 } as const;
const KERAS_SOURCE = 'Keras Applications (keras.applications, include_top=True, 1000 classes): model.count_params(), trainable + non-trainable';

const BLOCKS = {
  18: [2, 2, 2, 2],
  34: [3, 4, 6, 3],
  50: [3, 4, 6, 3],
  101: [3, 4, 23, 3],
  152: [3, 8, 36, 3],
} as const;

export const resnets: ZooEntry[] = [
  entry('resnet18', 'ResNet-18', 2015, 'torchvision.models.resnet18 (He et al. 2015)', { kind: 'basic', blocks: BLOCKS[18] }, 'basic blocks', {
    params: 11_689_512, macs: 1.81e9, macsStep: 0.01e9, macsRounding: 'nearest', source: TORCHVISION_DOCS,
  }, "Basic blocks are the same in v1 and v1.5; the paper's Table 1 gives 1.8×10⁹ FLOPs (multiply-adds)."),
  entry('resnet34', 'ResNet-34', 2015, 'torchvision.models.resnet34 (He et al. 2015)', { kind: 'basic', blocks: BLOCKS[34] }, 'basic blocks', {
    params: 21_797_672, macs: 3.6e9, macsStep: 0.1e9, macsRounding: 'nearest-or-truncate', source: `torchvision num_params; MACs: ${PAPER_TABLE}`,
  }, "3,663,761,408 MACs (3.66×10⁹), which the paper prints as 3.6×10⁹."),
  entry('resnet50', 'ResNet-50 (v1.5)', 2015, 'torchvision.models.resnet50 (v1.5: stride 2 on the 3×3 conv)', { kind: 'bottleneck', blocks: BLOCKS[50] }, 'bottleneck blocks, stride on the 3×3 (v1.5)', {
    params: 25_557_032, macs: 4.09e9, macsStep: 0.01e9, macsRounding: 'nearest', source: TORCHVISION_DOCS,
  }),
  entry('resnet101', 'ResNet-101 (v1.5)', 2015, 'torchvision.models.resnet101 (v1.5)', { kind: 'bottleneck', blocks: BLOCKS[101] }, 'bottleneck blocks, stride on the 3×3 (v1.5)', {
    params: 44_549_160, source: TORCHVISION_DOCS,
  }),
  entry('resnet152', 'ResNet-152 (v1.5)', 2015, 'torchvision.models.resnet152 (v1.5)', { kind: 'bottleneck', blocks: BLOCKS[152] }, 'bottleneck blocks, stride on the 3×3 (v1.5)', {
    params: 60_192_808, source: TORCHVISION_DOCS,
  }),
  ...([50, 101, 152] as const).map((d) => ({
    ...entry(`resnet${d}_v1`, `ResNet-${d} (paper v1)`, 2015, `He et al. 2015 (original v1: stride 2 on the first 1×1 conv of a stage)`, { kind: 'bottleneck', blocks: BLOCKS[d], strideOn: 'v1' }, 'bottleneck blocks, stride on the first 1×1 (v1)', {
      params: { 50: 25_557_032, 101: 44_549_160, 152: 60_192_808 }[d],
      macs: { 50: 3.8e9, 101: 7.6e9, 152: 11.3e9 }[d],
      macsStep: 0.1e9,
      macsRounding: 'nearest-or-truncate',
      source: `${PAPER_TABLE}; params as torchvision (moving the stride changes no weight)`,
    }, "Table 1 rounds unevenly: v1 ResNet-50 is 3.86×10⁹ MACs, printed 3.8 (truncated); ResNet-101 7.57 and ResNet-152 11.28 are printed 7.6 and 11.3 (rounded). Keras Applications' ResNet" + d + " is this v1 network with a bias on every conv: " + KERAS_RESNET[d].toLocaleString('en-US') + " params with batch-norm statistics."),
    // Keras's ResNets are v1 and keep each conv's bias (torchvision drops it before batch norm).
    keras: { model: `ResNet${d}`, params: KERAS_RESNET[d], convBias: true, source: KERAS_SOURCE },
  })),
  entry('wide_resnet50_2', 'Wide ResNet-50-2', 2016, 'torchvision.models.wide_resnet50_2 (Zagoruyko & Komodakis 2016, as a bottleneck ResNet-50 with the inner width doubled)', { kind: 'bottleneck', blocks: BLOCKS[50], widthPerGroup: 128 }, 'bottleneck blocks with twice the 3×3 width, stride on the 3×3', {
    params: 68_883_240, source: TORCHVISION_DOCS,
  }),
  entry('resnext50_32x4d', 'ResNeXt-50 32×4d', 2016, 'torchvision.models.resnext50_32x4d (Xie et al. 2016: cardinality 32 as a grouped 3×3 conv)', { kind: 'bottleneck', blocks: BLOCKS[50], groups: 32, widthPerGroup: 4 }, 'bottleneck blocks with a 32-group 3×3 conv of width 128 at the first stage', {
    params: 25_028_904, source: TORCHVISION_DOCS,
  }),
];
