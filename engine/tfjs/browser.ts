/**
 * The browser's entry to the verifier (a page's dynamic import, or the engine worker): WebGL
 * first, the CPU backend as a fallback that is reported, never silent.
 */
import * as tf from '@tensorflow/tfjs';
import type { Spec } from '../spec';
import { chooseBackend } from './backend';
import { buildModel } from './build';
import { centralUnit } from './field';

export interface BrowserBackend {
  backend: string;
  /** Why WebGL is not in use, or null when it is. */
  fallback: string | null;
}

let chosen: Promise<BrowserBackend> | null = null;

/** Select WebGL once per page (or worker); when it cannot start, the CPU backend, with the reason. */
export function selectBestBackend(): Promise<BrowserBackend> {
  chosen ??= chooseBackend(['webgl', 'cpu']).then((c) => ({ backend: c.backend, fallback: c.fallback ? c.fallback.reason : null }));
  return chosen;
}

/** True once a backend has been asked for (the next check skips "starting WebGL"). */
export function backendStarted(): boolean {
  return chosen !== null;
}

export interface FieldMap {
  /** Input height and width. */
  height: number;
  width: number;
  /** |∂y/∂x| of the one-channel field variant, row-major, scaled to [0, 1]. */
  values: Float32Array;
  unit: [number, number];
}

/**
 * The measured receptive field of the central unit of the spec's last spatial layer, as a
 * picture: the gradient of that unit with respect to the input in the one-channel field variant
 * of the network (positive weights, pools averaged, no ReLU), so every pixel it sees is
 * non-zero. Which pixels are non-zero does not depend on the width, so one channel suffices.
 */
export async function fieldMap(spec: Spec): Promise<FieldMap> {
  await selectBestBackend();
  const field = buildModel(spec, { weights: 'field', linear: true, spatialOnly: true, narrow: true });
  try {
    const [, outH, outW] = field.model.outputs[0]!.shape as [null, number, number, number];
    const unit = centralUnit(outH, outW);
    const inShape = field.input.shape.slice(1) as number[];
    const [height, width] = [spec.input[0], spec.input[1]];
    const values = tf.tidy(() => {
      const objective = (input: tf.Tensor): tf.Scalar => {
        const y = field.model.apply(input, { training: false }) as tf.Tensor4D;
        return tf.sum(tf.slice(y, [0, unit[0], unit[1], 0], [1, 1, 1, -1]));
      };
      const g = tf.sum(tf.abs(tf.grad(objective)(tf.zeros([1, ...inShape]))), [0, 3]);
      const max = tf.max(g);
      return tf.div(g, tf.maximum(max, 1e-30)).dataSync() as Float32Array;
    });
    return { height, width, values: Float32Array.from(values), unit };
  } finally {
    field.model.dispose();
  }
}

/** Tensors held by the active backend: a check must leave this where it found it. */
export function tensorCount(): number {
  return tf.memory().numTensors;
}
