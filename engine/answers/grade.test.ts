import { describe, expect, it } from 'vitest';
import type { Answer, CountUnit, Misconception, Tolerance } from '../question';
import { createRng } from '../random';
import { formatAnswer, GENERIC_MISCONCEPTIONS, grade, type GradeResult } from './index';

function countAnswer(value: number, unit: CountUnit, tolerance?: Tolerance): Answer {
  const answer: Answer = { kind: 'count', value, unit, display: formatAnswer({ kind: 'count', value, unit }) };
  return tolerance ? { ...answer, tolerance } : answer;
}

function shapeAnswer(...value: number[]): Answer {
  return { kind: 'shape', value, display: value.join('×') };
}

const gradeCount = (value: number, unit: CountUnit, text: string, tolerance?: Tolerance): GradeResult =>
  grade({ answer: countAnswer(value, unit, tolerance), misconceptions: [] }, text);

// AlexNet CONV1 (CS231n): 96 filters of 11×11×3, 227×227×3 input, stride 4 → 55×55×96.
const conv1Params = 96 * (11 * 11 * 3 + 1); // 34,944
const conv1Macs = 55 * 55 * 96 * 11 * 11 * 3; // 105,415,200
const conv1Values = 55 * 55 * 96; // 290,400

describe('grade: correct and unread', () => {
  it('accepts every spelling of the exact count', () => {
    for (const text of ['34944', '34,944', '34 944', '34_944', '3.4944e4', '34.944K', '34,944 params']) {
      expect(gradeCount(conv1Params, 'params', text)).toMatchObject({ status: 'correct', correct: true, misconception: null });
    }
  });

  it('unreadable input spends no attempt and says why', () => {
    const result = gradeCount(conv1Params, 'params', '34,94');
    expect(result).toMatchObject({ status: 'unread', correct: false, readAs: null, value: null, misconception: null });
    expect(result.feedback[0]).toMatch(/^not read: .*ambiguous/);
    expect(result.feedback).toContain('No attempt was spent.');
  });

  it('echoes what was read', () => {
    expect(gradeCount(854196224, 'macs', '854M').readAs).toBe('read as 854,000,000 (854M)');
    expect(grade({ answer: shapeAnswer(55, 55, 96), misconceptions: [] }, '(55, 55, 96)').readAs).toBe('read as 55×55×96');
  });
});

describe('grade: rounded answers and tolerance', () => {
  it('an exact question refuses 854M for 854,196,224, diagnosed as rounded', () => {
    const result = gradeCount(854196224, 'macs', '854M');
    expect(result.status).toBe('wrong');
    expect(result.misconception).toEqual({ id: 'rounded', ...GENERIC_MISCONCEPTIONS.rounded });
    expect(result.feedback).toContain('Rounded: This question wants the exact count, every digit of it; a rounded figure is graded wrong.');
  });

  it('a question with a tolerance accepts rounded answers it covers, and only those', () => {
    const onePercent = { relative: 0.01 };
    expect(gradeCount(854196224, 'macs', '854M', onePercent).status).toBe('correct');
    expect(gradeCount(854196224, 'macs', '0.85G', onePercent).status).toBe('correct'); // 0.49% off
    expect(gradeCount(854196224, 'macs', '≈ 0.9G', onePercent).status).toBe('wrong'); // 5.4% off
    expect(gradeCount(1234567, 'params', '1.2 million', { relative: 0.05 }).status).toBe('correct'); // 2.8% off
    expect(gradeCount(1234567, 'params', '1.2 million', { relative: 0.02 }).feedback).toContain(
      'Your answer is rounded more coarsely than this question allows; give more digits.',
    );
    expect(gradeCount(100, 'params', '103', { absolute: 3 }).status).toBe('correct');
    expect(gradeCount(100, 'params', '104', { absolute: 3 }).status).toBe('wrong');
  });

  it('a plain wrong number is not called rounded', () => {
    expect(gradeCount(conv1Params, 'params', '35,012').feedback.join(' ')).not.toContain('rounded');
    expect(gradeCount(conv1Params, 'params', '36,000').feedback.join(' ')).not.toContain('rounded');
  });
});

describe('grade: generic misconceptions', () => {
  it('FLOPs given for MACs: twice the MACs', () => {
    const result = gradeCount(conv1Macs, 'macs', String(2 * conv1Macs));
    expect(result.status).toBe('wrong');
    expect(result.misconception?.id).toBe('flops-for-macs');
  });

  it('MACs given for FLOPs: half the FLOPs', () => {
    expect(gradeCount(2 * conv1Macs, 'flops', String(conv1Macs)).misconception?.id).toBe('macs-for-flops');
  });

  it('bytes given for values: four times the values, with or without a unit', () => {
    expect(gradeCount(conv1Values, 'values', String(4 * conv1Values)).misconception?.id).toBe('bytes-vs-values');
    const withUnit = gradeCount(24e6, 'values', '96 MB');
    expect(withUnit.misconception?.id).toBe('bytes-vs-values');
    expect(withUnit.feedback).toContain('You wrote bytes; this question asks for values.');
  });

  it('values given for bytes: a quarter of the bytes', () => {
    expect(gradeCount(4 * conv1Values, 'bytes', String(conv1Values)).misconception?.id).toBe('values-vs-bytes');
  });

  it('slips are matched within the tolerance of the slipped value', () => {
    expect(gradeCount(724e6, 'macs', '1.45G', { relative: 0.01 }).misconception?.id).toBe('flops-for-macs');
  });

  it('a unit slip is not diagnosed where the unit makes it meaningless', () => {
    expect(gradeCount(conv1Params, 'params', String(2 * conv1Params)).misconception).toBeNull();
  });

  it('off by a power of 1,000 is said, and is not a misconception', () => {
    const large = gradeCount(conv1Params, 'params', '34,944,000');
    expect(large.misconception).toBeNull();
    expect(large.feedback).toContain('Off by a factor of 1,000: your answer is 1,000 times too large.');
    const small = gradeCount(34_944_000, 'params', '34,944');
    expect(small.feedback).toContain('Off by a factor of 1,000: your answer is 1,000 times too small.');
  });

  it('the right number labelled with another unit is correct, with a note', () => {
    const result = gradeCount(1.4e9, 'macs', '1.4 GFLOPs');
    expect(result.status).toBe('correct');
    expect(result.feedback).toEqual(['You wrote FLOPs; this question asks for MACs.']);
  });
});

describe('grade: family misconceptions', () => {
  const forgotBias: Misconception = {
    id: 'forgot-bias',
    label: 'forgot the bias',
    value: { kind: 'count', value: 96 * 11 * 11 * 3, unit: 'params' },
    explanation: 'Each of the 96 filters has one bias.',
  };
  const forgotChannels: Misconception = {
    id: 'forgot-input-channels',
    label: 'forgot the input channels',
    value: { kind: 'count', value: 96 * (11 * 11 + 1), unit: 'params' },
    explanation: 'A filter spans all 3 input channels.',
  };

  it('diagnoses the misconception whose value was given', () => {
    const variant = { answer: countAnswer(conv1Params, 'params'), misconceptions: [forgotBias, forgotChannels] };
    expect(grade(variant, '34,848')).toMatchObject({ status: 'wrong', misconception: { id: 'forgot-bias', label: 'forgot the bias' } });
    expect(grade(variant, '11,712').misconception?.id).toBe('forgot-input-channels');
    expect(grade(variant, '11,712').feedback).toContain('Forgot the input channels: A filter spans all 3 input channels.');
    expect(grade(variant, '12,000').misconception).toBeNull();
  });

  it('an exact match wins over an earlier match within tolerance', () => {
    const near: Misconception = { id: 'off-by-one', label: 'off by one', value: { kind: 'count', value: 20_003, unit: 'params' }, explanation: 'x' };
    const exact: Misconception = { id: 'forgot-bias', label: 'forgot the bias', value: { kind: 'count', value: 20_000, unit: 'params' }, explanation: 'y' };
    const variant = { answer: countAnswer(10_000, 'params', { absolute: 5 }), misconceptions: [near, exact] };
    expect(grade(variant, '20,000').misconception?.id).toBe('forgot-bias');
    expect(grade(variant, '20,002').misconception?.id).toBe('off-by-one');
  });

  it('a family misconception wins over a generic one', () => {
    const doubled: Misconception = { id: 'forgot-groups', label: 'forgot the groups', value: { kind: 'count', value: 2 * conv1Macs, unit: 'macs' }, explanation: 'z' };
    expect(grade({ answer: countAnswer(conv1Macs, 'macs'), misconceptions: [doubled] }, String(2 * conv1Macs)).misconception?.id).toBe('forgot-groups');
  });

  it('shape misconceptions, with feedback per axis', () => {
    const forgotPadding: Misconception = { id: 'forgot-padding', label: 'forgot the padding', value: { kind: 'shape', value: [53, 53, 96] }, explanation: 'Pad 1 adds 2 to each side.' };
    const result = grade({ answer: shapeAnswer(55, 55, 96), misconceptions: [forgotPadding] }, '53x53x96');
    expect(result.misconception?.id).toBe('forgot-padding');
    expect(result.components).toEqual([
      { axis: 'H', given: 53, expected: 55, ok: false },
      { axis: 'W', given: 53, expected: 55, ok: false },
      { axis: 'C', given: 96, expected: 96, ok: true },
    ]);
    expect(result.feedback.slice(0, 3)).toEqual(['H = 53: expected 55', 'W = 53: expected 55', 'C = 96: right']);
  });
});

describe('grade: shapes', () => {
  it('C×H×W is wrong, named, and diagnosed chw-order', () => {
    const result = grade({ answer: shapeAnswer(55, 55, 96), misconceptions: [] }, '96x55x55');
    expect(result.status).toBe('wrong');
    expect(result.misconception?.id).toBe('chw-order');
    expect(result.feedback.join('\n')).toContain('You wrote C×H×W; Stride writes H×W×C');
  });

  it('C×H×W over many random shapes, and never for a cube (where it is the same shape)', () => {
    const rng = createRng(11);
    for (let i = 0; i < 2000; i++) {
      const [h, w, c] = [rng.int(1, 300), rng.int(1, 300), rng.int(1, 2048)];
      const result = grade({ answer: shapeAnswer(h, w, c), misconceptions: [] }, `${c}×${h}×${w}`);
      if (h === w && w === c) expect(result.status).toBe('correct');
      else expect(result.misconception?.id, `${h}×${w}×${c}`).toBe('chw-order');
    }
  });

  it('[4096] equals 1×1×4096, both ways', () => {
    expect(grade({ answer: shapeAnswer(4096), misconceptions: [] }, '1x1x4096').status).toBe('correct');
    expect(grade({ answer: shapeAnswer(1, 1, 4096), misconceptions: [] }, '4096').status).toBe('correct');
    expect(grade({ answer: shapeAnswer(1, 1, 4096), misconceptions: [] }, '1×4096').status).toBe('correct');
    expect(grade({ answer: shapeAnswer(7, 7, 512), misconceptions: [] }, '1×7×7×512').status).toBe('correct');
  });

  it('a shape of the wrong rank says so', () => {
    const result = grade({ answer: shapeAnswer(55, 55, 96), misconceptions: [] }, '55x55');
    expect(result.status).toBe('wrong');
    expect(result.components).toBeUndefined();
    expect(result.feedback).toContain('You gave 2 sides; this shape has 3 sides (H×W×C).');
  });
});

describe('grade: percents and choices', () => {
  it('percent within an absolute tolerance', () => {
    const answer: Answer = { kind: 'percent', value: 7.3, display: '7.3%', tolerance: { absolute: 0.05 } };
    expect(grade({ answer, misconceptions: [] }, '7.3%').status).toBe('correct');
    expect(grade({ answer, misconceptions: [] }, '7.32 %').status).toBe('correct');
    expect(grade({ answer, misconceptions: [] }, '7.4%').status).toBe('wrong');
    expect(grade({ answer, misconceptions: [] }, '0.073').status).toBe('unread');
  });

  it('choices by key or label', () => {
    const options = [{ key: 'a', label: 'VGG' }, { key: 'b', label: 'GoogLeNet' }];
    const answer: Answer = { kind: 'choice', value: 'b', options, display: 'GoogLeNet' };
    expect(grade({ answer, misconceptions: [] }, 'B').status).toBe('correct');
    expect(grade({ answer, misconceptions: [] }, 'googlenet').status).toBe('correct');
    expect(grade({ answer, misconceptions: [] }, 'a').status).toBe('wrong');
    expect(grade({ answer, misconceptions: [] }, 'e').status).toBe('unread');
  });
});

describe('grade: properties', () => {
  it('the displayed answer grades correct; each different count grades wrong (2,000 seeds)', () => {
    const rng = createRng(3);
    for (let i = 0; i < 2000; i++) {
      const value = rng.int(1, 1e12);
      const answer = countAnswer(value, rng.pick(['params', 'macs', 'flops', 'values', 'bytes'] as const));
      expect(grade({ answer, misconceptions: [] }, answer.display).status).toBe('correct');
      expect(grade({ answer, misconceptions: [] }, formatAnswer({ kind: 'count', value: value + 1, unit: 'params' })).status).toBe('wrong');
    }
  });

  it('never throws, and unread is exactly "no reading" (10,000 random answers)', () => {
    const rng = createRng(5);
    const pieces = ['1', '55', '96', '0', ',', '.', ' ', 'x', '×', 'e', 'K', 'M', 'G', 'B', 'MB', '%', '~', '-', '(', ')', 'params', 'FLOPs', '⁴', '🙂'];
    const answers: Answer[] = [countAnswer(34944, 'params'), countAnswer(724e6, 'macs', { relative: 0.02 }), countAnswer(0, 'values'), shapeAnswer(55, 55, 96), shapeAnswer(4096)];
    for (let i = 0; i < 10_000; i++) {
      let text = '';
      for (let n = rng.int(0, 8); n > 0; n--) text += rng.pick(pieces);
      const result = grade({ answer: answers[i % answers.length]!, misconceptions: [] }, text);
      expect(['correct', 'wrong', 'unread']).toContain(result.status);
      expect(result.readAs === null).toBe(result.status === 'unread');
      expect(result.correct).toBe(result.status === 'correct');
    }
  });
});

/** Issue 12: rounded answers, two misconceptions with one value, plurals read by a person. */
describe('grade: issue 12 regressions', () => {
  const conv1 = countAnswer(conv1Params, 'params');
  // [name, answer, text, status, misconception ids]
  const rounded: [string, Answer, string, GradeResult['status'], string[]][] = [
    ['35K for an exact 34,944', conv1, '35K', 'wrong', ['rounded']],
    ['~35K for an exact 34,944', conv1, '~35K', 'wrong', ['rounded']],
    ['34.9K for an exact 34,944', conv1, '34.9K', 'wrong', ['rounded']],
    ['≈ 34,900 for an exact 34,944', conv1, '≈ 34,900', 'wrong', ['rounded']],
    ['35,000 written out (its zeros are not digits of the count)', conv1, '35,000', 'wrong', ['rounded']],
    ['780M for 784,852,518', countAnswer(784_852_518, 'params'), '780M', 'wrong', ['rounded']],
    ['854M for 854,196,224', countAnswer(854_196_224, 'macs'), '854M', 'wrong', ['rounded']],
    ['35,012 is a wrong number, not a rounding', conv1, '35,012', 'wrong', []],
    ['30K is 34,944 to one significant digit', conv1, '30K', 'wrong', ['rounded']],
    ['20K is too far to be 34,944 rounded', conv1, '20K', 'wrong', []],
    ['34.944K is every digit', conv1, '34.944K', 'correct', []],
    ['35K within a 1% tolerance', countAnswer(conv1Params, 'params', { relative: 0.01 }), '35K', 'correct', []],
    ['35K outside a 0.1% tolerance is a note, not a misconception', countAnswer(conv1Params, 'params', { relative: 0.001 }), '35K', 'wrong', []],
  ];
  it.each(rounded)('%s', (_name, answer, text, status, ids) => {
    const result = grade({ answer, misconceptions: [] }, text);
    expect(result.status).toBe(status);
    expect(result.misconceptions.map((m) => m.id)).toEqual(ids);
    expect(result.misconception?.id ?? null).toBe(ids[0] ?? null);
  });

  it('a rounded answer is never wrong silently: it names a misconception or says it is rounded', () => {
    const rng = createRng(12);
    for (let i = 0; i < 2000; i++) {
      const value = rng.int(10_000, 1e9);
      const tolerance = rng.chance(0.5) ? undefined : { relative: 0.0001 };
      const digits = rng.int(1, 3);
      const scale = 10 ** (String(value).length - digits);
      const text = `${(Math.round(value / scale) * scale) / 1000}K`;
      const result = gradeCount(value, 'params', text, tolerance);
      if (result.correct) continue;
      const said = result.misconceptions.some((m) => m.id === 'rounded') || result.feedback.some((f) => f.includes('rounded'));
      expect(said, `${text} for ${value}: ${result.feedback.join(' | ')}`).toBe(true);
    }
  });

  it('two misconceptions with the same wrong value are both named, the family first', () => {
    const noBias: Misconception = { id: 'forgot-bias', label: 'forgot the bias', value: { kind: 'count', value: 34_848, unit: 'params' }, explanation: 'One bias per filter.' };
    const sameValue: Misconception = { id: 'forgot-one-filter', label: 'one filter short', value: { kind: 'count', value: 34_848, unit: 'params' }, explanation: 'x' };
    const result = grade({ answer: conv1, misconceptions: [noBias, sameValue] }, '34,848');
    expect(result.misconception?.id).toBe('forgot-bias');
    expect(result.misconceptions.map((m) => m.id)).toEqual(['forgot-bias', 'forgot-one-filter']);
    expect(result.feedback).toEqual(['Forgot the bias: One bias per filter.', 'One filter short: x']);
  });

  it('a family misconception and a generic one with the same value are both named', () => {
    const doubled: Misconception = { id: 'forgot-groups', label: 'forgot the groups', value: { kind: 'count', value: 2 * conv1Macs, unit: 'macs' }, explanation: 'z' };
    const result = grade({ answer: countAnswer(conv1Macs, 'macs'), misconceptions: [doubled] }, String(2 * conv1Macs));
    expect(result.misconceptions.map((m) => m.id)).toEqual(['forgot-groups', 'flops-for-macs']);
    const shaped: Misconception = { id: 'transposed', label: 'transposed', value: { kind: 'shape', value: [96, 55, 55] }, explanation: 't' };
    expect(grade({ answer: shapeAnswer(55, 55, 96), misconceptions: [shaped] }, '96×55×55').misconceptions.map((m) => m.id)).toEqual(['transposed', 'chw-order']);
  });

  it('a misconception listed twice by a family is named once', () => {
    const noBias: Misconception = { id: 'forgot-bias', label: 'forgot the bias', value: { kind: 'count', value: 34_848, unit: 'params' }, explanation: 'b' };
    expect(grade({ answer: conv1, misconceptions: [noBias, noBias] }, '34848').misconceptions).toHaveLength(1);
  });

  it('unread and correct answers name no misconception', () => {
    expect(grade({ answer: conv1, misconceptions: [] }, '34,94').misconceptions).toEqual([]);
    expect(grade({ answer: conv1, misconceptions: [] }, '34944').misconceptions).toEqual([]);
  });

  // [name, answer, text, sentence]
  const sentences: [string, Answer, string, string][] = [
    ['one side given for a 3-side shape', shapeAnswer(55, 55, 96), '290400', 'You gave 1 side; this shape has 3 sides (H×W×C).'],
    ['two sides given for a vector', shapeAnswer(4096), '64×64', 'You gave 2 sides; this shape has 1 side.'],
    ['four sides given for a 3-side shape', shapeAnswer(55, 55, 96), '2×55×55×96', 'You gave 4 sides; this shape has 3 sides (H×W×C).'],
  ];
  it.each(sentences)('%s', (_name, answer, text, sentence) => {
    expect(grade({ answer, misconceptions: [] }, text).feedback).toContain(sentence);
  });
});
