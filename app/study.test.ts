import { describe, expect, it } from 'vitest';
import { analyze } from '../engine/analysis';
import type { ClozeItem, GeneratedItem } from '../engine/bank/schema';
import { families, variantOf as familyVariant } from '../engine/families';
import type { Variant } from '../engine/question';
import type { LayerCheck, VerifyResult } from '../engine/tfjs/verify';
import { answerAgreement, NOT_A_QUANTITY } from './engine-report';
import { CLOZE_SEPARATOR, normaliseWords, stripTex } from '../engine/bank/cloze';
import { gradeItem } from './study.server';

const cloze = (text: string) => ({ id: 'test-cloze', kind: 'cloze', topic: 'conv-arithmetic', text }) as unknown as ClozeItem;
const gradeCloze = (text: string, ...blanks: string[]) => gradeItem(cloze(text), null, blanks.join(CLOZE_SEPARATOR));

describe('cloze grading', () => {
  it('a number is compared by value, however it is written', () => {
    const text = 'AlexNet CONV1 has {{c1::290,400}} output values.';
    for (const right of ['290,400', '290400', '290 400', '290.4K']) expect(gradeCloze(text, right).correct, right).toBe(true);
    for (const wrong of ['290,401', '29,040', '2904']) expect(gradeCloze(text, wrong).correct, wrong).toBe(false);
  });

  it('reals in either notation, and byte sizes with or without a space', () => {
    const lr = 'A learning rate of {{c1::5e-4}}.';
    expect(gradeCloze(lr, '0.0005').correct).toBe(true);
    expect(gradeCloze(lr, '5e-4').correct).toBe(true);
    expect(gradeCloze(lr, '5E-4').correct).toBe(true);
    expect(gradeCloze(lr, '0.005').correct).toBe(false);
    expect(gradeCloze('A rate of {{c1::0.0005}}.', '5e-4').correct).toBe(true);

    const mem = 'The activations take {{c1::0.5 MB}}.';
    expect(gradeCloze(mem, '0.5MB').correct).toBe(true);
    expect(gradeCloze(mem, '0.5 MB').correct).toBe(true);
    expect(gradeCloze(mem, '500 KB').correct).toBe(true);
    expect(gradeCloze(mem, '5 MB').correct).toBe(false);
    expect(gradeCloze(mem, '0.5 MACs').correct).toBe(false);
    expect(gradeCloze('It needs {{c1::0.5MB}}.', '0.5 MB').correct).toBe(true);
  });

  it('a percentage is read as one', () => {
    const text = 'Top-5 error fell to {{c1::7.3%}}.';
    expect(gradeCloze(text, '7.3%').correct).toBe(true);
    expect(gradeCloze(text, '7.3 %').correct).toBe(true);
    expect(gradeCloze(text, '7.3').correct).toBe(true);
    expect(gradeCloze(text, '6.7%').correct).toBe(false);
  });

  it('TeX deletions: no LaTeX in the expected text, and ·, *, × and spaces alike', () => {
    const text = 'A 1×1 conv from F channels to k has {{c1::$F \\cdot k$}} weights.';
    for (const right of ['F·k', 'F * k', 'F × k', 'f k', 'F*k', '$F \\cdot k$', 'F ⋅ k']) expect(gradeCloze(text, right).correct, right).toBe(true);
    for (const wrong of ['F + k', 'F', 'k', 'F k k']) expect(gradeCloze(text, wrong).correct, wrong).toBe(false);
    const graded = gradeCloze(text, 'F + k');
    expect(graded.feedback[0]).toBe('1: expected “F · k”');
    expect(graded.feedback.join(' ')).not.toMatch(/[$\\]/);

    const square = 'The weights grow as {{c1::$k^{2}$}}.';
    expect(gradeCloze(square, 'k^2').correct).toBe(true);
    expect(gradeCloze(square, 'k²').correct).toBe(true);
    expect(gradeCloze(square, 'k').correct).toBe(false);
    expect(gradeCloze('A {{c1::$3 \\times 3$}} kernel.', '3x3').correct).toBe(true);
  });

  it('words: case, punctuation and spaces do not matter; a different word does', () => {
    const text = '{{c1::Max pooling}} has no parameters; it is applied {{c1::per channel}}.';
    expect(gradeCloze(text, 'max pooling', 'Per-channel').correct).toBe(true);
    expect(gradeCloze(text, 'max pooling.', 'per channel').correct).toBe(true);
    expect(gradeCloze(text, 'average pooling', 'per channel')).toMatchObject({ correct: false, feedback: ['1: expected “Max pooling”', '2: right'] });
    expect(gradeCloze(text, '', '')).toMatchObject({ status: 'unread', correct: false });
  });

  it('helpers', () => {
    expect(stripTex('$F \\cdot k$')).toBe('F · k');
    expect(stripTex('$C_{in} \\times k^2$')).toBe('Cin × k2');
    expect(stripTex('plain words')).toBe('plain words');
    expect(normaliseWords('F·k')).toBe(normaliseWords('F × k'));
    expect(normaliseWords('3x3')).toBe(normaliseWords('3 × 3'));
  });
});

describe('a generated card carries its source for the engine panel', () => {
  it('source from the variant, or null', () => {
    const item = { id: 'g', kind: 'generated', topic: 'conv-arithmetic', family: 'conv-output-size', title: 'Output size', difficulty: 1 } as unknown as GeneratedItem;
    const graded = gradeItem(item, 3, '1');
    expect(graded.source).toEqual({ quantity: 'output' });
    expect(gradeCloze('{{c1::a}}', 'a').source).toBeNull();
  });
});

/** A check whose tfjs numbers are the engine's (optionally altered): what checkSpecInBrowser gives when the model agrees. */
function fakeCheck(v: Variant, alter?: (l: LayerCheck) => void): { verify: VerifyResult } {
  const analysis = analyze(v.spec!);
  const layers: LayerCheck[] = analysis.layers.map((r) => {
    const rf = r.output.length === 3 ? { size: [r.rf.size, r.rfW.size] as [number, number], unit: [0, 0] as [number, number], span: { h: [0, r.rf.size - 1] as [number, number], w: [0, r.rfW.size - 1] as [number, number] } } : null;
    const numbers = () => ({ output: [...r.output], params: r.params, paramsWithStats: r.params, macs: r.macs, rf: rf && { ...rf } });
    const l: LayerCheck = { name: r.name, type: r.type, ok: true, mismatches: [], engine: numbers(), tfjs: numbers() };
    alter?.(l);
    return l;
  });
  return { verify: { arch: 'spec', backend: 'cpu', backends: { structure: 'cpu', field: 'cpu' }, ok: true, output: { engine: [...analysis.output], tfjs: [...(layers.filter((l) => !l.name.includes('/')).at(-1)?.tfjs.output ?? [])], ok: true }, layers, ms: 0, fieldsMeasured: 0 } };
}

const expectedOf = (v: Variant) => ({ kind: v.answer.kind, value: v.answer.value, display: v.answer.display });
const agreement = (v: Variant, alter?: (l: LayerCheck) => void) => answerAgreement(fakeCheck(v, alter), v.spec!, expectedOf(v), v.source);

describe('engine panel: the answer against the tfjs numbers', () => {
  it('every family with a source agrees with a model that agrees with the engine', () => {
    for (const family of families) {
      for (let seed = 0; seed < 5; seed++) {
        const v = familyVariant(family, seed);
        if (!v.spec) continue;
        const a = agreement(v);
        if (!v.source) expect(a, `${family.id} ${seed}`).toEqual({ status: 'not-compared', text: NOT_A_QUANTITY });
        else expect(a.status, `${family.id} ${seed}: ${a.text}`).toBe('agrees');
      }
    }
  });

  it('a shape that differs is named with both values', () => {
    const v = familyVariant('conv-output-size', 1);
    expect(agreement(v).text).toMatch(/^✓ the tfjs model measures .*, which agrees with the correct answer /);
    const a = agreement(v, (l) => {
      l.tfjs.output = l.tfjs.output.map((d, i) => (i === 0 ? d + 1 : d));
    });
    expect(a.status).toBe('differs');
    expect(a.text).toContain(`answer ${v.answer.display}`);
    expect(a.text).toMatch(/^✗ the tfjs model measures \d+×/);
  });

  it('counts are compared: params, MACs, activations (with the byte factor)', () => {
    const ids = ['conv-params', 'resnet-block-macs', 'activation-memory'];
    for (const id of ids) {
      let v = familyVariant(id, 0);
      for (let seed = 1; v.source?.bias === false; seed++) v = familyVariant(id, seed);
      expect(agreement(v).status, id).toBe('agrees');
      const a = agreement(v, (l) => {
        l.tfjs.params += 1;
        l.tfjs.macs += 1;
        l.tfjs.output = l.tfjs.output.length ? [...l.tfjs.output.slice(0, -1), l.tfjs.output[l.tfjs.output.length - 1]! + 1] : [];
      });
      expect(a.status, `${id}: ${a.text}`).toBe('differs');
      expect(a.text).toMatch(/^✗ the tfjs model measures [\d,]+ .*, which differs from the correct answer /);
    }
  });

  it('a question without biases is compared with the engine, and says so', () => {
    let v = familyVariant('conv-params', 0);
    for (let seed = 1; v.source?.bias !== false; seed++) v = familyVariant('conv-params', seed);
    const a = agreement(v, (l) => {
      l.tfjs.params += 1000; // tfjs always has biases: not what this question counts
    });
    expect(a.status).toBe('agrees');
    expect(a.text).toMatch(/engine's analysis.*biases out/);
    const wrong = answerAgreement(fakeCheck(v), v.spec!, { ...expectedOf(v), value: (v.answer.value as number) + 1 }, v.source);
    expect(wrong.status).toBe('differs');
    expect(wrong.text).toMatch(/^✗ the engine's analysis gives /);
  });

  it('receptive fields are compared with the measured field', () => {
    const v = familyVariant('receptive-field-stack', 2);
    expect(v.source?.quantity).toBe('rf');
    expect(agreement(v).status).toBe('agrees');
    const a = agreement(v, (l) => {
      if (l.tfjs.rf) l.tfjs.rf.size = [l.tfjs.rf.size[0] - 1, l.tfjs.rf.size[1]];
    });
    expect(a.status).toBe('differs');
  });

  it('no source (a ratio): not compared rather than ✓', () => {
    const v = familyVariant('squeezenet-compression', 0);
    expect(v.source).toBeUndefined();
    expect(answerAgreement(fakeCheck(familyVariant('conv-params', 0)), familyVariant('conv-params', 0).spec!, expectedOf(v), null)).toEqual({ status: 'not-compared', text: NOT_A_QUANTITY });
  });
});
