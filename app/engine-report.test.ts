/**
 * What the engine panel reports: the real tfjs model's final output for 200 variants of every
 * family (the zoo's networks are checked the same way in test/verify-zoo.test.ts), and sentences
 * that say what agrees with what, and that a wrong student answer is not the one confirmed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../engine/analysis';
import { families, variantOf } from '../engine/families';
import type { Variant } from '../engine/question';
import type { LayerCheck, VerifyResult } from '../engine/tfjs/verify';
import { getArch } from '../engine/zoo';
import { answerAgreement, modelReport, studentNote } from './engine-report';

const VARIANTS = 200;

describe("the panel reports the model's final output", () => {
  beforeAll(async () => {
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it(`for ${VARIANTS} variants of every family with a network, built in tfjs: the analysis's output`, { timeout: 300_000 }, async () => {
    const tf = await import('@tensorflow/tfjs');
    const { verifySpec } = await import('../engine/tfjs/verify');
    const wrong: string[] = [];
    let lastRowDiffers = 0;
    let checked = 0;
    for (const family of families) {
      if (variantOf(family, 0).spec === null) continue;
      for (let seed = 0; seed < VARIANTS; seed++) {
        const v = variantOf(family, seed);
        if (!v.spec) continue;
        // Structure only: the output shape is what is asked here (fields are test/families-tfjs.test.ts's).
        const result = await verifySpec(v.spec, { receptiveField: 'none' });
        tf.disposeVariables();
        const expected = analyze(v.spec).output;
        const reported = modelReport(result).output;
        checked++;
        if (reported.join('×') !== expected.join('×')) wrong.push(`${family.id} seed ${seed}: panel ${reported.join('×')}, analysis ${expected.join('×')}`);
        // What the panel used to print: the last row, one branch of a closing concat.
        if (result.layers.at(-1)!.tfjs.output.join('×') !== expected.join('×')) lastRowDiffers++;
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(20 * VARIANTS);
    // The inception families end in a concat: reading the last row would have been wrong there.
    expect(lastRowDiffers).toBeGreaterThan(VARIANTS);
  });

  it('the first line says the model agrees with the engine, with the final output of an inception module', async () => {
    const { verifySpec } = await import('../engine/tfjs/verify');
    const report = modelReport(await verifySpec(getArch('inception_naive_cs231n').spec, { receptiveField: 'none' }));
    expect(report.output).toEqual([28, 28, 672]);
    expect(report.text).toBe("✓ The tfjs model agrees with the engine's analysis: output 28×28×672, 1,089,952 params, 854,196,224 MACs");
  });
});

/** A check whose tfjs numbers are the engine's: what checkSpecInBrowser gives when the model agrees. */
function agreeingCheck(v: Variant): { verify: VerifyResult } {
  const analysis = analyze(v.spec!);
  const layers: LayerCheck[] = analysis.layers.map((r) => {
    const numbers = () => ({ output: [...r.output], params: r.params, paramsWithStats: r.params, macs: r.macs, rf: null });
    return { name: r.name, type: r.type, ok: true, mismatches: [], engine: numbers(), tfjs: numbers() };
  });
  const output = { engine: [...analysis.output], tfjs: [...analysis.output], ok: true };
  return { verify: { arch: 'spec', backend: 'cpu', backends: { structure: 'cpu', field: 'cpu' }, ok: true, output, layers, ms: 0, fieldsMeasured: 0 } };
}

describe('each line says what agrees with what', () => {
  const v = variantOf('inception-output-depth', 3);
  const expected = { kind: v.answer.kind, value: v.answer.value, display: v.answer.display };

  it('the agreement names the tfjs model and the correct answer, never "agrees" alone', () => {
    const a = answerAgreement(agreeingCheck(v), v.spec!, expected, v.source);
    expect(a.status).toBe('agrees');
    expect(a.text).toMatch(/^✓ the tfjs model measures .+, which agrees with the correct answer /);
    expect(a.text).toContain(`the correct answer ${typeof v.answer.value === 'number' ? v.answer.value.toLocaleString('en-US') : v.answer.display}`);
  });

  it('under a wrong answer the panel says plainly that the student\'s answer differs', () => {
    expect(studentNote({ correct: false, readAs: 'read as 14×14×128' }, expected)).toBe(
      `Your answer (read as 14×14×128) differs from the correct answer ${v.answer.display}: the line above checks the correct answer against the model, not yours.`,
    );
    expect(studentNote({ correct: true, readAs: 'read as 696' }, expected)).toBeNull();
    // An instructor's preview has no student.
    expect(studentNote(null, expected)).toBeNull();
  });

  it('a whole-network output question is compared with the model\'s output tensor, not the last row', () => {
    const naive = getArch('inception_naive_cs231n').spec;
    const check = agreeingCheck({ ...v, spec: naive });
    const a = answerAgreement(check, naive, { kind: 'shape', value: [28, 28, 672], display: '28×28×672' }, { quantity: 'output' });
    expect(a).toEqual({ status: 'agrees', text: '✓ the tfjs model measures 28×28×672 (output shape of the network), which agrees with the correct answer 28×28×672' });
    check.verify.output.tfjs = [28, 28, 671];
    expect(answerAgreement(check, naive, { kind: 'shape', value: [28, 28, 672], display: '28×28×672' }, { quantity: 'output' }).text).toBe(
      '✗ the tfjs model measures 28×28×671 (output shape of the network), which differs from the correct answer 28×28×672',
    );
  });
});
