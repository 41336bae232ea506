/**
 * Distributions of the student's cards: intervals (with the cumulative share, as Anki's
 * intervals graph), stability, difficulty and retrievability.
 */
import { median } from '../models/analytics.server';
import type { Histogram, StudentStats } from './types';

/** Day edges for intervals and stability: fine where most cards are, coarse beyond; the last bin ends at the largest value. */
export const DAY_EDGES: readonly number[] = [0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60, 90, 180, 365, 730];
/** FSRS difficulty runs from 1 to 10: one bin per unit. */
export const DIFFICULTY_EDGES: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
/** Retrievability in tenths. */
export const RETRIEVABILITY_EDGES: readonly number[] = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/**
 * The edges of an open-ended scale up to `max`: the fixed edges below it, then `max`, so the
 * last bin ends at the largest value instead of at an infinity JSON cannot carry.
 */
export function openEdges(fixed: readonly number[], max: number): number[] {
  const kept = fixed.filter((e) => e < max);
  if (kept.length === 0) return [fixed[0]!, fixed[1]!];
  return [...kept, max];
}

/**
 * Counts per bin [edges[i], edges[i+1]), the last bin closed; values below the first edge go to
 * the first bin, above the last to the last. Mean and median over all values (null: none).
 */
export function histogram(values: readonly number[], edges: readonly number[], unit: string): Histogram {
  if (edges.length < 2) throw new Error(`histogram: need at least two edges, got ${edges.length}`);
  const bins = edges.slice(0, -1).map((from, i) => ({ from, to: edges[i + 1]!, count: 0 }));
  for (const v of values) bins[binIndex(v, edges)]!.count++;
  const total = values.length;
  return { unit, bins, total, mean: total === 0 ? null : values.reduce((a, b) => a + b, 0) / total, median: median(values) };
}

/** The bin of `v`: the last i with edges[i] ≤ v, at most the last bin (binary search). */
export function binIndex(v: number, edges: readonly number[]): number {
  let lo = 0;
  let hi = edges.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The interval histogram (days, cards in review) with the share of cards up to each bin's end. */
export function intervalHistogram(intervals: readonly number[]): StudentStats['intervals'] {
  const max = intervals.reduce((a, b) => Math.max(a, b), 0);
  const h = histogram(intervals, openEdges(DAY_EDGES, max), 'days');
  let cumulative = 0;
  return {
    total: h.total,
    bins: h.bins.map((b) => {
      cumulative += b.count;
      return { ...b, cumulativeShare: h.total === 0 ? 0 : cumulative / h.total };
    }),
  };
}

/** Stability in days (open-ended, as intervals). */
export function stabilityHistogram(stabilities: readonly number[]): Histogram {
  return histogram(stabilities, openEdges(DAY_EDGES, stabilities.reduce((a, b) => Math.max(a, b), 0)), 'days');
}

export function difficultyHistogram(difficulties: readonly number[]): Histogram {
  return histogram(difficulties, DIFFICULTY_EDGES, 'difficulty (1–10)');
}

export function retrievabilityHistogram(recalls: readonly number[]): Histogram {
  return histogram(recalls, RETRIEVABILITY_EDGES, 'probability');
}
