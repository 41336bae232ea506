/**
 * The tfjs verifier against the engine: question-sized specs of every layer kind, a deliberately
 * wrong analysis, receptive fields measured by gradient, no tensor leaks, and a few zoo
 * architectures. Numbers asserted here are computed in the test, independently of the engine.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeVerifyBackends } from '../bin/commands/verify';
import type { VerifyBackends } from '../engine/tfjs/backend';
import { buildModel, ceilModeExtra } from '../engine/tfjs/build';
import { dilateKernel } from '../engine/tfjs/layers';
import { verifyArch, verifySpec, type VerifyResult } from '../engine/tfjs/verify';
import type { Layer, Spec } from '../engine/spec';
import { getArch } from '../engine/zoo';

let backends: VerifyBackends;

beforeAll(async () => {
  ({ backends } = await nodeVerifyBackends());
});

const conv = (name: string, filters: number, kernel: number | [number, number], extra: Partial<Extract<Layer, { kind: 'conv' }>> = {}): Layer => ({ kind: 'conv', name, filters, kernel, ...extra });
const relu = (name: string): Layer => ({ kind: 'relu', name });
const bn = (name: string): Layer => ({ kind: 'batchnorm', name });

/** The lecture's AlexNet CONV1 + POOL1 on 227×227×3. */
const alexnetConv1Pool1: Spec = {
  name: 'alexnet_conv1_pool1',
  input: [227, 227, 3],
  layers: [conv('conv1', 96, 11, { stride: 4 }), relu('relu1'), { kind: 'maxpool', name: 'pool1', kernel: 3, stride: 2 }],
};

const questionSpecs: Record<string, Spec> = {
  'AlexNet CONV1 + POOL1': alexnetConv1Pool1,
  'CS231n naive inception module': getArch('inception_naive_cs231n').spec,
  'CS231n inception module with 1×1 bottlenecks': getArch('inception_bottleneck_cs231n').spec,
  'residual block with a projection shortcut': {
    input: [16, 16, 32],
    layers: [
      {
        kind: 'residual',
        name: 'block',
        body: [conv('conv1', 64, 3, { stride: 2, padding: 1, bias: false }), bn('bn1'), relu('relu1'), conv('conv2', 64, 3, { padding: 1, bias: false }), bn('bn2')],
        shortcut: [conv('proj', 64, 1, { stride: 2, bias: false }), bn('proj_bn')],
      },
      relu('out'),
    ],
  },
  'identity residual block': {
    input: [8, 8, 16],
    layers: [{ kind: 'residual', name: 'block', body: [conv('conv1', 16, 3, { padding: 1 }), relu('r'), conv('conv2', 16, 3, { padding: 1 })] }],
  },
  'grouped convs (AlexNet-style 2 groups, ResNeXt-style 8, depthwise)': {
    input: [13, 13, 32],
    layers: [conv('g2', 64, 3, { padding: 1, groups: 2 }), conv('g8', 64, 3, { groups: 8 }), conv('depthwise', 128, 3, { groups: 64, padding: 1 })],
  },
  'fire module': {
    input: [55, 55, 96],
    layers: [
      {
        kind: 'block',
        name: 'fire2',
        block: 'fire',
        layers: [conv('squeeze', 16, 1), relu('squeeze_relu'), { kind: 'concat', name: 'expand', branches: [[conv('e1', 64, 1), relu('e1_relu')], [conv('e3', 64, 3, { padding: 1 }), relu('e3_relu')]] }],
      },
    ],
  },
  'dense block with transition': {
    input: [16, 16, 24],
    layers: [
      {
        kind: 'block',
        name: 'denseblock',
        block: 'dense_block',
        layers: [1, 2, 3].map(
          (i): Layer => ({ kind: 'concat', name: `layer${i}`, branches: [[], [bn('n1'), relu('r1'), conv('c1', 48, 1, { bias: false }), bn('n2'), relu('r2'), conv('c2', 12, 3, { padding: 1, bias: false })]] }),
        ),
      },
      { kind: 'block', name: 'transition', block: 'transition', layers: [bn('n'), relu('r'), conv('c', 30, 1, { bias: false }), { kind: 'avgpool', name: 'pool', kernel: 2, stride: 2 }] },
    ],
  },
  'ceil-mode pools (GoogLeNet 112 → 56, with padding; SqueezeNet 109 → 54)': {
    input: [112, 109, 8],
    layers: [
      { kind: 'maxpool', name: 'pool1', kernel: 3, stride: 2, ceilMode: true },
      { kind: 'maxpool', name: 'pool2', kernel: 3, stride: 2, padding: 1, ceilMode: true },
      { kind: 'avgpool', name: 'pool3', kernel: 3, stride: 2, ceilMode: true },
    ],
  },
  "asymmetric 'same' padding with stride 2": {
    input: [8, 9, 3],
    layers: [conv('same_s2', 4, 3, { stride: 2, padding: 'same' }), conv('same_even', 4, 4, { padding: 'same' }), { kind: 'maxpool', name: 'pool_same', kernel: 2, stride: 2, padding: 'same' }],
  },
  'explicit asymmetric padding and rectangular kernels': {
    input: [10, 12, 3],
    layers: [conv('c', 5, [3, 5], { stride: [1, 2], padding: [0, 2, 1, 3] })],
  },
  'dilation': {
    input: [21, 21, 4],
    layers: [conv('d2', 8, 3, { dilation: 2 }), conv('d3', 8, 3, { dilation: 3, padding: 3 })],
  },
  'classifier head: LRN, global and adaptive pools, flatten, dropout, dense': {
    input: [12, 12, 16],
    layers: [
      { kind: 'lrn', name: 'norm', size: 5, alpha: 1e-4, beta: 0.75, k: 2 },
      { kind: 'adaptiveavgpool', name: 'adaptive', output: 3 },
      { kind: 'globalavgpool', name: 'gap' },
      { kind: 'flatten', name: 'flatten' },
      { kind: 'dropout', name: 'drop', rate: 0.5 },
      { kind: 'dense', name: 'fc', units: 10 },
      { kind: 'dense', name: 'fc_nobias', units: 4, bias: false },
    ],
  },
  'dense straight after a map (implicit flatten)': {
    input: [6, 6, 8],
    layers: [{ kind: 'dense', name: 'fc6', units: 32 }],
  },
};

function layer(result: VerifyResult, name: string) {
  const l = result.layers.find((x) => x.name === name);
  if (!l) throw new Error(`no row ${name} in ${result.layers.map((x) => x.name).join(', ')}`);
  return l;
}

describe('question-sized specs verify against the engine', () => {
  for (const [title, spec] of Object.entries(questionSpecs)) {
    it(title, async () => {
      const before = tf.memory().numTensors;
      const result = await verifySpec(spec, { backends });
      expect(result.layers.filter((l) => !l.ok).flatMap((l) => l.mismatches.map((m) => `${l.name}: ${m}`))).toEqual([]);
      expect(result.ok).toBe(true);
      // Every map row had its field measured (the default policy for small specs is 'all').
      expect(result.fieldsMeasured).toBe(result.layers.filter((l) => l.engine.output.length === 3).length);
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

describe('numbers computed independently', () => {
  it('AlexNet CONV1 + POOL1: 55×55×96, 34,944 params, 105,415,200 MACs, fields 11 and 19', async () => {
    const r = await verifySpec(alexnetConv1Pool1, { backends });
    const conv1 = layer(r, 'conv1');
    const out = (227 - 11) / 4 + 1;
    expect(conv1.tfjs.output).toEqual([out, out, 96]);
    expect(conv1.tfjs.params).toBe(11 * 11 * 3 * 96 + 96);
    expect(conv1.tfjs.macs).toBe(out * out * 96 * 11 * 11 * 3);
    expect(conv1.tfjs.rf?.size).toEqual([11, 11]);
    const pool1 = layer(r, 'pool1');
    expect(pool1.tfjs.output).toEqual([27, 27, 96]);
    // 11 + (3 − 1)·4: the pool's window, in steps of conv1's stride.
    expect(pool1.tfjs.rf?.size).toEqual([19, 19]);
    // Central unit 13: conv1's first centre 5, pool1's 5 + 1·4 = 9, then 9 + 13·8 = 113, so rows 104–122.
    expect(pool1.tfjs.rf?.span).toEqual({ h: [104, 122], w: [104, 122] });
  });

  it('three stacked 3×3 convs see 7×7, as one 7×7 conv does', async () => {
    const spec: Spec = { input: [15, 15, 2], layers: [conv('a', 4, 3), conv('b', 4, 3), conv('c', 4, 3)] };
    const r = await verifySpec(spec, { backends });
    expect(r.layers.map((l) => l.tfjs.rf?.size[0])).toEqual([3, 5, 7]);
  });

  it('batch norm counts 2C trainable and 4C with statistics, as Keras does', async () => {
    const r = await verifySpec({ input: [4, 4, 10], layers: [bn('bn')] }, { backends });
    expect(layer(r, 'bn').tfjs.params).toBe(20);
    expect(layer(r, 'bn').tfjs.paramsWithStats).toBe(40);
  });

  it('ceil mode: extra bottom/right padding reproduces PyTorch sizes', () => {
    // GoogLeNet maxpool1: 112 → 56 needs one extra row; SqueezeNet 109 → 54 needs none.
    expect(ceilModeExtra(112, 3, 2, 0, 0)).toBe(1);
    expect(ceilModeExtra(109, 3, 2, 0, 0)).toBe(0);
    // A window may not start in the bottom padding only: 5 with k 2, s 2, pad 1 → 3, not 4.
    expect(ceilModeExtra(5, 2, 2, 1, 1)).toBe(0);
    for (let n = 5; n < 60; n++) {
      for (const [k, s, p] of [[3, 2, 0], [3, 2, 1], [2, 2, 0], [3, 3, 1]] as const) {
        const e = ceilModeExtra(n, k, s, p, p);
        const floorOut = Math.floor((n + 2 * p + e - k) / s) + 1;
        let ceilOut = Math.ceil((n + 2 * p - k) / s) + 1;
        if ((ceilOut - 1) * s >= n + p) ceilOut--;
        expect(floorOut, `n=${n} k=${k} s=${s} p=${p}`).toBe(ceilOut);
      }
    }
  });

  it('grouped conv keeps PyTorch channel order: group g only sees its own input slice', () => {
    const spec: Spec = { input: [1, 1, 4], layers: [conv('g', 4, 1, { groups: 2, bias: false })] };
    const built = buildModel(spec, { weights: 'field' });
    try {
      // Field fill: each weight 1/fanIn = 1/2; input channels 1, 2, 10, 20 → group 1 gives 1.5, group 2 gives 15.
      const y = tf.tidy(() => Array.from((built.model.predict(tf.tensor4d([1, 2, 10, 20], [1, 1, 1, 4])) as tf.Tensor).dataSync()));
      expect(y).toEqual([1.5, 1.5, 15, 15]);
    } finally {
      built.model.dispose();
    }
  });

  it('a dilated kernel with zeros in its holes convolves like the dilated conv', () => {
    const values = tf.tidy(() => {
      const x = tf.randomUniform([1, 9, 9, 2], -1, 1, 'float32', 3) as tf.Tensor4D;
      const k = tf.randomUniform([3, 2, 2, 3], -1, 1, 'float32', 4) as tf.Tensor4D;
      const dilated = tf.conv2d(x, k, 1, 'valid', 'NHWC', [2, 3]);
      const spread = tf.conv2d(x, dilateKernel(k, [2, 3]), 1, 'valid', 'NHWC', 1);
      return [dilated.shape, spread.shape, tf.max(tf.abs(tf.sub(dilated, spread))).dataSync()[0]!] as const;
    });
    expect(values[1]).toEqual(values[0]);
    expect(values[2]).toBeLessThan(1e-6);
  });

  it('LRN matches the Caffe/PyTorch formula b = a / (k + α/n · Σ a²)^β', () => {
    const spec: Spec = { input: [1, 1, 5], layers: [{ kind: 'lrn', name: 'norm', size: 3, alpha: 0.3, beta: 0.75, k: 2 }] };
    const a = [1, 2, 3, 4, 5];
    const expected = a.map((v, i) => {
      const sum = [i - 1, i, i + 1].reduce((s, j) => s + (a[j] ?? 0) ** 2, 0);
      return v / (2 + (0.3 / 3) * sum) ** 0.75;
    });
    const built = buildModel(spec);
    try {
      const y = tf.tidy(() => Array.from((built.model.predict(tf.tensor4d(a, [1, 1, 1, 5])) as tf.Tensor).dataSync()));
      y.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    } finally {
      built.model.dispose();
    }
  });
});

describe("the network's final output is compared, not only the rows", () => {
  it('an inception module: the concat gives 28×28×672 while its last leaf row is 28×28×256', async () => {
    const r = await verifySpec(getArch('inception_naive_cs231n').spec, { backends, receptiveField: 'none' });
    expect(r.output).toEqual({ engine: [28, 28, 128 + 192 + 96 + 256], tfjs: [28, 28, 672], ok: true });
    expect(r.layers[r.layers.length - 1]!.tfjs.output).toEqual([28, 28, 256]);
    expect(r.ok).toBe(true);
  });

  it('a wrong analysis of the final output fails the check and names both shapes', async () => {
    const spec = getArch('inception_bottleneck_cs231n').spec;
    const wrong: Spec = { ...spec, layers: [...spec.layers, { kind: 'maxpool', name: 'extra', kernel: 2 }] };
    const r = await verifySpec(spec, { backends, against: wrong, receptiveField: 'none' });
    expect(r.output).toEqual({ engine: [14, 14, 480], tfjs: [28, 28, 480], ok: false });
    expect(r.ok).toBe(false);
  });
});

describe('a wrong analysis is caught, naming the layer and both numbers', () => {
  it('a different filter count', async () => {
    const wrong: Spec = { ...alexnetConv1Pool1, layers: [conv('conv1', 95, 11, { stride: 4 }), ...alexnetConv1Pool1.layers.slice(1)] };
    const r = await verifySpec(alexnetConv1Pool1, { backends, against: wrong });
    expect(r.ok).toBe(false);
    const conv1 = layer(r, 'conv1');
    expect(conv1.ok).toBe(false);
    expect(conv1.mismatches).toContain('output: engine 55×55×95, tfjs 55×55×96');
    expect(conv1.mismatches).toContain(`params: engine ${11 * 11 * 3 * 95 + 95}, tfjs 34944`);
    expect(conv1.mismatches).toContain(`macs: engine ${55 * 55 * 95 * 363}, tfjs ${55 * 55 * 96 * 363}`);
    expect(layer(r, 'pool1').mismatches).toContain('output: engine 27×27×95, tfjs 27×27×96');
  });

  it('a different kernel with the same output size: only the receptive field disagrees', async () => {
    const spec: Spec = { input: [20, 20, 1], layers: [conv('c', 2, 3, { padding: 1 })] };
    const wrong: Spec = { input: [20, 20, 1], layers: [conv('c', 2, 5, { padding: 2 })] };
    const r = await verifySpec(spec, { backends, against: wrong });
    const c = layer(r, 'c');
    expect(c.mismatches.filter((m) => m.startsWith('receptive field'))).toEqual([
      'receptive field of unit (9, 9): engine 5×5 → rows 7–11, cols 7–11, tfjs rows 8–10, cols 8–10',
    ]);
  });

  it('a different structure', async () => {
    const wrong: Spec = { ...alexnetConv1Pool1, layers: [alexnetConv1Pool1.layers[0]!, alexnetConv1Pool1.layers[2]!] };
    const r = await verifySpec(alexnetConv1Pool1, { backends, against: wrong, receptiveField: 'none' });
    expect(r.ok).toBe(false);
    expect(r.layers[1]!.mismatches).toEqual(['kind: engine maxpool, tfjs relu']);
    expect(r.layers[2]!.mismatches).toEqual(['tfjs layer pool1 has no analysis row']);
  });
});

describe('zoo architectures', () => {
  for (const id of ['alexnet_cs231n', 'vgg11', 'resnet18', 'googlenet', 'squeezenet1_0']) {
    it(`${id} verifies, leaving no tensors`, async () => {
      const before = tf.memory().numTensors;
      const r = await verifyArch(id, { backends });
      tf.disposeVariables();
      expect(r.error).toBeUndefined();
      expect(r.layers.filter((l) => !l.ok).flatMap((l) => l.mismatches.map((m) => `${l.name}: ${m}`))).toEqual([]);
      expect(r.ok).toBe(true);
      expect(r.fieldsMeasured).toBeGreaterThan(0);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('an unknown architecture is an error naming the known ones', async () => {
    await expect(verifyArch('lenet9')).rejects.toThrow(/unknown architecture 'lenet9'; known: alexnet_cs231n/);
  });
});
