import { describe, expect, it } from 'vitest';
import { default_w } from 'ts-fsrs';
import { newCardState, retrievability, State, type CardState } from '../scheduling/scheduler';
import { knowledgeSeries, knowledgeStep, recallAt, sampleEnds } from './knowledge';

const DAY = 86_400_000;
const t0 = Date.parse('2026-05-01T10:00:00Z');

describe('estimated knowledge', () => {
  it('recallAt is the scheduler’s retrievability', () => {
    const settings = { desiredRetention: 0.9, maxIntervalDays: 36500, fuzz: false };
    for (const [stability, days] of [[1, 1], [3.7, 2], [12.25, 40], [0.4, 0]] as const) {
      const s: CardState = { ...newCardState(new Date(t0)), state: State.Review, stability, lastReview: t0 };
      const at = t0 + days * DAY + 5 * 3_600_000;
      expect(recallAt(stability, t0, at, default_w)).toBe(retrievability(s, new Date(at), settings));
    }
    // R(S, S) = 0.9 by FSRS's definition of stability.
    expect(recallAt(5, t0, t0 + 5 * DAY, default_w)).toBe(0.9);
  });

  it('sums each card’s recall at each day end from the state its latest review left', () => {
    const r = (cardId: number, at: number, stability: number, state = State.Review) => ({ cardId, at, state, stability, lastReview: at });
    const reviews = [r(1, t0, 2), r(2, t0 + DAY, 1), r(1, t0 + 2 * DAY, 4), r(3, t0 + 2 * DAY, 1, State.New)];
    const read: number[] = [];
    const after = (i: number) => (read.push(i), reviews[i]!);
    const ends = [0, 1, 2, 3].map((i) => ({ day: `d${i}`, end: t0 + i * DAY + 12 * 3_600_000 }));
    const series = knowledgeSeries(reviews, ends, null, after);
    const R = (elapsedDays: number, s: number) => recallAt(s, 0, elapsedDays * DAY, default_w);
    expect(series.map((p) => p.day)).toEqual(['d0', 'd1', 'd2', 'd3']);
    expect(series[0]!.total).toBe(1); // card 1 reviewed that day
    expect(series[1]!.total).toBeCloseTo(R(1, 2) + 1, 12);
    expect(series[2]!.total).toBeCloseTo(1 + R(1, 1), 12); // card 1 reviewed again; card 3 new: nothing
    expect(series[3]!.total).toBeCloseTo(R(1, 4) + R(2, 1), 12);
    expect(read.sort()).toEqual([0, 1, 2, 3]); // each after-state read once
    expect(knowledgeSeries([], ends, null, after).map((p) => p.total)).toEqual([0, 0, 0, 0]);
  });

  it('samples long periods, keeping the last day', () => {
    expect(knowledgeStep(30)).toBe(1);
    expect(knowledgeStep(366)).toBe(1);
    expect(knowledgeStep(367)).toBe(2);
    expect(knowledgeStep(1000)).toBe(3);
    expect(sampleEnds([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([1, 4, 7]);
  });
});
