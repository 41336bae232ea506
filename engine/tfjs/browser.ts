/**
 * The browser's entry to the verifier, loaded lazily (dynamic import) by the pages that check an
 * answer: WebGL first, the CPU backend as a fallback that is reported, never silent.
 */
import * as tf from '@tensorflow/tfjs';
import type { Spec } from '../spec';
import { buildModel } from './build';
import { centralUnit } from './field';
import { verifySpec, type VerifyResult } from './verify';

export interface BrowserBackend {
  backend: string;
  /** Why WebGL is not in use, or null when it is. */
  fallback: string | null;
}

let chosen: Promise<BrowserBackend> | null = null;

/** Select WebGL once per page; when it cannot start, the CPU backend, with the reason. */
export function selectBestBackend(): Promise<BrowserBackend> {
  chosen ??= (async () => {
    let reason: string | null = null;
    try {
      if (await tf.setBackend('webgl')) {
        await tf.ready();
        return { backend: tf.getBackend(), fallback: null };
      }
      reason = 'WebGL could not be initialised in this browser';
    } catch (err) {
      reason = `WebGL failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    await tf.setBackend('cpu');
    await tf.ready();
    return { backend: tf.getBackend(), fallback: reason };
  })();
  return chosen;
}

export interface PanelCheck {
  backend: BrowserBackend;
  /** The check; its figures as the panel gives them (final output, params, MACs): app/engine-report.ts's modelReport. */
  verify: VerifyResult;
  /** Wall time of a forward pass with seeded weights. */
  forwardMs: number;
  tensorsLeaked: number;
}

/** Verify `spec` against the engine and time one forward pass, on the best backend. */
export async function checkSpecInBrowser(spec: Spec): Promise<PanelCheck> {
  const backend = await selectBestBackend();
  const before = tf.memory().numTensors;
  const verify = await verifySpec(spec);
  const built = buildModel(spec, { weights: 'seeded', seed: 1 });
  let forwardMs = 0;
  try {
    const x = tf.randomUniform([1, ...spec.input], 0, 1, 'float32', 7);
    const t0 = performance.now();
    const y = built.model.predict(x) as tf.Tensor;
    await y.data();
    forwardMs = performance.now() - t0;
    tf.dispose([x, y]);
  } finally {
    built.model.dispose();
  }
  return {
    backend,
    verify,
    forwardMs,
    tensorsLeaked: tf.memory().numTensors - before,
  };
}

export interface FieldMap {
  /** Input height and width. */
  height: number;
  width: number;
  /** |∂y/∂x| summed over input channels, row-major, scaled to [0, 1]. */
  values: Float32Array;
  unit: [number, number];
}

/**
 * The measured receptive field of the central unit of the spec's last spatial layer, as a
 * picture: the gradient of that unit with respect to the input in the field variant of the
 * network (positive weights, pools averaged, no ReLU), so every pixel it sees is non-zero.
 */
export async function fieldMap(spec: Spec): Promise<FieldMap> {
  await selectBestBackend();
  const field = buildModel(spec, { weights: 'field', linear: true, spatialOnly: true });
  try {
    const [, outH, outW] = field.model.outputs[0]!.shape as [null, number, number, number];
    const unit = centralUnit(outH, outW);
    const [height, width] = [spec.input[0], spec.input[1]];
    const values = tf.tidy(() => {
      const objective = (input: tf.Tensor): tf.Scalar => {
        const y = field.model.apply(input, { training: false }) as tf.Tensor4D;
        return tf.sum(tf.slice(y, [0, unit[0], unit[1], 0], [1, 1, 1, -1]));
      };
      const g = tf.sum(tf.abs(tf.grad(objective)(tf.zeros([1, ...spec.input]))), [0, 3]);
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
