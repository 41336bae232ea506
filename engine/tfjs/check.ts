/**
 * The browser's engine check (/engine-check): on the best backend (WebGL, else cpu — reported),
 * verify each spec against the engine and run it forward with seeded non-zero weights and input;
 * then run the same model and input on the cpu backend and report the largest difference.
 */
import * as tf from '@tensorflow/tfjs';
import type { Spec } from '../spec';
import { chooseBackend, useBackend, type BackendChoice } from './backend';
import { buildModel } from './build';
import { verifySpec, type VerifyResult } from './verify';

export interface SpecRun {
  name: string;
  verify: VerifyResult;
  /** The model's final output shape and trainable params, as tfjs reports them. */
  output: number[];
  params: number;
  /** max |y_backend − y_cpu| over the final output. */
  maxAbsDiff: number;
  forwardMs: number;
}

export interface EngineCheck {
  backend: BackendChoice;
  runs: SpecRun[];
  /** Tensors alive after the check minus before: 0 unless something leaked. */
  leakedTensors: number;
}

/** Forward pass of `model` on `x` as a flat array, on the current backend. */
function forward(model: tf.LayersModel, x: tf.Tensor): Float32Array {
  return tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync() as Float32Array);
}

export async function runEngineCheck(specs: readonly { name: string; spec: Spec }[], seed = 7): Promise<EngineCheck> {
  const backend = await chooseBackend(['webgl', 'cpu']);
  const before = tf.memory().numTensors;
  const runs: SpecRun[] = [];
  for (const { name, spec } of specs) {
    const verify = await verifySpec(spec, { arch: name });
    const built = buildModel(spec, { weights: 'seeded', seed });
    const x = tf.randomUniform([1, ...spec.input], 0, 1, 'float32', seed);
    try {
      const t0 = tf.util.now();
      const onBackend = forward(built.model, x);
      const forwardMs = tf.util.now() - t0;
      // Same weights and input, now on cpu: tfjs moves the tensors' data across.
      await useBackend('cpu');
      const onCpu = forward(built.model, x);
      await useBackend(backend.backend);
      let maxAbsDiff = onBackend.length === onCpu.length ? 0 : Infinity;
      for (let i = 0; i < onCpu.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(onBackend[i]! - onCpu[i]!));
      const output = built.model.outputs[0]!.shape.slice(1) as number[];
      runs.push({ name, verify, output, params: built.model.trainableWeights.reduce((n, w) => n + w.shape.reduce<number>((a, d) => a * (d ?? 1), 1), 0), maxAbsDiff, forwardMs });
    } finally {
      x.dispose();
      built.model.dispose();
    }
  }
  return { backend, runs, leakedTensors: tf.memory().numTensors - before };
}
