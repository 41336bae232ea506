import { describe, expect, it } from 'vitest';
import { State } from '../scheduling/scheduler';
import { passFail, reviewKind, trueRetention, wilsonInterval, type RetentionReview } from './retention';

describe('review kinds', () => {
  it('is the state before, review split at the mature interval', () => {
    expect(reviewKind(State.New, 0, 21)).toBe('new');
    expect(reviewKind(State.Learning, 0, 21)).toBe('learning');
    expect(reviewKind(State.Relearning, 30, 21)).toBe('relearning');
    expect(reviewKind(State.Review, 20, 21)).toBe('young');
    expect(reviewKind(State.Review, 21, 21)).toBe('mature');
  });
});

describe('Wilson interval', () => {
  it('matches the published formula', () => {
    const w = wilsonInterval(8, 10)!;
    expect(w.low).toBeCloseTo(0.490157, 6);
    expect(w.high).toBeCloseTo(0.943319, 6);
    expect(wilsonInterval(12, 20)!.high).toBeCloseTo(0.781196, 6);
    expect(wilsonInterval(0, 10)!.low).toBe(0);
    expect(wilsonInterval(10, 10)!.high).toBe(1);
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});

describe('true retention', () => {
  const r = (cardId: number, day: string, kind: RetentionReview['kind'], rating: number): RetentionReview => ({ cardId, day, kind, rating });

  it('counts the first review of each card per study day, cards in review only, by span', () => {
    const reviews = [
      r(1, '2025-12-31', 'mature', 3), // 365 days before today: outside the year
      r(1, '2026-10-01', 'young', 1),
      r(1, '2026-10-01', 'relearning', 3), // second that day
      r(2, '2026-12-24', 'young', 3),
      r(3, '2026-12-30', 'mature', 2),
      r(3, '2026-12-30', 'mature', 1), // second that day: not counted
      r(4, '2026-12-31', 'learning', 1), // not in review
      r(5, '2026-12-31', 'mature', 1),
      r(2, '2026-12-31', 'young', 4),
      r(2, '2026-12-31', 'young', 1), // second that day
      r(6, '2026-12-31', 'new', 3),
    ];
    const rows = Object.fromEntries(trueRetention(reviews, '2026-12-31').map((x) => [x.span, x]));
    expect(rows.today).toEqual({ span: 'today', young: passFail(1, 0), mature: passFail(0, 1), total: passFail(1, 1) });
    expect(rows.yesterday).toEqual({ span: 'yesterday', young: passFail(0, 0), mature: passFail(1, 0), total: passFail(1, 0) });
    expect(rows.week!.young).toEqual(passFail(1, 0)); // 24 Dec is 7 days back: outside the week
    expect(rows.week!.mature).toEqual(passFail(1, 1));
    expect(rows.month!.young).toEqual(passFail(2, 0));
    expect(rows.year!.young).toEqual(passFail(2, 1));
    expect(rows.year!.mature).toEqual(passFail(1, 1));
    expect(rows.all!.mature).toEqual(passFail(2, 1));
    expect(rows.all!.total).toEqual({ passed: 4, failed: 2, rate: 4 / 6 });
    expect(passFail(0, 0).rate).toBeNull();
  });
});
