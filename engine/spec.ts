/**
 * Network specs: plain data describing a network or a fragment of one.
 *
 * Shapes are H×W×C (the lecture's order). A spec is data, never code: it can be
 * stored in a bank file, sent to the browser and rebuilt exactly.
 */

/** One number for both axes, or [height, width]. */
export type Pair = number | readonly [number, number];

/**
 * Padding per side: a number (both axes), [padH, padW], [top, bottom, left, right],
 * `'valid'` (0) or `'same'` (output = ceil(input / stride), extra pixel at bottom/right as TF does).
 */
export type Padding = number | readonly [number, number] | readonly [number, number, number, number] | 'same' | 'valid';

export type Shape = readonly [number, number, number];

interface Named {
  /** Display name; the analysis fills in `type + index` when absent. */
  name?: string;
}

export interface ConvLayer extends Named {
  kind: 'conv';
  filters: number;
  kernel: Pair;
  stride?: Pair; // default 1
  padding?: Padding; // default 0
  dilation?: Pair; // default 1
  groups?: number; // default 1
  bias?: boolean; // default true; the counting option `bias: false` turns every bias off
}

export interface PoolLayer extends Named {
  kind: 'maxpool' | 'avgpool';
  kernel: Pair;
  stride?: Pair; // default = kernel
  padding?: Padding; // default 0
  /** Caffe / torchvision `ceil_mode=True`: round the output size up (a window may start in the padding but not past it). */
  ceilMode?: boolean;
}

export interface GlobalAvgPoolLayer extends Named {
  kind: 'globalavgpool';
}

/** torchvision's AdaptiveAvgPool2d; the input size must be a multiple of the output size (or equal). */
export interface AdaptiveAvgPoolLayer extends Named {
  kind: 'adaptiveavgpool';
  output: Pair;
}

export interface DenseLayer extends Named {
  kind: 'dense';
  units: number;
  bias?: boolean; // default true
}

export interface FlattenLayer extends Named {
  kind: 'flatten';
}

/** AlexNet's local response normalisation across channels. No parameters. */
export interface LrnLayer extends Named {
  kind: 'lrn';
  size?: number; // default 5
  alpha?: number; // default 1e-4
  beta?: number; // default 0.75
  k?: number; // default 2
}

/** Batch norm: γ and β are parameters; running mean and variance count only with `bnStats`. */
export interface BatchNormLayer extends Named {
  kind: 'batchnorm';
  epsilon?: number;
}

export interface ReluLayer extends Named {
  kind: 'relu';
}

export interface DropoutLayer extends Named {
  kind: 'dropout';
  rate: number;
}

/** Parallel branches on the same input, concatenated in depth (inception, fire expand, dense layers). An empty branch passes the input through. */
export interface ConcatLayer extends Named {
  kind: 'concat';
  branches: readonly (readonly Layer[])[];
}

/** out = body(x) + shortcut(x); an absent or empty shortcut is the identity. */
export interface ResidualLayer extends Named {
  kind: 'residual';
  body: readonly Layer[];
  shortcut?: readonly Layer[];
}

/** A named group of layers (a VGG stage, an inception module, a dense block) shown as one row with its parts below. */
export interface BlockLayer extends Named {
  kind: 'block';
  name: string;
  /** What the block is, for display: 'inception', 'fire', 'bottleneck', 'basic', 'dense_block', 'transition', ... */
  block?: string;
  layers: readonly Layer[];
}

export type Layer =
  | ConvLayer
  | PoolLayer
  | GlobalAvgPoolLayer
  | AdaptiveAvgPoolLayer
  | DenseLayer
  | FlattenLayer
  | LrnLayer
  | BatchNormLayer
  | ReluLayer
  | DropoutLayer
  | ConcatLayer
  | ResidualLayer
  | BlockLayer;

export type LayerKind = Layer['kind'];

export interface Spec {
  name?: string;
  /** H×W×C */
  input: Shape;
  layers: readonly Layer[];
}

/** Counting conventions; the defaults are torchvision's. */
export interface CountingOptions {
  /** Count biases (default true). False reproduces the lecture's "weights only" tables. */
  bias?: boolean;
  /** Count batch-norm running mean and variance as parameters (Keras's count_params; default false). */
  bnStats?: boolean;
}

/** Normalise a Pair to [h, w]. */
export function pair(p: Pair | undefined, fallback: number): [number, number] {
  if (p === undefined) return [fallback, fallback];
  return typeof p === 'number' ? [p, p] : [p[0], p[1]];
}
