/**
 * Does following the exam plan get a student there? Synthetic students whose memory follows FSRS
 * under known parameters study a 200-card deck for 60 days; then an exam is set 30 days ahead
 * (target 0.90, the default, and 0.95; 60% of the deck in scope) and they follow, separately, the plan (the rule after
 * every review, and at the exam's creation for the cards already scheduled) and the plain
 * schedule. Every due card is reviewed in its study day; each outcome is drawn from the TRUE
 * memory's recall probability (pass: Good, fail: Again). On the exam morning each in-scope card's
 * true recall probability is read: the share at or above the target, and the mean (the expected
 * share recalled). A small simulator of its own, apart from the readiness forecast's.
 *
 * Two kinds of student: memory from TRUE_PARAMETERS (test/support/fsrs-history.ts, far from the
 * defaults) scheduled by a fitted-like set (those parameters, each moved by up to ±5%), and memory
 * from a set near the defaults scheduled by the defaults themselves (a new user).
 */
import { describe, expect, it } from 'vitest';
import { default_w, forgetting_curve, fsrs, Rating, State, type FSRSState, type Grade } from 'ts-fsrs';
import { createRng, type Rng } from '../engine/random';
import { examFor, placedState, placeForExam, planDays } from '../app/scheduling/exam-plan';
import { newCardState, scheduleReview, type CardState, type SchedulerSettings } from '../app/scheduling/scheduler';
import { studyDayBounds } from '../app/scheduling/study-day';
import { TRUE_PARAMETERS } from './support/fsrs-history';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.parse('2026-01-05T00:00:00Z');
const CALENDAR = { timeZone: 'Europe/Berlin', rolloverHour: 4 };
const DECK = 200;
const NEW_PER_DAY = 10;
const HISTORY_DAYS = 60;
const EXAM_IN_DAYS = 30;
const STUDENTS = 8;

interface SimCard {
  item: { bankId: string; topic: string; family: string | null };
  state: CardState;
  memory: FSRSState | null;
  /** The study day (index) and instant of the last review, for the memory model. */
  lastDay: number;
  lastAt: number;
}

interface Student {
  truth: readonly number[];
  settings: SchedulerSettings;
  cards: SimCard[];
}

function moved(w: readonly number[], rng: Rng, by: number): number[] {
  return w.map((x, i) => (i === 20 ? x : x * (1 + (rng.next() * 2 - 1) * by)));
}

function makeStudent(seed: number): Student {
  const rng = createRng(seed);
  const fitted = seed % 2 === 0;
  const truth = fitted ? TRUE_PARAMETERS : moved(default_w, rng, 0.1);
  const settings: SchedulerSettings = { desiredRetention: 0.9, maxIntervalDays: 36500, fuzz: true, ...(fitted ? { parameters: moved(TRUE_PARAMETERS, rng, 0.05) } : {}) };
  const cards: SimCard[] = Array.from({ length: DECK }, (_, i) => ({
    item: { bankId: 'cs231n', topic: i % 5 < 3 ? 'convolutions' : 'optimisation', family: null },
    state: newCardState(new Date(START)),
    memory: null,
    lastDay: 0,
    lastAt: 0,
  }));
  return { truth, settings, cards };
}

function dayStart(day: number): number {
  return studyDayBounds(new Date(START + day * DAY + 12 * HOUR), CALENDAR.timeZone, CALENDAR.rolloverHour).start.getTime();
}

/**
 * One study day's session at 18:00 local (14 h after the day's start): the due cards, learning
 * steps as they come due within the day, then the day's new cards. `plan` is applied after
 * every review (null: the plain schedule).
 */
function studyDayOf(student: Student, day: number, rng: Rng, plan: ((c: SimCard, after: CardState, at: number) => CardState) | null, introduce: number) {
  const truth = fsrs({ w: [...student.truth], enable_short_term: true });
  const start = dayStart(day);
  const end = dayStart(day + 1);
  let at = start + 14 * HOUR;
  let fresh = introduce;
  const review = (c: SimCard) => {
    let grade: Grade;
    if (c.memory === null) grade = rng.pick([Rating.Again, Rating.Good, Rating.Good, Rating.Good, Rating.Easy] as Grade[]);
    else grade = rng.next() < forgetting_curve(student.truth as number[], (at - c.lastAt) / DAY, c.memory.stability) ? Rating.Good : Rating.Again;
    c.memory = truth.next_state(c.memory, c.memory === null ? 0 : day - c.lastDay, grade);
    c.lastDay = day;
    c.lastAt = at;
    const after = scheduleReview(c.state, grade, new Date(at), student.settings);
    c.state = plan ? plan(c, after, at) : after;
    at += 20_000;
  };
  for (let pass = 0; pass < 50 && at < end; pass++) {
    const due = student.cards.filter((c) => c.state.state !== State.New && c.state.due <= at).sort((a, b) => a.state.due - b.state.due);
    for (const c of due) review(c);
    while (fresh > 0) {
      const c = student.cards.find((x) => x.state.state === State.New);
      if (!c) break;
      review(c);
      fresh--;
    }
    // Wait for the next learning step due today, if any.
    const later = student.cards.filter((c) => c.state.state !== State.New && c.state.due > at && c.state.due < end).map((c) => c.state.due);
    if (later.length === 0) break;
    at = Math.max(at, Math.min(...later));
  }
}

function clone(student: Student): Student {
  return { ...student, cards: student.cards.map((c) => ({ ...c, state: { ...c.state }, memory: c.memory ? { ...c.memory } : null })) };
}

interface Outcome {
  /** In-scope cards whose true recall on the exam morning is at least the target. */
  atTarget: number;
  inScope: number;
  /** Mean true recall of the in-scope cards then: the expected share recalled. */
  meanRecall: number;
  reviews: number;
}

function followToExam(base: Student, seed: number, planning: boolean, target: number): Outcome {
  const student = clone(base);
  const rng = createRng(seed * 7919 + 1);
  const exam = { id: 1, at: dayStart(HISTORY_DAYS + EXAM_IN_DAYS) + 5 * HOUR, target, scope: { banks: [], topics: ['convolutions'], families: [] } };
  const inScope = student.cards.filter((c) => examFor(c.item, [exam], 0));
  const parameters = student.settings.parameters;
  let reviews = 0;
  const plan = (c: SimCard, after: CardState, at: number): CardState => {
    reviews++;
    if (!examFor(c.item, [exam], at)) return after;
    const days = planDays(at, exam.at, CALENDAR);
    const load = new Map<string, number>();
    let cards = 1;
    for (const o of inScope) {
      if (o === c || o.state.state === State.New) continue;
      cards++;
      const i = days.findIndex((d, k) => d.start <= o.state.due && o.state.due < (days[k + 1]?.start ?? Infinity));
      if (i >= 0 && o.state.due < exam.at) load.set(days[i]!.day, (load.get(days[i]!.day) ?? 0) + 1);
    }
    return placedState(after, placeForExam({ after, now: at, exam, days, load, cardsInScope: cards, ...(parameters ? { parameters } : {}) }));
  };
  const created = dayStart(HISTORY_DAYS) + 13 * HOUR;
  if (planning) for (const c of inScope) if (c.state.state !== State.New) c.state = plan(c, c.state, created);
  reviews = 0;
  const counting = planning ? plan : (_c: SimCard, after: CardState) => (reviews++, after);
  for (let day = HISTORY_DAYS; day < HISTORY_DAYS + EXAM_IN_DAYS; day++) studyDayOf(student, day, rng, counting, 0);
  let atTarget = 0;
  let sum = 0;
  for (const c of inScope) {
    const r = c.memory ? forgetting_curve(student.truth as number[], (exam.at - c.lastAt) / DAY, c.memory.stability) : 0;
    sum += r;
    if (r >= target) atTarget++;
  }
  return { atTarget, inScope: inScope.length, meanRecall: sum / inScope.length, reviews };
}

describe('30 days before an exam: the plan against the plain schedule (simulated students)', () => {
  // 0.90 is the default target and the students' desired retention (the plain schedule aims there
  // too); at 0.95 the plain schedule is not built for the exam at all.
  it.each([0.9, 0.95])('target %s: at least 95% of in-scope cards reach it under the plan, fewer on the plain schedule', (target) => {
    const total = { plan: { atTarget: 0, inScope: 0, recall: 0, reviews: 0 }, plain: { atTarget: 0, inScope: 0, recall: 0, reviews: 0 } };
    const rows: string[] = [];
    for (let seed = 1; seed <= STUDENTS; seed++) {
      const student = makeStudent(seed);
      const rng = createRng(seed);
      for (let day = 0; day < HISTORY_DAYS; day++) studyDayOf(student, day, rng, null, NEW_PER_DAY);
      const plan = followToExam(student, seed, true, target);
      const plain = followToExam(student, seed, false, target);
      for (const [k, o] of [['plan', plan], ['plain', plain]] as const) {
        total[k].atTarget += o.atTarget;
        total[k].inScope += o.inScope;
        total[k].recall += o.meanRecall * o.inScope;
        total[k].reviews += o.reviews;
      }
      rows.push(`student ${seed} (${seed % 2 === 0 ? 'fitted set' : 'defaults'}): plan ${pct(plan.atTarget / plan.inScope)} at target (mean recall ${pct(plan.meanRecall)}, ${plan.reviews} reviews), plain ${pct(plain.atTarget / plain.inScope)} (${pct(plain.meanRecall)}, ${plain.reviews} reviews)`);
      // Each student alone is well over the plain schedule.
      expect(plan.atTarget).toBeGreaterThan(plain.atTarget);
    }
    const share = (k: 'plan' | 'plain') => total[k].atTarget / total[k].inScope;
    console.log(
      [
        `exam simulation, ${STUDENTS} students × ${DECK} cards, ${total.plan.inScope / STUDENTS} in scope each, exam ${EXAM_IN_DAYS} days ahead, target ${target}:`,
        ...rows,
        `all: plan ${pct(share('plan'))} of in-scope cards at the target (mean true recall ${pct(total.plan.recall / total.plan.inScope)}, ${total.plan.reviews} reviews); plain ${pct(share('plain'))} (${pct(total.plain.recall / total.plain.inScope)}, ${total.plain.reviews} reviews)`,
      ].join('\n'),
    );
    expect(share('plan')).toBeGreaterThanOrEqual(0.95);
    expect(share('plain')).toBeLessThan(share('plan'));
  });
});

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
