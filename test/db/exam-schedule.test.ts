/**
 * The exam plan in the review loop, on both engines: a real submitReview moves an in-scope card's
 * due into the exam's plan days and marks it; out-of-scope cards, past exams and non-members keep
 * ts-fsrs's own schedule; a class exam reaches its members; a rating change re-plans; undo clears
 * the marker; the queue puts the planned review first with its reason, beyond the review limit;
 * after the exam the card carries on from its true state.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createEmptyCard, default_w, forgetting_curve, fsrs, Rating, type Card, type Grade } from 'ts-fsrs';
import { and, eq } from 'drizzle-orm';
import { cards, classes, exams, memberships, reviews, users } from '../../db/schema';
import { submitReview } from '../../app/models/review.server';
import { changeLastRating } from '../../app/models/rating-change.server';
import { undoLast } from '../../app/models/undo.server';
import { dailyQueue } from '../../app/models/queue.server';
import { planExamCards } from '../../app/models/exam-schedule.server';
import { joinClass } from '../../app/models/class.server';
import { parseCardState } from '../../app/scheduling/scheduler';
import { addContentBank, addUser, eachTestDb, factItem } from './fixture';

// The reference scheduler, configured here independently of app/scheduling.
const reference = fsrs({ request_retention: 0.9, maximum_interval: 36500, enable_fuzz: false, enable_short_term: true, learning_steps: ['1m', '10m'], relearning_steps: ['10m'] });

const T0 = new Date('2024-06-01T12:00:00Z');
/** The second review: Easy at T0 graduates the card with an 8-day interval (S 8.2956). */
const T1 = new Date('2024-06-09T12:00:00Z');
/** After Good at T1: S 38.9, due 2024-07-18; recall at the exam 29.9 days on is 0.917 < 0.95. */
const EXAM_AT = new Date('2024-07-09T09:00:00Z');
const TARGET = 0.95;
const DAY = 86_400_000;

const db = eachTestDb();
const t = { get db() { return db.t.db; } };
let student: number;
let items: string[];
let n = 0;

beforeEach(async () => {
  student = await addUser(t.db);
  items = await addContentBank(t.db, 'nets', [factItem('a1', 'convolutions'), factItem('a2', 'convolutions'), factItem('b1', 'pooling')]);
});

function review(userId: number, itemId: string, rating: Grade, now: Date) {
  return submitReview({ db: t.db, userId, itemId, clientReviewId: `r${++n}`, seed: null, rawAnswer: 'x', readAs: null, correct: rating !== Rating.Again, misconception: null, rating, suggestedRating: rating, durationMs: 4000, hinted: false, now });
}

async function addExam(fields: { ownerId: number; classId?: number | null; at?: Date; topics?: string[]; target?: number; title?: string }) {
  const [row] = await t.db
    .insert(exams)
    .values({
      ownerId: fields.ownerId,
      classId: fields.classId ?? null,
      title: fields.title ?? 'Midterm',
      at: fields.at ?? EXAM_AT,
      timeZone: 'UTC',
      target: fields.target ?? TARGET,
      scope: JSON.stringify({ banks: ['nets'], topics: fields.topics ?? ['convolutions'], families: [] }),
      createdAt: T0,
    })
    .returning();
  return row!;
}

async function cardOf(userId: number, itemId: string) {
  const [row] = await t.db.select().from(cards).where(and(eq(cards.userId, userId), eq(cards.itemId, itemId)));
  return row!;
}

/** The reference card after Easy at T0 and Good at T1: what ts-fsrs alone schedules. */
function plainSchedule(): Card {
  const first = reference.next(createEmptyCard(T0), T0, Rating.Easy).card;
  return reference.next(first, T1, Rating.Good).card;
}

/** Easy at T0, Good at T1 on the item. */
async function twoReviews(userId: number, itemId: string) {
  await review(userId, itemId, Rating.Easy, T0);
  return review(userId, itemId, Rating.Good, T1);
}

describe('exam plan in submitReview', () => {
  it('moves an in-scope card into the last plan day and marks it; the out-of-scope card keeps ts-fsrs schedule', async () => {
    const exam = await addExam({ ownerId: student });
    const plain = plainSchedule();
    expect(plain.due.toISOString()).toBe('2024-07-18T12:00:00.000Z');
    expect(forgetting_curve(default_w, (EXAM_AT.getTime() - T1.getTime()) / DAY, plain.stability)).toBeLessThan(TARGET);

    const inScope = await twoReviews(student, items[0]!);
    await twoReviews(student, items[2]!);
    const a = await cardOf(student, items[0]!);
    const b = await cardOf(student, items[2]!);
    // The window opens daysToTarget(S) = 15.2 days before the exam; every day is empty, so the
    // latest plan day: the study day before the exam's (UTC, rollover 4:00).
    expect(a.due.toISOString()).toBe('2024-07-08T04:00:00.000Z');
    expect(a.plannedForExam).toBe(exam.id);
    expect(a.stability).toBeCloseTo(plain.stability, 10);
    expect(a.scheduledDays).toBe(28);
    // The stored after-state is the placed one.
    expect(parseCardState(inScope.review.stateAfter).due).toBe(a.due.getTime());
    // Reviewed then and passed, its recall at the exam meets the target (stability never falls on a pass).
    expect(forgetting_curve(default_w, (EXAM_AT.getTime() - a.due.getTime()) / DAY, a.stability)).toBeGreaterThanOrEqual(TARGET);
    expect(b.due.getTime()).toBe(plain.due.getTime());
    expect(b.plannedForExam).toBeNull();
  });

  it('spreads two in-scope cards over two days under the cap (one a day)', async () => {
    await addExam({ ownerId: student });
    await twoReviews(student, items[0]!);
    await twoReviews(student, items[1]!);
    expect((await cardOf(student, items[0]!)).due.toISOString()).toBe('2024-07-08T04:00:00.000Z');
    expect((await cardOf(student, items[1]!)).due.toISOString()).toBe('2024-07-07T04:00:00.000Z');
  });

  it('fills the window one a day from the exam back under the cap, then the days before it (early)', async () => {
    const many = await addContentBank(t.db, 'more', Array.from({ length: 16 }, (_, i) => factItem(`m${i}`, 'convolutions')));
    await t.db.insert(exams).values({ ownerId: student, classId: null, title: 'Midterm', at: EXAM_AT, timeZone: 'UTC', target: TARGET, scope: JSON.stringify({ banks: ['more'], topics: [], families: [] }), createdAt: T0 });
    for (const item of many) await review(student, item, Rating.Easy, T0);
    for (const item of many) await review(student, item, Rating.Good, T1);
    const dues = await Promise.all(many.map(async (item) => (await cardOf(student, item)).due.toISOString().slice(0, 10)));
    // 29 plan days (06-10 … 07-08), cap ⌈16/29⌉ = 1; the window opens 15.2 days before the exam:
    // 14 days from 06-25, latest first; the last two go early, to the latest days before it.
    const window = Array.from({ length: 14 }, (_, i) => new Date(Date.parse('2024-07-08') - i * DAY).toISOString().slice(0, 10));
    expect(dues).toEqual([...window, '2024-06-24', '2024-06-23']);
  });

  it('an exam in the past, or another student’s, changes nothing', async () => {
    const other = await addUser(t.db);
    await addExam({ ownerId: student, at: new Date('2024-06-05T09:00:00Z') });
    await addExam({ ownerId: other });
    await twoReviews(student, items[0]!);
    const a = await cardOf(student, items[0]!);
    expect(a.due.getTime()).toBe(plainSchedule().due.getTime());
    expect(a.plannedForExam).toBeNull();
  });

  it('a class exam reaches its members and no one else', async () => {
    const instructor = await addUser(t.db, { role: 'instructor' });
    const outsider = await addUser(t.db);
    const [cls] = await t.db.insert(classes).values({ name: 'CS231n', instructorId: instructor, joinCode: 'EXAMPLAN', createdAt: T0 }).returning();
    await t.db.insert(memberships).values({ classId: cls!.id, userId: student, joinedAt: T0 });
    const exam = await addExam({ ownerId: instructor, classId: cls!.id });
    await twoReviews(student, items[0]!);
    await twoReviews(outsider, items[0]!);
    const mine = await cardOf(student, items[0]!);
    expect(mine.plannedForExam).toBe(exam.id);
    expect(mine.due.toISOString()).toBe('2024-07-08T04:00:00.000Z');
    const theirs = await cardOf(outsider, items[0]!);
    expect(theirs.plannedForExam).toBeNull();
    expect(theirs.due.getTime()).toBe(plainSchedule().due.getTime());
  });

  it('a rating change re-plans the review; undo restores the before-state and clears the marker', async () => {
    const exam = await addExam({ ownerId: student });
    await review(student, items[0]!, Rating.Easy, T0);
    const second = await review(student, items[0]!, Rating.Again, T1);
    expect((await cardOf(student, items[0]!)).plannedForExam).toBeNull(); // relearning, due in minutes
    await changeLastRating({ db: t.db, userId: student, clientReviewId: second.review.clientReviewId, rating: Rating.Good });
    const changed = await cardOf(student, items[0]!);
    expect(changed.plannedForExam).toBe(exam.id);
    expect(changed.due.toISOString()).toBe('2024-07-08T04:00:00.000Z');
    const [stored] = await t.db.select().from(reviews).where(eq(reviews.id, second.review.id));
    expect(parseCardState(stored!.stateAfter).due).toBe(changed.due.getTime());

    expect(await undoLast({ db: t.db, userId: student, now: new Date(T1.getTime() + 60_000) })).toEqual({ kind: 'review', itemId: items[0] });
    const undone = await cardOf(student, items[0]!);
    expect(undone.plannedForExam).toBeNull();
    expect(undone.due.getTime()).toBe(parseCardState(second.review.stateBefore).due);
  });
});

describe('planExamCards: the cards already scheduled when an exam is set', () => {
  it('moves each sitter’s in-scope cards that would reach the exam below the target; leaves the rest', async () => {
    const instructor = await addUser(t.db, { role: 'instructor' });
    const [cls] = await t.db.insert(classes).values({ name: 'CS231n', instructorId: instructor, joinCode: 'PLANCARD', createdAt: T0 }).returning();
    await t.db.insert(memberships).values({ classId: cls!.id, userId: student, joinedAt: T0 });
    for (const item of items) await twoReviews(student, item);
    const before = await cardOf(student, items[2]!);
    const exam = await addExam({ ownerId: instructor, classId: cls!.id });
    expect(await planExamCards({ db: t.db, examId: exam.id, now: new Date(T1.getTime() + 3_600_000) })).toBe(2);
    const [a1, a2] = [await cardOf(student, items[0]!), await cardOf(student, items[1]!)];
    expect([a1.due.toISOString(), a2.due.toISOString()].sort()).toEqual(['2024-07-07T04:00:00.000Z', '2024-07-08T04:00:00.000Z']);
    expect([a1.plannedForExam, a2.plannedForExam]).toEqual([exam.id, exam.id]);
    expect(a1.stability).toBeCloseTo(plainSchedule().stability, 10);
    expect(await cardOf(student, items[2]!)).toEqual(before);
    // Planned already: a second call moves nothing; an exam in the past neither.
    expect(await planExamCards({ db: t.db, examId: exam.id, now: new Date(T1.getTime() + 7_200_000) })).toBe(0);
    const past = await addExam({ ownerId: student, at: new Date('2024-06-05T09:00:00Z') });
    expect(await planExamCards({ db: t.db, examId: past.id, now: T1 })).toBe(0);
  });

  it('plans a member who joins the class after its exam was set, and only them', async () => {
    const instructor = await addUser(t.db, { role: 'instructor' });
    const [cls] = await t.db.insert(classes).values({ name: 'CS231n', instructorId: instructor, joinCode: 'LATEJOIN', createdAt: T0 }).returning();
    const exam = await addExam({ ownerId: instructor, classId: cls!.id });
    const outsider = await addUser(t.db);
    for (const userId of [student, outsider]) await twoReviews(userId, items[0]!);
    const untouched = await cardOf(outsider, items[0]!);
    expect((await cardOf(student, items[0]!)).plannedForExam).toBeNull();
    await joinClass({ db: t.db, userId: student, joinCode: 'latejoin', now: new Date(T1.getTime() + 3_600_000) });
    const joined = await cardOf(student, items[0]!);
    expect([joined.due.toISOString(), joined.plannedForExam]).toEqual(['2024-07-08T04:00:00.000Z', exam.id]);
    expect(await cardOf(outsider, items[0]!)).toEqual(untouched);
  });
});

describe('planned reviews in the queue', () => {
  it('come first with their reason, beyond the review limit; after the exam the card goes on from its true state', async () => {
    await t.db.update(users).set({ reviewsPerDay: 1 }).where(eq(users.id, student));
    await addExam({ ownerId: student, title: 'Midterm' });
    await twoReviews(student, items[0]!);
    // Two ordinary cards due on the plan day too (graduated by Easy on days that make them due then).
    await review(student, items[1]!, Rating.Easy, new Date('2024-06-29T12:00:00Z'));
    await review(student, items[2]!, Rating.Easy, new Date('2024-06-29T13:00:00Z'));
    const onPlanDay = new Date('2024-07-08T10:00:00Z');
    const queue = await dailyQueue({ db: t.db, userId: student, now: onPlanDay });
    const reviewsShown = queue.entries.filter((e) => e.section === 'review');
    // The limit of 1 goes to the planned review, which comes first; both ordinary ones wait.
    expect(reviewsShown.map((e) => e.itemId)).toEqual([items[0]]);
    expect(reviewsShown[0]!.reason).toBe('brought forward for Midterm on 2024-07-09: recall there must reach 95%');
    expect(queue.held.find((h) => h.id === 'reviewsPerDay')?.count).toBe(2);

    // Reviewed on its plan day and passed: ready for the exam, so kept and unmarked.
    await review(student, items[0]!, Rating.Good, onPlanDay);
    const ready = await cardOf(student, items[0]!);
    expect(ready.plannedForExam).toBeNull();
    expect(forgetting_curve(default_w, (EXAM_AT.getTime() - onPlanDay.getTime()) / DAY, ready.stability)).toBeGreaterThanOrEqual(TARGET);

    // After the exam: ordinary reviews from the true state, the extra review counted in it.
    // The review on the plan day is an ordinary ts-fsrs review of the card as it was (its due moved, nothing reset).
    const check = reference.next({ ...plainSchedule(), due: new Date('2024-07-08T04:00:00Z') }, onPlanDay, Rating.Good).card;
    expect(ready.stability).toBeCloseTo(check.stability, 10);
    expect(ready.reps).toBe(3);
    const afterExam = new Date(ready.due.getTime());
    await review(student, items[0]!, Rating.Good, afterExam);
    const later = await cardOf(student, items[0]!);
    const expected = reference.next(check, afterExam, Rating.Good).card;
    expect(later.due.getTime()).toBe(expected.due.getTime());
    expect(later.stability).toBeCloseTo(expected.stability, 10);
    expect(later.plannedForExam).toBeNull();
  });
});
