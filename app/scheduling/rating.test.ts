import { describe, expect, it } from 'vitest';
import { Rating } from 'ts-fsrs';
import { expectedAnswerMs, suggestRating } from './rating';

describe('suggestRating', () => {
  const expectedMs = 20_000; // fast < 10 s, slow > 40 s

  it('rates a wrong answer Again, whatever the time or hint', () => {
    for (const durationMs of [1, 9_999, 20_000, 90_000]) {
      for (const hinted of [false, true]) expect(suggestRating({ correct: false, hinted, durationMs, expectedMs })).toBe(Rating.Again);
    }
  });

  it('rates right-and-fast Easy, right Good, right-but-slow Hard, at the thresholds', () => {
    expect(suggestRating({ correct: true, hinted: false, durationMs: 9_999, expectedMs })).toBe(Rating.Easy);
    expect(suggestRating({ correct: true, hinted: false, durationMs: 10_000, expectedMs })).toBe(Rating.Good);
    expect(suggestRating({ correct: true, hinted: false, durationMs: 40_000, expectedMs })).toBe(Rating.Good);
    expect(suggestRating({ correct: true, hinted: false, durationMs: 40_001, expectedMs })).toBe(Rating.Hard);
  });

  it('rates right after a hint Hard, even when fast', () => {
    expect(suggestRating({ correct: true, hinted: true, durationMs: 1_000, expectedMs })).toBe(Rating.Hard);
  });

  it('calls anything over a minute slow, even for a long item', () => {
    const long = expectedAnswerMs('generated', 3); // 40 s: 2× would be 80 s
    expect(suggestRating({ correct: true, hinted: false, durationMs: 60_000, expectedMs: long })).toBe(Rating.Good);
    expect(suggestRating({ correct: true, hinted: false, durationMs: 60_001, expectedMs: long })).toBe(Rating.Hard);
  });

  it('expects longer for harder generated items than for facts', () => {
    expect(expectedAnswerMs('basic')).toBe(8_000);
    expect(expectedAnswerMs('generated', 1)).toBeLessThan(expectedAnswerMs('generated', 2));
    expect(expectedAnswerMs('generated', 2)).toBeLessThan(expectedAnswerMs('generated', 3));
  });
});
