import { describe, expect, it } from 'vitest';
import { binIndex, histogram, intervalHistogram, openEdges, retrievabilityHistogram } from './histograms';

describe('histograms', () => {
  it('bins half-open, the last closed, out-of-range values clamped', () => {
    const h = histogram([0, 0.5, 1, 1.5, 2, 2, 3, -1, 9], [0, 1, 2, 3], 'days');
    expect(h.bins.map((b) => b.count)).toEqual([3, 2, 4]);
    expect(h.total).toBe(9);
    expect(h.mean).toBe(2);
    expect(h.median).toBe(1.5);
    expect(histogram([], [0, 1], 'x')).toEqual({ unit: 'x', bins: [{ from: 0, to: 1, count: 0 }], total: 0, mean: null, median: null });
    expect(binIndex(0.9999, [0, 0.5, 1])).toBe(1);
  });

  it('ends an open scale at the largest value', () => {
    expect(openEdges([0, 1, 2, 5, 10], 7)).toEqual([0, 1, 2, 5, 7]);
    expect(openEdges([0, 1, 2, 5, 10], 5)).toEqual([0, 1, 2, 5]);
    expect(openEdges([0, 1, 2], 0)).toEqual([0, 1]);
    expect(openEdges([0, 1, 2], 40)).toEqual([0, 1, 2, 40]);
  });

  it('gives intervals with their cumulative share', () => {
    const h = intervalHistogram([1, 1, 2, 4, 40]);
    expect(h.total).toBe(5);
    expect(h.bins.map((b) => [b.from, b.to, b.count, b.cumulativeShare])).toEqual([
      [0, 1, 0, 0],
      [1, 2, 2, 0.4],
      [2, 3, 1, 0.6],
      [3, 5, 1, 0.8],
      [5, 7, 0, 0.8],
      [7, 10, 0, 0.8],
      [10, 14, 0, 0.8],
      [14, 21, 0, 0.8],
      [21, 30, 0, 0.8],
      [30, 40, 1, 1],
    ]);
  });

  it('puts a retrievability of 1 in the last tenth', () => {
    const h = retrievabilityHistogram([1, 0.95, 0.05, 0.5]);
    expect(h.bins.map((b) => b.count)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 2]);
  });
});
