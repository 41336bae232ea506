import { describe, expect, it } from 'vitest';
import { classFamilyStats, familyStats, forgettingReason, FORGETTING_WORDS, type FamilyReview } from './families';
import { passFail } from './retention';

const DAY = 86_400_000;
const now = Date.parse('2026-06-30T12:00:00Z');

describe('family statistics', () => {
  it('gives retention past learning, median time, the commonest misconception and the calibration pair', () => {
    const r = (family: string, kind: FamilyReview['kind'], rating: number, durationMs: number, misconception: string | null, predicted: number | null, userId = 1): FamilyReview => ({ family, userId, at: now, kind, rating, durationMs, misconception, predicted });
    const stats = familyStats([
      r('conv-output', 'new', 1, 9000, 'no-padding', null),
      r('conv-output', 'young', 3, 3000, null, 0.9),
      r('conv-output', 'mature', 1, 5000, 'stride-ignored', 0.7),
      r('conv-output', 'relearning', 3, 4000, 'stride-ignored', 0.5),
      r('params', 'young', 4, 1000, 'no-bias', 0.8),
    ]);
    expect(stats.map((s) => s.family)).toEqual(['conv-output', 'params']);
    expect(stats[0]).toEqual({ family: 'conv-output', reviews: 4, retention: passFail(1, 1), medianMs: 4500, misconception: { id: 'stride-ignored', count: 2 }, predicted: (0.9 + 0.7 + 0.5) / 3, actual: 2 / 3 });
    expect(stats[1]).toEqual({ family: 'params', reviews: 1, retention: passFail(1, 0), medianMs: 1000, misconception: { id: 'no-bias', count: 1 }, predicted: 0.8, actual: 1 });
  });

  it('flags a family forgotten only when the Wilson interval says so', () => {
    expect(forgettingReason(passFail(12, 8), passFail(0, 0), 0.9)).toBe(FORGETTING_WORDS.belowTarget(passFail(12, 8), 0.7811960325858073, 0.9));
    expect(forgettingReason(passFail(12, 8), passFail(0, 0), 0.9)).toContain('Recalled 12 of 20 reviews (60%) in the last 30 days: even the top of its 95% interval, 78%, is below');
    expect(forgettingReason(passFail(18, 2), passFail(27, 3), 0.9)).toBeNull(); // 90% recent: the interval reaches the target
    expect(forgettingReason(passFail(0, 9), passFail(0, 0), 0.9)).toBeNull(); // too few reviews
    const below = forgettingReason(passFail(5, 15), passFail(20, 0), 0.2)!;
    expect(below).toContain('Recalled 25% in the last 30 days against 100% in the 30 before');
    expect(below).not.toContain('desired retention');
  });

  it('splits a class family into the last 30 days and the 30 before', () => {
    const rev = (daysAgo: number, rating: number, userId: number): FamilyReview => ({ family: 'f', userId, at: now - daysAgo * DAY, kind: 'mature', rating, durationMs: 1, misconception: null, predicted: 0.9 });
    const list = [rev(0, 3, 1), rev(29.9, 1, 2), rev(30, 3, 3), rev(59, 1, 1), rev(61, 3, 1)];
    const [f] = classFamilyStats(list, now, 0.9);
    expect(f!.recent).toEqual(passFail(1, 1));
    expect(f!.previous).toEqual(passFail(1, 1));
    expect(f!.students).toBe(3);
    expect(f!.reviews).toBe(5);
    expect(f!.calibration).toEqual([{ from: 0.9, to: 1, predicted: 0.9, actual: 0.6, count: 5 }]);
    expect(f!.forgetting).toBeNull();
  });
});
