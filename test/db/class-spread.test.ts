/**
 * The class spreading rule on the database: a bank published to a class with a start date and a
 * learn-by date reaches every member, whatever the day they joined, with all its items introduced
 * by the learn-by date when the default limits allow it, never more than new-per-day a day, the
 * day's quota fixed within the day, and other banks present.
 */
import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { Rating } from 'ts-fsrs';
import { cards, classBanks, items } from '../../db/schema';
import { saveInstructorBank } from '../../app/models/bank.server';
import { createClass, joinClass, publishBankToClass } from '../../app/models/class.server';
import { dailyQueue } from '../../app/models/queue.server';
import { submitReview } from '../../app/models/review.server';
import { addDays, classQuota } from '../../app/scheduling/class-schedule';
import { addContentBank, addUser, eachTestDb, factItem } from './fixture';
import type { Db } from '../../db/client';

const each = eachTestDb();
const STARTS = '2026-03-03';
const LEARN_BY = '2026-03-09';
const CLASS_ITEMS = 40;
let n = 0;

async function classSetUp(db: Db) {
  const teacher = await addUser(db, { role: 'instructor', email: 'ines@example.test' });
  const t0 = new Date('2026-02-20T12:00:00Z');
  await saveInstructorBank({ db, userId: teacher, bank: { id: 'cnn', title: 'CNN course', items: Array.from({ length: CLASS_ITEMS }, (_, i) => factItem(`c${String(i).padStart(2, '0')}`, `t${i % 3}`)) }, now: t0 });
  const cls = await createClass({ db, userId: teacher, name: 'CS231n', now: t0 });
  await publishBankToClass({ db, userId: teacher, classId: cls.id, bankId: 'cnn', now: t0 });
  await db.update(classBanks).set({ startsOn: STARTS, learnBy: LEARN_BY }).where(eq(classBanks.bankId, 'cnn'));
  await addContentBank(db, 'builtin', Array.from({ length: 30 }, (_, i) => factItem(`b${i}`, `u${i % 2}`)));
  return cls;
}

/** One study day of a student who answers everything the queue shows (Easy: no learning steps); the new items introduced, by bank. */
async function studyDay(db: Db, userId: number, day: string) {
  let now = new Date(`${day}T12:00:00Z`);
  const introduced = { cnn: 0, builtin: 0 };
  const quotas = new Set<number>();
  for (let guard = 0; guard < 500; guard++) {
    const q = await dailyQueue({ db, userId, now });
    const status = q.classBanks.find((c) => c.bankId === 'cnn');
    if (status) quotas.add(status.quotaToday);
    const next = q.entries[0];
    if (!next) return { introduced, quotas, queue: q };
    if (next.section === 'new') introduced[next.bankId as 'cnn' | 'builtin']++;
    if (next.section === 'new' && next.bankId === 'cnn') expect(next.reason).toMatch(/^new, class CS231n: \d+ of today's \d+ to stay on track for 2026-03-09$|^new, class CS231n: to be learned by 2026-03-09, catching up$/);
    await submitReview({ db, userId, itemId: next.itemId, clientReviewId: `r${++n}`, seed: 1, rawAnswer: 'x', readAs: null, correct: true, misconception: null, rating: Rating.Easy, suggestedRating: Rating.Easy, durationMs: 1000, hinted: false, now });
    now = new Date(now.getTime() + 60_000);
  }
  throw new Error('the day never ended');
}

async function introducedCount(db: Db, userId: number, bankId: string) {
  const rows = await db.select({ state: cards.state }).from(cards).innerJoin(items, eq(items.id, cards.itemId)).where(and(eq(cards.userId, userId), eq(items.bankId, bankId)));
  return rows.filter((r) => r.state !== 0).length;
}

describe('the class spreading rule', () => {
  it('introduces every item by the learn-by date for a student joining on any day from before the start to the day before, at most new-per-day a day, with the quota fixed within each day', async () => {
    const { db } = each.t;
    const cls = await classSetUp(db);
    for (let join = addDays(STARTS, -2); join <= LEARN_BY; join = addDays(join, 1)) {
      const student = await addUser(db, { email: `s-${join}@example.test`, timeZone: 'UTC' });
      await joinClass({ db, userId: student, joinCode: cls.joinCode, now: new Date(`${join}T08:00:00Z`) });
      let expectedRemaining = CLASS_ITEMS;
      for (let day = join; day <= LEARN_BY; day = addDays(day, 1)) {
        const { introduced, quotas, queue } = await studyDay(db, student, day);
        // Independent arithmetic: ceil(R / days left), nothing before the start, the budget (20) wins.
        const quota = classQuota({ startsOn: STARTS, learnBy: LEARN_BY }, day, expectedRemaining);
        const expected = Math.min(quota, 20);
        expect(quotas, `${join} → ${day}`).toEqual(new Set([quota]));
        expect(introduced.cnn, `class items introduced on ${day} by a student who joined ${join}`).toBe(expected);
        expect(introduced.cnn + introduced.builtin, `new on ${day}`).toBeLessThanOrEqual(20);
        // The rest of the budget goes to the content bank while it has items.
        expect(introduced.builtin).toBe(Math.min(20 - expected, Math.max(0, 30 - (await introducedCount(db, student, 'builtin')) + introduced.builtin)));
        expectedRemaining -= expected;
        expect(queue.classBanks[0]!.progress.introduced).toBe(CLASS_ITEMS - expectedRemaining);
      }
      const feasible = (addDays(LEARN_BY, 1) <= join ? 0 : (Date.parse(LEARN_BY) - Date.parse(join < STARTS ? STARTS : join)) / 86_400_000 + 1) * 20 >= CLASS_ITEMS;
      const done = await introducedCount(db, student, 'cnn');
      if (feasible) expect(done, `joined ${join}`).toBe(CLASS_ITEMS);
      else {
        // Joined on the learn-by day: the budget holds it to 20, and the dashboard's line says when the rest comes.
        expect(done).toBe(20);
        const status = (await dailyQueue({ db, userId: student, now: new Date(`${LEARN_BY}T20:00:00Z`) })).classBanks[0]!;
        expect(status.progress).toEqual({ total: CLASS_ITEMS, introduced: 20, finishesOn: addDays(LEARN_BY, 1), onTrack: false });
      }
    }
  });

  it('gives nothing from the bank before its start date, and says when it starts', async () => {
    const { db } = each.t;
    const cls = await classSetUp(db);
    const student = await addUser(db, { email: 'early@example.test', timeZone: 'UTC' });
    await joinClass({ db, userId: student, joinCode: cls.joinCode, now: new Date('2026-03-01T08:00:00Z') });
    const q = await dailyQueue({ db, userId: student, now: new Date('2026-03-02T12:00:00Z') });
    expect(q.entries.filter((e) => e.bankId === 'cnn')).toEqual([]);
    expect(q.entries.filter((e) => e.section === 'new')).toHaveLength(20);
    expect(q.held).toContainEqual({ scope: 'bank', id: 'cnn', reason: 'class CS231n: its new items start on 2026-03-03', count: CLASS_ITEMS });
    expect(q.classBanks[0]).toMatchObject({ className: 'CS231n', bankId: 'cnn', bankTitle: 'CNN course', startsOn: STARTS, learnBy: LEARN_BY, quotaToday: 0 });
    // The first day: ceil(40 / 7) = 6, first in the queue, in the bank's order.
    const first = await dailyQueue({ db, userId: student, now: new Date('2026-03-03T12:00:00Z') });
    expect(first.entries.slice(0, 6).map((e) => [e.itemId, e.reason])).toEqual(
      Array.from({ length: 6 }, (_, i) => [`cnn/c${String(i).padStart(2, '0')}`, `new, class CS231n: ${i + 1} of today's 6 to stay on track for 2026-03-09`]),
    );
    expect(first.entries[6]!.bankId).toBe('builtin');
  });
});

describe('the dashboard’s class line', () => {
  it('says how many are introduced and whether the student is on track, behind, or not started yet', async () => {
    const { db } = each.t;
    const cls = await classSetUp(db);
    const { dashboardFor } = await import('../../app/models/dashboard.server');
    const student = await addUser(db, { email: 'dash@example.test', timeZone: 'UTC' });
    await joinClass({ db, userId: student, joinCode: cls.joinCode, now: new Date('2026-03-01T08:00:00Z') });
    expect((await dashboardFor({ db, userId: student, now: new Date('2026-03-02T12:00:00Z') })).classLines).toEqual([{ bankId: 'cnn', text: 'Class CS231n: starts 3 Mar' }]);
    await studyDay(db, student, '2026-03-03');
    expect((await dashboardFor({ db, userId: student, now: new Date('2026-03-03T20:00:00Z') })).classLines).toEqual([{ bankId: 'cnn', text: 'Class CS231n: 6 of 40 introduced, on track for 9 Mar' }]);
    // At 3 new cards a day, from the 4th: 34 left → 12 more days, the last one on 15 Mar.
    const { users } = await import('../../db/schema');
    await db.update(users).set({ newPerDay: 3 }).where(eq(users.id, student));
    expect((await dashboardFor({ db, userId: student, now: new Date('2026-03-04T05:00:00Z') })).classLines).toEqual([
      { bankId: 'cnn', text: 'Class CS231n: 6 of 40 introduced; behind: at your 3 new cards a day the last one comes on 15 Mar' },
    ]);
  });
});

describe('the class spreading rule, random courses', () => {
  it('holds for random bank sizes, limits, dates and ratings (learning steps included), with a second dated bank competing for the budget', async () => {
    const { createRng } = await import('../../engine/random');
    const { db } = each.t;
    const teacher = await addUser(db, { role: 'instructor', email: 'rand@example.test' });
    const t0 = new Date('2026-02-20T12:00:00Z');
    await addContentBank(db, 'builtin', Array.from({ length: 15 }, (_, i) => factItem(`b${i}`, `u${i % 2}`)));
    let feasibleRuns = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const rng = createRng(seed);
      const cls = await createClass({ db, userId: teacher, name: `Random ${seed}`, now: t0 });
      const sizes = [rng.int(5, 30), rng.int(3, 15)];
      const starts = addDays('2026-03-01', rng.int(0, 2));
      const learnBys = [addDays(starts, rng.int(2, 6)), addDays(starts, rng.int(3, 8))];
      for (const [b, size] of sizes.entries()) {
        const bankId = `r${seed}b${b}`;
        await saveInstructorBank({ db, userId: teacher, bank: { id: bankId, title: bankId, items: Array.from({ length: size }, (_, i) => factItem(`i${i}`, `t${i % 2}`)) }, now: t0 });
        await publishBankToClass({ db, userId: teacher, classId: cls.id, bankId, now: t0 });
        await db.update(classBanks).set({ startsOn: starts, learnBy: learnBys[b]! }).where(eq(classBanks.bankId, bankId));
      }
      const newPerDay = rng.int(4, 12);
      const student = await addUser(db, { email: `r${seed}@example.test`, timeZone: 'UTC', newPerDay });
      const join = addDays(starts, rng.int(-1, 1));
      await joinClass({ db, userId: student, joinCode: cls.joinCode, now: new Date(`${join}T06:00:00Z`) });
      const last = [...learnBys].sort()[1]!;
      for (let day = join; day <= last; day = addDays(day, 1)) {
        let now = new Date(`${day}T12:00:00Z`);
        const first = await dailyQueue({ db, userId: student, now });
        const quotas = first.classBanks.filter((c) => c.bankId.startsWith(`r${seed}`)).map((c) => c.quotaToday);
        let introduced = 0;
        for (let guard = 0; guard < 400; guard++) {
          const q = await dailyQueue({ db, userId: student, now });
          // Fixed within the day.
          expect(q.classBanks.filter((c) => c.bankId.startsWith(`r${seed}`)).map((c) => c.quotaToday)).toEqual(quotas);
          const next = q.entries[0];
          if (!next) break;
          if (next.section === 'new') introduced++;
          const rating = ([Rating.Again, Rating.Good, Rating.Easy] as const)[rng.int(0, 2)]!;
          await submitReview({ db, userId: student, itemId: next.itemId, clientReviewId: `r${++n}`, seed: 1, rawAnswer: 'x', readAs: null, correct: rating > 1, misconception: null, rating, suggestedRating: rating, durationMs: 1000, hinted: false, now });
          now = new Date(now.getTime() + rng.int(1, 12) * 60_000);
        }
        expect(introduced, `seed ${seed}, ${day}`).toBeLessThanOrEqual(newPerDay);
      }
      // Feasible whenever the two banks' items fit the days from the start to each learn-by date.
      const daysTo = (d: string) => (Date.parse(d) - Date.parse(join > starts ? join : starts)) / 86_400_000 + 1;
      const [b0, b1] = [`r${seed}b0`, `r${seed}b1`];
      const firstBy = learnBys[0]! <= learnBys[1]! ? 0 : 1;
      const feasible = sizes[firstBy]! <= daysTo(learnBys[firstBy]!) * newPerDay && sizes[0]! + sizes[1]! <= daysTo(last) * newPerDay;
      if (feasible) {
        feasibleRuns++;
        expect(await introducedCount(db, student, b0), `seed ${seed}`).toBe(sizes[0]);
        expect(await introducedCount(db, student, b1), `seed ${seed}`).toBe(sizes[1]);
      }
    }
    expect(feasibleRuns).toBeGreaterThanOrEqual(4);
  });
});
