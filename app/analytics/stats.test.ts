import { describe, expect, it } from 'vitest';
import { fisherExact, histogram, holm, pearson, wilson } from './stats';

describe('statistics of the analytics by region', () => {
  it('gives the Wilson 95% interval of the textbook examples', () => {
    // 8 of 10: (0.4902, 0.9433); 0 of 15: upper 0.2039.
    expect(wilson(8, 10)!.low).toBeCloseTo(0.4902, 4);
    expect(wilson(8, 10)!.high).toBeCloseTo(0.9433, 4);
    expect(wilson(0, 15)).toEqual({ low: 0, high: expect.closeTo(0.2039, 4) });
    expect(wilson(0, 0)).toBeNull();
  });

  it("computes Fisher's exact test (two-sided)", () => {
    // Fisher's tea-tasting table: p = 34/70 = 0.4857.
    expect(fisherExact(3, 1, 1, 3)).toBeCloseTo(34 / 70, 10);
    // All wrong in 15, all right in 15: 2 / C(30, 15).
    expect(fisherExact(0, 15, 15, 0)).toBeCloseTo(2 / 155117520, 15);
    expect(fisherExact(5, 0, 5, 0)).toBe(1);
  });

  it("adjusts with Holm's step-down, in the input order", () => {
    expect(holm([0.01, 0.04, 0.03])).toEqual([0.03, expect.closeTo(0.06, 12), expect.closeTo(0.06, 12)]);
    expect(holm([0.5, 0.9])).toEqual([1, 1]);
  });

  it('correlates and bins', () => {
    expect(pearson([1, 0, 1, 0], [1, 0.5, 0.5, 0])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(pearson([1, 1, 1], [0, 0.5, 1])).toBeNull();
    expect(histogram([0, 0.05, 0.1, 0.3, 0.7, 0.99, 1])).toEqual([2, 1, 0, 1, 0, 0, 0, 1, 0, 2]);
  });
});
