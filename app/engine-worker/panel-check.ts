/**
 * The engine panel's check, run in the engine worker (or, when no worker can start, in the page
 * by a dynamic import). Only the work the verdict needs: the model built with zero weights for
 * its layers' output shapes and weight counts (no forward pass), the receptive fields measured on
 * the one-channel field variant (verifySpec), and the field picture on that variant too.
 */
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../engine/tfjs/backend';
import { backendStarted, fieldMap, selectBestBackend } from '../../engine/tfjs/browser';
import { verifySpec } from '../../engine/tfjs/verify';
import { answerAgreement, modelReport, studentNote } from '../engine-report';
import type { PanelOutcome, PanelRequest, StageId } from './protocol';

/**
 * The field gradients run on cpu: the field variant is one channel wide, so each is a few
 * thousand multiply-adds per pixel, while WebGL compiles new shaders for every new shape (on
 * software WebGL, seconds per question; measured in docs/decisions/0026-engine-worker.md).
 */
const FIELD_BACKEND = 'cpu';

export async function runPanelCheck(request: PanelRequest, stage: (s: StageId) => void): Promise<PanelOutcome> {
  if (!backendStarted()) stage('backend');
  const { backend, fallback } = await selectBestBackend();
  stage('build');
  const before = tf.memory().numTensors;
  let measuring = false;
  const startField = () => {
    if (!measuring) stage('field');
    measuring = true;
  };
  const verify = await verifySpec(request.spec, { backends: { structure: backend, field: FIELD_BACKEND }, progress: { built: () => stage('compare'), beforeField: startField } });
  let map = null;
  if (request.showField) {
    startField();
    await useBackend(FIELD_BACKEND);
    try {
      map = await fieldMap(request.spec);
    } finally {
      await useBackend(backend);
    }
  }
  const agreement = answerAgreement({ verify }, request.spec, request.answer, request.source);
  return {
    backend,
    fieldBackend: verify.fieldsMeasured > 0 || map ? FIELD_BACKEND : null,
    fallback,
    ok: verify.ok && agreement.status !== 'differs',
    report: modelReport(verify),
    agreement,
    note: studentNote(request.student, request.answer),
    mismatches: verify.layers.filter((l) => !l.ok).map((l) => ({ name: l.name, lines: l.mismatches })),
    map,
    tensorsLeaked: tf.memory().numTensors - before,
  };
}
