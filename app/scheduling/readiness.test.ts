import { default_w, forgetting_curve } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../engine/random';
import { planDays } from './exam-plan';
import { forecastReadiness, READINESS_TEXT, runsFor, t95, DEFAULT_RUNS, MIN_RUNS, type ForecastCard, type ForecastInput } from './readiness';
import { newCardState, scheduleReview, State, type CardState, type SchedulerSettings } from './scheduler';

const DAY = 86_400_000;
const now = Date.parse('2026-03-02T12:00:00Z');
const calendar = { timeZone: 'UTC', rolloverHour: 4 };
const settings: SchedulerSettings = { desiredRetention: 0.9, maxIntervalDays: 36500, fuzz: false };

/** A card in review, last seen `ago` days before now, due `dueIn` days from now. */
function reviewCard(stability: number, ago: number, dueIn: number): CardState {
  return { due: now + dueIn * DAY, stability, difficulty: 5, elapsedDays: 0, scheduledDays: Math.round(ago + dueIn), learningSteps: 0, reps: 4, lapses: 0, state: State.Review, lastReview: now - ago * DAY, leech: false };
}

/** `n` cards with random histories (seeded), each its own topic when `ownTopics`. */
function deck(n: number, seed: number, { ownTopics = false, newShare = 0 } = {}): ForecastCard[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    let t = now - 90 * DAY * rng.next();
    let c = newCardState(new Date(t));
    if (rng.next() >= newShare) {
      for (let k = rng.int(1, 6); k > 0 && c.due < now; k--) {
        t = c.due;
        c = scheduleReview(c, rng.chance(0.85) ? 3 : 1, new Date(t), settings);
      }
    }
    return { itemId: `b/${i}`, title: `Card ${i}`, topic: ownTopics ? `t${String(i).padStart(4, '0')}` : `t${i % 4}`, family: i % 2 ? `f${i % 3}` : null, state: c };
  });
}

function input(cards: ForecastCard[], examInDays: number, over: Partial<ForecastInput> = {}): ForecastInput {
  return { cards, exam: { at: now + examInDays * DAY, target: 0.9 }, now, calendar, settings, secondsPerReview: 10, newPerDay: 20, maxReviewsPerDay: 1000, runs: 20, seed: 3, ...over };
}

describe('forecastReadiness', () => {
  it('stop today is each card’s forgetting curve at the exam (ts-fsrs, exact elapsed time)', () => {
    const cards = deck(60, 1, { ownTopics: true });
    const examAt = now + 17.3 * DAY;
    const r = forecastReadiness(input(cards, 17.3));
    expect(r.stopToday.topics).toHaveLength(60);
    for (const [i, c] of cards.entries()) {
      const row = r.stopToday.topics.find((t) => t.topic === c.topic)!;
      const expected = c.state.state === State.New ? 0 : forgetting_curve(default_w, (examAt - c.state.lastReview!) / DAY, c.state.stability);
      expect(row.mean, `card ${i}`).toBeCloseTo(expected, 12);
      expect(row.low).toBe(row.mean);
      expect(row.high).toBe(row.mean);
    }
    const mean = cards.reduce((a, c) => a + (c.state.state === State.New ? 0 : forgetting_curve(default_w, (examAt - c.state.lastReview!) / DAY, c.state.stability)), 0) / cards.length;
    expect(r.stopToday.overall.mean).toBeCloseTo(mean, 12);
  });

  it('a deck all mature and far from due needs no review, and the plan is stopping today', () => {
    const cards = Array.from({ length: 30 }, (_, i) => ({ itemId: `b/${i}`, title: '', topic: 't', family: null, state: reviewCard(2000 + i, 1, 1500) }));
    const r = forecastReadiness(input(cards, 20));
    expect(r.perDay.length).toBe(21);
    expect(r.perDay.every((d) => d.reviews === 0 && d.minutes === 0)).toBe(true);
    expect(r.plan.overall.mean).toBeCloseTo(r.stopToday.overall.mean, 12);
    expect(r.plan.overall.high - r.plan.overall.low).toBeLessThan(1e-12);
    expect(r.plan.overall.mean).toBeGreaterThan(0.99);
    expect(r.limits).toEqual({ reachable: true, bestRecall: r.plan.overall.mean, dailyLoadNeeded: 0, reason: null });
    expect(r.atRisk).toEqual([]);
  });

  it('the same seed gives the same forecast; another seed another', () => {
    const cards = deck(200, 2);
    const a = forecastReadiness(input(cards, 21, { seed: 5 }));
    expect(forecastReadiness(input(cards, 21, { seed: 5 }))).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    const b = forecastReadiness(input(cards, 21, { seed: 6 }));
    expect(b.plan.overall.mean).not.toBe(a.plan.overall.mean);
    expect(Math.abs(b.plan.overall.mean - a.plan.overall.mean)).toBeLessThan(0.02);
  });

  it('the interval narrows with the runs (about as 1/√runs)', () => {
    const cards = deck(150, 4);
    const width = (runs: number) => {
      const e = forecastReadiness(input(cards, 21, { runs })).plan.overall;
      expect(e.low).toBeLessThanOrEqual(e.mean);
      expect(e.high).toBeGreaterThanOrEqual(e.mean);
      return e.high - e.low;
    };
    const w10 = width(10);
    const w160 = width(160);
    expect(w10).toBeGreaterThan(0);
    // √16 = 4 (times the ratio of the t quantiles): up to the noise in the two standard deviations.
    const ratio = w10 / w160 / (t95(9) / t95(159));
    expect(ratio).toBeGreaterThan(2.5);
    expect(ratio).toBeLessThan(6.5);
  });

  it('following the plan predicts at least the recall of stopping today, overall and per topic', () => {
    for (const seed of [11, 12, 13]) {
      const r = forecastReadiness(input(deck(120, seed, { newShare: 0.1 }), 10 + seed));
      expect(r.plan.overall.mean).toBeGreaterThanOrEqual(r.stopToday.overall.mean);
      for (const t of r.plan.topics) expect(t.mean, `seed ${seed} topic ${t.topic}`).toBeGreaterThanOrEqual(r.stopToday.topics.find((s) => s.topic === t.topic)!.mean);
    }
  });

  it('the exam rule brings a deck forgotten by the exam to the target, with reviews on the plan days only as needed', () => {
    // Stability 8 days, seen yesterday: due in about a week, recall at the exam in 20 days well below 0.9.
    const cards = Array.from({ length: 100 }, (_, i) => ({ itemId: `b/${i}`, title: '', topic: 't', family: null, state: reviewCard(8, 1, 7) }));
    const r = forecastReadiness(input(cards, 20, { runs: 40 }));
    expect(r.stopToday.overall.mean).toBeLessThan(0.85);
    expect(r.plan.overall.mean).toBeGreaterThanOrEqual(0.9);
    expect(r.limits.reachable).toBe(true);
    expect(r.limits.reason).toBeNull();
    expect(r.perDay[0]!.reviews).toBe(0);
    expect(r.perDay.reduce((a, d) => a + d.reviews, 0)).toBeGreaterThan(100);
  });

  it('the plan spreads the moved reviews over every plan day, tomorrow included', () => {
    // Retention 0.8 schedules past a 6-day exam at which recall would miss a 0.97 target: the rule moves the cards.
    const cards = Array.from({ length: 60 }, (_, i) => ({ itemId: `b/${i}`, title: '', topic: 't', family: null, state: reviewCard(5, 8, -0.1) }));
    const r = forecastReadiness(input(cards, 6, { exam: { at: now + 6 * DAY, target: 0.97 }, settings: { ...settings, desiredRetention: 0.8 }, runs: 1 }));
    const plan = planDays(now, now + 6 * DAY, calendar);
    expect(plan.map((d) => d.day)).toEqual(r.perDay.slice(1, -1).map((d) => d.day));
    expect(r.perDay[0]!.reviews).toBeGreaterThanOrEqual(60);
    // Each plan day takes at least its share of the moved cards (⌈60 / 5⌉ = 12) but for the first, which takes the rest.
    for (const d of r.perDay.slice(2, -1)) expect(d.reviews, d.day).toBeGreaterThanOrEqual(12);
    expect(r.perDay[1]!.reviews).toBeGreaterThan(0);
    expect(r.perDay.at(-1)!.reviews).toBe(0);
    expect(r.plan.overall.mean).toBeGreaterThanOrEqual(0.97);
  });

  it('an exam tomorrow leaves no plan day: the target is out of reach, said so', () => {
    const cards = Array.from({ length: 20 }, (_, i) => ({ itemId: `b/${i}`, title: '', topic: 't', family: null, state: reviewCard(1, 5, -3) }));
    const r = forecastReadiness(input(cards, 1, { exam: { at: now + DAY, target: 0.99 } }));
    expect(planDays(now, now + DAY, calendar)).toEqual([]);
    expect(r.daysLeft).toBe(1);
    expect(r.limits.reachable).toBe(false);
    expect(r.limits.reason).toBe(READINESS_TEXT.noDayLeft);
    expect(r.atRiskTotal).toBeGreaterThan(0);
  });

  it('new cards beyond what newPerDay can start before the exam: only that many are learned, and the reason says so', () => {
    const cards = Array.from({ length: 50 }, (_, i) => ({ itemId: `b/${i}`, title: '', topic: `t${String(i).padStart(2, '0')}`, family: null, state: newCardState(new Date(now - DAY)) }));
    // Today and two plan days before the exam's day: 3 sessions of 5 new cards.
    const r = forecastReadiness(input(cards, 3, { newPerDay: 5 }));
    expect(r.newCards).toBe(50);
    expect(r.plan.topics.filter((t) => t.mean > 0)).toHaveLength(15);
    // They start in the given order.
    expect(r.plan.topics.slice(0, 15).every((t) => t.mean > 0)).toBe(true);
    expect(r.limits.reachable).toBe(false);
    expect(r.limits.reason).toBe(READINESS_TEXT.tooManyNew(50, 5, 15));
    expect(r.stopToday.overall.mean).toBe(0);
  });

  it('a daily limit below the load: said so, with the best recall and load with the limit lifted', () => {
    const cards = deck(400, 8).map((c) => ({ ...c, state: { ...c.state, due: Math.min(c.state.due, now) } }));
    const r = forecastReadiness(input(cards, 6, { maxReviewsPerDay: 10 }));
    expect(r.perDay.every((d) => d.reviews >= 0)).toBe(true);
    expect(r.limits.reachable).toBe(false);
    expect(r.limits.dailyLoadNeeded).toBeGreaterThan(10);
    expect(r.limits.reason).toBe(READINESS_TEXT.overLimit(Math.ceil(r.limits.dailyLoadNeeded), 10));
    expect(r.limits.bestRecall).toBeGreaterThan(r.plan.overall.mean);
  });

  it('at-risk cards are those below the target following the plan, worst first, with both recalls', () => {
    const r = forecastReadiness(input(deck(200, 9, { newShare: 0.3 }), 4, { newPerDay: 10 }));
    expect(r.atRiskTotal).toBeGreaterThan(0);
    expect(r.atRisk.length).toBe(Math.min(50, r.atRiskTotal));
    for (const [i, c] of r.atRisk.entries()) {
      expect(c.plan).toBeLessThan(0.9);
      if (i > 0) expect(c.plan).toBeGreaterThanOrEqual(r.atRisk[i - 1]!.plan);
    }
  });

  it('minutes are reviews at the student’s pace; the method states the runs', () => {
    const r = forecastReadiness(input(deck(100, 10), 14, { secondsPerReview: 12, runs: 30 }));
    for (const d of r.perDay) expect(d.minutes).toBeCloseTo((d.reviews * 12) / 60, 10);
    expect(r.runs).toBe(30);
    expect(r.method).toBe(READINESS_TEXT.method(30));
    expect(r.method).toContain('30');
  });

  it('runs: the default for small decks, fewer for big ones, never below the minimum', () => {
    expect(runsFor(100, 22)).toBe(DEFAULT_RUNS);
    expect(runsFor(1000, 22)).toBe(113);
    expect(runsFor(10_000, 22)).toBe(11);
    expect(runsFor(10_000, 121)).toBe(MIN_RUNS);
    expect(forecastReadiness({ ...input(deck(10, 1), 5), runs: undefined }).runs).toBe(DEFAULT_RUNS);
    // 5,000 cards, 30 study days: 2,500,000 / 150,000.
    expect(runsFor(5000, 30)).toBe(16);
  });

  it('the interval uses Student’s t for few runs', () => {
    expect(t95(1)).toBe(12.706);
    expect(t95(4)).toBe(2.776);
    expect(t95(30)).toBe(2.042);
    // Cornish–Fisher beyond the table: t(40) = 2.0211, t(120) = 1.9799.
    expect(t95(40)).toBeCloseTo(2.0211, 3);
    expect(t95(120)).toBeCloseTo(1.9799, 3);
    const r = forecastReadiness(input(deck(80, 3), 14, { runs: 5 }));
    expect(r.plan.overall.high - r.plan.overall.mean).toBeGreaterThan(0);
  });
});
