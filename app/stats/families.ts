/**
 * Question families (a family is a skill: each review is a fresh variant): retention, median
 * time, the commonest misconception and calibration per family; for a class, whether the class is
 * forgetting it.
 */
import { median } from '../models/analytics.server';
import type { ClassFamilyStats, FamilyStats, PassFail } from './types';
import { calibrationBins, calibrationPair, type Prediction } from './calibration';
import { isRecalled, passFail, wilsonInterval, type ReviewKind } from './retention';

/** One review of an item of a family. */
export interface FamilyReview {
  family: string;
  userId: number;
  at: number;
  kind: ReviewKind;
  rating: number;
  durationMs: number;
  misconception: string | null;
  /** Retrievability before the review (null: the card was new). */
  predicted: number | null;
}

/** Retention of reviews of cards past learning (young or mature before the review): passed = rating above Again. */
export function retentionOf(reviews: readonly Pick<FamilyReview, 'kind' | 'rating'>[]): PassFail {
  let passed = 0;
  let failed = 0;
  for (const r of reviews) {
    if (r.kind !== 'young' && r.kind !== 'mature') continue;
    if (isRecalled(r.rating)) passed++;
    else failed++;
  }
  return passFail(passed, failed);
}

/** The misconception recorded most often (ties: the first by id), or null. */
export function commonestMisconception(reviews: readonly Pick<FamilyReview, 'misconception'>[]): { id: string; count: number } | null {
  const counts = new Map<string, number>();
  for (const r of reviews) if (r.misconception) counts.set(r.misconception, (counts.get(r.misconception) ?? 0) + 1);
  let best: { id: string; count: number } | null = null;
  for (const [id, count] of counts) if (!best || count > best.count || (count === best.count && id < best.id)) best = { id, count };
  return best;
}

/** The reviews that carry a prediction, as they are (no copies: a class has 100,000s). */
export function predictionsOf(reviews: readonly Pick<FamilyReview, 'predicted' | 'rating'>[]): Prediction[] {
  return reviews.filter((r): r is Prediction => r.predicted !== null);
}

function groupByFamily(reviews: readonly FamilyReview[]): Map<string, FamilyReview[]> {
  const out = new Map<string, FamilyReview[]>();
  for (const r of reviews) {
    const list = out.get(r.family);
    if (list) list.push(r);
    else out.set(r.family, [r]);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function statsOf(family: string, list: readonly FamilyReview[]): FamilyStats {
  return {
    family,
    reviews: list.length,
    retention: retentionOf(list),
    medianMs: median(list.map((r) => r.durationMs)),
    misconception: commonestMisconception(list),
    ...calibrationPair(predictionsOf(list)),
  };
}

/** Per family, by family name. */
export function familyStats(reviews: readonly FamilyReview[]): FamilyStats[] {
  return [...groupByFamily(reviews)].map(([family, list]) => statsOf(family, list));
}

/** A family's recent retention says nothing below this many reviews. */
export const FORGETTING_MIN_REVIEWS = 10;
/** The window of "recent" and of "previous", each. */
export const FORGETTING_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

const percent = (x: number) => `${Math.round(x * 100)}%`;

/** The class page's words about a family being forgotten, in one place. */
export const FORGETTING_WORDS = {
  belowTarget: (r: PassFail, high: number, target: number) =>
    `Recalled ${r.passed} of ${r.passed + r.failed} reviews (${percent(r.rate!)}) in the last ${FORGETTING_WINDOW_DAYS} days: even the top of its 95% interval, ${percent(high)}, is below the class's desired retention of ${percent(target)}.`,
  belowPrevious: (r: PassFail, p: PassFail, recentHigh: number, previousLow: number) =>
    `Recalled ${percent(r.rate!)} in the last ${FORGETTING_WINDOW_DAYS} days against ${percent(p.rate!)} in the ${FORGETTING_WINDOW_DAYS} before: the top of the recent 95% interval, ${percent(recentHigh)}, is below the bottom of the earlier one, ${percent(previousLow)}.`,
} as const;

/**
 * Why the class is forgetting a family, or null. With at least FORGETTING_MIN_REVIEWS recent
 * reviews (past learning), a family is being forgotten when the upper end of the Wilson 95%
 * interval of its recent retention is below the class's desired retention, or below the lower
 * end of the Wilson 95% interval of its previous retention (which needs as many reviews too).
 */
export function forgettingReason(recent: PassFail, previous: PassFail, target: number): string | null {
  const n = recent.passed + recent.failed;
  if (n < FORGETTING_MIN_REVIEWS) return null;
  const r = wilsonInterval(recent.passed, n)!;
  const reasons: string[] = [];
  if (r.high < target) reasons.push(FORGETTING_WORDS.belowTarget(recent, r.high, target));
  const m = previous.passed + previous.failed;
  if (m >= FORGETTING_MIN_REVIEWS) {
    const p = wilsonInterval(previous.passed, m)!;
    if (r.high < p.low) reasons.push(FORGETTING_WORDS.belowPrevious(recent, previous, r.high, p.low));
  }
  return reasons.length === 0 ? null : reasons.join(' ');
}

/**
 * Per family over a class's members: the student figures, the distinct students, calibration
 * bins, retention over the last FORGETTING_WINDOW_DAYS days to `now` and the window before, and
 * the forgetting verdict against `target` (the class's desired retention).
 */
export function classFamilyStats(reviews: readonly FamilyReview[], now: number, target: number): ClassFamilyStats[] {
  const window = FORGETTING_WINDOW_DAYS * DAY_MS;
  return [...groupByFamily(reviews)].map(([family, list]) => {
    const recent = retentionOf(list.filter((r) => r.at > now - window && r.at <= now));
    const previous = retentionOf(list.filter((r) => r.at > now - 2 * window && r.at <= now - window));
    return {
      ...statsOf(family, list),
      students: new Set(list.map((r) => r.userId)).size,
      calibration: calibrationBins(predictionsOf(list)),
      recent,
      previous,
      forgetting: forgettingReason(recent, previous, target),
    };
  });
}
