import { describe, expect, it } from 'vitest';
import { analyze } from './analysis';
import { SpecError } from './errors';
import { createRng } from './random';
import type { Layer, Padding, Spec } from './spec';
import { zoo } from './zoo/index';

function errorOf(spec: Spec, options = {}): SpecError {
  try {
    analyze(spec, options);
  } catch (err) {
    if (err instanceof SpecError) return err;
    throw err;
  }
  throw new Error('expected a SpecError');
}

describe('errors name the layer and the numbers', () => {
  it('rejects a kernel larger than the padded input', () => {
    const err = errorOf({ input: [5, 5, 3], layers: [{ kind: 'conv', name: 'c1', filters: 4, kernel: 7, padding: 0 }] });
    expect(err.layer).toBe('c1');
    expect(err.message).toBe('c1: kernel 7×7 is larger than the padded input 5×5 (input 5×5, padding 0,0,0,0)');
  });

  it('rejects zero, negative and non-integer sizes', () => {
    expect(errorOf({ input: [0, 5, 3], layers: [] }).message).toBe('input: height must be a positive integer, got 0');
    expect(errorOf({ input: [8, 8, 3], layers: [{ kind: 'conv', filters: -2, kernel: 3 }] }).message).toBe('conv1: filters must be a positive integer, got -2');
    expect(errorOf({ input: [8, 8, 3], layers: [{ kind: 'conv', filters: 4, kernel: 2.5 }] }).message).toBe('conv1: kernel must be a positive integer, got 2.5');
    expect(errorOf({ input: [8, 8, 3], layers: [{ kind: 'maxpool', kernel: 2, stride: 0 }] }).message).toBe('maxpool1: stride must be a positive integer, got 0');
    expect(errorOf({ input: [8, 8, 3], layers: [{ kind: 'conv', filters: 4, kernel: 3, padding: -1 }] }).message).toBe('conv1: padding must be a non-negative integer, got -1');
    expect(errorOf({ input: [8, 8, 3], layers: [{ kind: 'flatten' }, { kind: 'dense', units: 0 }] }).message).toBe('dense1: units must be a positive integer, got 0');
  });

  it('rejects channels that disagree at an add, naming the residual', () => {
    const err = errorOf({
      input: [8, 8, 64],
      layers: [{ kind: 'block', name: 'layer1', layers: [{ kind: 'residual', name: 'unit0', body: [{ kind: 'conv', filters: 128, kernel: 3, padding: 1 }] }] }],
    });
    expect(err.layer).toBe('layer1/unit0');
    expect(err.message).toBe('layer1/unit0: channels disagree at the add: body gives 128, shortcut gives 64');
  });

  it('rejects a concat whose branches differ in size', () => {
    const err = errorOf({
      input: [28, 28, 16],
      layers: [{ kind: 'concat', name: 'mix', branches: [[{ kind: 'conv', filters: 8, kernel: 3 }], [{ kind: 'conv', filters: 8, kernel: 1 }]] }],
    });
    expect(err.message).toBe('mix: concat spatial mismatch: branch 2 gives 28×28×8 but branch 1 gives 26×26×8');
  });

  it('rejects groups that do not divide the channels', () => {
    const err = errorOf({ input: [8, 8, 6], layers: [{ kind: 'conv', name: 'g', filters: 8, kernel: 3, groups: 4 }] });
    expect(err.message).toBe('g: groups 4 must divide the input channels 6 and the filters 8');
  });

  it('rejects an adaptive pool whose input is not a multiple of its output', () => {
    const err = errorOf({ input: [13, 13, 8], layers: [{ kind: 'adaptiveavgpool', name: 'avgpool', output: 6 }] });
    expect(err.message).toBe('avgpool: adaptive pool from 13×13 to 6×6: the input is not a multiple of the output, so the windows would overlap unevenly');
  });

  it('rejects a spatial layer after flatten', () => {
    const err = errorOf({ input: [8, 8, 3], layers: [{ kind: 'flatten' }, { kind: 'conv', filters: 4, kernel: 1 }] });
    expect(err.message).toBe('conv1: conv needs an H×W×C input, got [192] (after a flatten or dense layer)');
  });

  it('marks a rounded size inexact, or throws in strict mode', () => {
    const spec: Spec = { input: [224, 224, 3], layers: [{ kind: 'conv', name: 'conv1', filters: 64, kernel: 11, stride: 4, padding: 2 }] };
    const row = analyze(spec).layers[0]!;
    expect(row.output).toEqual([55, 55, 64]);
    expect(row.exact).toBe(false);
    expect(errorOf(spec, { strict: true }).message).toBe(
      'conv1: output size is not an integer: (224×224 + padding 4×4 − kernel 11×11) / stride 4×4 + 1 has a remainder',
    );
    expect(analyze({ input: [227, 227, 3], layers: [{ kind: 'conv', filters: 96, kernel: 11, stride: 4 }] }, { strict: true }).layers[0]!.exact).toBe(true);
  });

  it('rejects branches whose fields are not aligned (same size, different jumps)', () => {
    const err = errorOf({
      input: [2, 2, 1],
      layers: [{ kind: 'concat', name: 'mix', branches: [[{ kind: 'conv', filters: 1, kernel: 1, stride: 2 }], [{ kind: 'conv', filters: 1, kernel: 2 }]] }],
    });
    expect(err.message).toBe('mix: branches disagree on the receptive-field jump (2 vs 1), so their outputs are not aligned');
  });

  it('names the dilated extent when a dilated kernel does not fit', () => {
    const err = errorOf({ input: [6, 6, 1], layers: [{ kind: 'conv', filters: 1, kernel: 3, dilation: 3 }] });
    expect(err.message).toBe('conv1: kernel 3×3 (dilated to 7×7) is larger than the padded input 6×6 (input 6×6, padding 0,0,0,0)');
  });

  it('rejects an unknown layer kind from untyped data', () => {
    const err = errorOf({ input: [8, 8, 3], layers: [{ kind: 'softmaxx' } as unknown as Layer] });
    expect(err.message).toBe('softmaxx1: unknown layer kind "softmaxx"');
  });
});

describe('shapes and padding forms', () => {
  it('accepts every padding form', () => {
    const out = (padding: Padding, input: [number, number, number] = [10, 12, 3]) =>
      analyze({ input, layers: [{ kind: 'conv', filters: 2, kernel: 3, stride: 2, padding }] }).output;
    expect(out(1)).toEqual([5, 6, 2]);
    expect(out([1, 0])).toEqual([5, 5, 2]);
    expect(out([0, 0, 1, 1])).toEqual([4, 6, 2]);
    expect(out([0, 1, 0, 0])).toEqual([5, 5, 2]);
    expect(out('valid')).toEqual([4, 5, 2]);
    expect(out('same')).toEqual([5, 6, 2]);
    expect(out('same', [11, 13, 3])).toEqual([6, 7, 2]);
  });

  it("'same' keeps ceil(in / s) for any size, kernel and stride", () => {
    const rng = createRng(3);
    for (let i = 0; i < 300; i++) {
      const h = rng.int(1, 40);
      const w = rng.int(1, 40);
      const k = rng.int(1, 7);
      const s = rng.int(1, 4);
      const kind = rng.pick(['conv', 'maxpool', 'avgpool'] as const);
      const layer: Layer = kind === 'conv' ? { kind, filters: 3, kernel: k, stride: s, padding: 'same' } : { kind, kernel: k, stride: s, padding: 'same' };
      expect(analyze({ input: [h, w, 2], layers: [layer] }).output.slice(0, 2)).toEqual([Math.ceil(h / s), Math.ceil(w / s)]);
    }
  });

  it('dense on a map flattens it first, exactly as an explicit flatten', () => {
    const implicit = analyze({ input: [6, 6, 256], layers: [{ kind: 'dense', units: 4096 }] });
    const explicit = analyze({ input: [6, 6, 256], layers: [{ kind: 'flatten' }, { kind: 'dense', units: 4096 }] });
    expect([implicit.totals.params, implicit.totals.macs]).toEqual([explicit.totals.params, explicit.totals.macs]);
    expect(implicit.layers[0]!.params).toBe(6 * 6 * 256 * 4096 + 4096);
    expect(implicit.layers[0]!.rf).toEqual(explicit.layers[1]!.rf);
  });

  it('counts biases and batch-norm statistics only as asked', () => {
    const spec: Spec = { input: [8, 8, 3], layers: [{ kind: 'conv', filters: 4, kernel: 3 }, { kind: 'batchnorm' }, { kind: 'flatten' }, { kind: 'dense', units: 10 }] };
    const conv = 27 * 4;
    const dense = 6 * 6 * 4 * 10;
    expect(analyze(spec).totals.params).toBe(conv + 4 + 8 + dense + 10);
    expect(analyze(spec, { bias: false }).totals.params).toBe(conv + 8 + dense);
    expect(analyze(spec, { bnStats: true }).totals.params).toBe(conv + 4 + 16 + dense + 10);
    expect(analyze(spec).totals.macs).toBe(6 * 6 * 4 * 27 + dense);
  });

  it("convBias puts a bias on convs built without one (Keras's ResNets), and bias: false still removes every bias", () => {
    const spec: Spec = { input: [8, 8, 3], layers: [{ kind: 'conv', filters: 4, kernel: 3, bias: false }, { kind: 'batchnorm' }, { kind: 'flatten' }, { kind: 'dense', units: 10 }] };
    const conv = 27 * 4;
    const dense = 6 * 6 * 4 * 10;
    expect(analyze(spec).totals.params).toBe(conv + 8 + dense + 10);
    expect(analyze(spec, { convBias: true }).totals.params).toBe(conv + 4 + 8 + dense + 10);
    expect(analyze(spec, { convBias: true, bias: false }).totals.params).toBe(conv + 8 + dense);
    expect(analyze(spec, { convBias: true }).convention).toMatchObject({ bias: true, convBias: true, bnStats: false });
  });

  it('the output is the last flow: a concat that ends the network gives the sum of its branches', () => {
    const spec: Spec = { input: [14, 14, 64], layers: [{ kind: 'concat', name: 'mix', branches: [[{ kind: 'conv', filters: 128, kernel: 1 }], [{ kind: 'conv', filters: 8, kernel: 3, padding: 1 }]] }] };
    const a = analyze(spec);
    expect(a.output).toEqual([14, 14, 136]);
    expect(a.layers.at(-1)!.output).toEqual([14, 14, 8]);
  });

  it('names unnamed layers by kind and index, and keeps paths unique', () => {
    const a = analyze({
      input: [8, 8, 3],
      layers: [
        { kind: 'conv', filters: 4, kernel: 1 },
        { kind: 'relu' },
        { kind: 'conv', filters: 4, kernel: 1 },
        { kind: 'concat', name: 'mix', branches: [[], [{ kind: 'conv', filters: 2, kernel: 1 }]] },
        { kind: 'relu', name: 'relu1' },
      ],
    });
    expect(a.layers.map((l) => [l.name, l.depth])).toEqual([
      ['conv1', 0],
      ['relu1', 0],
      ['conv2', 0],
      ['mix', 0],
      ['mix/branch2/conv1', 1],
      ['relu1_2', 0],
    ]);
    expect(a.output).toEqual([8, 8, 6]);
  });
});

/** A random conv-only stack (convs, pools, BN, ReLU, a residual and a concat) that is valid for inputs ≥ 512. */
function randomConvStack(seed: number): Layer[] {
  const rng = createRng(seed);
  const layers: Layer[] = [];
  let channels = 3;
  for (let i = 0, n = rng.int(2, 7); i < n; i++) {
    const choice = rng.int(0, 5);
    if (choice <= 1) {
      channels = rng.int(1, 16) * 2;
      const k = rng.pick([1, 3, 5]);
      layers.push({ kind: 'conv', filters: channels, kernel: k, stride: rng.int(1, 2), padding: rng.pick([0, (k - 1) / 2, 'same'] as const), bias: rng.chance(0.5) });
    } else if (choice === 2) {
      layers.push({ kind: 'maxpool', kernel: 2, stride: 2, ceilMode: rng.chance(0.5) }, { kind: 'batchnorm' }, { kind: 'relu' });
    } else if (choice === 3) {
      layers.push({ kind: 'residual', body: [{ kind: 'conv', filters: channels, kernel: 3, padding: 1, groups: channels % 2 === 0 ? 2 : 1 }] });
    } else if (choice === 4) {
      const a = rng.int(1, 8);
      layers.push({ kind: 'concat', branches: [[{ kind: 'conv', filters: a, kernel: 1 }], [{ kind: 'conv', filters: 4, kernel: 3, padding: 1 }], []] });
      channels += a + 4;
    } else {
      layers.push({ kind: 'block', name: `b${i}`, layers: [{ kind: 'conv', filters: channels, kernel: 1 }, { kind: 'dropout', rate: 0.1 }] });
    }
  }
  return layers;
}

describe('properties', () => {
  it('conv-only params do not depend on the input size (200 random stacks)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const layers = randomConvStack(seed);
      const small = analyze({ input: [512, 512, 3], layers }).totals.params;
      const large = analyze({ input: [777, 1031, 3], layers }).totals.params;
      expect(large, `seed ${seed}`).toBe(small);
    }
  });

  it('n stacked k×k stride-1 convs see n(k − 1) + 1', () => {
    for (let n = 1; n <= 8; n++)
      for (const k of [1, 3, 5, 7]) {
        const layers: Layer[] = Array.from({ length: n }, () => ({ kind: 'conv', filters: 8, kernel: k, padding: 'same' }));
        const last = analyze({ input: [64, 64, 3], layers }).layers.at(-1)!;
        expect(last.rf).toEqual({ size: n * (k - 1) + 1, jump: 1, start: 0 });
      }
  });

  it("a network's totals are the sum of its leaf rows, and each aggregate row sums its parts (whole zoo)", () => {
    for (const entry of zoo) {
      const a = analyze(entry.spec);
      const leaves = a.layers.filter((l) => !l.aggregate);
      const sum = (key: 'params' | 'macs' | 'activations') => leaves.reduce((acc, l) => acc + l[key], 0);
      expect(a.totals.params, entry.id).toBe(sum('params'));
      expect(a.totals.macs, entry.id).toBe(sum('macs'));
      expect(a.totals.activations, entry.id).toBe(sum('activations'));
      expect(a.totals.flops).toBe(2 * a.totals.macs);
      a.layers.forEach((row, i) => {
        if (!row.aggregate) return;
        let params = 0;
        for (let j = i + 1; j < a.layers.length && a.layers[j]!.depth > row.depth; j++) if (!a.layers[j]!.aggregate) params += a.layers[j]!.params;
        expect(row.params, `${entry.id} ${row.name}`).toBe(params);
      });
    }
  });

  it('activations of a leaf are its output values', () => {
    for (const row of analyze(zoo[0]!.spec).layers) expect(row.activations).toBe(row.output.reduce((a, b) => a * b, 1));
  });

  it('random stacks: the field grows monotonically and its jump is the product of the strides', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const rng = createRng(seed);
      const layers: Layer[] = [];
      let product = 1;
      for (let i = 0; i < 5; i++) {
        const s = rng.int(1, 2);
        product *= s;
        layers.push({ kind: rng.pick(['conv', 'maxpool'] as const), filters: 4, kernel: rng.int(1, 4), stride: s } as Layer);
      }
      const a = analyze({ input: [200, 200, 3], layers });
      for (let i = 1; i < a.layers.length; i++) expect(a.layers[i]!.rf.size).toBeGreaterThanOrEqual(a.layers[i - 1]!.rf.size);
      expect(a.layers.at(-1)!.rf.jump).toBe(product);
    }
  });
});
