/**
 * The engine panel's check, run in the engine worker (or, when no worker can start, in the page
 * by a dynamic import). Only the work the verdict needs: the model built with zero weights for
 * its layers' output shapes and weight counts (no forward pass), the receptive fields measured on
 * the one-channel field variant (verifySpec), and the field picture on that variant too.
 */
import * as tf from '@tensorflow/tfjs';
import { backendStarted, fieldMap, selectBestBackend } from '../../engine/tfjs/browser';
import { verifySpec } from '../../engine/tfjs/verify';
import { answerAgreement, modelReport, studentNote } from '../engine-report';
import type { PanelOutcome, PanelRequest, StageId } from './protocol';

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
  const verify = await verifySpec(request.spec, { progress: { built: () => stage('compare'), beforeField: startField } });
  let map = null;
  if (request.showField) {
    startField();
    map = await fieldMap(request.spec);
  }
  const agreement = answerAgreement({ verify }, request.spec, request.answer, request.source);
  return {
    backend,
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
