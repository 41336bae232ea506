/**
 * buildModel(spec): the spec as a real tfjs LayersModel (functional API, NHWC = the spec's H×W×C),
 * with a record of which tfjs layers implement each spec layer, in the analysis's row order.
 *
 * Padding: 'same' uses tfjs's own TF-rule padding; explicit padding is a zeroPadding2d (possibly
 * asymmetric) before a 'valid' window. Zero padding equals PyTorch's for convs and for average
 * pools (count_include_pad=True); for max pools PyTorch pads with −∞, which gives the same maximum
 * whenever a window holds a value ≥ 0 — true after the ReLU that precedes every pool in the zoo.
 *
 * Ceil mode (Caffe / PyTorch ceil_mode=True) has no tfjs switch: we add e extra zero rows at the
 * bottom (columns at the right) so that the floor formula gives the ceil size,
 * e = max(0, (out − 1)·s + k − (n + pTop + pBottom)). The shape is then exact; the extra rows
 * only ever hold zeros, so a max pool after ReLU agrees with PyTorch, and an average pool differs
 * only in the divisor of the last, partial window (PyTorch divides by the part inside the padded
 * input) — values there are not compared in Node, and the receptive field is unaffected.
 */
import * as tf from '@tensorflow/tfjs';
import type { Layer, Padding, Spec } from '../spec';
import { GroupedConv2D, LocalResponseNorm, type Initializer } from './layers';
import { LayerPaths } from '../layer-paths';

/** How weights are filled: zeros (cheap, for shapes and counts), the field fill (see below), or seeded uniform values. */
export type WeightFill = 'zeros' | 'field' | 'seeded';

export interface BuildOptions {
  weights?: WeightFill;
  /** Seed of the 'seeded' fill (each layer gets seed + its index). */
  seed?: number;
  /**
   * The receptive-field variant: max pools become average pools and ReLU and LRN become the
   * identity, so the network is linear with non-negative weights and no two paths can cancel.
   */
  linear?: boolean;
  /** Stop before the first layer whose output is not a map (flatten, dense): the field variant needs nothing after it. */
  spatialOnly?: boolean;
  /**
   * One channel everywhere (input, every conv; concat branches added instead of stacked). A field
   * is geometry — kernels, strides, padding, dilation — and a sum over channels of positive terms
   * is positive wherever one term is, so the width-1 network sees exactly the pixels the real one
   * does, at a fraction of the cost. Only for the field variant.
   */
  narrow?: boolean;
}

export interface BuiltLayer {
  /** Position in depth-first order: the index of the analysis row it corresponds to. */
  index: number;
  path: string;
  layer: Layer;
  /** Blocks, concats and residuals: their numbers are those of everything inside. */
  aggregate: boolean;
  /** Every tfjs layer that implements this spec layer (for an aggregate: all those inside it, plus the concat or add). */
  tfLayers: tf.layers.Layer[];
  output: tf.SymbolicTensor;
}

export interface BuiltModel {
  model: tf.LayersModel;
  input: tf.SymbolicTensor;
  layers: BuiltLayer[];
}

/** Build a spec as a tfjs model. The caller disposes it (model.dispose()). */
export function buildModel(spec: Spec, options: BuildOptions = {}): BuiltModel {
  const builder = new Builder(options);
  const [h, w, c] = spec.input;
  const input = tf.input({ shape: [h, w, options.narrow ? 1 : c], name: 'input' });
  const output = builder.sequence(spec.layers, input, '');
  const model = tf.model({ inputs: input, outputs: output, name: safeName(spec.name ?? 'spec') });
  return { model, input, layers: builder.built };
}

/** Sides of explicit padding, [top, bottom, left, right]. */
type Sides = [number, number, number, number];

/** The spec's padding as tfjs sees it: its own 'same', or explicit sides (all zero for 'valid'). */
function paddingSides(p: Padding | undefined): 'same' | Sides {
  if (p === undefined || p === 'valid') return [0, 0, 0, 0];
  if (p === 'same') return 'same';
  if (typeof p === 'number') return [p, p, p, p];
  if (p.length === 2) return [p[0], p[0], p[1], p[1]];
  return [p[0], p[1], p[2], p[3]];
}

function pairOf(p: number | readonly [number, number] | undefined, fallback: number): [number, number] {
  if (p === undefined) return [fallback, fallback];
  return typeof p === 'number' ? [p, p] : [p[0], p[1]];
}

/**
 * Extra bottom/right padding that makes tfjs's floor output equal PyTorch's ceil-mode output:
 * out = ceil((n + pTotal − k) / s) + 1, minus 1 if the last window would start past n + pBefore;
 * extra = max(0, (out − 1)·s + k − (n + pTotal)).
 */
export function ceilModeExtra(n: number, k: number, s: number, pBefore: number, pAfter: number): number {
  let out = Math.ceil((n + pBefore + pAfter - k) / s) + 1;
  if ((out - 1) * s >= n + pBefore) out -= 1;
  return Math.max(0, (out - 1) * s + k - (n + pBefore + pAfter));
}

/** tfjs layer names: letters, digits, '_', '.', '-' (our paths use '/', which tfjs reserves for weight scopes). */
function safeName(path: string): string {
  return path.replace(/\//g, '.').replace(/[^A-Za-z0-9_.-]/g, '_');
}

function mapShape(t: tf.SymbolicTensor): [number, number, number] | null {
  const s = t.shape;
  return s.length === 4 ? [s[1]!, s[2]!, s[3]!] : null;
}

class Builder {
  readonly built: BuiltLayer[] = [];
  private readonly paths = new LayerPaths();
  /** The tfjs layers created since each open aggregate began (a stack of collectors). */
  private readonly collectors: tf.layers.Layer[][] = [];
  private stopped = false;

  constructor(private readonly options: BuildOptions) {}

  sequence(layers: readonly Layer[], x: tf.SymbolicTensor, scope: string): tf.SymbolicTensor {
    const pathOf = this.paths.namer(scope);
    let current = x;
    for (const layer of layers) {
      if (this.options.spatialOnly && (current.shape.length !== 4 || layer.kind === 'flatten' || layer.kind === 'dense')) {
        this.stopped = true;
      }
      if (this.stopped) return current;
      current = this.layer(layer, current, pathOf(layer));
    }
    return current;
  }

  /** Apply a tfjs layer, recording it for the current leaf and every open aggregate. */
  private apply(tfLayer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[], into: tf.layers.Layer[]): tf.SymbolicTensor {
    into.push(tfLayer);
    for (const c of this.collectors) if (c !== into) c.push(tfLayer);
    return tfLayer.apply(x) as tf.SymbolicTensor;
  }

  private leaf(layer: Layer, path: string, build: (into: tf.layers.Layer[]) => tf.SymbolicTensor, fallback: tf.SymbolicTensor): tf.SymbolicTensor {
    const index = this.built.length;
    const entry: BuiltLayer = { index, path, layer, aggregate: false, tfLayers: [], output: fallback };
    this.built.push(entry);
    entry.output = build(entry.tfLayers);
    return entry.output;
  }

  private aggregate(layer: Layer, path: string, body: (into: tf.layers.Layer[]) => tf.SymbolicTensor, x: tf.SymbolicTensor): tf.SymbolicTensor {
    const entry: BuiltLayer = { index: this.built.length, path, layer, aggregate: true, tfLayers: [], output: x };
    this.built.push(entry);
    this.collectors.push(entry.tfLayers);
    try {
      entry.output = body(entry.tfLayers);
    } finally {
      this.collectors.pop();
    }
    return entry.output;
  }

  private initializer(kind: 'conv' | 'dense', fanIn: number, index: number): Initializer {
    switch (this.options.weights ?? 'zeros') {
      case 'zeros':
        return tf.initializers.zeros();
      // Each unit averages its inputs (gain 1), so deep stacks neither overflow nor underflow.
      case 'field':
        return tf.initializers.constant({ value: 1 / fanIn });
      case 'seeded': {
        const a = 1 / Math.sqrt(fanIn);
        return tf.initializers.randomUniform({ minval: -a, maxval: a, seed: (this.options.seed ?? 1) + index + (kind === 'dense' ? 7919 : 0) });
      }
    }
  }

  private layer(layer: Layer, x: tf.SymbolicTensor, path: string): tf.SymbolicTensor {
    const name = safeName(path);
    const linear = this.options.linear === true;
    switch (layer.kind) {
      case 'conv':
        return this.leaf(layer, path, (into) => this.conv(layer, x, name, into), x);
      case 'maxpool':
      case 'avgpool':
        return this.leaf(layer, path, (into) => {
          const [kh, kw] = pairOf(layer.kernel, 1);
          const [sh, sw] = pairOf(layer.stride ?? layer.kernel, 1);
          const sides = paddingSides(layer.padding);
          let input = x;
          let padding: 'same' | 'valid' = 'valid';
          if (sides === 'same') padding = 'same';
          else {
            const [h, w] = mapShape(x) ?? [0, 0];
            const [t, b, l, r] = sides;
            const extraH = layer.ceilMode ? ceilModeExtra(h, kh, sh, t, b) : 0;
            const extraW = layer.ceilMode ? ceilModeExtra(w, kw, sw, l, r) : 0;
            if (t + b + l + r + extraH + extraW > 0) {
              input = this.apply(tf.layers.zeroPadding2d({ padding: [[t, b + extraH], [l, r + extraW]], name: `${name}.pad` }), input, into);
            }
          }
          const args = { poolSize: [kh, kw] as [number, number], strides: [sh, sw] as [number, number], padding, name };
          const pool = layer.kind === 'avgpool' || linear ? tf.layers.averagePooling2d(args) : tf.layers.maxPooling2d(args);
          return this.apply(pool, input, into);
        }, x);
      case 'globalavgpool':
      case 'adaptiveavgpool':
        return this.leaf(layer, path, (into) => {
          const [h, w] = mapShape(x) ?? [1, 1];
          const [oh, ow] = layer.kind === 'globalavgpool' ? [1, 1] : pairOf(layer.output, 1);
          // An average over a window of (in / out) pixels, stepping by the same: torchvision's adaptive pool when out divides in.
          const k: [number, number] = [Math.floor(h / oh), Math.floor(w / ow)];
          return this.apply(tf.layers.averagePooling2d({ poolSize: k, strides: k, padding: 'valid', name }), x, into);
        }, x);
      case 'flatten':
        return this.leaf(layer, path, (into) => (x.shape.length === 4 ? this.apply(tf.layers.flatten({ name }), x, into) : x), x);
      case 'dense':
        return this.leaf(layer, path, (into) => {
          const flat = x.shape.length === 4 ? this.apply(tf.layers.flatten({ name: `${name}.flatten` }), x, into) : x;
          const fanIn = flat.shape[flat.shape.length - 1]!;
          return this.apply(
            tf.layers.dense({ units: layer.units, useBias: layer.bias !== false, kernelInitializer: this.initializer('dense', fanIn, this.built.length), name }),
            flat,
            into,
          );
        }, x);
      case 'lrn':
        return this.leaf(layer, path, (into) =>
          linear
            ? this.apply(tf.layers.activation({ activation: 'linear', name }), x, into)
            : this.apply(new LocalResponseNorm({ name, size: layer.size ?? 5, alpha: layer.alpha ?? 1e-4, beta: layer.beta ?? 0.75, k: layer.k ?? 2 }), x, into), x);
      case 'batchnorm':
        return this.leaf(layer, path, (into) => this.apply(tf.layers.batchNormalization({ axis: -1, epsilon: layer.epsilon ?? 1e-5, name }), x, into), x);
      case 'relu':
        return this.leaf(layer, path, (into) => this.apply(linear ? tf.layers.activation({ activation: 'linear', name }) : tf.layers.reLU({ name }), x, into), x);
      case 'dropout':
        return this.leaf(layer, path, (into) => this.apply(tf.layers.dropout({ rate: layer.rate, name }), x, into), x);
      case 'block':
        return this.aggregate(layer, path, () => this.sequence(layer.layers, x, path), x);
      case 'concat':
        return this.aggregate(layer, path, (into) => {
          const outs = layer.branches.map((b, i) => (b.length === 0 ? x : this.sequence(b, x, `${path}/branch${i + 1}`)));
          if (this.stopped) return outs[outs.length - 1]!;
          if (outs.length === 1) return outs[0]!;
          const join = this.options.narrow ? tf.layers.add({ name: `${name}.concat` }) : tf.layers.concatenate({ axis: -1, name: `${name}.concat` });
          return this.apply(join, outs, into);
        }, x);
      case 'residual':
        return this.aggregate(layer, path, (into) => {
          const body = this.sequence(layer.body, x, path);
          const shortcut = layer.shortcut && layer.shortcut.length > 0 ? this.sequence(layer.shortcut, x, `${path}/shortcut`) : x;
          if (this.stopped) return body;
          return this.apply(tf.layers.add({ name: `${name}.add` }), [body, shortcut], into);
        }, x);
    }
  }

  private conv(layer: Extract<Layer, { kind: 'conv' }>, x: tf.SymbolicTensor, name: string, into: tf.layers.Layer[]): tf.SymbolicTensor {
    const kernel = pairOf(layer.kernel, 1);
    const strides = pairOf(layer.stride, 1);
    const dilation = pairOf(layer.dilation, 1);
    const narrow = this.options.narrow === true;
    const groups = narrow ? 1 : (layer.groups ?? 1);
    const filters = narrow ? 1 : layer.filters;
    const cin = x.shape[3]!;
    const sides = paddingSides(layer.padding);
    let input = x;
    let padding: 'same' | 'valid' = 'valid';
    if (sides === 'same') padding = 'same';
    else if (sides.some((v) => v > 0)) {
      input = this.apply(tf.layers.zeroPadding2d({ padding: [[sides[0], sides[1]], [sides[2], sides[3]]], name: `${name}.pad` }), input, into);
    }
    const useBias = layer.bias !== false;
    const kernelInitializer = this.initializer('conv', kernel[0] * kernel[1] * (cin / groups), this.built.length);
    const common = { kernelSize: kernel, strides, dilationRate: dilation, padding, useBias, name };
    // The field variant convolves with tf.conv2d, whose gradient is computed only for what is asked
    // (the input); tfjs's conv2d layer runs a fused op whose gradient always computes the filter's too.
    if (this.options.linear) {
      return this.apply(new GroupedConv2D({ name, filters, kernel, strides, dilation, groups, padding, useBias, kernelInitializer }), input, into);
    }
    if (groups === 1) {
      return this.apply(tf.layers.conv2d({ ...common, filters: layer.filters, kernelInitializer }), input, into);
    }
    if (groups === cin) {
      // One group per input channel is tfjs's depthwise conv; its output order (channel-major) is PyTorch's.
      return this.apply(tf.layers.depthwiseConv2d({ ...common, depthMultiplier: layer.filters / cin, depthwiseInitializer: kernelInitializer }), input, into);
    }
    return this.apply(new GroupedConv2D({ name, filters: layer.filters, kernel, strides, dilation, groups, padding, useBias, kernelInitializer }), input, into);
  }
}
