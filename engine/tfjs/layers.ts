/**
 * The two layers tfjs lacks: grouped convolution (tfjs conv2d has no `groups`) and AlexNet's
 * local response normalisation (tfjs has the op but no layer). Both are registered so a model
 * holding them can be serialised like any other.
 */
import * as tf from '@tensorflow/tfjs';

export type Initializer = ReturnType<typeof tf.initializers.zeros>;

export interface GroupedConv2DArgs {
  name?: string;
  filters: number;
  kernel: [number, number];
  strides: [number, number];
  dilation: [number, number];
  groups: number;
  /** tfjs's own 'same' (TF rule) or 'valid' (explicit padding comes from a zeroPadding2d before it). */
  padding: 'same' | 'valid';
  useBias: boolean;
  kernelInitializer?: Initializer;
}

/**
 * Conv with `groups`: the input channels are split into `groups` slices, each convolved with its
 * own filters/groups filters, and the results concatenated in group order (PyTorch's layout).
 * Its one kernel has shape [kh, kw, cin/groups, filters], so params and MACs read off it exactly as
 * for an ordinary conv2d.
 */
export class GroupedConv2D extends tf.layers.Layer {
  static readonly className = 'StrideGroupedConv2D';
  readonly args: GroupedConv2DArgs;
  kernel: tf.LayerVariable | null = null;
  bias: tf.LayerVariable | null = null;

  constructor(args: GroupedConv2DArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    this.args = args;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const cin = shape[3]!;
    const { groups, filters, kernel } = this.args;
    if (cin % groups !== 0 || filters % groups !== 0) throw new Error(`${this.name}: groups ${groups} must divide ${cin} input channels and ${filters} filters`);
    this.kernel = this.addWeight('kernel', [kernel[0], kernel[1], cin / groups, filters], 'float32', this.args.kernelInitializer ?? tf.initializers.zeros());
    if (this.args.useBias) this.bias = this.addWeight('bias', [filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const { strides, dilation, kernel, padding, filters } = this.args;
    const size = (n: number | null, axis: 0 | 1): number | null => {
      if (n === null) return null;
      if (padding === 'same') return Math.ceil(n / strides[axis]);
      const span = dilation[axis] * (kernel[axis] - 1) + 1;
      return Math.floor((n - span) / strides[axis]) + 1;
    };
    return [shape[0] ?? null, size(shape[1] ?? null, 0), size(shape[2] ?? null, 1), filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
      const { groups, strides, dilation, padding } = this.args;
      const kernel = dilateKernel(this.kernel!.read() as tf.Tensor4D, dilation);
      const xs = groups === 1 ? [x] : tf.split<tf.Tensor4D>(x, groups, 3);
      const ks = groups === 1 ? [kernel] : tf.split<tf.Tensor4D>(kernel, groups, 3);
      const ys = xs.map((xi, i) => tf.conv2d(xi, ks[i]!, strides, padding, 'NHWC', 1));
      const y = ys.length === 1 ? ys[0]! : tf.concat(ys, 3);
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { name: _name, kernelInitializer: _init, ...rest } = this.args;
    return { ...super.getConfig(), ...rest };
  }
}

/**
 * A dilated kernel as an ordinary one with zeros in the holes: tap (i, j) moves to (d·i, d·j) of a
 * (d(k − 1) + 1)-wide kernel. Same output, and unlike a dilated conv2d, tfjs can differentiate it.
 */
export function dilateKernel(kernel: tf.Tensor4D, [dh, dw]: [number, number]): tf.Tensor4D {
  if (dh === 1 && dw === 1) return kernel;
  const [kh, kw, cin, cout] = kernel.shape;
  const spread = tf.pad(tf.reshape(kernel, [kh, 1, kw, 1, cin, cout]), [[0, 0], [0, dh - 1], [0, 0], [0, dw - 1], [0, 0], [0, 0]]);
  return tf.slice(tf.reshape(spread, [kh * dh, kw * dw, cin, cout]) as tf.Tensor4D, [0, 0, 0, 0], [dh * (kh - 1) + 1, dw * (kw - 1) + 1, cin, cout]);
}

export interface LocalResponseNormArgs {
  name?: string;
  /** Caffe/PyTorch window size n (channels summed over). */
  size: number;
  alpha: number;
  beta: number;
  k: number;
}

/**
 * AlexNet's LRN in Caffe/PyTorch form: b = a / (k + (α/n)·Σ a²)^β over n neighbouring channels.
 * tfjs's op divides by (bias + α'·Σ a²)^β over 2r + 1 channels, so r = floor(n/2), α' = α/n,
 * bias = k (for even n PyTorch's window is lopsided by one channel; the zoo uses n = 5).
 */
export class LocalResponseNorm extends tf.layers.Layer {
  static readonly className = 'StrideLocalResponseNorm';
  readonly args: LocalResponseNormArgs;

  constructor(args: LocalResponseNormArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    this.args = args;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
      const { size, alpha, beta, k } = this.args;
      return tf.localResponseNormalization(x as tf.Tensor4D, Math.floor(size / 2), k, alpha / size, beta);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { name: _name, ...rest } = this.args;
    return { ...super.getConfig(), ...rest };
  }
}

tf.serialization.registerClass(GroupedConv2D);
tf.serialization.registerClass(LocalResponseNorm);
