import { describe, expect, it } from 'vitest';
import { GRADES, intervalLabel, intervalWords, ratingIntervals } from './intervals';
import { newCardState, scheduleReview, State, type CardState, type Grade, type SchedulerSettings } from './scheduler';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;
const MONTH = 30.417 * D;
const YEAR = 365 * D;

describe('intervalLabel (Anki answer-button style)', () => {
  it.each([
    [0, '0s'],
    [30 * S, '30s'],
    [59.4 * S, '59s'],
    [70 * S, '1m'], // Anki's own test: 70 s → "1m"
    [10 * MIN, '10m'],
    [59 * MIN + 40 * S, '60m'], // the unit is chosen before rounding
    [H, '1h'],
    [1.5 * H, '1.5h'],
    [23 * H + 59 * MIN, '24h'],
    [D, '1d'],
    [3 * D, '3d'],
    [3.6 * D, '4d'],
    [30 * D, '30d'],
    [MONTH, '1mo'],
    [1.1 * MONTH, '1.1mo'], // Anki's own test
    [3.24 * MONTH, '3.2mo'],
    [364 * D, '12mo'],
    [YEAR, '1y'],
    [1.1 * YEAR, '1.1y'],
    [100 * YEAR, '100y'],
  ])('%d ms → %s', (ms, label) => {
    expect(intervalLabel(ms)).toBe(label);
  });

  it('says the same in words, singular for exactly one', () => {
    expect(intervalWords(3 * D)).toBe('3 days');
    expect(intervalWords(D)).toBe('1 day');
    expect(intervalWords(10 * MIN)).toBe('10 minutes');
    expect(intervalWords(1.5 * H)).toBe('1.5 hours');
    expect(intervalWords(3.24 * MONTH)).toBe('3.2 months');
    expect(intervalWords(YEAR)).toBe('1 year');
  });
});

const settings: SchedulerSettings = { desiredRetention: 0.9, maxIntervalDays: 36500, fuzz: false };

describe('ratingIntervals', () => {
  const now = new Date('2026-01-05T10:00:00Z');

  it('gives a new card 1m · 6m · 10m · 8d with the default steps (ts-fsrs: Hard is the mean of the first two steps)', () => {
    expect(ratingIntervals(newCardState(now), now, settings).map((i) => i.label)).toEqual(['1m', '6m', '10m', '8d']);
  });

  it("follows the user's learning steps", () => {
    const steps = { ...settings, learningSteps: ['2m', '15m', '1h'] as const };
    expect(ratingIntervals(newCardState(now), now, steps).map((i) => [i.rating, i.label])).toEqual([
      [1, '2m'],
      [2, '9m'],
      [3, '15m'],
      [4, '8d'],
    ]);
  });

  it('with no steps, sends a new card straight to days (ts-fsrs graduates it at once)', () => {
    const none = { ...settings, learningSteps: [], relearningSteps: [] };
    expect(ratingIntervals(newCardState(now), now, none).map((i) => i.label)).toEqual(['1d', '1d', '2d', '8d']);
  });

  // The buttons must say what choosing them stores: each rating's due equals scheduleReview's
  // (ts-fsrs's next()) for the same card and instant, over cards in every state, fuzz on and off.
  it('matches the due date scheduleReview stores, for every rating, over 400 random histories', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const seen = new Set<State>();
    for (let run = 0; run < 400; run++) {
      const s: SchedulerSettings = { ...settings, fuzz: run % 2 === 0, desiredRetention: 0.7 + 0.27 * rand() };
      let t = now.getTime() + Math.floor(rand() * 1e9);
      let card: CardState = newCardState(new Date(t));
      const steps = Math.floor(rand() * 8);
      for (let i = 0; i < steps; i++) {
        card = scheduleReview(card, (1 + Math.floor(rand() * 4)) as Grade, new Date(t), s);
        t = Math.max(t + MIN, card.due + Math.floor((rand() - 0.3) * 3 * D));
      }
      seen.add(card.state);
      const at = new Date(t);
      const shown = ratingIntervals(card, at, s);
      expect(shown.map((i) => i.rating)).toEqual(GRADES);
      for (const i of shown) {
        const due = scheduleReview(card, i.rating, at, s).due;
        expect(i.due).toBe(due);
        expect(i.label).toBe(intervalLabel(due - t));
      }
    }
    expect([...seen].sort()).toEqual([State.New, State.Learning, State.Review, State.Relearning]);
  });

  it('keeps Again ≤ Hard ≤ Good ≤ Easy for a card in review', () => {
    let card = scheduleReview(newCardState(now), 3, now, settings);
    card = scheduleReview(card, 3, new Date(card.due), settings);
    const due = ratingIntervals(card, new Date(card.due), settings).map((i) => i.due);
    expect([...due].sort((a, b) => a - b)).toEqual(due);
  });
});
