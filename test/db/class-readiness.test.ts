/**
 * classReadiness on both engines: a class whose members have known histories (simulated with
 * FSRS and stored as the app stores them), a class exam over one of its banks, and the
 * instructor's view of it: who is ahead, who is behind, the distribution, the refusals, and one
 * member's figures cross-checked with forecastReadiness called directly on that member's states.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ClassReadiness } from '../../app/components/class-readiness';
import { and, eq } from 'drizzle-orm';
import { AccessDenied } from '../../app/models/access.server';
import { cardColumnsOf } from '../../app/models/card.server';
import { CLASS_MAX_RUNS, ClassExamNotFound, classReadiness, classRunsFor, readinessBins } from '../../app/models/class-readiness.server';
import { median } from '../../app/models/analytics.server';
import { PACE_DAYS, studentReadiness } from '../../app/models/readiness.server';
import { schedulerSettingsOf, submitReview } from '../../app/models/review.server';
import { forecastReadiness, type ForecastCard } from '../../app/scheduling/readiness';
import { newCardState, type CardState } from '../../app/scheduling/scheduler';
import type { Db } from '../../db/client';
import { cards, classBanks, classes, exams, memberships, subscriptions, users } from '../../db/schema';
import { simulateHistory, type SimulatedReview } from '../support/fsrs-history';
import { storeHistory } from '../support/stored-history';
import { addContentBank, addUser, eachTestWithInstructor, factItem, generatedItem } from './fixture';

const each = eachTestWithInstructor();
const DAY = 86_400_000;
/** The simulated histories start on 2025-01-06 (fsrs-history's default); 60 study days later is 2025-03-07. */
const NOW = new Date('2025-03-07T10:00:00Z');
const EXAM_AT = new Date(NOW.getTime() + 21 * DAY);
const TARGET = 0.85;
const ITEMS = 60;

/** The exam's bank: 60 items over two topics and three families (a third are facts, family null). */
function examBankItems() {
  return Array.from({ length: ITEMS }, (_, i) => (i % 3 === 2 ? factItem(`q${i}`, i % 2 ? 'limits' : 'series') : generatedItem(`q${i}`, i % 2 ? 'limits' : 'series', `fam-${i % 3}-${i % 2}`)));
}

async function setUp(db: Db, instructor: number) {
  const examItems = await addContentBank(db, 'calc', examBankItems());
  const otherItems = await addContentBank(db, 'other', Array.from({ length: 20 }, (_, i) => factItem(`o${i}`, 'other')));
  const [cls] = await db.insert(classes).values({ name: 'Calculus', instructorId: instructor, joinCode: 'CALC2345', createdAt: new Date(0) }).returning({ id: classes.id });
  const classId = cls!.id;
  await db.insert(classBanks).values({ classId, bankId: 'calc', publishedAt: new Date(0) });

  // Strong: studied every day to yesterday. Lapsed: studied 30 days, then nothing for a month. Fresh: no card at all.
  const strong = await addUser(db, { displayName: 'Ada strong' });
  const lapsed = await addUser(db, { displayName: 'Ben lapsed' });
  const fresh = await addUser(db, { displayName: 'Cy fresh' });
  const strongHistory = simulateHistory({ parameters: null, cards: ITEMS, days: 60, seed: 11, newPerDay: 6 }).reviews;
  const lapsedHistory = simulateHistory({ parameters: null, cards: ITEMS, days: 30, seed: 12, newPerDay: 3 }).reviews;
  await storeHistory(db, strong, strongHistory, examItems);
  await storeHistory(db, lapsed, lapsedHistory, examItems);
  // Cards out of the exam's scope do not count: the strong student also studies the other bank.
  const otherStates = finalStates(simulateHistory({ parameters: null, cards: 20, days: 10, seed: 13 }).reviews, otherItems);
  await db.insert(cards).values([...otherStates].map(([itemId, state]) => ({ userId: strong, itemId, ...cardColumnsOf(state) })));
  for (const userId of [strong, lapsed, fresh]) await db.insert(memberships).values({ classId, userId, joinedAt: new Date(0) });
  const [exam] = await db
    .insert(exams)
    .values({ ownerId: instructor, classId, title: 'Midterm', at: EXAM_AT, timeZone: 'UTC', target: TARGET, scope: JSON.stringify({ banks: ['calc'], topics: [], families: [] }), createdAt: NOW })
    .returning({ id: exams.id });
  return { classId, examId: exam!.id, strong, lapsed, fresh, strongHistory, examItems, otherItems };
}

/** Each simulated card's last state (its card in the database), by item id. */
function finalStates(history: readonly SimulatedReview[], itemIds: readonly string[]): Map<string, CardState> {
  const out = new Map<string, CardState>();
  for (const r of history) out.set(itemIds[r.cardId - 1]!, r.stateAfter);
  return out;
}

describe('classReadiness', () => {
  it('shows the strong student ahead, the lapsed one behind, the one with no card not started; the distribution sums to the members', async () => {
    const { db } = each.t;
    const s = await setUp(db, each.instructor);
    const data = await classReadiness({ db, userId: each.instructor, examId: s.examId, now: NOW });

    expect(data.members).toHaveLength(3);
    expect(data.runs).toBe(CLASS_MAX_RUNS); // 180 cards in all: the budget allows the most
    const by = new Map(data.members.map((m) => [m.userId, m]));
    const strong = by.get(s.strong)!;
    const lapsed = by.get(s.lapsed)!;
    const fresh = by.get(s.fresh)!;

    expect(strong).toMatchObject({ status: 'on-track', reasons: [], cardsInScope: ITEMS, cardsLearned: ITEMS });
    expect(strong.plan!.mean).toBeGreaterThanOrEqual(TARGET);
    expect(strong.plan!.low).toBeLessThanOrEqual(strong.plan!.mean);
    expect(strong.plan!.high).toBeGreaterThanOrEqual(strong.plan!.mean);
    expect(strong.plan!.mean).toBeGreaterThanOrEqual(strong.stopToday!.mean);

    // The lapsed student met 60 items in 30 days and has not reviewed since: behind, short of the plan.
    expect(lapsed.status).toBe('behind');
    expect(lapsed.recentReviews).toBe(0);
    expect(lapsed.reasons).toContain('short-of-plan');
    expect(lapsed.dailyReviews).toBeGreaterThan(0);
    expect(lapsed.stopToday!.mean).toBeLessThan(strong.stopToday!.mean);

    expect(fresh).toMatchObject({ status: 'not-started', behind: true, cardsInScope: ITEMS, cardsLearned: 0, recentReviews: 0 });
    expect(fresh.stopToday!.mean).toBe(0);

    // Who needs the instructor first: not started, then behind, then on track.
    expect(data.members.map((m) => m.userId)).toEqual([s.fresh, s.lapsed, s.strong]);
    expect(data.counts).toEqual({ 'on-track': 1, behind: 1, 'not-started': 1, 'no-cards': 0 });

    // The distribution: ten bins of 10 points, one student per plan readiness, in its bin.
    expect(data.distribution).toHaveLength(10);
    expect(data.distribution.reduce((a, b) => a + b.students, 0)).toBe(3);
    for (const m of data.members) {
      const bin = data.distribution.find((b) => m.plan!.mean >= b.from && (m.plan!.mean < b.to || b.to === 1))!;
      expect(bin.students).toBeGreaterThan(0);
    }
    const sorted = data.members.map((m) => m.plan!.mean).sort((a, b) => a - b);
    expect(data.quartiles!.median).toBe(sorted[1]);
    expect(data.quartiles!.q1).toBeCloseTo((sorted[0]! + sorted[1]!) / 2, 12);
    expect(data.quartiles!.q3).toBeCloseTo((sorted[1]! + sorted[2]!) / 2, 12);

    // Families at risk: every family of the scope, the lowest mean plan recall first, facts (no family) left out.
    expect(data.families.map((f) => f.key).sort()).toEqual(['fam-0-0', 'fam-0-1', 'fam-1-0', 'fam-1-1']);
    for (let i = 1; i < data.families.length; i++) expect(data.families[i]!.meanPlan).toBeGreaterThanOrEqual(data.families[i - 1]!.meanPlan);
    expect(data.topics.map((x) => x.key).sort()).toEqual(['limits', 'series']);
    for (const g of [...data.families, ...data.topics]) expect(g.students).toBe(3);

    // The panel: the rule in words, the behind list (not the strong student), a row per bin and per student.
    const html = renderToStaticMarkup(createElement(ClassReadiness, { data }));
    expect(html).toContain('fewer in-scope reviews in the last 7 days than 50.0% of what the plan asks');
    const behindList = html.slice(html.indexOf('data-testid="class-readiness-behind"'), html.indexOf('</ul>'));
    expect(behindList).toContain('Cy fresh');
    expect(behindList).toContain('Ben lapsed');
    expect(behindList).not.toContain('Ada strong');
    expect(behindList).toContain('Behind: short of the plan');
    expect(html.match(/<tr data-user=/g)).toHaveLength(3);
    const distribution = html.slice(html.indexOf('data-testid="class-readiness-distribution"'));
    expect(distribution.slice(0, distribution.indexOf('</table>')).match(/<th scope="row">/g)).toHaveLength(10);
  });

  it('gives one member the figures forecastReadiness gives on their states called directly', async () => {
    const { db } = each.t;
    const s = await setUp(db, each.instructor);
    const data = await classReadiness({ db, userId: each.instructor, examId: s.examId, now: NOW });
    const strong = data.members.find((m) => m.userId === s.strong)!;

    const states = finalStates(s.strongHistory, s.examItems);
    const items = examBankItems();
    const forecastCards: ForecastCard[] = s.examItems.map((itemId, i) => ({ itemId, title: itemId, topic: items[i]!.topic, family: items[i]!.kind === 'generated' ? (items[i] as { family: string }).family : null, state: states.get(itemId) ?? newCardState(NOW) }));
    const [user] = await db.select().from(users).where(eq(users.id, s.strong));
    const paceFrom = NOW.getTime() - PACE_DAYS * DAY;
    const durations = s.strongHistory.filter((r) => r.reviewedAt.getTime() >= paceFrom).map((r) => r.durationMs);
    expect(durations.length).toBeGreaterThan(50); // well past PACE_MIN_REVIEWS: the pace is the median, not the default
    expect(strong.secondsPerReview).toBe(median(durations)! / 1000);
    const direct = forecastReadiness({
      cards: forecastCards,
      exam: { at: EXAM_AT.getTime(), target: TARGET },
      now: NOW.getTime(),
      calendar: { timeZone: 'UTC', rolloverHour: 4 },
      settings: schedulerSettingsOf(user!),
      secondsPerReview: median(durations)! / 1000,
      newPerDay: user!.newPerDay,
      maxReviewsPerDay: user!.reviewsPerDay,
      runs: CLASS_MAX_RUNS,
      seed: s.examId,
    });
    const o = direct.plan.overall;
    expect(strong.plan).toEqual({ mean: o.mean, low: o.low, high: o.high });
    const st = direct.stopToday.overall;
    expect(strong.stopToday).toEqual({ mean: st.mean, low: st.low, high: st.high });
    const days = direct.perDay.length;
    expect(strong.dailyReviews).toBeCloseTo(direct.perDay.reduce((a, d) => a + d.reviews, 0) / days, 12);
    expect(strong.dailyMinutes).toBeCloseTo(direct.perDay.reduce((a, d) => a + d.minutes, 0) / days, 12);
    expect(data.daysLeft).toBe(direct.daysLeft);
    // Every member's figures are those of their own page at the class's runs.
    for (const m of data.members) {
      const own = (await studentReadiness({ db, userId: m.userId, examId: s.examId, now: NOW, runs: data.runs })).readiness;
      expect(m.plan).toEqual({ mean: own.plan.overall.mean, low: own.plan.overall.low, high: own.plan.overall.high });
      expect(m.stopToday!.mean).toBe(own.stopToday.overall.mean);
      expect(m.cardsInScope).toBe(own.cards);
    }
    // In-scope reviews over the last 7 days, counted from the history.
    expect(strong.recentReviews).toBe(s.strongHistory.filter((r) => r.reviewedAt.getTime() >= NOW.getTime() - 7 * DAY && r.reviewedAt <= NOW).length);
  });

  it('leaves suspended cards out, narrows to the scope’s topics, and lists members with nothing in scope apart', async () => {
    const { db } = each.t;
    const s = await setUp(db, each.instructor);
    await db.update(cards).set({ suspended: true }).where(and(eq(cards.userId, s.strong), eq(cards.itemId, s.examItems[0]!)));
    // One topic of the bank: half its items.
    const [other] = await db
      .insert(exams)
      .values({ ownerId: each.instructor, classId: s.classId, title: 'Other', at: EXAM_AT, timeZone: 'UTC', target: TARGET, scope: JSON.stringify({ banks: ['calc'], topics: ['limits'], families: [] }), createdAt: NOW })
      .returning({ id: exams.id });
    // A class bank cannot be turned off (off reads as on); paused, its items without a card are left out.
    await db.insert(subscriptions).values([
      { userId: s.lapsed, bankId: 'calc', state: 'off', updatedAt: NOW },
      { userId: s.fresh, bankId: 'calc', state: 'paused', updatedAt: NOW },
    ]);
    const data = await classReadiness({ db, userId: each.instructor, examId: s.examId, now: NOW });
    expect(data.members.find((m) => m.userId === s.strong)!.cardsInScope).toBe(ITEMS - 1);
    expect(data.members.find((m) => m.userId === s.lapsed)!.cardsInScope).toBe(ITEMS);
    expect(data.members.find((m) => m.userId === s.fresh)).toMatchObject({ status: 'no-cards', cardsInScope: 0 });
    const limits = await classReadiness({ db, userId: each.instructor, examId: other!.id, now: NOW });
    expect(limits.members.find((m) => m.userId === s.lapsed)!.cardsInScope).toBe(ITEMS / 2);
    expect(limits.topics.map((x) => x.key)).toEqual(['limits']);
    // A bank gone since the exam was set: nobody has a card in scope, nobody is binned.
    const [gone] = await db
      .insert(exams)
      .values({ ownerId: each.instructor, classId: s.classId, title: 'Gone', at: EXAM_AT, timeZone: 'UTC', target: TARGET, scope: JSON.stringify({ banks: ['gone'], topics: [], families: [] }), createdAt: NOW })
      .returning({ id: exams.id });
    await db.delete(subscriptions);
    const none = await classReadiness({ db, userId: each.instructor, examId: gone!.id, now: NOW });
    expect(none.members.map((m) => [m.status, m.behind, m.cardsInScope, m.plan])).toEqual([['no-cards', false, 0, null], ['no-cards', false, 0, null], ['no-cards', false, 0, null]]);
    expect(none.counts['no-cards']).toBe(3);
    expect(none.distribution.reduce((a, b) => a + b.students, 0)).toBe(0);
    expect(none.quartiles).toBeNull();
  });

  it('gives each reason: a target above the plan, a target out of reach with its limit', async () => {
    const { db } = each.t;
    const s = await setUp(db, each.instructor);
    const examAt = async (at: Date, target: number) => {
      const [row] = await db
        .insert(exams)
        .values({ ownerId: each.instructor, classId: s.classId, title: `At ${at.toISOString()}`, at, timeZone: 'UTC', target, scope: JSON.stringify({ banks: ['calc'], topics: [], families: [] }), createdAt: NOW })
        .returning({ id: exams.id });
      return classReadiness({ db, userId: each.instructor, examId: row!.id, now: NOW });
    };
    // A target of 99%: no plan reaches it, so the strong student is behind too.
    const high = await examAt(EXAM_AT, 0.99);
    const strong = high.members.find((m) => m.userId === s.strong)!;
    expect(strong.plan!.mean).toBeLessThan(0.99);
    expect(strong).toMatchObject({ status: 'behind', behind: true });
    expect(strong.reasons).toContain('below-target');
    expect(high.counts['on-track']).toBe(0);
    for (const g of high.families) expect(g.belowTarget).toBeGreaterThan(0);
    for (const g of high.families) expect(g.belowTarget).toBeLessThanOrEqual(g.students);
    // An exam tomorrow: 60 new cards cannot be learned at 20 a day; the best reachable recall is said.
    const tomorrow = await examAt(new Date(NOW.getTime() + DAY), TARGET);
    const fresh = tomorrow.members.find((m) => m.userId === s.fresh)!;
    expect(fresh.reasons).toContain('below-target');
    expect(fresh.plan!.mean).toBeLessThan(TARGET);
    expect(fresh.limit!.bestRecall).toBeLessThan(TARGET);
    expect(fresh.limit!.reason).toEqual(expect.any(String));
  });

  it('refuses who does not teach the class, and keeps other classes and students’ own exams out', async () => {
    const { db } = each.t;
    const s = await setUp(db, each.instructor);
    const other = await addUser(db, { email: 'otto@example.test', role: 'instructor' });
    await expect(classReadiness({ db, userId: s.strong, examId: s.examId, now: NOW })).rejects.toThrow(AccessDenied);
    await expect(classReadiness({ db, userId: other, examId: s.examId, now: NOW })).rejects.toThrow(AccessDenied);
    await expect(classReadiness({ db, userId: each.instructor, examId: 999_999, now: NOW })).rejects.toThrow(ClassExamNotFound);

    // A student's own exam is not a class exam: 404, even for the instructor of their class.
    const [own] = await db
      .insert(exams)
      .values({ ownerId: s.strong, classId: null, title: 'Mine', at: EXAM_AT, timeZone: 'UTC', target: 0.95, scope: JSON.stringify({ banks: ['other'], topics: [], families: [] }), createdAt: NOW })
      .returning({ id: exams.id });
    await expect(classReadiness({ db, userId: each.instructor, examId: own!.id, now: NOW })).rejects.toThrow(ClassExamNotFound);

    // Another class, with the strong student in it too and an exam over the other bank: neither its members nor its scope mix in.
    const [cls2] = await db.insert(classes).values({ name: 'Other', instructorId: other, joinCode: 'OTHR2345', createdAt: new Date(0) }).returning({ id: classes.id });
    const outsider = await addUser(db, { displayName: 'Dee outsider' });
    await db.insert(memberships).values([
      { classId: cls2!.id, userId: s.strong, joinedAt: new Date(0) },
      { classId: cls2!.id, userId: outsider, joinedAt: new Date(0) },
    ]);
    const [exam2] = await db
      .insert(exams)
      .values({ ownerId: other, classId: cls2!.id, title: 'Other final', at: EXAM_AT, timeZone: 'UTC', target: 0.7, scope: JSON.stringify({ banks: ['other'], topics: [], families: [] }), createdAt: NOW })
      .returning({ id: exams.id });
    const mine = await classReadiness({ db, userId: each.instructor, examId: s.examId, now: NOW });
    expect(mine.members.map((m) => m.userId).sort()).toEqual([s.strong, s.lapsed, s.fresh].sort());
    expect(mine.members.find((m) => m.userId === s.strong)!.cardsInScope).toBe(ITEMS);
    expect(mine.exam.target).toBe(TARGET);
    const theirs = await classReadiness({ db, userId: other, examId: exam2!.id, now: NOW });
    expect(theirs.members.map((m) => m.userId).sort()).toEqual([s.strong, outsider].sort());
    expect(theirs.members.find((m) => m.userId === s.strong)!.cardsInScope).toBe(20);
    await expect(classReadiness({ db, userId: each.instructor, examId: exam2!.id, now: NOW })).rejects.toThrow(AccessDenied);
  });
});

describe('classRunsFor', () => {
  it('is kept between loads until a member reviews, or a card of theirs changes, and not across databases', async () => {
    const { db } = each.t;
    const s = await setUp(db, each.instructor);
    const first = await classReadiness({ db, userId: each.instructor, examId: s.examId, now: NOW });
    // Kept: the same object, not a new forecast (forecast-cache.server.ts).
    expect(await classReadiness({ db, userId: each.instructor, examId: s.examId, now: new Date(NOW.getTime() + 60_000) })).toBe(first);
    const strongRecent = () => first.members.find((m) => m.userId === s.strong)!.recentReviews;
    await submitReview({ db, userId: s.strong, itemId: s.examItems[0]!, clientReviewId: 'kept-1', seed: null, rawAnswer: 'x', readAs: null, correct: true, misconception: null, rating: 3, suggestedRating: 3, durationMs: 4000, hinted: false, now: new Date(NOW.getTime() + 120_000) });
    const afterReview = await classReadiness({ db, userId: each.instructor, examId: s.examId, now: new Date(NOW.getTime() + 180_000) });
    expect(afterReview).not.toBe(first);
    expect(afterReview.members.find((m) => m.userId === s.strong)!.recentReviews).toBe(strongRecent() + 1);
    // A card changed without a review or a card action (suspended in place) is seen too.
    await db.update(cards).set({ suspended: true }).where(and(eq(cards.userId, s.lapsed), eq(cards.itemId, s.examItems[0]!)));
    const afterSuspend = await classReadiness({ db, userId: each.instructor, examId: s.examId, now: new Date(NOW.getTime() + 240_000) });
    expect(afterSuspend).not.toBe(afterReview);
    expect(afterSuspend.members.find((m) => m.userId === s.lapsed)!.cardsInScope).toBe(afterReview.members.find((m) => m.userId === s.lapsed)!.cardsInScope - 1);
  });

  it('shares the class budget: the most runs for a small class, the fewest for a big one, in between by cards', () => {
    expect(classRunsFor(0)).toBe(CLASS_MAX_RUNS);
    expect(classRunsFor(200 * 300)).toBe(8);
    expect(classRunsFor(24_000)).toBe(20);
    expect(classRunsFor(10_000_000)).toBe(8);
  });
});

describe('readinessBins', () => {
  it('puts each value in its 10-point bin, 100% in the last, and sums to the values', () => {
    const bins = readinessBins([0, 0.05, 0.1, 0.899, 0.9, 0.95, 1]);
    expect(bins.map((b) => b.students)).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 1, 3]);
    expect(bins[0]).toMatchObject({ from: 0, to: 0.1 });
    expect(bins[9]).toMatchObject({ from: 0.9, to: 1 });
  });
});
