/** The families' shared parts: drawing parameters, assembling variants, and the formulas they add. */
import { describe, expect, it } from 'vitest';
import { convOutput } from '../formulas';
import { createRng } from '../random';
import { expectedActiveBlocks, fractalDeepestPath, fractalPathCount } from './depth';
import { denseBlockChannels, transitionChannels } from './densenet';
import { Draw, describeDomain, domainViolation, domains, formatRange, rangeProblem, type Parameters } from './draw';
import { windowInput } from './receptive-field';
import { assemble, count, dims, mistake } from './variant';

const parameters = {
  kernel: { range: { choices: [1, 3, 5, 7] }, description: 'choices', levels: { 1: 3, 3: { choices: [5, 7, 9] } }, domain: domains.odd },
  size: { range: { min: 10, max: 12 }, description: 'a range' },
  even: { range: { min: 2, max: 10, step: 2 }, description: 'a range with a step' },
} satisfies Parameters;

describe('Draw', () => {
  it('draws {choices} from the list, {min, max} from every whole number between, a step apart with step', () => {
    const seen = { kernel: new Set<number>(), size: new Set<number>(), even: new Set<number>() };
    for (let seed = 0; seed < 500; seed++) {
      const draw = new Draw('t', createRng(seed), parameters, { difficulty: 2 });
      seen.kernel.add(draw.get('kernel'));
      seen.size.add(draw.get('size'));
      seen.even.add(draw.get('even'));
    }
    const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
    expect(sorted(seen.kernel)).toEqual([1, 3, 5, 7]);
    expect(sorted(seen.size)).toEqual([10, 11, 12]);
    expect(sorted(seen.even)).toEqual([2, 4, 6, 8, 10]);
    // Two choices are two choices: the misreading of the old [3, 5] (a range, drawing 4) is gone.
    const two = new Set(Array.from({ length: 200 }, (_, seed) => new Draw('t', createRng(seed), parameters, { ranges: { kernel: { choices: [3, 5] } } }).get('kernel')));
    expect(sorted(two)).toEqual([3, 5]);
  });

  it('takes the bank range first, then the difficulty level, then the default', () => {
    const at = (options: ConstructorParameters<typeof Draw>[3]) => new Draw('t', createRng(1), parameters, options).get('kernel');
    expect(at({ difficulty: 1 })).toBe(3);
    expect([5, 7, 9]).toContain(at({ difficulty: 3 }));
    expect(at({ difficulty: 1, ranges: { kernel: 11 } })).toBe(11);
  });

  it('draws the difficulty when none is asked, covering all three', () => {
    const levels = new Set(Array.from({ length: 100 }, (_, seed) => new Draw('t', createRng(seed), parameters).difficulty));
    expect([...levels].sort()).toEqual([1, 2, 3]);
  });

  it('refuses bad bank ranges and impossible constraints with the family and parameter named', () => {
    const draw = new Draw('fam', createRng(1), parameters, { ranges: { size: { min: 3, max: 1 }, kernel: { choices: [] } } });
    expect(() => draw.get('size')).toThrow('fam: ranges.size: {min: 3, max: 1} has min > max');
    expect(() => draw.get('kernel')).toThrow('fam: ranges.kernel: {choices: []} lists no values');
    expect(() => draw.until(() => undefined, 'never', 10)).toThrow('fam: no draw within the given ranges met the constraint (never) in 10 tries; widen the ranges');
    // A list that slipped past the schema (a cast) is named as the old syntax, never drawn from.
    const legacy = new Draw('fam', createRng(1), parameters, { ranges: { size: [3, 5] as never } });
    expect(() => legacy.get('size')).toThrow('fam: ranges.size: [3,5] is the old list syntax; write a number, {min, max} or {choices: [...]}');
  });

  it('throws on a draw outside the domain, naming the value, the range and the rule', () => {
    const drawn = Array.from({ length: 50 }, (_, seed) => {
      try {
        return new Draw('fam', createRng(seed), parameters, { ranges: { kernel: { min: 3, max: 5 } } }).get('kernel');
      } catch (e) {
        return (e as Error).message;
      }
    });
    expect(drawn).toContain('fam: ranges.kernel: drew 4 from {min: 3, max: 5}, but kernel must be odd and ≥ 1');
    expect(drawn.filter((d) => typeof d === 'number').every((k) => k === 3 || k === 5)).toBe(true);
  });
});

describe('ranges and domains', () => {
  it('formats ranges in the bank syntax', () => {
    expect([7, { min: 3, max: 11 }, { min: 3, max: 11, step: 2 }, { choices: [3, 5] }].map(formatRange)).toEqual(['7', '{min: 3, max: 11}', '{min: 3, max: 11, step: 2}', '{choices: [3, 5]}']);
  });

  it('says what is wrong with a range on its own', () => {
    expect(rangeProblem({ min: 5, max: 1 })).toBe('{min: 5, max: 1} has min > max');
    expect(rangeProblem({ choices: [3, 4.5] })).toBe('{choices: [3, 4.5]}: 4.5 is not a whole number (parameters take whole numbers)');
    expect(rangeProblem({ min: 1, max: 9, step: 0 })).toBe('{min: 1, max: 9, step: 0}: step must be a whole number ≥ 1');
    expect(rangeProblem({ min: 1, max: 9, step: 2 })).toBeNull();
  });

  it('finds the first value a range admits outside the domain, or none', () => {
    expect(domainViolation('kernel', { min: 3, max: 5 }, domains.odd)).toBe('{min: 3, max: 5} admits 4, but kernel must be odd and ≥ 1');
    expect(domainViolation('kernel', { min: 3, max: 11, step: 2 }, domains.odd)).toBeNull();
    expect(domainViolation('kernel', { choices: [3, 5, 7] }, domains.odd)).toBeNull();
    expect(domainViolation('kernel', 0, domains.odd)).toBe('0 is outside the domain: kernel must be odd and ≥ 1');
    expect(domainViolation('bias', { min: 0, max: 2 }, domains.flag)).toBe('{min: 0, max: 2} admits 2, but bias must be 0 or 1');
    expect(domainViolation('image', { min: 32, max: 96, step: 16 }, { multipleOf: 32, min: 32 })).toBe('{min: 32, max: 96, step: 16} admits 48, but image must be a multiple of 32 and ≥ 32');
    // Checked over the domain's period, not value by value: a wide range costs nothing.
    expect(domainViolation('size', { min: 1, max: 8192 }, domains.count)).toBeNull();
    expect(describeDomain('padding', domains.padding)).toBe('padding must be ≥ 0');
  });
});

describe('assemble', () => {
  const base = { prompt: 'p', explanation: ['= 55×55×96'], spec: null, difficulty: 1 as const, params: {} };

  it('keeps only misconceptions the grader can tell apart', () => {
    const v = assemble({
      ...base,
      answer: dims([55, 55, 96]),
      misconceptions: [
        mistake(true, 'same', 'equals the answer', dims([55, 55, 96]), ''),
        mistake(true, 'chw', 'a permutation', dims([96, 55, 55]), ''),
        mistake(true, 'forgot-padding', 'kept', dims([54, 54, 96]), ''),
        mistake(true, 'duplicate', 'same value as the one before', dims([54, 54, 96]), ''),
        mistake(false, 'off', 'does not apply', dims([1, 1, 1]), ''),
        mistake(true, 'zero', 'impossible', dims([0, 0, 96]), ''),
      ],
    });
    expect(v.misconceptions.map((m) => m.id)).toEqual(['forgot-padding']);
    expect(v.answer).toEqual({ kind: 'shape', value: [55, 55, 96], display: '55×55×96' });
  });

  it('drops a misconception within the answer tolerance', () => {
    const v = assemble({ ...base, answer: { kind: 'number', value: 6.55 }, tolerance: { absolute: 0.01 }, misconceptions: [mistake(true, 'near', 'n', { kind: 'number', value: 6.56 }, ''), mistake(true, 'far', 'f', { kind: 'number', value: 0.15 }, '')] });
    expect(v.misconceptions.map((m) => m.id)).toEqual(['far']);
    expect(v.answer.tolerance).toEqual({ absolute: 0.01 });
  });

  it('writes counts with thousands separators', () => {
    expect(assemble({ ...base, answer: count(105_705_600, 'params'), misconceptions: [] }).answer.display).toBe('105,705,600');
  });
});

describe('formulas the families add', () => {
  it('windowInput inverts convOutput whenever the window divides', () => {
    for (const k of [1, 2, 3, 5, 7, 11])
      for (const s of [1, 2, 3, 4])
        for (const p of [0, 1, 2])
          for (const d of [1, 2])
            for (let out = 1; out <= 20; out++) {
              const w = windowInput(out, k, s, p, d);
              if (w + 2 * p < d * (k - 1) + 1 || w < 1) continue;
              expect(convOutput(w, k, s, p, d), `k${k} s${s} p${p} d${d} out ${out}`).toBe(out);
            }
  });

  it('expected active blocks equals the sum of linearly decaying survival probabilities', () => {
    for (const L of [1, 4, 18, 27, 54, 100])
      for (const P of [50, 60, 75, 80, 90, 100]) {
        let sum = 0;
        for (let l = 1; l <= L; l++) sum += 1 - (l / L) * (1 - P / 100);
        expect(expectedActiveBlocks(L, P)).toBeCloseTo(sum, 9);
      }
    expect(expectedActiveBlocks(54, 50)).toBe(40.25);
  });

  it('fractal blocks: deepest path 1, 2, 4, 8 and path counts 1, 2, 5, 26, 677', () => {
    expect([1, 2, 3, 4].map(fractalDeepestPath)).toEqual([1, 2, 4, 8]);
    expect([1, 2, 3, 4, 5].map(fractalPathCount)).toEqual([1, 2, 5, 26, 677]);
  });

  it('DenseNet-121: 64 → 256 → 128 → 512 → 256 → 1024 → 512 → 1024 channels', () => {
    let c = 64;
    const trail: number[] = [];
    for (const [layers, last] of [[6, false], [12, false], [24, false], [16, true]] as const) {
      c = denseBlockChannels(c, 32, layers);
      trail.push(c);
      if (!last) trail.push((c = transitionChannels(c, 0.5)));
    }
    expect(trail).toEqual([256, 128, 512, 256, 1024, 512, 1024]);
  });
});
