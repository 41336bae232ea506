/**
 * `verify all` in-process: every zoo architecture, one at a time, agrees with the engine layer by
 * layer, and the whole run leaves no tensors behind. A few minutes on a 2-core machine.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, test } from 'vitest';
import { nodeVerifyBackends } from '../bin/commands/verify';
import type { VerifyBackends } from '../engine/tfjs/backend';
import { verifyArch } from '../engine/tfjs/verify';
import { analyze } from '../engine/analysis';
import { archIds, getArch } from '../engine/zoo';
import { modelReport } from '../app/engine-report';

let backends: VerifyBackends;

beforeAll(async () => {
  ({ backends } = await nodeVerifyBackends());
});

test('every zoo architecture verifies against the engine', { timeout: 600_000 }, async () => {
  const before = tf.memory().numTensors;
  const failures: string[] = [];
  for (const id of archIds()) {
    const r = await verifyArch(id, { backends });
    tf.disposeVariables();
    if (r.error) failures.push(`${id}: ${r.error}`);
    for (const l of r.layers) for (const m of l.mismatches) failures.push(`${id} ${l.name}: ${m}`);
    if (r.layers.length === 0 || r.fieldsMeasured === 0) failures.push(`${id}: nothing compared`);
    // The model's own output tensor is the analysis's final output, and so is what the engine panel reports.
    const output = analyze(getArch(id).spec).output;
    if (r.output.tfjs.join('×') !== output.join('×') || !r.output.ok) failures.push(`${id}: output tfjs ${r.output.tfjs.join('×')}, analysis ${output.join('×')}`);
    if (modelReport(r).output.join('×') !== output.join('×')) failures.push(`${id}: the panel would report ${modelReport(r).output.join('×')}, analysis ${output.join('×')}`);
  }
  expect(failures).toEqual([]);
  expect(tf.memory().numTensors).toBe(before);
});
