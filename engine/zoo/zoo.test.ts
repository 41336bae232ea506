import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis';
import { UnknownArchError } from '../errors';
import type { Spec } from '../spec';
import { archIds, CONVENTION_NAMES, getArch, networkConvention, zoo } from './index';

const IDS = [
  'alexnet_cs231n', 'alexnet', 'zfnet',
  'vgg11', 'vgg11_bn', 'vgg13', 'vgg13_bn', 'vgg16', 'vgg16_bn', 'vgg19', 'vgg19_bn',
  'googlenet', 'inception_naive_cs231n', 'inception_bottleneck_cs231n',
  'resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152', 'resnet50_v1', 'resnet101_v1', 'resnet152_v1',
  'wide_resnet50_2', 'resnext50_32x4d', 'nin_cifar10', 'densenet121', 'densenet169', 'densenet201', 'squeezenet1_0', 'squeezenet1_1',
];

/** Output shape of the row with this name. */
function shapeAt(id: string, name: string): number[] {
  const row = analyze(getArch(id).spec).layers.find((l) => l.name === name);
  if (!row) throw new Error(`${id} has no row ${name}`);
  return row.output;
}

describe('the zoo', () => {
  it("has exactly the zoo's ids (torchvision's names where torchvision has the network; docs/decisions/0004), each with a source and a convention", () => {
    expect([...archIds()].sort()).toEqual([...IDS].sort());
    for (const e of zoo) {
      expect(e.source.length, e.id).toBeGreaterThan(10);
      expect(e.convention.length, e.id).toBeGreaterThan(10);
      expect(e.year).toBeGreaterThanOrEqual(2012);
    }
  });

  it('getArch names the unknown id and lists the known ones', () => {
    expect(getArch('vgg16').id).toBe('vgg16');
    expect(() => getArch('vgg17')).toThrow(UnknownArchError);
    expect(() => getArch('vgg17')).toThrow(/^unknown architecture 'vgg17'; known: alexnet_cs231n, alexnet, zfnet, vgg11, /);
  });

  // Published parameter counts, typed here independently of the zoo's own `published` field.
  const PARAMS: Record<string, number> = {
    alexnet: 61_100_840,
    vgg11: 132_863_336, vgg11_bn: 132_868_840, vgg13: 133_047_848, vgg13_bn: 133_053_736,
    vgg16: 138_357_544, vgg16_bn: 138_365_992, vgg19: 143_667_240, vgg19_bn: 143_678_248,
    googlenet: 6_624_904,
    resnet18: 11_689_512, resnet34: 21_797_672, resnet50: 25_557_032, resnet101: 44_549_160, resnet152: 60_192_808,
    resnet50_v1: 25_557_032, resnet101_v1: 44_549_160, resnet152_v1: 60_192_808,
    wide_resnet50_2: 68_883_240, resnext50_32x4d: 25_028_904,
    densenet121: 7_978_856, densenet169: 14_149_480, densenet201: 20_013_928,
    squeezenet1_0: 1_248_424, squeezenet1_1: 1_235_496,
  };
  for (const [id, params] of Object.entries(PARAMS)) {
    it(`${id} has exactly ${params.toLocaleString('en-US')} params (torchvision)`, () => {
      expect(analyze(getArch(id).spec).totals.params).toBe(params);
      expect(getArch(id).published?.params).toBe(params);
    });
  }

  // torchvision's "GFLOPS" (in fact GMACs) to two decimals; ResNet's Table 1 to one.
  const GMACS: [string, number, number][] = [
    ['alexnet', 0.71, 2], ['vgg16', 15.47, 2], ['resnet50', 4.09, 2], ['googlenet', 1.5, 2], ['resnet18', 1.81, 2],
    ['resnet18', 1.8, 1],
  ];
  for (const [id, gmacs, digits] of GMACS) {
    it(`${id} has ${gmacs} GMACs to ${digits} decimals`, () => {
      expect((analyze(getArch(id).spec).totals.macs / 1e9).toFixed(digits)).toBe(gmacs.toFixed(digits));
    });
  }

  it("ResNet v1 MACs match Table 1 (3.6 / 3.8 / 7.6 / 11.3 ×10⁹), which truncates some figures and rounds others", () => {
    const g = (id: string) => analyze(getArch(id).spec).totals.macs / 1e9;
    expect(Math.floor(g('resnet34') * 10) / 10).toBe(3.6);
    expect(Math.floor(g('resnet50_v1') * 10) / 10).toBe(3.8);
    expect(g('resnet101_v1').toFixed(1)).toBe('7.6');
    expect(g('resnet152_v1').toFixed(1)).toBe('11.3');
    // v1.5 moves the stride to the 3×3: same weights, more MACs.
    expect(g('resnet50')).toBeGreaterThan(g('resnet50_v1'));
  });

  it('every published figure is reproduced to its stated rounding', () => {
    for (const e of zoo) {
      const totals = analyze(e.spec).totals;
      const p = e.published;
      if (p?.params !== undefined) expect(totals.params, e.id).toBe(p.params);
      if (p?.macs === undefined) continue;
      if (p.macsStep === undefined) {
        expect(totals.macs, e.id).toBe(p.macs);
        continue;
      }
      const nearest = Math.round(totals.macs / p.macsStep) * p.macsStep;
      const truncated = Math.floor(totals.macs / p.macsStep) * p.macsStep;
      const close = (x: number) => Math.abs(x - p.macs!) < p.macsStep! / 1000;
      expect(close(nearest) || (p.macsRounding === 'nearest-or-truncate' && close(truncated)), `${e.id}: ${totals.macs} vs ${p.macs}`).toBe(true);
    }
  });

  it('every row name is unique within an architecture', () => {
    for (const e of zoo) {
      const names = analyze(e.spec).layers.map((l) => l.name);
      expect(new Set(names).size, e.id).toBe(names.length);
    }
  });
});

describe('shapes along the way', () => {
  it('ZFNet follows the paper: 110, 55, 26, 13, 13, 6', () => {
    expect(shapeAt('zfnet', 'conv1')).toEqual([110, 110, 96]);
    expect(shapeAt('zfnet', 'pool1')).toEqual([55, 55, 96]);
    expect(shapeAt('zfnet', 'conv2')).toEqual([26, 26, 256]);
    expect(shapeAt('zfnet', 'pool2')).toEqual([13, 13, 256]);
    expect(shapeAt('zfnet', 'conv4')).toEqual([13, 13, 1024]);
    expect(shapeAt('zfnet', 'pool3')).toEqual([6, 6, 512]);
  });

  it("GoogLeNet follows torchvision's comments (ceil-mode pools)", () => {
    expect(shapeAt('googlenet', 'conv1')).toEqual([112, 112, 64]);
    expect(shapeAt('googlenet', 'maxpool1')).toEqual([56, 56, 64]);
    expect(shapeAt('googlenet', 'maxpool2')).toEqual([28, 28, 192]);
    expect(shapeAt('googlenet', 'inception3a')).toEqual([28, 28, 256]);
    expect(shapeAt('googlenet', 'inception3b')).toEqual([28, 28, 480]);
    expect(shapeAt('googlenet', 'maxpool3')).toEqual([14, 14, 480]);
    expect(shapeAt('googlenet', 'inception4e')).toEqual([14, 14, 832]);
    expect(shapeAt('googlenet', 'maxpool4')).toEqual([7, 7, 832]);
    expect(shapeAt('googlenet', 'inception5b')).toEqual([7, 7, 1024]);
    // The "5×5" branch is a 3×3 in torchvision.
    const row = analyze(getArch('googlenet').spec).layers.find((l) => l.name === 'inception3a/branch3/conv2')!;
    expect(row.params).toBe(3 * 3 * 16 * 32);
  });

  it('ResNets halve the map at each stage: 56, 28, 14, 7', () => {
    for (const id of ['resnet18', 'resnet50', 'resnet50_v1', 'resnext50_32x4d']) {
      expect(shapeAt(id, 'layer1').slice(0, 2)).toEqual([56, 56]);
      expect(shapeAt(id, 'layer2').slice(0, 2)).toEqual([28, 28]);
      expect(shapeAt(id, 'layer3').slice(0, 2)).toEqual([14, 14]);
      expect(shapeAt(id, 'layer4').slice(0, 2)).toEqual([7, 7]);
    }
    expect(shapeAt('resnet50', 'layer4')).toEqual([7, 7, 2048]);
    expect(shapeAt('resnet50_v1', 'layer2/0/residual/conv1')).toEqual([28, 28, 128]); // v1: stride on the 1×1
    expect(shapeAt('resnet50', 'layer2/0/residual/conv1')).toEqual([56, 56, 128]); // v1.5: on the 3×3
  });

  it('DenseNet-121 grows by 32 per layer and halves at each transition', () => {
    expect(shapeAt('densenet121', 'denseblock1')).toEqual([56, 56, 64 + 6 * 32]);
    expect(shapeAt('densenet121', 'transition1')).toEqual([28, 28, 128]);
    expect(shapeAt('densenet121', 'denseblock4')).toEqual([7, 7, 1024]);
  });

  it('SqueezeNet ends on a 13×13 map of class scores', () => {
    expect(shapeAt('squeezenet1_0', 'conv10')).toEqual([13, 13, 1000]);
    expect(shapeAt('squeezenet1_1', 'conv10')).toEqual([13, 13, 1000]);
    expect(shapeAt('squeezenet1_0', 'maxpool1')).toEqual([54, 54, 96]);
  });

  it('NiN on CIFAR-10: 32 → 16 → 8 → 10 class scores, 966,986 params', () => {
    expect(shapeAt('nin_cifar10', 'pool1')).toEqual([16, 16, 96]);
    expect(shapeAt('nin_cifar10', 'pool2')).toEqual([8, 8, 192]);
    expect(shapeAt('nin_cifar10', 'pool3')).toEqual([1, 1, 10]);
    // Independent sum: conv 5×5×3×192, cccp 192→160→96, conv 5×5×96×192, cccp 192→192→192, conv 3×3×192×192, cccp 192→192→10, with biases.
    const w = 5 * 5 * 3 * 192 + 192 * 160 + 160 * 96 + 5 * 5 * 96 * 192 + 192 * 192 * 2 + 3 * 3 * 192 * 192 + 192 * 192 + 192 * 10;
    const b = 192 + 160 + 96 + 192 * 3 + 192 * 2 + 10;
    expect(analyze(getArch('nin_cifar10').spec).totals.params).toBe(w + b);
  });

  it("the lecture's inception modules: 28×28×672 at 854,196,224 MACs and 28×28×480 at 271,351,808", () => {
    const naive = analyze(getArch('inception_naive_cs231n').spec);
    expect(naive.output).toEqual([28, 28, 672]);
    expect(naive.totals.macs).toBe(28 * 28 * 128 * 256 + 28 * 28 * 192 * 9 * 256 + 28 * 28 * 96 * 25 * 256);
    expect(naive.totals.macs).toBe(854_196_224);
    const bottleneck = analyze(getArch('inception_bottleneck_cs231n').spec);
    expect(bottleneck.output).toEqual([28, 28, 480]);
    expect(bottleneck.totals.macs).toBe(271_351_808);
    expect(getArch('inception_bottleneck_cs231n').notes).toMatch(/358M/);
  });
});

describe('conventions named truthfully', () => {
  // Keras Applications' model.count_params(), typed here independently of the zoo's `keras` field.
  const KERAS: Record<string, number> = { resnet50_v1: 25_636_712, resnet101_v1: 44_707_176, resnet152_v1: 60_419_944, vgg16: 138_357_544 };
  for (const [id, params] of Object.entries(KERAS)) {
    it(`${id} under 'keras' is Keras's ${params.toLocaleString('en-US')}`, () => {
      const convention = networkConvention(getArch(id), 'keras');
      expect(analyze(getArch(id).spec, convention.options).totals.params).toBe(params);
      expect(convention.published?.params).toBe(params);
      expect(convention.label).toMatch(/^Keras \(keras\.applications\./);
    });
  }

  it('Keras ResNets differ from the bare running-statistics count by exactly one bias per conv filter', () => {
    const spec = getArch('resnet50_v1').spec;
    const stats = analyze(spec, { bnStats: true });
    const filters = stats.layers.filter((l) => l.type === 'conv').reduce((n, l) => n + l.output[2]!, 0);
    expect(analyze(spec, { bnStats: true, convBias: true }).totals.params - stats.totals.params).toBe(filters);
    // The regression: the explorer called 25,610,152 (v1.5, no conv biases) "Keras".
    expect(analyze(getArch('resnet50').spec, { bnStats: true }).totals.params).toBe(25_610_152);
    expect(networkConvention(getArch('resnet50'), 'keras').published).toBeNull();
  });

  it("a library's name only on a count that reproduces that library's published figure", () => {
    for (const e of zoo) {
      for (const name of CONVENTION_NAMES) {
        const c = networkConvention(e, name);
        const params = analyze(e.spec, c.options).totals.params;
        if (c.published) expect(params, `${e.id} ${name}`).toBe(c.published.params);
        if (/^(Keras|torchvision) \(/.test(c.label)) expect(c.published, `${e.id} ${name}: ${c.label}`).not.toBeNull();
        else expect(c.label, `${e.id} ${name}`).toMatch(/no count for this network|not a Keras figure|the lecture's tables/);
      }
    }
    expect(zoo.filter((e) => networkConvention(e, 'keras').published).map((e) => e.id)).toEqual(['vgg16', 'resnet50_v1', 'resnet101_v1', 'resnet152_v1']);
  });
});

describe('memory as the lecture counts it', () => {
  it("VGG-16: activations 28,701,160 (every leaf), memory 15,237,608 (input + conv/pool/FC outputs, the lecture's table)", () => {
    const a = analyze(getArch('vgg16').spec);
    expect(a.totals.activations).toBe(28_701_160);
    // Independent sum of the lecture's table: 224·224·(64·2) + 112²·(64 + 128·2) + 56²·(128 + 256·3) + 28²·(256 + 512·3) + 14²·(512 + 512·3) + 7²·512 + 4096 + 4096 + 1000 + the input.
    const table = 224 * 224 * 3 + 224 * 224 * 64 * 2 + 112 * 112 * (64 + 128 * 2) + 56 * 56 * (128 + 256 * 3) + 28 * 28 * (256 + 512 * 3) + 14 * 14 * (512 + 512 * 3) + 7 * 7 * 512 + 4096 + 4096 + 1000;
    expect(table).toBe(15_237_608);
    expect(a.totals.memory).toBe(table);
    expect(getArch('vgg16').notes).toMatch(/24M.*15,237,608/);
  });

  it('memory counts pools that change the map, not those that return it unchanged, and never ReLU or dropout', () => {
    const spec = (layers: Spec['layers']): Spec => ({ input: [4, 4, 2], layers });
    const m = (layers: Spec['layers']) => analyze(spec(layers)).totals.memory;
    expect(m([])).toBe(32);
    expect(m([{ kind: 'relu' }, { kind: 'dropout', rate: 0.5 }, { kind: 'batchnorm' }])).toBe(32);
    expect(m([{ kind: 'maxpool', kernel: 2 }])).toBe(32 + 8);
    expect(m([{ kind: 'adaptiveavgpool', output: 4 }])).toBe(32);
    expect(m([{ kind: 'adaptiveavgpool', output: 2 }])).toBe(32 + 8);
    expect(m([{ kind: 'globalavgpool' }])).toBe(32 + 2);
    expect(m([{ kind: 'conv', filters: 3, kernel: 1 }, { kind: 'flatten' }, { kind: 'dense', units: 5 }])).toBe(32 + 48 + 5);
  });
});
