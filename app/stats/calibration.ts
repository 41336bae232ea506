/** Calibration: predicted retrievability at review time against the share actually recalled. */
import type { CalibrationBin } from './types';
import { isRecalled } from './retention';

/** One prediction and what happened. */
export interface Prediction {
  predicted: number;
  rating: number;
}

export const CALIBRATION_BIN_WIDTH = 0.1;

/**
 * Bins of width 0.1 over [0, 1] ([0.9, 1] closed), each with the mean predicted retrievability of
 * its reviews, the share of them recalled (rating above Again) and their count. Empty bins are
 * left out: a bin with no reviews has no share to plot.
 */
export function calibrationBins(predictions: readonly Prediction[]): CalibrationBin[] {
  const n = Math.round(1 / CALIBRATION_BIN_WIDTH);
  const sums = Array.from({ length: n }, () => ({ predicted: 0, recalled: 0, count: 0 }));
  for (const p of predictions) {
    const i = Math.min(n - 1, Math.max(0, Math.floor(p.predicted * n)));
    const s = sums[i]!;
    s.predicted += p.predicted;
    if (isRecalled(p.rating)) s.recalled++;
    s.count++;
  }
  return sums.flatMap((s, i) =>
    s.count === 0 ? [] : [{ from: i / n, to: (i + 1) / n, predicted: s.predicted / s.count, actual: s.recalled / s.count, count: s.count }],
  );
}

/** Calibration in one pair: the mean prediction and the share recalled (nulls: no predictions). */
export function calibrationPair(predictions: readonly Prediction[]): { predicted: number | null; actual: number | null } {
  if (predictions.length === 0) return { predicted: null, actual: null };
  let predicted = 0;
  let recalled = 0;
  for (const p of predictions) {
    predicted += p.predicted;
    if (isRecalled(p.rating)) recalled++;
  }
  return { predicted: predicted / predictions.length, actual: recalled / predictions.length };
}
