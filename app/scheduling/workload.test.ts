import { describe, expect, it } from 'vitest';
import { createRng } from '../../engine/random';
import { newCardState, scheduleReview, State, type CardState, type SchedulerSettings } from './scheduler';
import { COMPARED_RETENTIONS, FIRST_ANSWER_RIGHT, simulateWorkload, workloadByRetention } from './workload';

const DAY = 86_400_000;
const now = new Date('2026-03-02T08:00:00Z');
const settings: SchedulerSettings = { desiredRetention: 0.9, maxIntervalDays: 36500, fuzz: false };

/** A card in review, last seen `ago` days before now, due `dueIn` days from now. */
function reviewCard(stability: number, ago: number, dueIn: number): CardState {
  return { due: now.getTime() + dueIn * DAY, stability, difficulty: 5, elapsedDays: 0, scheduledDays: ago + dueIn, learningSteps: 0, reps: 4, lapses: 0, state: State.Review, lastReview: now.getTime() - ago * DAY, leech: false };
}

/** `n` cards with random histories (seeded), as a student of a few months would have them. */
function population(n: number, seed: number): CardState[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    let t = now.getTime() - 120 * DAY * rng.next();
    let c = newCardState(new Date(t));
    for (let k = rng.int(1, 7); k > 0 && c.due < now.getTime(); k--) {
      t = c.due;
      c = scheduleReview(c, rng.chance(0.85) ? 3 : 1, new Date(t), settings);
    }
    return c;
  });
}

describe('simulateWorkload: hand-checkable cases', () => {
  it('is 0 with no cards and no new cards', () => {
    expect(simulateWorkload({ cards: [], newPerDay: 0, settings, now })).toMatchObject({ reviews: 0, reviewsPerDay: 0, days: 30 });
  });

  it('does not count a card due after the horizon', () => {
    expect(simulateWorkload({ cards: [reviewCard(400, 10, 31)], newPerDay: 0, settings, now }).reviews).toBe(0);
  });

  // Stability 10,000 days: at its due date R ≈ 0.9999, so it is remembered, rated Good and pushed
  // years ahead: one review in 30 days, whatever the draws.
  it('counts a well-known card due tomorrow once: 1/30 a day', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const w = simulateWorkload({ cards: [reviewCard(10_000, 9, 1)], newPerDay: 0, settings, now, seed });
      expect(w.reviews).toBe(1);
      expect(w.reviewsPerDay).toBeCloseTo(1 / 30, 10);
    }
  });

  // One new card over one day, steps 1m 10m: right first (Good → the 10m step → Good, graduated
  // for 2+ days) is 1 review after the first answer; wrong first (Again → 1m → Good → 10m →
  // Good) is 2. So the mean is 1·0.75 + 2·0.25 = 1.25.
  it('gives one new card 1 review if its first answer is right, 2 if wrong: 1.25 on average', () => {
    const counts = Array.from({ length: 400 }, (_, i) => simulateWorkload({ cards: [], newPerDay: 1, settings, now, days: 1, seed: i + 1 }).reviews);
    expect(new Set(counts)).toEqual(new Set([1, 2]));
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    expect(mean).toBeGreaterThan(1 + (1 - FIRST_ANSWER_RIGHT) - 0.06);
    expect(mean).toBeLessThan(1 + (1 - FIRST_ANSWER_RIGHT) + 0.06);
  });

  it('answers an overdue card now, not in the past', () => {
    const overdue = simulateWorkload({ cards: [reviewCard(10_000, 400, -300)], newPerDay: 0, settings, now });
    expect(overdue.reviews).toBe(1);
  });
});

describe('simulateWorkload: properties', () => {
  it('asks more reviews at a higher retention, for every seed', () => {
    const cards = population(200, 11);
    for (let seed = 1; seed <= 12; seed++) {
      const table = workloadByRetention({ cards, newPerDay: 10, settings, now, seed });
      expect(table.map((w) => w.desiredRetention)).toEqual([...COMPARED_RETENTIONS]);
      const perDay = table.map((w) => w.reviewsPerDay);
      for (let i = 1; i < perDay.length; i++) expect(perDay[i], `seed ${seed}: ${perDay.join(', ')}`).toBeGreaterThan(perDay[i - 1]!);
    }
  });

  it('adds the student’s own retention to the compared ones, in order', () => {
    const table = workloadByRetention({ cards: [], newPerDay: 5, settings: { ...settings, desiredRetention: 0.93 }, now });
    expect(table.map((w) => w.desiredRetention)).toEqual([0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97]);
  });

  it('is the same for the same seed, and grows with new cards a day', () => {
    const cards = population(100, 3);
    const a = simulateWorkload({ cards, newPerDay: 10, settings, now, seed: 5 });
    expect(simulateWorkload({ cards, newPerDay: 10, settings, now, seed: 5 })).toEqual(a);
    expect(simulateWorkload({ cards, newPerDay: 40, settings, now, seed: 5 }).reviewsPerDay).toBeGreaterThan(a.reviewsPerDay);
  });

  // Above MAX_SIMULATED_CARDS (800) cards an even sample is simulated and scaled: it stays close to the whole.
  it('estimates 5,000 cards from a sample within 5% of simulating each, the whole table in under 3 s (about 0.45 s alone)', () => {
    const cards = population(5000, 21);
    const t0 = performance.now();
    const table = workloadByRetention({ cards, newPerDay: 20, settings, now });
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(3000); // a shared 2-core machine: a bound, not the measurement
    // The whole, by 625-card slices simulated separately (each within the cap), summed.
    let whole = 0;
    for (let i = 0; i < cards.length; i += 625) whole += simulateWorkload({ cards: cards.slice(i, i + 625), newPerDay: 0, settings, now }).reviews;
    const sampled = simulateWorkload({ cards, newPerDay: 0, settings, now }).reviews;
    expect(Math.abs(sampled - whole) / whole).toBeLessThan(0.05);
    expect(table.find((w) => w.desiredRetention === 0.9)!.reviewsPerDay).toBeGreaterThan(sampled / 30);
  });
});
