/**
 * Receptive fields measured by gradient: in the field variant of a network (buildModel with
 * `linear: true, weights: 'field'`: every weight positive, max pools averaged, ReLU and LRN the
 * identity) the gradient of one output unit with respect to the input is a sum over paths of
 * products of positive weights, so it is non-zero exactly on the pixels that unit can see.
 * Its extent along H and along W is the field, clipped to the input.
 */
import * as tf from '@tensorflow/tfjs';
import type { ReceptiveField } from '../analysis-types';
import type { BuiltLayer, BuiltModel } from './build';

/** Inclusive pixel ranges [first, last] along H and W. */
export interface FieldSpan {
  h: [number, number];
  w: [number, number];
}

/** The unit whose field we measure: the central one, the least clipped by the input border. */
export function centralUnit(outH: number, outW: number): [number, number] {
  return [Math.floor((outH - 1) / 2), Math.floor((outW - 1) / 2)];
}

/**
 * Pixels seen by output unit `unit` along one axis, clipped to the input [0, n − 1]:
 * centre = start + unit·jump, span = centre ± (size − 1)/2.
 */
export function fieldSpan(rf: ReceptiveField, unit: number, n: number): [number, number] {
  const centre = rf.start + unit * rf.jump;
  const half = (rf.size - 1) / 2;
  return [Math.max(0, centre - half), Math.min(n - 1, centre + half)];
}

/** First and last index of a positive entry (−1, −1 when there is none). */
function positiveExtent(values: ArrayLike<number>): [number, number] {
  let first = -1;
  let last = -1;
  for (let i = 0; i < values.length; i++) {
    if (values[i]! > 0) {
      if (first < 0) first = i;
      last = i;
    }
  }
  return [first, last];
}

/** The gradient of `objective(output of entry)` with respect to the input, as its positive extent along H and W. */
function gradientExtent(field: BuiltModel, entry: BuiltLayer, objective: (y: tf.Tensor4D) => tf.Scalar): FieldSpan {
  const prefix = entry.output === field.input ? null : tf.model({ inputs: field.input, outputs: entry.output });
  const inShape = field.input.shape.slice(1) as number[];
  const [rows, cols] = tf.tidy(() => {
    const x = tf.zeros([1, ...inShape]);
    const g = tf.grad((input: tf.Tensor) => objective((prefix ? prefix.apply(input, { training: false }) : input) as tf.Tensor4D))(x);
    return [tf.sum(g, [0, 2, 3]).dataSync(), tf.sum(g, [0, 1, 3]).dataSync()];
  });
  return { h: positiveExtent(rows), w: positiveExtent(cols) };
}

/**
 * The measured field of the central unit of `entry`'s output (summed over its channels, so every
 * branch of a concat counts). `field` must be a field variant; the input is zeros, which is as
 * good as any input because the variant is linear.
 */
export function measureField(field: BuiltModel, entry: BuiltLayer): { unit: [number, number]; span: FieldSpan } {
  const [, outH, outW] = entry.output.shape as [null, number, number, number];
  const unit = centralUnit(outH, outW);
  const span = gradientExtent(field, entry, (y) => tf.sum(tf.slice(y, [0, unit[0], unit[1], 0], [1, 1, 1, -1])));
  return { unit, span };
}

/**
 * The input pixels the layer reads at all (the field of the sum of all its outputs). Floor
 * rounding leaves the last rows or columns of a map unread (224 through a 7×7 stride-2 conv reads
 * rows 0–222), so a field that runs past the border is seen only up to here.
 */
export function measureReach(field: BuiltModel, entry: BuiltLayer): FieldSpan {
  return gradientExtent(field, entry, (y) => tf.sum(y));
}
