import { describe, expect, it } from 'vitest';
import { CLAMP_PARAMETERS, createEmptyCard, default_w, forgetting_curve, fsrs, Rating, State, W17_W18_Ceiling, type Card, type Grade } from 'ts-fsrs';
import { createRng, type Rng } from '../../engine/random';
import type { ExamScope } from '../exams/scope';
import { dailyCap, daysToTarget, examFor, loadByDay, placedState, placeForExam, planDays, recallAt, type ExamPlacement, type PlanDay } from './exam-plan';
import { scheduleReview, type CardState, type SchedulerSettings } from './scheduler';
import { studyDay, studyDayBounds } from './study-day';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.parse('2026-03-02T15:30:00Z');
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Auckland'];

function reviewState(stability: number, lastReview: number, due: number): CardState {
  return { due, stability, difficulty: 5, elapsedDays: 0, scheduledDays: Math.floor((due - lastReview) / DAY), learningSteps: 0, reps: 3, lapses: 0, state: State.Review, lastReview, leech: false };
}

describe('the pieces of the rule', () => {
  it('recallAt is the forgetting curve at the exact elapsed time; at whole days it agrees with ts-fsrs', () => {
    const f = fsrs({ enable_fuzz: false });
    const card = { ...createEmptyCard(new Date(NOW)), state: State.Review, stability: 12, difficulty: 5, last_review: new Date(NOW), due: new Date(NOW + 12 * DAY), reps: 2 } as Card;
    const s = reviewState(12, NOW, NOW + 12 * DAY);
    for (const days of [1, 5, 12, 40]) expect(recallAt(s, NOW + days * DAY)).toBeCloseTo(f.get_retrievability(card, new Date(NOW + days * DAY), false), 6);
    // Between whole days ts-fsrs floors the elapsed days (overstating recall); recallAt does not.
    expect(recallAt(s, NOW + 12.9 * DAY)).toBeLessThan(f.get_retrievability(card, new Date(NOW + 12.9 * DAY), false));
    expect(recallAt({ ...s, state: State.New, lastReview: null }, NOW + DAY)).toBe(0);
  });

  it('daysToTarget inverts the forgetting curve, for any parameters', () => {
    const rng = createRng(7);
    for (let i = 0; i < 200; i++) {
      const w = randomParameters(rng);
      const S = 0.1 + rng.next() * 400;
      const target = 0.7 + rng.next() * 0.29;
      // ts-fsrs rounds the curve to 8 digits.
      expect(forgetting_curve(w, daysToTarget(S, target, w), S)).toBeCloseTo(target, 7);
    }
  });

  it('plan days are the whole study days after today and before the exam day, across a DST change', () => {
    // Berlin springs forward on 2026-03-29; rollover 4:00; now is 2026-03-27 evening.
    const days = planDays(Date.parse('2026-03-27T19:00:00Z'), Date.parse('2026-03-31T07:00:00Z'), { timeZone: 'Europe/Berlin', rolloverHour: 4 });
    expect(days).toEqual([
      { day: '2026-03-28', start: Date.parse('2026-03-28T03:00:00Z') },
      { day: '2026-03-29', start: Date.parse('2026-03-29T02:00:00Z') }, // 4:00 CEST now: a 23-hour day before it
      { day: '2026-03-30', start: Date.parse('2026-03-30T02:00:00Z') },
    ]);
    // An exam tomorrow (or today) leaves none.
    expect(planDays(NOW, NOW + 10 * HOUR, { timeZone: 'UTC', rolloverHour: 4 })).toEqual([]);
  });

  it('the cap is the ceiling of cards over days, at least 1', () => {
    expect(dailyCap(100, 7)).toBe(15);
    expect(dailyCap(98, 7)).toBe(14);
    expect(dailyCap(1, 30)).toBe(1);
    expect(dailyCap(5, 0)).toBe(0);
  });

  it('places on the least-loaded day of the window, the latest on ties; before the window when it is full', () => {
    const exam = { at: Date.parse('2026-03-12T09:00:00Z'), target: 0.9 };
    const days = planDays(NOW, exam.at, { timeZone: 'UTC', rolloverHour: 4 });
    expect(days.map((d) => d.day)).toEqual(['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10', '2026-03-11']);
    // S = 20 days: the window opens daysToTarget(20, 0.9) = 20 days before: every plan day.
    const after = reviewState(20, NOW, NOW + 20 * DAY);
    expect(recallAt(after, exam.at)).toBeGreaterThan(0.9);
    const weak = reviewState(3, NOW - 10 * DAY, NOW + 20 * DAY); // recall at the exam far below 0.9
    const opens = exam.at - daysToTarget(3, 0.9) * DAY; // 3 days before: the days from 03-10
    const load = new Map([
      ['2026-03-10', 1],
      ['2026-03-11', 2],
    ]);
    expect(placeForExam({ after, now: NOW, exam, days, load, cardsInScope: 27 })).toEqual({ kind: 'kept', reason: 'ready' });
    expect(placeForExam({ after: { ...weak, due: exam.at - 1 }, now: NOW, exam, days, load, cardsInScope: 27 })).toEqual({ kind: 'kept', reason: 'due-before-exam' });
    expect(days.filter((d) => d.start >= opens).map((d) => d.day)).toEqual(['2026-03-10', '2026-03-11']);
    // Cap ⌈27/9⌉ = 3: 03-10 (load 1) beats 03-11 (load 2).
    expect(placeForExam({ after: weak, now: NOW, exam, days, load, cardsInScope: 27 })).toEqual({ kind: 'moved', due: Date.parse('2026-03-10T04:00:00Z'), day: '2026-03-10', early: false, cap: 3 });
    // Equal loads: the latest.
    expect(placeForExam({ after: weak, now: NOW, exam, days, load: new Map([['2026-03-10', 2], ['2026-03-11', 2]]), cardsInScope: 27 })).toMatchObject({ day: '2026-03-11', early: false });
    // Window at the cap: the latest day before it below the cap, early.
    const full = new Map([['2026-03-10', 3], ['2026-03-11', 3], ['2026-03-09', 3]]);
    expect(placeForExam({ after: weak, now: NOW, exam, days, load: full, cardsInScope: 27 })).toMatchObject({ day: '2026-03-08', early: true, cap: 3 });
    // No plan day: kept, out of reach.
    expect(placeForExam({ after: weak, now: NOW, exam, days: [], load, cardsInScope: 27 })).toEqual({ kind: 'kept', reason: 'no-day-left' });
    // A load that counts more cards than are in scope is a caller's bug: said, not hidden.
    const all = new Map(days.map((d) => [d.day, 3]));
    expect(() => placeForExam({ after: weak, now: NOW, exam, days, load: all, cardsInScope: 27 })).toThrow(/counts a card twice/);
  });

  it('placedState moves the due and keeps scheduledDays in whole days; kept returns the card as is', () => {
    const after = reviewState(3, NOW, NOW + 20 * DAY);
    const moved: ExamPlacement = { kind: 'moved', due: NOW + 6.5 * DAY, day: 'x', early: false, cap: 1 };
    expect(placedState(after, moved)).toEqual({ ...after, due: NOW + 6.5 * DAY, scheduledDays: 6 });
    expect(placedState(after, { kind: 'kept', reason: 'ready' })).toBe(after);
  });

  it('examFor: the nearest exam ahead whose scope holds the item', () => {
    const scope = (s: Partial<ExamScope>): ExamScope => ({ banks: [], topics: [], families: [], ...s });
    const exams = [
      { id: 1, at: NOW - DAY, scope: scope({ topics: ['cnn'] }) },
      { id: 2, at: NOW + 5 * DAY, scope: scope({ families: ['conv-shape'] }) },
      { id: 3, at: NOW + 9 * DAY, scope: scope({ banks: ['nets'] }) },
    ];
    expect(examFor({ bankId: 'nets', topic: 'cnn', family: null }, exams, NOW)?.id).toBe(3);
    expect(examFor({ bankId: 'nets', topic: 'rnn', family: 'conv-shape' }, exams, NOW)?.id).toBe(2);
    expect(examFor({ bankId: 'other', topic: 'cnn', family: null }, exams, NOW)).toBeUndefined();
  });

  it('loadByDay counts each due in its plan day, nothing before the first or from the exam day on', () => {
    const days: PlanDay[] = [
      { day: 'a', start: 100 },
      { day: 'b', start: 200 },
      { day: 'c', start: 300 },
    ];
    expect(loadByDay([99, 100, 150, 299, 300, 399, 400], days, 400)).toEqual(new Map([['a', 2], ['b', 1], ['c', 2]]));
  });
});

/** A parameter set near the defaults, each weight moved within ts-fsrs's own clamp bounds. */
function randomParameters(rng: Rng): number[] {
  const bounds = CLAMP_PARAMETERS(W17_W18_Ceiling, true);
  return default_w.map((w, i) => {
    const [lo, hi] = bounds[i] as [number, number];
    const moved = w + (rng.next() - 0.5) * 0.5 * Math.min(hi - lo, 4 * Math.max(Math.abs(w), 0.05));
    return Math.min(hi, Math.max(lo, moved));
  });
}

/** A Good-or-worse review history ending before `now`: a real state ts-fsrs reached. */
function historyState(rng: Rng, settings: SchedulerSettings, now: number): CardState {
  let at = now - rng.int(3, 60) * DAY - rng.int(0, 23) * HOUR;
  let s = scheduleReview(newStateAt(at), rng.pick([1, 2, 3, 3, 4] as Grade[]), new Date(at), settings);
  for (;;) {
    const next = Math.max(s.due, at + 60_000) + rng.next() * (rng.chance(0.3) ? 3 * DAY : 2 * HOUR);
    if (next >= now) return s;
    at = next;
    s = scheduleReview(s, rng.chance(0.12) ? Rating.Again : rng.pick([2, 3, 3, 3, 3, 4] as Grade[]), new Date(at), settings);
  }
}

function newStateAt(at: number): CardState {
  return { due: at, stability: 0, difficulty: 0, elapsedDays: 0, scheduledDays: 0, learningSteps: 0, reps: 0, lapses: 0, state: State.New, lastReview: null, leech: false };
}

interface SimCard {
  id: number;
  item: { bankId: string; topic: string; family: string | null };
  state: CardState;
  /** Out-of-scope cards: the same reviews by a ts-fsrs scheduler configured here, apart. */
  reference: Card | null;
  reviewAt: number;
  lastKept: ExamPlacement | null;
}

/**
 * One student: 10–60 in-scope cards and 5–15 others with random histories, random parameters,
 * retention, zone and rollover, an exam 2–60 days ahead with a random target. The exam is set at
 * NOW (its existing cards planned then, as at each review after); every review done in the study
 * day of its due, before the exam, and passed (Good).
 */
function simulate(seed: number) {
  const rng = createRng(seed);
  const parameters = randomParameters(rng);
  const settings: SchedulerSettings = { desiredRetention: 0.8 + rng.next() * 0.15, maxIntervalDays: 36500, fuzz: rng.chance(0.5), parameters };
  const calendar = { timeZone: rng.pick(ZONES), rolloverHour: rng.int(0, 6) };
  const exam = { id: 1, at: NOW + rng.int(2, 60) * DAY + rng.int(-12, 12) * HOUR, target: 0.7 + rng.next() * 0.29, scope: { banks: ['nets'], topics: ['in'], families: ['fam-in'] } };
  const examDayStart = studyDayBounds(new Date(exam.at), calendar.timeZone, calendar.rolloverHour).start.getTime();
  const referenceScheduler = fsrs({ w: parameters, request_retention: settings.desiredRetention, maximum_interval: 36500, enable_fuzz: settings.fuzz, enable_short_term: true, learning_steps: ['1m', '10m'], relearning_steps: ['10m'] });
  const inCount = rng.int(10, 60);
  const outCount = rng.int(5, 15);
  const cards: SimCard[] = [];
  for (let i = 0; i < inCount + outCount; i++) {
    const inside = i < inCount;
    // In scope by topic or by family; out: another topic, or another bank with the topic.
    const item = inside ? (rng.chance(0.5) ? { bankId: 'nets', topic: 'in', family: null } : { bankId: 'nets', topic: 'other', family: 'fam-in' }) : rng.chance(0.5) ? { bankId: 'nets', topic: 'out', family: 'fam-out' } : { bankId: 'elsewhere', topic: 'in', family: null };
    const state = historyState(rng, settings, NOW);
    cards.push({ id: i, item, state, reference: inside ? null : toCard(state), reviewAt: 0, lastKept: null });
  }
  const violations: string[] = [];
  const inScope = cards.filter((c) => examFor(c.item, [exam], 0) !== undefined);
  expect(inScope.length).toBe(inCount);

  /** The rule at `at` for card c just scheduled to `after`, with the real loads; checks (b). */
  const plan = (c: SimCard, after: CardState, at: number): CardState => {
    const e = examFor(c.item, [exam], at);
    if (!e) return after;
    const days = planDays(at, exam.at, calendar);
    // The loads, counted here: a plan day holds a due from its start to the next day's (the last: to the exam day's).
    const load = new Map<string, number>();
    for (const o of inScope) {
      if (o === c || o.state.state === State.New) continue;
      const i = days.findIndex((p, k) => p.start <= o.state.due && o.state.due < (days[k + 1]?.start ?? examDayStart));
      if (i >= 0) load.set(days[i]!.day, (load.get(days[i]!.day) ?? 0) + 1);
    }
    const placement = placeForExam({ after, now: at, exam, days, load, cardsInScope: inCount, parameters });
    if (placement.kind === 'moved') {
      const cap = Math.ceil(inCount / days.length);
      if (placement.cap !== Math.max(1, cap)) violations.push(`seed ${seed}: cap ${placement.cap}, expected ${cap}`);
      if ((load.get(placement.day) ?? 0) >= placement.cap) violations.push(`seed ${seed}: placed on ${placement.day} at load ${load.get(placement.day)} ≥ cap ${placement.cap}`);
      if (placement.due >= examDayStart || studyDay(new Date(placement.due), calendar.timeZone, calendar.rolloverHour) >= studyDay(new Date(exam.at), calendar.timeZone, calendar.rolloverHour)) violations.push(`seed ${seed}: moved onto the exam day`);
      if (!days.some((d) => d.start === placement.due && d.day === placement.day)) violations.push(`seed ${seed}: moved to ${placement.due}, not a plan day's start`);
      if (placement.due <= at) violations.push(`seed ${seed}: moved into the past`);
    }
    c.lastKept = placement;
    return placedState(after, placement);
  };
  /** A review in the study day of the due: a random instant from the due to the day's end, before the exam. */
  const reviewTime = (due: number): number => {
    const from = Math.max(due, NOW);
    const end = Math.min(studyDayBounds(new Date(from), calendar.timeZone, calendar.rolloverHour).end.getTime(), exam.at);
    return from + rng.next() * Math.max(0, end - from - 1);
  };

  // The exam is set at NOW: its existing cards are planned then.
  for (const c of cards) c.state = plan(c, c.state, NOW);
  for (const c of cards) c.reviewAt = reviewTime(c.state.due);
  let reviewsDone = 0;
  for (;;) {
    let next: SimCard | undefined;
    for (const c of cards) if (c.reviewAt < exam.at && (!next || c.reviewAt < next.reviewAt)) next = c;
    if (!next) break;
    const at = next.reviewAt;
    const after = scheduleReview(next.state, Rating.Good, new Date(at), settings);
    // The window's promise: a card placed in it (not early) and passed there is ready for the exam.
    if (next.lastKept?.kind === 'moved' && !next.lastKept.early && forgetting_curve(parameters, (exam.at - at) / DAY, after.stability) < exam.target - 1e-8) {
      violations.push(`seed ${seed}: card ${next.id} passed in its window is not ready for the exam`);
    }
    next.state = plan(next, after, at);
    if (next.reference) {
      next.reference = referenceScheduler.next(next.reference, new Date(at), Rating.Good).card;
      if (next.state.due !== next.reference.due.getTime() || next.state.stability !== next.reference.stability) violations.push(`seed ${seed}: out-of-scope card ${next.id} left ts-fsrs's schedule`);
    }
    next.reviewAt = reviewTime(next.state.due);
    reviewsDone++;
    if (reviewsDone > 100_000) throw new Error(`seed ${seed}: the simulation does not end`);
  }
  const below: number[] = [];
  let outOfReach = 0;
  for (const c of inScope) {
    // Independently: ts-fsrs's forgetting curve from the final state, at the exact elapsed time.
    const recall = forgetting_curve(parameters, (exam.at - c.state.lastReview!) / DAY, c.state.stability);
    if (recall >= exam.target - 1e-8) continue; // ts-fsrs rounds the curve to 8 digits
    if (c.lastKept?.kind === 'kept' && c.lastKept.reason === 'no-day-left') outOfReach++;
    else below.push(recall);
  }
  return { violations, below, outOfReach, reviewsDone, target: exam.target };
}

function toCard(s: CardState): Card {
  return { due: new Date(s.due), stability: s.stability, difficulty: s.difficulty, elapsed_days: s.elapsedDays, scheduled_days: s.scheduledDays, learning_steps: s.learningSteps, reps: s.reps, lapses: s.lapses, state: s.state, ...(s.lastReview === null ? {} : { last_review: new Date(s.lastReview) }) } as Card;
}

describe('the rule over random students (property, seeded)', () => {
  it('every in-scope card reaches the target at the exam, no day is placed past the cap, out-of-scope cards keep ts-fsrs schedule', () => {
    let reviews = 0;
    let outOfReach = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const r = simulate(seed);
      expect(r.violations).toEqual([]);
      expect(r.below, `seed ${seed}: in-scope cards below the target ${r.target.toFixed(3)}`).toEqual([]);
      reviews += r.reviewsDone;
      outOfReach += r.outOfReach;
    }
    // The simulations did work: thousands of reviews; out-of-reach cards are rare.
    console.log(`exam plan property: ${reviews} reviews over 120 students, ${outOfReach} cards out of reach (no plan day left)`);
    expect(reviews).toBeGreaterThan(5000);
    expect(outOfReach).toBeLessThan(reviews / 100);
  });
});
