import { describe, expect, it } from 'vitest';
import { calibrationBins, calibrationPair } from './calibration';

describe('calibration', () => {
  it('bins by tenths, leaves empty bins out, 1 in the last', () => {
    const bins = calibrationBins([
      { predicted: 0.95, rating: 3 },
      { predicted: 1, rating: 1 },
      { predicted: 0.91, rating: 2 },
      { predicted: 0.3, rating: 1 },
      { predicted: 0.35, rating: 4 },
    ]);
    expect(bins).toHaveLength(2);
    expect(bins[0]).toEqual({ from: 0.3, to: 0.4, predicted: (0.3 + 0.35) / 2, actual: 0.5, count: 2 });
    expect(bins[1]!.from).toBe(0.9);
    expect(bins[1]!.to).toBe(1);
    expect(bins[1]!.predicted).toBeCloseTo((0.95 + 1 + 0.91) / 3, 12);
    expect(bins[1]!.actual).toBeCloseTo(2 / 3, 12);
    expect(bins[1]!.count).toBe(3);
    expect(calibrationPair([])).toEqual({ predicted: null, actual: null });
    expect(calibrationPair([{ predicted: 0.8, rating: 1 }, { predicted: 0.6, rating: 3 }])).toEqual({ predicted: (0.8 + 0.6) / 2, actual: 0.5 });
  });
});
