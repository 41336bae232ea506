/**
 * Kinds of reviews and retention as Anki defines them (rslib/src/stats/graphs/retention.rs),
 * and the Wilson interval the class page's "being forgotten" test uses.
 */
import { Rating, State } from '../scheduling/scheduler';
import type { PassFail, StudentStats } from './types';
import { daysBetween } from './days';

/**
 * A review's kind: the card's state before it. new: its first review; learning and relearning:
 * in steps; young: in review with an interval below `matureDays` (Anki: 21); mature: at or above.
 */
export type ReviewKind = 'new' | 'learning' | 'young' | 'mature' | 'relearning';

export function reviewKind(stateBefore: State, intervalBefore: number, matureDays: number): ReviewKind {
  switch (stateBefore) {
    case State.New:
      return 'new';
    case State.Learning:
      return 'learning';
    case State.Relearning:
      return 'relearning';
    default:
      return intervalBefore < matureDays ? 'young' : 'mature';
  }
}

/** Recalled: any rating above Again (Anki's "pass"). */
export function isRecalled(rating: number): boolean {
  return rating > Rating.Again;
}

export function passFail(passed: number, failed: number): PassFail {
  const n = passed + failed;
  return { passed, failed, rate: n === 0 ? null : passed / n };
}

/**
 * Wilson score interval of a proportion (passed of n) at z (1.96: 95%):
 * (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n). Null for n = 0.
 */
export function wilsonInterval(passed: number, n: number, z = 1.96): { low: number; high: number } | null {
  if (n === 0) return null;
  const p = passed / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denominator = 1 + z2 / n;
  return { low: Math.max(0, (centre - spread) / denominator), high: Math.min(1, (centre + spread) / denominator) };
}

/** One review as true retention reads it. */
export interface RetentionReview {
  cardId: number;
  /** Study day of the review. */
  day: string;
  kind: ReviewKind;
  rating: number;
}

export type RetentionSpan = StudentStats['trueRetention'][number]['span'];

/** Each span as study days back from today (today = 0), inclusive: Anki's rows. */
export const RETENTION_SPANS: readonly { span: RetentionSpan; from: number; to: number }[] = [
  { span: 'today', from: 0, to: 0 },
  { span: 'yesterday', from: 1, to: 1 },
  { span: 'week', from: 0, to: 6 },
  { span: 'month', from: 0, to: 29 },
  { span: 'year', from: 0, to: 364 },
  { span: 'all', from: 0, to: Infinity },
];

/**
 * True retention (Anki): the share passed of reviews of cards in review state (young: interval
 * below 21 days before the review; mature: 21 or more), counting only the first review of each
 * card on each study day (a card failed then relearned the same day counts once, as failed).
 * `reviews` in time order (each card's days ascending); spans are study days back from `today`.
 */
export function trueRetention(reviews: readonly RetentionReview[], today: string): StudentStats['trueRetention'] {
  const counts = RETENTION_SPANS.map(() => ({ youngPassed: 0, youngFailed: 0, maturePassed: 0, matureFailed: 0 }));
  // In time order, a card's first review of a day is the one whose day differs from its last.
  const lastDay = new Map<number, string>();
  const ages = new Map<string, number>();
  for (const r of reviews) {
    if (lastDay.get(r.cardId) === r.day) continue;
    lastDay.set(r.cardId, r.day);
    if (r.kind !== 'young' && r.kind !== 'mature') continue;
    let age = ages.get(r.day);
    if (age === undefined) ages.set(r.day, (age = daysBetween(r.day, today)));
    const pass = isRecalled(r.rating);
    for (let i = 0; i < RETENTION_SPANS.length; i++) {
      const s = RETENTION_SPANS[i]!;
      if (age < s.from || age > s.to) continue;
      const c = counts[i]!;
      if (r.kind === 'young') pass ? c.youngPassed++ : c.youngFailed++;
      else pass ? c.maturePassed++ : c.matureFailed++;
    }
  }
  return RETENTION_SPANS.map((s, i) => {
    const c = counts[i]!;
    return {
      span: s.span,
      young: passFail(c.youngPassed, c.youngFailed),
      mature: passFail(c.maturePassed, c.matureFailed),
      total: passFail(c.youngPassed + c.maturePassed, c.youngFailed + c.matureFailed),
    };
  });
}
