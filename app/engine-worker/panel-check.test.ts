/**
 * The panel's check as the worker runs it, here in Node (no WebGL: the fallback is reported):
 * the same verdicts as verifySpec and app/engine-report.ts, the stages in order, no tensor left.
 */
import { describe, expect, it } from 'vitest';
import { answerAgreement, modelReport } from '../engine-report';
import { verifySpec } from '../../engine/tfjs/verify';
import { benchQuestions } from './bench-questions';
import { runPanelCheck } from './panel-check';
import type { StageId } from './protocol';

describe('the engine panel check', () => {
  const questions = benchQuestions(8);

  it('picks varied families, each with a network', () => {
    expect(new Set(questions.map((v) => v.family)).size).toBe(questions.length);
    expect(questions.every((v) => v.spec !== null)).toBe(true);
  });

  it('agrees with verifySpec and the report for every question, stage by stage, leaking nothing', { timeout: 120_000 }, async () => {
    for (const [i, v] of questions.entries()) {
      const stages: StageId[] = [];
      const answer = { kind: v.answer.kind, value: v.answer.value, display: v.answer.display };
      const outcome = await runPanelCheck({ spec: v.spec!, answer, source: v.source ?? null, student: { correct: false, readAs: null }, showField: i === 0 }, (s) => stages.push(s));
      const verify = await verifySpec(v.spec!);
      const agreement = answerAgreement({ verify }, v.spec!, answer, v.source);
      expect(outcome.ok, v.family).toBe(verify.ok && agreement.status !== 'differs');
      expect(outcome.ok, v.family).toBe(true);
      expect(outcome.report).toEqual(modelReport(verify));
      expect(outcome.agreement).toEqual(agreement);
      expect(outcome.note).toMatch(/^Your answer differs from the correct answer /);
      expect(outcome.tensorsLeaked).toBe(0);
      // The backend starts once; then the model is built, compared, and its fields measured.
      const expected: StageId[] = i === 0 ? ['backend', 'build', 'compare'] : ['build', 'compare'];
      expect(stages.slice(0, expected.length), v.family).toEqual(expected);
      expect(stages.filter((s) => s === 'field').length).toBe(verify.fieldsMeasured > 0 || i === 0 ? 1 : 0);
      expect(outcome.fieldBackend).toBe(verify.fieldsMeasured > 0 || i === 0 ? 'cpu' : null);
      if (i === 0) {
        // No WebGL in Node: said, never silent.
        expect(outcome.backend).toBe('cpu');
        expect(outcome.fallback).toMatch(/webgl/);
        expect(outcome.map).not.toBeNull();
        expect(outcome.map!.values).toHaveLength(v.spec!.input[0] * v.spec!.input[1]);
      }
    }
  });
});
