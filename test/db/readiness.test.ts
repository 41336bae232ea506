/**
 * studentReadiness and readinessSummaries on a stored history (a simulated student, stored as the
 * app stores reviews): the in-scope cards, the pace and the stop-today recall are checked against
 * figures computed from the simulation itself; exams the user does not sit are a 404.
 */
import { eq } from 'drizzle-orm';
import { default_w, forgetting_curve } from 'ts-fsrs';
import { describe, expect, test } from 'vitest';
import { cards, classes, exams, memberships, users } from '../../db/schema';
import type { Db } from '../../db/client';
import { dashboardFor } from '../../app/models/dashboard.server';
import { DEFAULT_SECONDS_PER_REVIEW, paceOf, readinessOnStats, readinessSummaries, ReadinessNotFound, studentReadiness } from '../../app/models/readiness.server';
import { simulateHistory, type SimulatedReview } from '../support/fsrs-history';
import { storeHistory } from '../support/stored-history';
import { addContentBank, addUser, eachTestDb, factItem, generatedItem } from './fixture';

const each = eachTestDb();
const DAY = 86_400_000;
const NOW = new Date('2026-03-02T12:00:00Z');
const EXAM_AT = new Date(NOW.getTime() + 21 * DAY);

/** 30 facts on 'alpha', 10 on 'beta', 20 generated items of family 'conv-out' on 'gamma'. */
async function bank(db: Db): Promise<string[]> {
  return addContentBank(db, 'sim', [
    ...Array.from({ length: 30 }, (_, i) => factItem(`a${String(i).padStart(2, '0')}`, 'alpha')),
    ...Array.from({ length: 10 }, (_, i) => factItem(`b${String(i).padStart(2, '0')}`, 'beta')),
    ...Array.from({ length: 20 }, (_, i) => generatedItem(`g${String(i).padStart(2, '0')}`, 'gamma', 'conv-out')),
  ]);
}

/** 45 of the 60 items studied for 40 days up to the day before NOW. */
function history(): SimulatedReview[] {
  return simulateHistory({ parameters: null, cards: 45, days: 40, seed: 16, start: new Date(NOW.getTime() - 41 * DAY), newPerDay: 3 }).reviews;
}

async function addExam(db: Db, ownerId: number, scope: object, fields: Partial<typeof exams.$inferInsert> = {}): Promise<number> {
  const [row] = await db
    .insert(exams)
    .values({ ownerId, title: 'Midterm', at: EXAM_AT, timeZone: 'UTC', target: 0.9, scope: JSON.stringify(scope), createdAt: NOW, ...fields })
    .returning({ id: exams.id });
  return row!.id;
}

describe('studentReadiness', () => {
  test('a stored history: in-scope cards, pace and stop-today recall as the simulation gives them', async () => {
    const { db } = each.t;
    const userId = await addUser(db);
    const itemIds = await bank(db);
    const reviews = history();
    await storeHistory(db, userId, reviews, itemIds);
    const examId = await addExam(db, userId, { banks: ['sim'], topics: ['alpha'], families: ['conv-out'] });

    const { exam, readiness: r } = await studentReadiness({ db, userId, examId, now: NOW });
    expect(exam.id).toBe(examId);

    // In scope: the 'alpha' facts and the 'conv-out' items (50); the studied ones have their last state.
    const inScope = itemIds.filter((id) => /\/(a|g)\d\d$/.test(id));
    expect(r.cards).toBe(50);
    const last = new Map<string, SimulatedReview>();
    for (const rv of reviews) last.set(itemIds[rv.cardId - 1]!, rv);
    const studied = inScope.filter((id) => last.has(id) && last.get(id)!.stateAfter.state !== 0);
    expect(r.newCards).toBe(50 - studied.length);
    const recall = (id: string) => {
      const s = last.get(id)?.stateAfter;
      return s && s.state !== 0 ? forgetting_curve(default_w, (EXAM_AT.getTime() - s.lastReview!) / DAY, s.stability) : 0;
    };
    expect(r.stopToday.overall.mean).toBeCloseTo(inScope.reduce((a, id) => a + recall(id), 0) / 50, 10);
    expect(r.stopToday.topics.map((t) => [t.topic, t.cards])).toEqual([['alpha', 30], ['gamma', 20]]);
    expect(r.stopToday.families.map((f) => [f.family, f.cards])).toEqual([['conv-out', 20]]);
    const gamma = inScope.filter((id) => id.includes('/g'));
    expect(r.stopToday.families[0]!.mean).toBeCloseTo(gamma.reduce((a, id) => a + recall(id), 0) / 20, 10);

    // Pace: the median of the last 30 days' review times.
    const recent = reviews.filter((rv) => rv.reviewedAt.getTime() >= NOW.getTime() - 30 * DAY).map((rv) => rv.durationMs).sort((a, b) => a - b);
    const mid = recent.length / 2;
    const medianMs = recent.length % 2 ? recent[Math.floor(mid)]! : (recent[mid - 1]! + recent[mid]!) / 2;
    expect(recent.length).toBeGreaterThan(20);
    expect(r.secondsPerReview).toBeCloseTo(medianMs / 1000, 10);
    for (const d of r.perDay) expect(d.minutes).toBeCloseTo((d.reviews * medianMs) / 60_000, 8);

    // The plan, from the student's own calendar: today to the exam's day, reviews planned.
    expect(r.examDay).toBe('2026-03-23');
    expect(r.perDay[0]!.day).toBe('2026-03-02');
    expect(r.perDay.at(-1)!.day).toBe('2026-03-23');
    expect(r.plan.overall.mean).toBeGreaterThan(r.stopToday.overall.mean);
    expect(r.seed).toBe(examId);
    // At-risk cards carry their item's title.
    for (const c of r.atRisk) expect(c.title).toMatch(/^(front of a\d\d|conv-out question)$/);

    // A suspended card leaves the scope.
    await db.update(cards).set({ suspended: true }).where(eq(cards.itemId, studied[0]!));
    expect((await studentReadiness({ db, userId, examId, now: NOW })).readiness.cards).toBe(49);
  });

  test('the same inputs give the same forecast (the exam seeds it)', async () => {
    const { db } = each.t;
    const userId = await addUser(db);
    await storeHistory(db, userId, history(), await bank(db));
    const examId = await addExam(db, userId, { banks: [], topics: ['beta'], families: [] });
    const a = await studentReadiness({ db, userId, examId, now: NOW, runs: 30 });
    const b = await studentReadiness({ db, userId, examId, now: NOW, runs: 30 });
    expect(b).toEqual(a);
    expect(a.readiness.runs).toBe(30);
    expect(a.readiness.cards).toBe(10);
  });

  test('an exam the user does not sit is a 404: another student’s, a class they are not in, none', async () => {
    const { db } = each.t;
    const me = await addUser(db);
    const other = await addUser(db);
    const teacher = await addUser(db, { role: 'instructor' });
    await bank(db);
    const [cls] = await db.insert(classes).values({ name: 'CNN', instructorId: teacher, joinCode: 'JOIN1234', createdAt: NOW }).returning({ id: classes.id });
    const theirs = await addExam(db, other, { banks: ['sim'], topics: [], families: [] });
    const classExam = await addExam(db, teacher, { banks: ['sim'], topics: [], families: [] }, { classId: cls!.id });
    for (const examId of [theirs, classExam, 9999]) {
      const e = await studentReadiness({ db, userId: me, examId, now: NOW }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ReadinessNotFound);
      expect((e as ReadinessNotFound).status).toBe(404);
    }
    // A member sits the class's exam: every item of the bank, all new, none recalled today.
    await db.insert(memberships).values({ classId: cls!.id, userId: me, joinedAt: NOW });
    const { exam, readiness } = await studentReadiness({ db, userId: me, examId: classExam, now: NOW });
    expect(exam.className).toBe('CNN');
    expect(readiness.cards).toBe(60);
    expect(readiness.newCards).toBe(60);
    expect(readiness.stopToday.overall.mean).toBe(0);
  });

  test('pace: the stated default with too few recent reviews', async () => {
    const { db } = each.t;
    const userId = await addUser(db);
    expect(await paceOf({ db, userId, now: NOW })).toEqual({ secondsPerReview: DEFAULT_SECONDS_PER_REVIEW, reviews: 0, fromDefault: true });
  });

  test('readinessSummaries: one line per exam ahead, soonest first; a past exam has none', async () => {
    const { db } = each.t;
    const userId = await addUser(db, { newPerDay: 5 });
    await storeHistory(db, userId, history(), await bank(db));
    const later = await addExam(db, userId, { banks: ['sim'], topics: ['beta'], families: [] }, { title: 'Final', at: new Date(EXAM_AT.getTime() + 10 * DAY) });
    const sooner = await addExam(db, userId, { banks: ['sim'], topics: ['alpha'], families: [] });
    await addExam(db, userId, { banks: ['sim'], topics: [], families: [] }, { title: 'Quiz 0', at: new Date(NOW.getTime() - DAY) });
    const rows = await readinessSummaries({ db, userId, now: NOW });
    expect(rows.map((r) => r.exam.id)).toEqual([sooner, later]);
    const full = await studentReadiness({ db, userId, examId: sooner, now: NOW });
    expect(rows[0]).toMatchObject({ plan: full.readiness.plan.overall.mean, stopToday: full.readiness.stopToday.overall.mean, reachable: full.readiness.limits.reachable, daysLeft: 21, cards: 30, target: 0.9 });
    expect(rows[0]!.today.reviews).toBe(full.readiness.perDay[0]!.reviews);
    const [u] = await db.select({ newPerDay: users.newPerDay }).from(users).where(eq(users.id, userId));
    expect(u!.newPerDay).toBe(5);
    // The dashboard carries them; the statistics page the soonest in full.
    expect((await dashboardFor({ db, userId, now: NOW })).exams).toEqual(rows);
    const stats = await readinessOnStats({ db, userId, now: NOW });
    expect(stats.soonest).toEqual(full);
    expect(stats.others.map((e) => e.id)).toEqual([later]);
  });
});
