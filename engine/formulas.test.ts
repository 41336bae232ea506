import { describe, expect, it } from 'vitest';
import {
  bnParams,
  convMacs,
  convOutput,
  convParams,
  denseParams,
  effectiveKernel,
  INPUT_FIELD,
  receptiveFieldStep,
  samePadding,
  stackedReceptiveField,
  windowFitsExactly,
  windowOutput,
} from './formulas';
import type { ReceptiveField } from './analysis-types';

/** Independent count: slide a window of extent d(k−1)+1 by s over the padded input, keep those that fit. */
function countFloorWindows(w: number, k: number, s: number, pBefore: number, pAfter: number, d: number): number {
  const padded = w + pBefore + pAfter;
  const extent = d * (k - 1) + 1;
  let n = 0;
  for (let x = 0; x + extent <= padded; x += s) n++;
  return n;
}

/**
 * Independent count in ceil mode: keep placing windows until the padded input is covered (the last
 * may hang off the end), but drop a window that would start in the right padding (PyTorch, Caffe).
 */
function countCeilWindows(w: number, k: number, s: number, pBefore: number, pAfter: number): number {
  const padded = w + pBefore + pAfter;
  let n = 1;
  for (let x = 0; x + k < padded; ) {
    x += s;
    if (x >= w + pBefore) break;
    n++;
  }
  return n;
}

describe('convOutput and windowOutput, against counting window positions', () => {
  const cases: string[] = [];
  for (let w = 1; w <= 23; w++)
    for (let k = 1; k <= 7; k++)
      for (let s = 1; s <= 4; s++)
        for (let p = 0; p <= 3; p++)
          for (let d = 1; d <= 3; d++) {
            if (d * (k - 1) + 1 > w + 2 * p) continue;
            cases.push(`${w},${k},${s},${p},${d}`);
          }

  it(`floor mode over ${cases.length} cases of w × k × s × p × d`, () => {
    for (const c of cases) {
      const [w, k, s, p, d] = c.split(',').map(Number) as [number, number, number, number, number];
      expect(convOutput(w, k, s, p, d), `w=${w} k=${k} s=${s} p=${p} d=${d}`).toBe(countFloorWindows(w, k, s, p, p, d));
    }
  });

  it('asymmetric padding (TF same style) over a grid', () => {
    for (let w = 1; w <= 20; w++)
      for (let k = 1; k <= 6; k++)
        for (let s = 1; s <= 3; s++)
          for (let a = 0; a <= 2; a++)
            for (let b = 0; b <= 3; b++) {
              if (k > w + a + b) continue;
              expect(windowOutput(w, k, s, a, b), `w=${w} k=${k} s=${s} pad=${a},${b}`).toBe(countFloorWindows(w, k, s, a, b, 1));
            }
  });

  it('ceil mode (pools) over a grid, including windows that would start in the right padding', () => {
    for (let w = 1; w <= 30; w++)
      for (let k = 1; k <= 5; k++)
        for (let s = 1; s <= 4; s++)
          for (let p = 0; p <= Math.floor(k / 2); p++) {
            if (k > w + 2 * p) continue;
            expect(windowOutput(w, k, s, p, p, 1, true), `w=${w} k=${k} s=${s} p=${p}`).toBe(countCeilWindows(w, k, s, p, p));
          }
  });

  it('gives the lecture and torchvision sizes', () => {
    expect(convOutput(227, 11, 4, 0)).toBe(55); // AlexNet CONV1
    expect(convOutput(55, 3, 2)).toBe(27); // POOL1
    expect(convOutput(224, 11, 4, 2)).toBe(55); // torchvision AlexNet: 55.25 floored
    expect(windowFitsExactly(224, 11, 4, 4)).toBe(false);
    expect(windowFitsExactly(227, 11, 4, 0)).toBe(true);
    expect(windowOutput(112, 3, 2, 0, 0, 1, true)).toBe(56); // GoogLeNet maxpool1 in ceil mode
    expect(windowOutput(112, 3, 2, 0, 0, 1, false)).toBe(55);
    // PyTorch's rule: 5 wide, k2 s2 p1, ceil mode would give 4 but the last window starts in the right padding.
    expect(windowOutput(5, 2, 2, 1, 1, 1, true)).toBe(3);
    expect(effectiveKernel(3, 2)).toBe(5);
  });
});

describe('samePadding', () => {
  it('outputs ceil(w/s) with the least total padding, the odd pixel at the end', () => {
    for (let w = 1; w <= 40; w++)
      for (let k = 1; k <= 7; k++)
        for (let s = 1; s <= 4; s++)
          for (let d = 1; d <= 2; d++) {
            const same = samePadding(w, k, s, d);
            expect(same.out).toBe(Math.ceil(w / s));
            // The least padding P ≥ 0 whose window count is ceil(w/s), found by search.
            let least = 0;
            while (countFloorWindows(w, k, s, 0, least, d) < same.out) least++;
            expect(same.total, `w=${w} k=${k} s=${s} d=${d}`).toBe(least);
            expect(same.after - same.before).toBe(same.total % 2);
            expect(windowOutput(w, k, s, same.before, same.after, d)).toBe(same.out);
          }
  });
});

describe('parameter and MAC counts', () => {
  it('match the lecture and Keras figures', () => {
    expect(convParams(11, 11, 3, 96)).toBe(34_944);
    expect(convParams(11, 11, 3, 96, 1, false)).toBe(34_848);
    expect(convParams(3, 3, 3, 64)).toBe(1_792); // Keras block1_conv1
    expect(convParams(3, 3, 256, 512)).toBe(1_180_160); // Keras block4_conv1
    expect(denseParams(7 * 7 * 512, 4096)).toBe(102_764_544); // Keras fc1
    expect(denseParams(7 * 7 * 512, 4096, false)).toBe(102_760_448); // lecture FC6 weights
    expect(convMacs(28, 28, 192, 3, 3, 256)).toBe(28 * 28 * 192 * 9 * 256);
    expect(bnParams(64)).toBe(128);
    expect(bnParams(64, true)).toBe(256);
  });

  it('grouped convs divide the weights and MACs by the groups', () => {
    for (const g of [1, 2, 4, 8, 32]) {
      expect(convParams(3, 3, 256, 256, g, false)).toBe((9 * 256 * 256) / g);
      expect(convMacs(14, 14, 256, 3, 3, 256, g)).toBe((14 * 14 * 256 * 9 * 256) / g);
    }
  });
});

/** Independent receptive field: propagate the set of input positions that output 0 and 1 depend on. */
function bruteForceField(layers: { k: number; s: number; p: number; d: number }[]): ReceptiveField {
  const span = (start: number) => {
    let lo = start;
    let hi = start;
    for (const { k, s, p, d } of [...layers].reverse()) {
      lo = lo * s - p;
      hi = hi * s - p + d * (k - 1);
    }
    return { lo, hi };
  };
  const first = span(0);
  const second = span(1);
  return { size: first.hi - first.lo + 1, jump: second.lo - first.lo, start: (first.lo + first.hi) / 2 };
}

describe('receptiveFieldStep', () => {
  it('agrees with brute-force propagation over random stacks', () => {
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let trial = 0; trial < 500; trial++) {
      const layers = Array.from({ length: 1 + next(6) }, () => ({ k: 1 + next(7), s: 1 + next(3), p: next(4), d: 1 + next(3) }));
      const rf = layers.reduce((acc, l) => receptiveFieldStep(acc, l.k, l.s, l.p, l.d), INPUT_FIELD);
      expect(rf, JSON.stringify(layers)).toEqual(bruteForceField(layers));
    }
  });

  it('n stacked k×k stride-1 convs see n(k − 1) + 1', () => {
    for (let n = 1; n <= 6; n++)
      for (let k = 1; k <= 7; k += 2) {
        let rf = INPUT_FIELD;
        for (let i = 0; i < n; i++) rf = receptiveFieldStep(rf, k, 1, (k - 1) / 2);
        expect(rf.size).toBe(stackedReceptiveField(n, k));
        expect(rf.size).toBe(n * (k - 1) + 1);
        expect(rf.start).toBe(0); // 'same' padding keeps the field centred on pixel 0
      }
  });
});
